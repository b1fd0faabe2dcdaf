import { z } from 'zod';
import { externalUrlsSchema, followersSchema, imageSchema } from './common.js';

/** The current user. `country`, `email`, `product` were removed in 2026 and are optional. */
export const userSchema = z.object({
  id: z.string(),
  type: z.literal('user'),
  uri: z.string(),
  display_name: z.string().nullable().optional(),
  images: z.array(imageSchema).optional(),
  href: z.string().optional(),
  external_urls: externalUrlsSchema.optional(),
  followers: followersSchema.optional(),
  country: z.string().optional(),
  email: z.string().optional(),
  product: z.string().optional(),
});
/** A Spotify user. */
export type SpotifyUser = z.infer<typeof userSchema>;
