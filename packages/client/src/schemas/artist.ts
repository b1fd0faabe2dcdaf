import { z } from 'zod';
import { externalUrlsSchema, followersSchema, imageSchema } from './common.js';

/** A simplified artist as embedded in tracks and albums. */
export const simplifiedArtistSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.literal('artist'),
  uri: z.string(),
  href: z.string().optional(),
  external_urls: externalUrlsSchema.optional(),
});
/** A simplified artist. */
export type SpotifySimplifiedArtist = z.infer<typeof simplifiedArtistSchema>;

/**
 * A full artist. `popularity`, `followers` are absent for Development Mode apps since 2026 and
 * `genres` is often empty, so all three are optional.
 */
export const artistSchema = simplifiedArtistSchema.extend({
  images: z.array(imageSchema).optional(),
  genres: z.array(z.string()).optional(),
  popularity: z.number().optional(),
  followers: followersSchema.optional(),
});
/** A full artist. */
export type SpotifyArtist = z.infer<typeof artistSchema>;
