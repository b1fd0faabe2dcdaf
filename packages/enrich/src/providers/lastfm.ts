import { genreFamilyOf } from '@spoti/analytics';
import { z } from 'zod';
import { defineEnrichmentProvider } from '../define-provider.js';
import { EnrichError, type EnrichErrorCode } from '../errors/enrich-error.js';
import { createGetJson } from '../internal/http.js';
import { parseOptions } from '../internal/parse-options.js';
import type { GenreProvider, GenreResult } from '../types.js';
import {
  httpOptionsSchema,
  type ProviderHttpOptions,
  providerHttpSettings,
} from './http-options.js';

/** Options of {@link lastFmProvider}: the HTTP options and the API key. */
export interface LastFmOptions extends ProviderHttpOptions {
  /** Your Last.fm API key (never logged; redacted from error messages). */
  readonly apiKey: string;
  /** Tags with a lower count (Last.fm's 0..100 relative weight) are ignored (default 10). */
  readonly minCount?: number;
  /** At most this many genres per artist (default 5). */
  readonly maxGenres?: number;
}

const optionsSchema = httpOptionsSchema({
  baseUrl: 'https://ws.audioscrobbler.com/2.0',
  minTimeMs: 250,
  name: 'Last.fm',
}).extend({
  apiKey: z.string().trim().min(1).max(100),
  minCount: z.number().min(0).max(100).default(10),
  maxGenres: z.number().int().min(1).max(20).default(5),
});

const answerSchema = z.union([
  z.object({ error: z.number(), message: z.string().optional() }),
  z.object({
    toptags: z.object({
      tag: z
        .union([
          z.array(z.object({ name: z.string(), count: z.coerce.number() }).loose()),
          z.object({ name: z.string(), count: z.coerce.number() }).loose(),
        ])
        .optional(),
    }),
  }),
]);

/** Last.fm error codes and what they mean for the enricher. */
function codeOf(error: number): EnrichErrorCode | 'UNKNOWN_ARTIST' {
  if (error === 6) return 'UNKNOWN_ARTIST';
  if (error === 29) return 'RATE_LIMITED';
  if (error === 11 || error === 16) return 'UNAVAILABLE';
  return 'REFUSED';
}

/**
 * Genres from Last.fm's artist top tags (`artist.getTopTags`, API key required), keyed by artist
 * name: tags weighted at least `minCount` that name a genre `@spoti/analytics` knows (so "seen
 * live" or "favorites" are dropped), at most `maxGenres`, heaviest first. Last.fm's error bodies
 * are read whatever the HTTP status: 6 (unknown artist) is "not known", 29 a rate limit, 10 and
 * 26 (invalid or suspended key) a refusal.
 *
 * @example
 * ```ts
 * const tags = lastFmProvider({ apiKey: process.env.LASTFM_API_KEY ?? '' });
 * ```
 */
export function lastFmProvider(options: LastFmOptions): GenreProvider {
  const opts = parseOptions(optionsSchema, options, 'Last.fm options');
  const getJson = createGetJson(
    providerHttpSettings(opts, {
      maxConcurrent: 1,
      bodyOnStatuses: [400, 403, 404],
      secrets: [opts.apiKey, encodeURIComponent(opts.apiKey)],
    }),
  );
  return defineEnrichmentProvider({
    kind: 'genres',
    name: opts.name,
    confidence: 0.6,
    batchSize: 1,
    async fetch(artists, { signal }) {
      const out = new Map<string, GenreResult>();
      for (const artist of artists) {
        const url = `${opts.baseUrl}/?method=artist.gettoptags&artist=${encodeURIComponent(artist.name)}&autocorrect=1&api_key=${encodeURIComponent(opts.apiKey)}&format=json`;
        const body = await getJson(url, signal);
        if (body === null) continue;
        const answer = answerSchema.safeParse(body);
        if (!answer.success)
          throw new EnrichError({
            code: 'BAD_RESPONSE',
            message: `${opts.name}: unexpected top-tags answer`,
            provider: opts.name,
            cause: answer.error,
          });
        if ('error' in answer.data) {
          const code = codeOf(answer.data.error);
          if (code === 'UNKNOWN_ARTIST') continue;
          throw new EnrichError({
            code,
            message: `${opts.name}: error ${answer.data.error}${answer.data.message === undefined ? '' : ` (${answer.data.message.slice(0, 200)})`}`,
            provider: opts.name,
            ...(code === 'RATE_LIMITED' ? { retryAfterMs: 1_000 } : {}),
          });
        }
        const raw = answer.data.toptags.tag;
        const tags = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
        const genres = tags
          .filter((t) => t.count >= opts.minCount && genreFamilyOf(t.name) !== null)
          .sort((a, b) => b.count - a.count)
          .slice(0, opts.maxGenres)
          .map((t) => t.name.toLowerCase());
        if (genres.length > 0) out.set(artist.name, { genres });
      }
      return out;
    },
  }) as GenreProvider;
}
