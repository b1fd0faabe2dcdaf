import { z } from 'zod';

/**
 * zod schema of a {@link Like}.
 *
 * @example
 * ```ts
 * likeSchema.parse({ userId: 'u1', trackId: 't1', likedAt: Date.now() });
 * ```
 */
export const likeSchema = z.object({
  userId: z.string(),
  trackId: z.string(),
  /** Unix ms. */
  likedAt: z.number().int(),
});
/**
 * A listener liked (saved) a track.
 *
 * @example
 * ```ts
 * await store.like({ userId: 'u1', trackId: 't1', likedAt: Date.now() } satisfies Like);
 * ```
 */
export type Like = Readonly<z.infer<typeof likeSchema>>;

/**
 * zod schema of a {@link Favourite}.
 *
 * @example
 * ```ts
 * favouriteSchema.parse({ userId: 'u1', kind: 'album', targetId: 'al1', addedAt: Date.now() });
 * ```
 */
export const favouriteSchema = z.object({
  userId: z.string(),
  kind: z.enum(['track', 'album']),
  targetId: z.string(),
  /** Unix ms. */
  addedAt: z.number().int(),
});
/**
 * A favourite track or album (starred), separate from likes.
 *
 * @example
 * ```ts
 * await store.addFavourite({ userId: 'u1', kind: 'track', targetId: 't1', addedAt: Date.now() } satisfies Favourite);
 * ```
 */
export type Favourite = Readonly<z.infer<typeof favouriteSchema>>;

/**
 * zod schema of a {@link Follow}.
 *
 * @example
 * ```ts
 * followSchema.parse({ userId: 'u1', artistId: 'a1', followedAt: Date.now() });
 * ```
 */
export const followSchema = z.object({
  userId: z.string(),
  artistId: z.string(),
  /** Unix ms. */
  followedAt: z.number().int(),
});
/**
 * A user follows an artist.
 *
 * @example
 * ```ts
 * await store.follow({ userId: 'u1', artistId: 'a1', followedAt: Date.now() } satisfies Follow);
 * ```
 */
export type Follow = Readonly<z.infer<typeof followSchema>>;

/**
 * Per-user counters and flags of one track, derived from the play log and the likes.
 *
 * @example
 * ```ts
 * const { playCount, liked } = await store.getAnnotation('u1', 't1');
 * ```
 */
export interface TrackAnnotation {
  readonly userId: string;
  readonly trackId: string;
  readonly playCount: number;
  /** Unix ms of the latest play, or null. */
  readonly lastPlayedAt: number | null;
  readonly liked: boolean;
  readonly favourite: boolean;
}
