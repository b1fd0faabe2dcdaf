import { z } from 'zod';
import type { Track } from '../domain/track.js';
import { viewerArtistIdSchema } from './visibility.js';

/**
 * zod schema of {@link ListTracksOptions}.
 *
 * @example
 * ```ts
 * listTracksOptionsSchema.parse({ albumId: 'al1' }).limit; // 50
 * ```
 */
export const listTracksOptionsSchema = z.object({
  /** Only the tracks of this album, in disc and track order. */
  albumId: z.string().optional(),
  /** Only the tracks this artist performs on (any position), newest first. */
  artistId: z.string().optional(),
  viewerArtistId: viewerArtistIdSchema,
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().positive().max(500).default(50),
});

/**
 * Options of `CatalogStore.listTracks`: an album's tracks (disc, then track number, then id) or an
 * artist's (newest `addedAt` first, then id), or every track (newest first), one page at a time.
 * Private tracks are listed only for their owner (`viewerArtistId`).
 *
 * @example
 * ```ts
 * await store.listTracks({ artistId: 'a1', viewerArtistId: me.artistId, limit: 20 } satisfies ListTracksOptions);
 * ```
 */
export type ListTracksOptions = z.input<typeof listTracksOptionsSchema>;

/**
 * zod schema of {@link RandomTracksOptions}.
 *
 * @example
 * ```ts
 * randomTracksOptionsSchema.parse({}).count; // 10
 * ```
 */
export const randomTracksOptionsSchema = z.object({
  count: z.number().int().positive().max(100).default(10),
  /** Only tracks of this genre (a name or a genre id). */
  genre: z.string().optional(),
  viewerArtistId: viewerArtistIdSchema,
  /** Makes the memory store's draw reproducible (SQL stores: `setseed`, in [-1, 1]). */
  seed: z.number().min(-1).max(1).optional(),
});

/**
 * Options of `CatalogStore.randomTracks`: a uniform draw without repeats among the tracks the
 * viewer may see (public ones, and private ones it owns), optionally of one genre.
 *
 * @example
 * ```ts
 * await store.randomTracks({ count: 5, genre: 'jazz' } satisfies RandomTracksOptions);
 * ```
 */
export type RandomTracksOptions = z.input<typeof randomTracksOptionsSchema>;

/**
 * A page of tracks and how many there are in all.
 *
 * @example
 * ```ts
 * const { total, tracks }: TrackPage = await store.listTracks({ albumId: 'al1' });
 * ```
 */
export interface TrackPage {
  readonly total: number;
  readonly tracks: readonly Track[];
}
