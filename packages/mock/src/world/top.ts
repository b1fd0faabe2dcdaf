import type { World, WorldPlay } from './types.js';

const DAY_MS = 86_400_000;

/** The `time_range` values of Spotify's top items. */
export type TopRange = 'short_term' | 'medium_term' | 'long_term';

/** Ranked ids of a user's top items, best first. */
export interface TopItems {
  readonly artistIds: readonly string[];
  readonly trackIds: readonly string[];
}

/**
 * Days each `time_range` looks back: about 4 weeks, 6 months and 1 year.
 *
 * @example
 * ```ts
 * const since = nowMs - TOP_RANGE_DAYS.short_term * 86_400_000;
 * ```
 */
export const TOP_RANGE_DAYS: Readonly<Record<TopRange, number>> = {
  short_term: 28,
  medium_term: 182,
  long_term: 365,
};

/**
 * How many ids of each kind {@link topOf} returns at most.
 *
 * @example
 * ```ts
 * topOf(world, userId, now, 'long_term').trackIds.length <= TOP_LIMIT; // true
 * ```
 */
export const TOP_LIMIT = 100;

const caches = new WeakMap<World, Map<string, TopItems>>();

/**
 * A user's top artists and tracks for a time range ending at `nowMs`, computed from the world's
 * history: plays of at least 30 s that were not skipped, weighted so that recent plays count more
 * (a play's weight halves every third of the range). At most {@link TOP_LIMIT} ids each; ties are
 * broken by id. Results are cached per world, user, range and UTC day (Spotify's top items also
 * move about once a day).
 *
 * @example
 * ```ts
 * const { artistIds } = topOf(world, userId, Date.now(), 'short_term');
 * ```
 */
export function topOf(world: World, userId: string, nowMs: number, range: TopRange): TopItems {
  let cache = caches.get(world);
  if (cache === undefined) {
    cache = new Map();
    caches.set(world, cache);
  }
  const day = Math.floor(nowMs / DAY_MS);
  const key = `${userId}|${range}|${day}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;

  const spanMs = TOP_RANGE_DAYS[range] * DAY_MS;
  const since = nowMs - spanMs;
  const halfLife = spanMs / 3;
  const plays = world.playsOf(userId, nowMs);
  const trackScore = new Map<string, number>();
  const artistScore = new Map<string, number>();
  for (let i = plays.length - 1; i >= 0; i--) {
    const play = plays[i] as WorldPlay;
    if (play.endedAtMs < since) break;
    if (play.skipped || play.msPlayed < 30_000) continue;
    const weight = 2 ** (-(nowMs - play.endedAtMs) / halfLife);
    trackScore.set(play.trackId, (trackScore.get(play.trackId) ?? 0) + weight);
    const artistId = world.tracks.get(play.trackId)?.artistIds[0];
    if (artistId !== undefined)
      artistScore.set(artistId, (artistScore.get(artistId) ?? 0) + weight);
  }
  const rank = (scores: Map<string, number>) =>
    [...scores]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_LIMIT)
      .map(([id]) => id);
  const result: TopItems = { artistIds: rank(artistScore), trackIds: rank(trackScore) };
  if (cache.size > 10_000) cache.clear();
  cache.set(key, result);
  return result;
}
