import type { Play } from '@spoti/catalog';
import { localTimes } from '../internal/local-times.js';
import { localDay, localHour, type ZoneOffsets, zoneOffsets } from '../internal/time-zone.js';
import { CalendarTotals } from './accumulators/calendar.js';
import { ClockTotals, SkipTotals } from './accumulators/clock.js';
import { GenreTotals } from './accumulators/genres.js';
import { LibraryTotals } from './accumulators/library-totals.js';
import { ReleaseYears } from './accumulators/release-years.js';
import { SessionTracker } from './accumulators/sessions.js';
import { computeAchievements } from './achievements.js';
import { diversityOf } from './diversity.js';
import { GenreBook } from './genre-book.js';
import { type ResolvedPeriod, resolvePeriod } from './period.js';
import { type IndexedTrack, type PlayIndex, toIndex } from './play-index.js';
import { parseStatsOptions, type StatsOptions } from './stats-options.js';
import { tastePhases } from './taste-phases.js';
import type { ListeningStats } from './types.js';

export type { ArtistRef, ReleaseRef, StatsOptions } from './stats-options.js';

/**
 * Computes every listening statistic of one period from plays (any source, any order; duplicates
 * by `playKey` are dropped) or a {@link PlayIndex}: top artists, tracks, albums and genres by plays
 * and by time; minutes and hours; hour-of-day and weekday x hour grids; sessions (a pause of more
 * than 10 minutes ends one) with the longest; streaks of consecutive local days; skip rate;
 * diversity (Shannon, Hill numbers, Gini) over artists and genres; genre consistency; time-of-day
 * diversity; night and morning shares; listening age; monthly genre shares with up to three taste
 * phases; new-artist discovery; achievements with the instant each was reached.
 *
 * Pure: no clock reads (relative periods count back from `now`, by default the last play), all
 * calendar arithmetic in `timeZone` through Intl.
 *
 * @throws AnalyticsError `INVALID_INPUT` for an unknown time zone or invalid options.
 * @example
 * ```ts
 * const stats = computeStats(plays, { timeZone: 'Europe/Berlin', period: '2025' });
 * console.log(stats.totals.hours, stats.topArtists.byTime[0]?.name, stats.nightShare);
 * ```
 */
export function computeStats(
  input: PlayIndex | Iterable<Play>,
  options: StatsOptions,
): ListeningStats {
  parseStatsOptions(options);
  const index = toIndex(input);
  const zone = zoneOffsets(options.timeZone);
  return computeWith(index, options, zone, new GenreBook(index, options.genresOf)).stats;
}

