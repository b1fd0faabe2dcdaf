import { z } from 'zod';
import { simplifiedAlbumSchema } from './album.js';
import { simplifiedArtistSchema } from './artist.js';
import { externalIdsSchema, externalUrlsSchema } from './common.js';

/** A simplified track as listed in an album. `preview_url`, `linked_from` may be absent. */
export const simplifiedTrackSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.literal('track'),
  uri: z.string(),
  duration_ms: z.number(),
  explicit: z.boolean(),
  artists: z.array(simplifiedArtistSchema),
  track_number: z.number().optional(),
  disc_number: z.number().optional(),
  is_local: z.boolean().optional(),
  href: z.string().optional(),
  external_urls: externalUrlsSchema.optional(),
  preview_url: z.string().nullable().optional(),
  available_markets: z.array(z.string()).optional(),
});
/** A simplified track. */
export type SpotifySimplifiedTrack = z.infer<typeof simplifiedTrackSchema>;

/** A full track. `popularity`, `available_markets`, `linked_from` are gone in 2026 Development Mode. */
export const trackSchema = simplifiedTrackSchema.extend({
  album: simplifiedAlbumSchema,
  popularity: z.number().optional(),
  external_ids: externalIdsSchema.optional(),
});
/** A full track. */
export type SpotifyTrack = z.infer<typeof trackSchema>;
