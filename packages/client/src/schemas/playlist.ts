import { z } from 'zod';
import { externalUrlsSchema, imageSchema } from './common.js';
import { trackSchema } from './track.js';

const ownerSchema = z.object({
  id: z.string(),
  display_name: z.string().nullable().optional(),
  uri: z.string().optional(),
  type: z.string().optional(),
});

/** A playlist as listed in `/me/playlists`. */
export const simplifiedPlaylistSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.literal('playlist'),
  uri: z.string(),
  snapshot_id: z.string(),
  owner: ownerSchema,
  description: z.string().nullable().optional(),
  public: z.boolean().nullable().optional(),
  collaborative: z.boolean().optional(),
  images: z.array(imageSchema).nullable().optional(),
  href: z.string().optional(),
  external_urls: externalUrlsSchema.optional(),
  tracks: z.object({ total: z.number(), href: z.string().optional() }).optional(),
  items: z.object({ total: z.number(), href: z.string().optional() }).optional(),
});
/** A simplified playlist. */
export type SpotifySimplifiedPlaylist = z.infer<typeof simplifiedPlaylistSchema>;

/** One playlist entry. The 2026 API names the object `item`; older responses say `track`. */
export const playlistTrackSchema = z.object({
  added_at: z.string().nullable().optional(),
  is_local: z.boolean().optional(),
  item: trackSchema.nullable().optional(),
  track: trackSchema.nullable().optional(),
});
/** One playlist entry. */
export type SpotifyPlaylistTrack = z.infer<typeof playlistTrackSchema>;

/** A full playlist (its embedded first page is not validated; use `getPlaylistItems`). */
export const playlistSchema = simplifiedPlaylistSchema.extend({
  followers: z.object({ total: z.number() }).optional(),
});
/** A full playlist. */
export type SpotifyPlaylist = z.infer<typeof playlistSchema>;

/** The answer of playlist writes. */
export const snapshotSchema = z.object({ snapshot_id: z.string() });
