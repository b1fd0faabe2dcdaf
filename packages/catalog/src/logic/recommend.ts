import { z } from 'zod';
import { parseOptions } from '../internal/parse-options.js';

/**
 * A candidate or history track as recommendations see it.
 *
 * @example
 * ```ts
 * const c: RecommendationTrack = { id: 't1', name: 'Halo', artistIds: ['a1'], genres: ['pop'], explicit: false, plays: 42 };
 * ```
 */
export interface RecommendationTrack {
  readonly id: string;
  readonly name: string;
  /** Primary artist first. */
  readonly artistIds: readonly string[];
  /** Genre ids of the track's artists and album. */
  readonly genres: readonly string[];
  readonly explicit: boolean;
  /** Plays by everyone (popularity signal). */
  readonly plays: number;
}

/**
 * Why an item was recommended.
 *
 * @example
 * ```ts
 * recs[0]?.reasons[0]; // { type: 'artist', ref: 'a1', text: 'Because you listen to Beyoncé' }
 * ```
 */
export interface RecommendationReason {
  readonly type: 'artist' | 'genre' | 'popular';
  /** The artist id or genre id behind the reason (null for `popular`). */
  readonly ref: string | null;
  /** Human-readable explanation. */
  readonly text: string;
}

/**
 * One recommended track with its score and reasons (strongest first).
 *
 * @example
 * ```ts
 * for (const r of await store.recommend({ userId: 'u1' })) console.log(r.trackId, r.reasons[0]?.text);
 * ```
 */
export interface Recommendation {
  readonly trackId: string;
  readonly score: number;
  readonly reasons: readonly RecommendationReason[];
}

/**
 * Inputs of {@link recommend}.
 *
 * @example
 * ```ts
 * recommend({ history: [], likedTrackIds: [], favouriteGenres: ['jazz'], candidates } satisfies RecommendInput);
 * ```
 */
export interface RecommendInput {
  /** Tracks the listener has played, with their play counts. */
  readonly history: readonly { readonly track: RecommendationTrack; readonly count: number }[];
  /** Track ids the listener liked (count as heard, and as strong artist signal). */
  readonly likedTrackIds: readonly string[];
  /** Genres the listener marked as favourites. */
  readonly favouriteGenres: readonly string[];
  /** Tracks that may be recommended. */
  readonly candidates: readonly RecommendationTrack[];
  /** Artist display names for reasons (optional). */
  readonly artistNames?: ReadonlyMap<string, string>;
}

/**
 * zod schema of {@link RecommendOptions}.
 *
 * @example
 * ```ts
 * recommendOptionsSchema.parse({}).maxPerArtist; // 2
 * ```
 */
export const recommendOptionsSchema = z.object({
  limit: z.number().int().positive().max(500).default(20),
  /** At most this many tracks per primary artist (diversity). */
  maxPerArtist: z.number().int().positive().default(2),
  allowExplicit: z.boolean().default(true),
});
/**
 * Tuning of {@link recommend}.
 *
 * @example
 * ```ts
 * const options: RecommendOptions = { limit: 10, maxPerArtist: 1, allowExplicit: false };
 * ```
 */
export type RecommendOptions = z.input<typeof recommendOptionsSchema>;

function normalise(map: Map<string, number>): Map<string, number> {
  let max = 0;
  for (const v of map.values()) max = Math.max(max, v);
  if (max > 0) for (const [k, v] of map) map.set(k, v / max);
  return map;
}

/**
 * Computes the listener's artist and genre affinities (each in 0..1).
 * Artist affinity: `Σ ln(1 + plays)` over the artist's tracks `+ 2` per liked track, divided by
 * the maximum. Genre affinity: the artist affinities summed over each artist's genres, `+ 1` per
 * favourite genre, divided by the maximum.
 *
 * @example
 * ```ts
 * const { artists, genres } = listenerAffinities(input); // artists.get('a1') === 1 for the favourite
 * ```
 */
