import { z } from 'zod';

/** zod schema of a {@link Like}. */
export const likeSchema = z.object({
  userId: z.string(),
  trackId: z.string(),
  /** Unix ms. */
  likedAt: z.number().int(),
});
/** A listener liked (saved) a track. */
export type Like = Readonly<z.infer<typeof likeSchema>>;

/** zod schema of a {@link Favourite}. */
export const favouriteSchema = z.object({
  userId: z.string(),
  kind: z.enum(['track', 'album']),
  targetId: z.string(),
  /** Unix ms. */
  addedAt: z.number().int(),
});
/** A favourite track or album (starred), separate from likes. */
export type Favourite = Readonly<z.infer<typeof favouriteSchema>>;

/** zod schema of a {@link Follow}. */
export const followSchema = z.object({
  userId: z.string(),
  artistId: z.string(),
  /** Unix ms. */
  followedAt: z.number().int(),
});
/** A user follows an artist. */
export type Follow = Readonly<z.infer<typeof followSchema>>;

/** Per-user counters and flags of one track, derived from the play log and the likes. */
export interface TrackAnnotation {
  readonly userId: string;
  readonly trackId: string;
  readonly playCount: number;
  /** Unix ms of the latest play, or null. */
  readonly lastPlayedAt: number | null;
  readonly liked: boolean;
  readonly favourite: boolean;
}
