import { z } from 'zod';

/** Audio features of a track (Extended Quota apps only since 2024-11-27). */
export const audioFeaturesSchema = z.object({
  id: z.string(),
  danceability: z.number(),
  energy: z.number(),
  valence: z.number(),
  acousticness: z.number(),
  instrumentalness: z.number(),
  liveness: z.number(),
  speechiness: z.number(),
  tempo: z.number(),
  loudness: z.number(),
  key: z.number(),
  mode: z.number(),
  time_signature: z.number(),
  duration_ms: z.number(),
  uri: z.string().optional(),
  type: z.literal('audio_features').optional(),
});
/** Audio features of a track. */
export type SpotifyAudioFeatures = z.infer<typeof audioFeaturesSchema>;
