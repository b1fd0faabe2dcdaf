import { z } from 'zod';

/**
 * zod schema of a {@link User}.
 *
 * @example
 * ```ts
 * const user = userSchema.parse(input);
 * ```
 */
export const userSchema = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  role: z.enum(['listener', 'artist']),
  /** For role `artist`: the artist profile the user manages. */
  artistId: z.string().nullable(),
  country: z.string().nullable(),
  imageUrl: z.string().nullable(),
  preferences: z.object({
    audioQuality: z.enum(['low', 'normal', 'high', 'very-high']),
    offlineMode: z.boolean(),
    explicitContent: z.boolean(),
  }),
  /** Unix ms. */
  createdAt: z.number().int(),
});

/**
 * A person using the service: a listener, or an artist managing their catalog.
 *
 * @example
 * ```ts
 * const isArtist = (u: User) => u.role === 'artist' && u.artistId !== null;
 * ```
 */
export type User = Readonly<z.infer<typeof userSchema>>;
