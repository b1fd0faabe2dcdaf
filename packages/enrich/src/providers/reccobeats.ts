import { z } from 'zod';
import { defineEnrichmentProvider } from '../define-provider.js';
import { EnrichError } from '../errors/enrich-error.js';
import { createGetJson } from '../internal/http.js';
import { parseOptions } from '../internal/parse-options.js';
import type { FeatureProvider, FeatureResult } from '../types.js';
import {
  httpOptionsSchema,
  type ProviderHttpOptions,
  providerHttpSettings,
} from './http-options.js';

/**
 * Spotify ids per ReccoBeats request (see docs/enrichment.md).
 *
 * @example
 * ```ts
 * const calls = Math.ceil(trackIds.length / RECCOBEATS_BATCH_SIZE);
 * ```
 */
export const RECCOBEATS_BATCH_SIZE = 40;

const unit = z.number().min(0).max(1);
const itemSchema = z.object({
  href: z.string(),
  acousticness: unit,
  danceability: unit,
  energy: unit,
  instrumentalness: unit,
  valence: unit,
  loudness: z.number().min(-100).max(10).optional(),
  tempo: z.number().min(0).max(400).optional(),
});
const answerSchema = z.object({ content: z.array(z.unknown()) });
const SPOTIFY_TRACK = /\/track\/([0-9A-Za-z]{22})(?:[/?#]|$)/;

const optionsSchema = httpOptionsSchema({
  baseUrl: 'https://api.reccobeats.com/v1',
  minTimeMs: 250,
  name: 'ReccoBeats',
});

/**
 * Audio features from ReccoBeats, keyed by Spotify track id: `GET /audio-features?ids=...`
 * with up to {@link RECCOBEATS_BATCH_SIZE} ids, matched back by the Spotify href of each item.
 * Tracks it does not know are left out of the answer. Items outside Spotify's ranges are
 * dropped rather than trusted.
 *
 * @example
 * ```ts
 * const features = reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl });
 * const enricher = createEnricher({ providers: [features] });
 * ```
 */
export function reccoBeatsProvider(options: ProviderHttpOptions = {}): FeatureProvider {
  const opts = parseOptions(optionsSchema, options, 'ReccoBeats options');
  const getJson = createGetJson(
    providerHttpSettings(opts, {
      maxConcurrent: 2,
    }),
  );
  return defineEnrichmentProvider({
    kind: 'features',
    name: opts.name,
    confidence: 0.9,
    batchSize: RECCOBEATS_BATCH_SIZE,
    async fetch(tracks, { signal }) {
      const ids = tracks.map((t) => t.id);
      const url = `${opts.baseUrl}/audio-features?ids=${ids.map(encodeURIComponent).join(',')}`;
      const body = await getJson(url, signal);
      const out = new Map<string, FeatureResult>();
      if (body === null) return out;
      const answer = answerSchema.safeParse(body);
      if (!answer.success)
        throw new EnrichError({
          code: 'BAD_RESPONSE',
          message: `${opts.name}: the answer has no content list`,
          provider: opts.name,
          cause: answer.error,
        });
      const asked = new Set(ids);
      for (const raw of answer.data.content) {
        const item = itemSchema.safeParse(raw);
        if (!item.success) continue;
        const id = SPOTIFY_TRACK.exec(item.data.href)?.[1];
        if (id === undefined || !asked.has(id)) continue;
        const { loudness, tempo, acousticness, danceability, energy, instrumentalness, valence } =
          item.data;
        out.set(id, {
          acousticness,
          danceability,
          energy,
          instrumentalness,
          valence,
          ...(loudness === undefined ? {} : { loudness }),
          ...(tempo === undefined ? {} : { tempo }),
        });
      }
      return out;
    },
  }) as FeatureProvider;
}
