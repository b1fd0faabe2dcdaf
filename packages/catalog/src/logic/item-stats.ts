import { z } from 'zod';
import { viewerArtistIdSchema } from './visibility.js';

/**
 * zod schema of {@link ItemStatsOptions}.
 *
 * @example
 * ```ts
 * itemStatsOptionsSchema.parse({ kind: 'album', id: 'al1' }).top; // 10
 * ```
 */
export const itemStatsOptionsSchema = z.object({
  /** `artist`: the tracks it is the primary (first) artist of; `album`: the album's tracks. */
  kind: z.enum(['artist', 'album']),
  id: z.string().min(1),
  viewerArtistId: viewerArtistIdSchema,
  /** How many of the most played tracks to list (0: none). */
  top: z.number().int().min(0).max(100).default(10),
});

/**
 * Options of `CatalogStore.itemStats`: the totals of an artist or an album over the tracks a
 * viewer may see (public ones, and the private ones its artist profile owns).
 *
 * @example
 * ```ts
 * await store.itemStats({ kind: 'artist', id: 'a1', viewerArtistId: null, top: 5 } satisfies ItemStatsOptions);
 * ```
 */
export type ItemStatsOptions = z.input<typeof itemStatsOptionsSchema>;

/**
 * One track of {@link ItemStats.topTracks}.
 *
 * @example
 * ```ts
 * const line = (t: ItemTrackStats) => `${t.trackId}: ${t.plays} plays, ${t.likes} likes`;
 * ```
 */
export interface ItemTrackStats {
  readonly trackId: string;
  readonly plays: number;
  readonly likes: number;
}

/**
 * Totals of an artist or an album, counted only over the tracks the viewer may see: a private
 * track's plays, likes and listeners count for its owner alone, so nobody else can infer it.
 *
 * @example
 * ```ts
 * const { plays, listeners, topTracks }: ItemStats = await store.itemStats({ kind: 'album', id: 'al1' });
 * ```
 */
export interface ItemStats {
  /** Tracks counted (those the viewer may see). */
  readonly tracks: number;
  /** Plays of those tracks (plays without a known track are not counted). */
  readonly plays: number;
  /** Likes of those tracks. */
  readonly likes: number;
  /** Distinct listeners who played at least one of them. */
  readonly listeners: number;
  /** The most played of them, plays descending, then likes descending, then id. */
  readonly topTracks: readonly ItemTrackStats[];
}

/**
 * The order of {@link ItemStats.topTracks}: plays descending, then likes descending, then id by
 * code unit (as SQL's `collate "C"`).
 *
 * @example
 * ```ts
 * rows.sort(compareTrackStats);
 * ```
 */
export function compareTrackStats(a: ItemTrackStats, b: ItemTrackStats): number {
  if (a.plays !== b.plays) return b.plays - a.plays;
  if (a.likes !== b.likes) return b.likes - a.likes;
  return a.trackId < b.trackId ? -1 : a.trackId > b.trackId ? 1 : 0;
}
