import { z } from 'zod';

/**
 * zod schema of a {@link PlaylistItem}.
 *
 * @example
 * ```ts
 * playlistItemSchema.parse({ trackId: 't1', addedAt: Date.now(), addedBy: null });
 * ```
 */
export const playlistItemSchema = z.object({
  trackId: z.string(),
  /** Unix ms when the item was added. */
  addedAt: z.number().int(),
  addedBy: z.string().nullable(),
});
/**
 * One entry of a playlist.
 *
 * @example
 * ```ts
 * const item: PlaylistItem = { trackId: 't1', addedAt: Date.now(), addedBy: 'u1' };
 * ```
 */
export type PlaylistItem = Readonly<z.infer<typeof playlistItemSchema>>;

/**
 * zod schema of a {@link Playlist}.
 *
 * @example
 * ```ts
 * const playlist = playlistSchema.parse(input);
 * ```
 */
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
/**
 * An ordered list of tracks.
 *
 * @example
 * ```ts
 * const trackIds = (p: Playlist) => p.items.map((i) => i.trackId);
 * ```
 */
export type Playlist = Readonly<z.infer<typeof playlistSchema>>;
