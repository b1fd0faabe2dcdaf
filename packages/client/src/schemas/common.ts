import { z } from 'zod';

/** An image (cover art, avatar). Sizes may be null. */
export const imageSchema = z.object({
  url: z.string(),
  height: z.number().nullable().optional(),
  width: z.number().nullable().optional(),
});
/** An image (cover art, avatar). */
export type SpotifyImage = z.infer<typeof imageSchema>;

/** `external_urls` of an object. */
export const externalUrlsSchema = z.object({ spotify: z.string().optional() });

/** `external_ids` (restored in March 2026, absent on some objects). */
export const externalIdsSchema = z.object({
  isrc: z.string().optional(),
  ean: z.string().optional(),
  upc: z.string().optional(),
});

/** `followers` (removed from artists in Development Mode in 2026). */
export const followersSchema = z.object({
  href: z.string().nullable().optional(),
  total: z.number(),
});
