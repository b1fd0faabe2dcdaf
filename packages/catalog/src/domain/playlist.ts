import { z } from 'zod';

/** zod schema of a {@link PlaylistItem}. */
export const playlistItemSchema = z.object({
  trackId: z.string(),
  /** Unix ms when the item was added. */
  addedAt: z.number().int(),
  addedBy: z.string().nullable(),
});
/** One entry of a playlist. */
export type PlaylistItem = Readonly<z.infer<typeof playlistItemSchema>>;

/** zod schema of a {@link Playlist}. */
export const playlistSchema = z.object({
  id: z.string().min(1),
  ownerUserId: z.string(),
  name: z.string(),
  description: z.string(),
  public: z.boolean(),
  collaborative: z.boolean(),
  /** Spotify's snapshot id, when mirrored from Spotify. */
  snapshotId: z.string().nullable(),
  items: z.array(playlistItemSchema).readonly(),
  /** Unix ms. */
  updatedAt: z.number().int(),
});
/** An ordered list of tracks. */
export type Playlist = Readonly<z.infer<typeof playlistSchema>>;
