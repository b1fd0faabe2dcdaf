import { z } from 'zod';
import { defineEnrichmentProvider } from '../define-provider.js';
import { EnrichError } from '../errors/enrich-error.js';
import { createGetJson } from '../internal/http.js';
import { parseOptions } from '../internal/parse-options.js';
import type { GenreProvider, GenreResult } from '../types.js';
import {
  httpOptionsSchema,
  type ProviderHttpOptions,
  providerHttpSettings,
} from './http-options.js';

const optionsSchema = httpOptionsSchema({
  baseUrl: 'https://api.deezer.com',
  // 50 requests per 5 s, with a margin.
  minTimeMs: 110,
  name: 'Deezer',
});

const errorSchema = z.object({
  error: z.object({
    code: z.number(),
    message: z.string().optional(),
    type: z.string().optional(),
  }),
});
const albumsSchema = z.object({
  data: z.array(
    z
      .object({
        genre_id: z.number().optional(),
        artist: z.object({ name: z.string() }).loose().optional(),
      })
      .loose(),
  ),
});
const genreSchema = z.object({ id: z.number(), name: z.string().min(1) }).loose();
const normal = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');
/** Deezer's "no data" error. */
const NO_DATA = 800;

/**
 * Genres from Deezer's public API (no key), keyed by artist name: one album search
 * (`/search/album?q=artist:"<name>"`) gives the `genre_id` of the artist's albums; the most
 * frequent ones are named through `/genre/{id}` (asked once per genre per provider). Deezer's
 * genres are broad ("Rock", "Rap/Hip Hop", "Electro"). Its errors come in the body, often with
 * HTTP 200: 800 (no data) is no answer, 4 (quota) and 700 (busy) are waited for (5 s) and retried.
 *
 * @example
 * ```ts
 * const genres = deezerProvider();
 * ```
 */
export function deezerProvider(options: ProviderHttpOptions = {}): GenreProvider {
  const opts = parseOptions(optionsSchema, options, 'Deezer options');
  const getJson = createGetJson(
    providerHttpSettings(opts, {
      maxConcurrent: 2,
      bodyError: (body) => {
        const parsed = errorSchema.safeParse(body);
        if (!parsed.success || parsed.data.error.code === NO_DATA) return undefined;
        const { code, message } = parsed.data.error;
        const limited = code === 4 || code === 700;
        return new EnrichError({
          code: limited ? 'RATE_LIMITED' : 'REFUSED',
          message: `${opts.name}: error ${code}${message === undefined ? '' : ` (${message.slice(0, 200)})`}`,
          provider: opts.name,
          ...(limited ? { retryAfterMs: 5_000 } : {}),
        });
      },
    }),
  );
  const genreNames = new Map<number, string | null>();
  const bad = (cause: unknown) =>
    new EnrichError({
      code: 'BAD_RESPONSE',
      message: `${opts.name}: unexpected answer`,
      provider: opts.name,
      cause,
    });

  async function genreName(id: number, signal: AbortSignal | undefined): Promise<string | null> {
    const known = genreNames.get(id);
    if (known !== undefined) return known;
    const body = await getJson(`${opts.baseUrl}/genre/${id}`, signal);
    const genre = genreSchema.safeParse(body);
    const name = genre.success ? genre.data.name : null;
    genreNames.set(id, name);
    return name;
  }

  return defineEnrichmentProvider({
    kind: 'genres',
    name: opts.name,
    confidence: 0.5,
    batchSize: 1,
    async fetch(artists, { signal }) {
      const out = new Map<string, GenreResult>();
      for (const artist of artists) {
        const q = encodeURIComponent(`artist:"${artist.name.replace(/"/g, '')}"`);
        const body = await getJson(`${opts.baseUrl}/search/album?q=${q}&limit=25`, signal);
        if (body === null || errorSchema.safeParse(body).success) continue;
        const albums = albumsSchema.safeParse(body);
        if (!albums.success) throw bad(albums.error);
        const counts = new Map<number, number>();
        for (const album of albums.data.data) {
          if (album.genre_id === undefined || album.genre_id <= 0) continue;
          if (album.artist !== undefined && normal(album.artist.name) !== normal(artist.name))
            continue;
          counts.set(album.genre_id, (counts.get(album.genre_id) ?? 0) + 1);
        }
        const top = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 2);
        const genres: string[] = [];
        for (const [id] of top) {
          const name = await genreName(id, signal);
          if (name !== null) genres.push(name.toLowerCase());
        }
        if (genres.length > 0) out.set(artist.name, { genres });
      }
      return out;
    },
  }) as GenreProvider;
}