export function listenerAffinities(input: RecommendInput): {
  artists: Map<string, number>;
  genres: Map<string, number>;
} {
  const liked = new Set(input.likedTrackIds);
  const artists = new Map<string, number>();
  const genresOfArtist = new Map<string, readonly string[]>();
  for (const { track, count } of input.history) {
    const w = Math.log1p(count) + (liked.has(track.id) ? 2 : 0);
    for (const a of track.artistIds) {
      artists.set(a, (artists.get(a) ?? 0) + w);
      if (!genresOfArtist.has(a)) genresOfArtist.set(a, track.genres);
    }
  }
  normalise(artists);
  const genres = new Map<string, number>();
  for (const [a, w] of artists) {
    for (const g of genresOfArtist.get(a) ?? []) genres.set(g, (genres.get(g) ?? 0) + w);
  }
  for (const g of input.favouriteGenres) genres.set(g, (genres.get(g) ?? 0) + 1);
  normalise(genres);
  return { artists, genres };
}

/**
 * Recommends tracks the listener has not heard yet.
 *
 * `score = 0.6 · artistAffinity + 0.3 · genreAffinity + 0.1 · popularity`, where artist and
 * genre affinity take the best of the track's artists/genres (see {@link listenerAffinities}) and
 * popularity is `ln(1 + plays) / ln(1 + maxPlays)` over the candidates. Heard or liked tracks are
 * excluded, and so are explicit tracks when `allowExplicit` is false. Selection is greedy by score
 * (ties by id) with at most `maxPerArtist` tracks per primary artist. Each item explains itself.
 *
 * @example
 * ```ts
 * recommend({ history, likedTrackIds: [], favouriteGenres: ['jazz'], candidates }, { limit: 10 });
 * ```
 */
export function recommend(input: RecommendInput, options: RecommendOptions = {}): Recommendation[] {
  const o = parseOptions(recommendOptionsSchema, options, 'recommend options');
  const { artists, genres } = listenerAffinities(input);
  const heard = new Set([...input.likedTrackIds, ...input.history.map((h) => h.track.id)]);
  let maxPlays = 0;
  for (const c of input.candidates) maxPlays = Math.max(maxPlays, c.plays);
  const scored: Recommendation[] = [];
  const primary = new Map<string, string>();
  for (const c of input.candidates) {
    if (heard.has(c.id) || (!o.allowExplicit && c.explicit)) continue;
    let bestArtist: [string, number] | null = null;
    for (const a of c.artistIds) {
      const v = artists.get(a) ?? 0;
      if (v > 0 && (bestArtist === null || v > bestArtist[1])) bestArtist = [a, v];
    }
    let bestGenre: [string, number] | null = null;
    for (const g of c.genres) {
      const v = genres.get(g) ?? 0;
      if (
        v > 0 &&
        (bestGenre === null || v > bestGenre[1] || (v === bestGenre[1] && g < bestGenre[0]))
      )
        bestGenre = [g, v];
    }
    const pop = maxPlays > 0 ? Math.log1p(c.plays) / Math.log1p(maxPlays) : 0;
    const parts: [number, RecommendationReason][] = [];
    if (bestArtist) {
      const name = input.artistNames?.get(bestArtist[0]) ?? bestArtist[0];
      parts.push([
        0.6 * bestArtist[1],
        { type: 'artist', ref: bestArtist[0], text: `Because you listen to ${name}` },
      ]);
    }
    if (bestGenre) {
      parts.push([
        0.3 * bestGenre[1],
        { type: 'genre', ref: bestGenre[0], text: `Because you like ${bestGenre[0]}` },
      ]);
    }
    if (pop > 0)
      parts.push([0.1 * pop, { type: 'popular', ref: null, text: 'Popular with listeners' }]);
    if (parts.length === 0 || (bestArtist === null && bestGenre === null)) continue;
    const score = Math.round(parts.reduce((s, [v]) => s + v, 0) * 1e6) / 1e6;
    parts.sort((x, y) => y[0] - x[0]);
    scored.push({ trackId: c.id, score, reasons: parts.map(([, r]) => r) });
    primary.set(c.id, c.artistIds[0] ?? '');
  }
  scored.sort((a, b) => b.score - a.score || (a.trackId < b.trackId ? -1 : 1));
  const perArtist = new Map<string, number>();
  const out: Recommendation[] = [];
  for (const r of scored) {
    const a = primary.get(r.trackId) ?? '';
    const n = perArtist.get(a) ?? 0;
    if (n >= o.maxPerArtist) continue;
    perArtist.set(a, n + 1);
    out.push(r);
    if (out.length >= o.limit) break;
  }
  return out;
}
