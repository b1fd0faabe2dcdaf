import type { ListeningStats } from './types.js';

/** A rank movement between two periods. */
export interface RankChange {
  name: string;
  /** 1-based ranks by listening time; null when absent from that period's list. */
  before: number | null;
  after: number | null;
}

/** How period `after` differs from period `before`. */
export interface StatsComparison {
  before: string;
  after: string;
  /** after - before. */
  delta: {
    plays: number;
    hours: number;
    uniqueArtists: number;
    uniqueTracks: number;
    days: number;
  };
  /** after / before of listening time (null when before is 0). */
  hoursRatio: number | null;
  /** Top artists of `after` with their rank in `before` (null = new). */
  artists: RankChange[];
  /** Artists in `before`'s top list that left it. */
  droppedArtists: string[];
  /** Per family, after share - before share, sorted by absolute change. */
  genreShift: { family: string; change: number }[];
  /** after - before of night share, time-of-day diversity, genre consistency (null when unknown). */
  signals: { nightShare: number; timeOfDayDiversity: number; genreConsistency: number | null };
}

/**
 * Compares the statistics of two periods (e.g. this year against last year).
 *
 * @example
 * ```ts
 * const change = compareStats(
 *   computeStats(index, { timeZone, period: '2024' }),
 *   computeStats(index, { timeZone, period: '2025' }),
 * );
 * console.log(change.delta.hours, change.artists.filter((a) => a.before === null));
 * ```
 */
export function compareStats(
  before: ListeningStats,
  after: ListeningStats,
  top = 10,
): StatsComparison {
  const key = (a: { id: string | null; name: string }) => a.id ?? `n:${a.name.toLowerCase()}`;
  const beforeRanks = new Map(before.topArtists.byTime.map((a, i) => [key(a), i + 1]));
  const afterTop = after.topArtists.byTime.slice(0, top);
  const afterKeys = new Set(afterTop.map(key));
  const shares = new Map<string, number>();
  for (const f of after.genreFamilies) shares.set(f.family, f.share);
  for (const f of before.genreFamilies) shares.set(f.family, (shares.get(f.family) ?? 0) - f.share);
  return {
    before: before.period.label,
    after: after.period.label,
    delta: {
      plays: after.totals.plays - before.totals.plays,
      hours: after.totals.hours - before.totals.hours,
      uniqueArtists: after.totals.uniqueArtists - before.totals.uniqueArtists,
      uniqueTracks: after.totals.uniqueTracks - before.totals.uniqueTracks,
      days: after.totals.days - before.totals.days,
    },
    hoursRatio: before.totals.msPlayed > 0 ? after.totals.msPlayed / before.totals.msPlayed : null,
    artists: afterTop.map((a, i) => ({
      name: a.name,
      before: beforeRanks.get(key(a)) ?? null,
      after: i + 1,
    })),
    droppedArtists: before.topArtists.byTime
      .slice(0, top)
      .filter((a) => !afterKeys.has(key(a)))
      .map((a) => a.name),
    genreShift: [...shares.entries()]
      .map(([family, change]) => ({ family, change }))
      .sort((a, b) => Math.abs(b.change) - Math.abs(a.change)),
    signals: {
      nightShare: after.nightShare - before.nightShare,
      timeOfDayDiversity: after.timeOfDayDiversity - before.timeOfDayDiversity,
      genreConsistency:
        after.genreConsistency === null || before.genreConsistency === null
          ? null
          : after.genreConsistency - before.genreConsistency,
    },
  };
}