/** First index in `order` whose play ends at or after `t`. */
function lowerBound(order: Uint32Array, endedAt: Float64Array, t: number): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((endedAt[order[mid] as number] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The period of `options` over an index in time order, and its plays `order[start..end)`. */
function periodOf(
  index: PlayIndex,
  order: Uint32Array,
  options: StatsOptions,
  zone: ZoneOffsets,
): { period: ResolvedPeriod; start: number; end: number } {
  const { endedAt } = index;
  const first = order.length > 0 ? (endedAt[order[0] as number] as number) : (options.now ?? 0);
  const last =
    order.length > 0 ? (endedAt[order[order.length - 1] as number] as number) : (options.now ?? 0);
  const now = options.now ?? last + 1;
  const period = resolvePeriod(options.period ?? 'all', zone, now, first, last);
  const start = lowerBound(order, endedAt, period.from);
  const end = lowerBound(order, endedAt, period.to);
  return { period, start, end };
}

/** Every accumulator of the statistics loop, one per family of statistics. */
class Accumulators {
  /** Listening time (a field of its own, so the loop keeps it as a machine double). */
  msSum = 0;
  readonly library: LibraryTotals;
  readonly clock = new ClockTotals();
  readonly skips = new SkipTotals();
  readonly calendar = new CalendarTotals();
  readonly genres: GenreTotals;
  readonly years: ReleaseYears | null;
  readonly sessions: SessionTracker;

  constructor(index: PlayIndex, options: StatsOptions, genres: GenreBook, gap: number) {
    this.library = new LibraryTotals(index);
    this.genres = new GenreTotals(genres);
    this.years =
      options.releaseYearOf === undefined ? null : new ReleaseYears(index, options.releaseYearOf);
    this.sessions = new SessionTracker(gap);
  }
}

/** Feeds the plays `order[start..end)` (in time order) to every accumulator: the one loop. */
function accumulate(
  acc: Accumulators,
  index: PlayIndex,
  localAt: Float64Array,
  order: Uint32Array,
  start: number,
  end: number,
): void {
  const { endedAt, msPlayed, track, skipped, tracks } = index;
  const { library, clock, skips, calendar, genres, years, sessions } = acc;
  let msSum = 0;
  for (let k = start; k < end; k++) {
    const i = order[k] as number;
    const ms = msPlayed[i] as number;
    const tr = track[i] as number;
    const info = tracks[tr] as IndexedTrack;
    const local = localAt[i] as number;
    const day = localDay(local);
    msSum += ms;
    library.add(tr, info, ms);
    clock.add(day, localHour(local), ms);
    skips.add(skipped[i] as number);
    calendar.add(day, ms);
    genres.add(info.artist, ms, calendar.monthVector);
    if (years !== null) years.add(tr, info, ms);
    sessions.add(endedAt[i] as number, ms);
  }
  sessions.close();
  acc.msSum = msSum;
}

/** {@link computeStats} with the index, zone and genres already prepared (shared with the profile). */
export function computeWith(
  index: PlayIndex,
  options: StatsOptions,
  zone: ZoneOffsets,
  genres: GenreBook,
): { stats: ListeningStats; trackMs: Float64Array } {
  const limit = options.limit ?? 50;
  const gap = options.sessionGapMs ?? 10 * 60_000;
  const order = index.order();
  const { period, start, end } = periodOf(index, order, options, zone);
  const acc = new Accumulators(index, options, genres, gap);
  accumulate(acc, index, localTimes(index, zone), order, start, end);
  const { library, clock, calendar, sessions } = acc;
  const plays = end - start;
  const totalMs = acc.msSum;
  const genre = acc.genres.result(totalMs, limit);
  const months = calendar.months();
  const lastLocalDay = localDay(zone.local(Math.max(period.from, period.to - 1)));
  const newArtists = plays > 0 ? library.newArtists(order, start) : 0;
  const { hours, weekdayHours, ...clockShares } = clock.result(totalMs);
  const stats: ListeningStats = {
    period: { label: period.label, from: iso(period.from), to: iso(period.to) },
    timeZone: options.timeZone,
    totals: {
      plays,
      msPlayed: totalMs,
      minutes: totalMs / 60_000,
      hours: totalMs / 3_600_000,
      ...library.uniques(),
      days: calendar.days,
    },
    ...library.tops(limit),
    topGenres: genre.topGenres,
    hours,
    weekdayHours,
    sessions: {
      count: sessions.count,
      averageMs: sessions.count > 0 ? sessions.msTotal / sessions.count : 0,
      longest: sessions.longest(),
    },
    streaks: calendar.streaks(lastLocalDay),
    skips: acc.skips.result(),
    diversity: { artists: diversityOf(library.artistMs), genres: genre.diversity },
    genreConsistency: genre.genreConsistency,
    timeOfDayDiversity: clockShares.timeOfDayDiversity,
    nightShare: clockShares.nightShare,
    morningShare: clockShares.morningShare,
    genreCoverage: genre.genreCoverage,
    genreFamilies: genre.genreFamilies,
    listeningAge: acc.years?.listeningAge(totalMs) ?? null,
    evolution: { months, phases: tastePhases(months) },
    discovery: { newArtists, rate: plays > 0 ? newArtists / plays : 0 },
    achievements: computeAchievements(index, order, end, zone, genres, gap),
  };
  return { stats, trackMs: library.trackMs };
}

const iso = (ms: number) => new Date(ms).toISOString();
