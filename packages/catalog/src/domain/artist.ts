import { z } from 'zod';

/**
 * zod schema of an {@link Artist}.
 *
 * @example
 * ```ts
 * const artist = artistSchema.parse(JSON.parse(body));
 * ```
 */
export const artistSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  /** Genre names (free-form, as Spotify or the artist gives them). */
  genres: z.array(z.string()).readonly(),
  /** The catalog user that owns this artist profile, when the artist is also a user. */
  ownerUserId: z.string().nullable(),
  imageUrl: z.string().nullable(),
  /** Unix ms when the artist entered the catalog. */
  addedAt: z.number().int(),
});

/**
 * A performer (band, person) in the catalog.
 *
 * @example
 * ```ts
 * const a: Artist = { id: 'a1', name: 'Björk', genres: ['art pop'], ownerUserId: null, imageUrl: null, addedAt: Date.now() };
 * ```
 */
export type Artist = Readonly<z.infer<typeof artistSchema>>;
