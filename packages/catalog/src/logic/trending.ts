import { z } from 'zod';
import { parseOptions } from '../internal/parse-options.js';
import { topK } from '../internal/top-k.js';
import { viewerArtistIdSchema } from './visibility.js';

/**
 * The span of time trending looks at.
 *
 * @example
 * ```ts
 * const lastQuarter: TrendingWindow = { from: Date.UTC(2026, 6, 1), to: Date.UTC(2026, 9, 1) };
 * ```
 */
export type TrendingWindow =
  | 'week'
  | 'month'
  | 'all'
  | { readonly from: number; readonly to: number };

/**
 * What is ranked. Plays credit an artist through the play's first (primary) artist.
 *
 * @example
 * ```ts
 * await store.trending({ kind: 'artist' satisfies TrendingKind, window: 'month', now: Date.now() });
 * ```
 */
export type TrendingKind = 'track' | 'album' | 'artist';

/**
 * One event fed to {@link rankTrending}: a play or a like, already resolved to its subjects.
 *
 * @example
 * ```ts
 * rankTrending([{ type: 'play', trackId: 't1', albumId: null, artistId: 'a1', at: Date.now() } satisfies TrendingEvent], { now: Date.now() });
 * ```
 */
export interface TrendingEvent {
  readonly type: 'play' | 'like';
  readonly trackId: string;
  readonly albumId: string | null;
  /** Primary artist of the track. */
  readonly artistId: string | null;
  /** Unix ms. */
  readonly at: number;
}

/**
 * One ranked item.
 *
 * @example
 * ```ts
 * const [top] = await store.trending({ window: 'week', now: Date.now() }); // { kind: 'track', id, score, plays, likes }
 * ```
 */
export interface TrendingEntry {
  readonly kind: TrendingKind;
  readonly id: string;
  /** Decayed score, rounded to 6 decimals. */
  readonly score: number;
  /** Undecayed number of plays in the window. */
  readonly plays: number;
  /** Undecayed number of likes in the window. */
  readonly likes: number;
}

/**
 * zod schema of {@link TrendingOptions} (without the events).
 *
 * @example
 * ```ts
 * trendingOptionsSchema.parse({ now: Date.now() }).halfLifeMs; // 604800000
 * ```
 */
export const trendingOptionsSchema = z.object({
  kind: z.enum(['track', 'album', 'artist']).default('track'),
  window: z
    .union([
      z.enum(['week', 'month', 'all']),
      z.object({ from: z.number().int(), to: z.number().int() }),
    ])
    .default('week'),
  now: z.number().int(),
  halfLifeMs: z
    .number()
    .positive()
    .default(7 * 86_400_000),
  playWeight: z.number().nonnegative().default(1),
  likeWeight: z.number().nonnegative().default(3),
  limit: z.number().int().positive().max(10_000).default(50),
  /**
   * The artist profile of the person asking (null: none). Stores leave private tracks other than
   * this artist's own out of track rankings; `rankTrending` itself ranks the events it is given.
   */
  viewerArtistId: viewerArtistIdSchema,
});

/**
 * Options of {@link rankTrending} and `CatalogStore.trending`.
 *
 * @example
 * ```ts
 * const options: TrendingOptions = { kind: 'album', window: 'all', now: Date.now(), limit: 10 };
 * ```
 */
export type TrendingOptions = z.input<typeof trendingOptionsSchema>;
/**
 * {@link TrendingOptions} with defaults applied.
 *
 * @example
 * ```ts
 * const o: ResolvedTrendingOptions = trendingOptionsSchema.parse({ now: Date.now() });
 * ```
 */
export type ResolvedTrendingOptions = z.output<typeof trendingOptionsSchema>;

const DAY = 86_400_000;

/**
 * Resolves a window to a half-open range `[from, to)` in Unix ms (`to` = now + 1 ms for presets).
 *
 * @example
 * ```ts
 * trendingRange('week', now); // { from: now - 7 days, to: now + 1 }
 * ```
 */
export function trendingRange(window: TrendingWindow, now: number): { from: number; to: number } {
  if (typeof window === 'object') return { from: window.from, to: window.to };
  const to = now + 1;
  if (window === 'week') return { from: now - 7 * DAY, to };
  if (window === 'month') return { from: now - 30 * DAY, to };
  return { from: Number.MIN_SAFE_INTEGER, to };
}

/**
 * Rounds a score the way every backend does, so orderings agree exactly.
 *
 * @example
 * ```ts
 * roundScore(1.23456789); // 1.234568
 * ```
 */
export function roundScore(score: number): number {
  return Math.round(score * 1e6) / 1e6;
}

/**
 * Ranks tracks, albums or artists by recent plays and likes with exponential time decay.
 *
 * **Formula.** For every event `e` in the window `[from, to)` whose subject is the item:
 * `score = Σ w(e) · 2^(−max(0, now − e.at) / halfLifeMs)`, with `w = playWeight` (default 1)
 * for plays and `likeWeight` (default 3) for likes; `halfLifeMs` defaults to 7 days, so a play a
 * week old counts half as much as one now. The score is rounded to 6 decimals.
 *
 * **Ties** (equal rounded score) are broken by more plays, then more likes, then id ascending,
 * so the order is fully deterministic.
 *
 * @example
 * ```ts
 * rankTrending(events, { kind: 'track', window: 'week', now: Date.now() });
 * ```
 */
export function rankTrending(
  events: Iterable<TrendingEvent>,
  options: TrendingOptions,
): TrendingEntry[] {
  const o = parseOptions(trendingOptionsSchema, options, 'trending options');
  const { from, to } = trendingRange(o.window, o.now);
  const acc = new Map<string, { score: number; plays: number; likes: number }>();
  for (const e of events) {
    if (e.at < from || e.at >= to) continue;
    const id = o.kind === 'track' ? e.trackId : o.kind === 'album' ? e.albumId : e.artistId;
    if (id === null) continue;
    const decay = 2 ** (-Math.max(0, o.now - e.at) / o.halfLifeMs);
    let a = acc.get(id);
    if (a === undefined) {
      a = { score: 0, plays: 0, likes: 0 };
      acc.set(id, a);
    }
    if (e.type === 'play') {
      a.score += o.playWeight * decay;
      a.plays += 1;
    } else {
      a.score += o.likeWeight * decay;
      a.likes += 1;
    }
  }
  const entries: TrendingEntry[] = [];
  for (const [id, a] of acc) {
    entries.push({ kind: o.kind, id, score: roundScore(a.score), plays: a.plays, likes: a.likes });
  }
  return topK(entries, o.limit, compareTrending);
}

/**
 * The total order of trending entries: score desc, plays desc, likes desc, id asc.
 *
 * @example
 * ```ts
 * entries.sort(compareTrending);
 * ```
 */
export function compareTrending(a: TrendingEntry, b: TrendingEntry): number {
  return (
    b.score - a.score ||
    b.plays - a.plays ||
    b.likes - a.likes ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
