import { z } from 'zod';
import { defineEnrichmentProvider } from '../define-provider.js';
import { EnrichError, isEnrichError } from '../errors/enrich-error.js';
import { createGetJson } from '../internal/http.js';
import { parseOptions } from '../internal/parse-options.js';
import type { GenreProvider, GenreResult } from '../types.js';
import {
  httpOptionsSchema,
  type ProviderHttpOptions,
  providerHttpSettings,
} from './http-options.js';

const searchSchema = z.object({
  artists: z.array(
    z.object({ id: z.string(), name: z.string(), score: z.number().optional() }).loose(),
  ),
});
const lookupSchema = z.object({
  genres: z
    .array(z.object({ name: z.string().min(1), count: z.number().optional() }).loose())
    .optional(),
});

const optionsSchema = httpOptionsSchema({
  baseUrl: 'https://musicbrainz.org/ws/2',
  // 1 request per second is MusicBrainz's ceiling as measured at its end; requests that leave
  // exactly 1 s apart can arrive closer together (a new connection is slower than a reused one),
  // so keep a margin.
  minTimeMs: 1_100,
  name: 'MusicBrainz',
});

/** Lucene-escapes a name for `artist:"..."`. */
function phrase(name: string): string {
  return name.replace(/[\\"]/g, (c) => `\\${c}`);
}
const normal = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Genres from the MusicBrainz web service, keyed by artist name: a search
 * (`/artist?query=artist:"<name>"&fmt=json`) finds the artist whose name matches exactly
 * (score at least 90), then a lookup (`/artist/<mbid>?inc=genres&fmt=json`) returns its
 * curated genres, most voted first. One request per 1.1 s by default (MusicBrainz allows 1 per
 * second; over it the service answers 503, which is waited for and retried), with an identifying
 * User-Agent.
 *
 * @example
 * ```ts
 * const genres = musicBrainzProvider({ userAgent: 'my-app/1.0 ( me@example.org )' });
 * ```
 */
export function musicBrainzProvider(options: ProviderHttpOptions = {}): GenreProvider {
  const opts = parseOptions(optionsSchema, options, 'MusicBrainz options');
  const getJson = createGetJson(
    providerHttpSettings(opts, {
      maxConcurrent: 1,
      rateLimitStatuses: [503],
    }),
  );
  const bad = (what: string, cause: unknown) =>
    new EnrichError({
      code: 'BAD_RESPONSE',
      message: `${opts.name}: unexpected ${what} answer`,
      provider: opts.name,
      cause,
    });
  return defineEnrichmentProvider({
    kind: 'genres',
    name: opts.name,
    confidence: 0.8,
    batchSize: 1,
    async fetch(artists, { signal }) {
      const out = new Map<string, GenreResult>();
      for (const artist of artists) {
        const query = encodeURIComponent(`artist:"${phrase(artist.name)}"`);
        // A 400 means this one query is unusable (not that the service is down): no answer.
        const found = await getJson(
          `${opts.baseUrl}/artist?query=${query}&limit=5&fmt=json`,
          signal,
        ).catch((error: unknown) => {
          if (isEnrichError(error) && error.code === 'REFUSED' && error.status === 400) return null;
          throw error;
        });
        if (found === null) continue;
        const search = searchSchema.safeParse(found);
        if (!search.success) throw bad('search', search.error);
        const match = search.data.artists.find(
          (a) => (a.score ?? 100) >= 90 && normal(a.name) === normal(artist.name),
        );
        if (match === undefined) continue;
        const looked = await getJson(
          `${opts.baseUrl}/artist/${encodeURIComponent(match.id)}?inc=genres&fmt=json`,
          signal,
        );
        if (looked === null) continue;
        const lookup = lookupSchema.safeParse(looked);
        if (!lookup.success) throw bad('lookup', lookup.error);
        const genres = [...(lookup.data.genres ?? [])]
          .sort((a, b) => (b.count ?? 0) - (a.count ?? 0))
          .map((g) => g.name.toLowerCase());
        if (genres.length > 0) out.set(artist.name, { genres });
      }
      return out;
    },
  }) as GenreProvider;
}
