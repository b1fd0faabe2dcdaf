import { z } from 'zod';
import { simplifiedArtistSchema } from './artist.js';
import { externalIdsSchema, externalUrlsSchema, imageSchema } from './common.js';

/** `release_date_precision`: how much of `release_date` is meaningful. */
export const releaseDatePrecisionSchema = z.enum(['year', 'month', 'day']);

/**
 * A simplified album. `album_group`, `available_markets` were removed in 2026 and are optional.
 */
export const simplifiedAlbumSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.literal('album'),
  uri: z.string(),
  album_type: z.string(),
  total_tracks: z.number(),
  release_date: z.string(),
  release_date_precision: releaseDatePrecisionSchema,
  artists: z.array(simplifiedArtistSchema),
  images: z.array(imageSchema).optional(),
  href: z.string().optional(),
  external_urls: externalUrlsSchema.optional(),
  album_group: z.string().optional(),
  available_markets: z.array(z.string()).optional(),
});
/** A simplified album. */
export type SpotifySimplifiedAlbum = z.infer<typeof simplifiedAlbumSchema>;

/** A full album (its first page of tracks is not validated here; use `getAlbumTracks`). */
export const albumSchema = simplifiedAlbumSchema.extend({
  label: z.string().optional(),
  popularity: z.number().optional(),
  genres: z.array(z.string()).optional(),
  external_ids: externalIdsSchema.optional(),
});
/** A full album. */
export type SpotifyAlbum = z.infer<typeof albumSchema>;
