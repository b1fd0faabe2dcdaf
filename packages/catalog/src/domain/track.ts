import { z } from 'zod';

/**
 * zod schema of a {@link Track}.
 *
 * @example
 * ```ts
 * const track = trackSchema.parse(input);
 * ```
 */
export const trackSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  albumId: z.string().nullable(),
  artistIds: z.array(z.string()).readonly(),
  /** The artist that owns (uploaded, may edit) the track; the first performer by default. */
  ownerArtistId: z.string().nullable(),
  durationMs: z.number().int().nonnegative(),
  /** International Standard Recording Code, when known. */
  isrc: z.string().nullable(),
  explicit: z.boolean(),
  visibility: z.enum(['public', 'private']),
  discNumber: z.number().int().positive(),
  trackNumber: z.number().int().nonnegative(),
  /** Unix ms when the track entered the catalog. */
  addedAt: z.number().int(),
});

/**
 * A recording.
 *
 * @example
 * ```ts
 * const playable = (t: Track) => t.visibility === 'public';
 * ```
 */
export type Track = Readonly<z.infer<typeof trackSchema>>;
