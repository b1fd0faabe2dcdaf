import { z } from 'zod';
import { albumSchema } from './album.js';
import { trackSchema } from './track.js';

/** One play from `/me/player/recently-played`; `played_at` is when the play ended (ISO). */
export const playHistorySchema = z.object({
  track: trackSchema,
  played_at: z.string(),
  context: z
    .object({ type: z.string(), uri: z.string(), href: z.string().optional() })
    .nullable()
    .optional(),
});
/** One recently played item. */
export type SpotifyPlayHistory = z.infer<typeof playHistorySchema>;

/** A saved track with the time it was saved. */
export const savedTrackSchema = z.object({ added_at: z.string(), track: trackSchema });
/** A saved track. */
export type SpotifySavedTrack = z.infer<typeof savedTrackSchema>;

/** A saved album with the time it was saved. */
export const savedAlbumSchema = z.object({ added_at: z.string(), album: albumSchema });
/** A saved album. */
export type SpotifySavedAlbum = z.infer<typeof savedAlbumSchema>;
