import { z } from 'zod';
import type { ClientCore } from '../internal/client-core.js';
import { args } from '../internal/args.js';
import { chunk } from '../internal/chunk.js';
import { audioFeaturesSchema, type SpotifyAudioFeatures } from '../schemas/audio-features.js';
import { type SpotifyTrack, trackSchema } from '../schemas/track.js';
import { batchGet, batchLimits } from './batch.js';
import { type CallOptions, enc } from './params.js';

/** Result of {@link SpotifyClient.getAudioFeatures}: features, or why there are none. */
export type AudioFeaturesResult =
  | { available: true; features: Array<SpotifyAudioFeatures | null> }
  | { available: false; reason: 'development_mode' | 'endpoint_unavailable' };

export async function getTrack(
  core: ClientCore,
  trackId: string,
  options: CallOptions & { market?: string | undefined },
): Promise<SpotifyTrack> {
  args.params(options);
  return core.request({
    method: 'GET',
    endpoint: 'GET /tracks/{id}',
    path: `/tracks/${enc(args.pathId(trackId, 'trackId'))}`,
    query: { market: options.market },
    schema: trackSchema,
    signal: options.signal,
  });
}

export async function getTracks(
  core: ClientCore,
  ids: readonly string[],
  options: CallOptions,
): Promise<Array<SpotifyTrack | null>> {
  return batchGet(core, 'batch-tracks', ids, options, {
    batchPath: '/tracks',
    key: 'tracks',
    item: trackSchema,
    single: (id) => getTrack(core, id, options),
  });
}

export async function getAudioFeatures(
  core: ClientCore,
  ids: readonly string[],
  options: CallOptions,
): Promise<AudioFeaturesResult> {
  args.ids(ids);
  args.params(options);
  if (core.options.mode === 'development') return { available: false, reason: 'development_mode' };
  // Spotify also withholds audio features from some Extended Quota apps: a 403 here says
  // nothing about the app's mode, and is an answer (not an error) in every mode.
  const result = await core.withCapability(
    'audio-features',
    ids.length > 0,
    () => audioFeatureRequests(core, ids, options),
    { refusalProvesMode: false, fallBackInEveryMode: true },
  );
  return result.done
    ? { available: true, features: result.value }
    : { available: false, reason: 'endpoint_unavailable' };
}

async function audioFeatureRequests(
  core: ClientCore,
  ids: readonly string[],
  options: CallOptions,
): Promise<Array<SpotifyAudioFeatures | null>> {
  const features: Array<SpotifyAudioFeatures | null> = [];
  for (const part of chunk(ids, batchLimits['audio-features'])) {
    const body = await core.request({
      method: 'GET',
      endpoint: 'GET /audio-features',
      path: '/audio-features',
      query: { ids: part.join(',') },
      schema: z.object({ audio_features: z.array(audioFeaturesSchema.nullable()) }),
      modeGated: true,
      signal: options.signal,
    });
    features.push(...body.audio_features);
  }
  return features;
}
