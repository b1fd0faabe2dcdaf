import type { Play } from '@spoti/catalog';
import { z } from 'zod';
import { AnalyticsError } from '../errors/analytics-error.js';
import {
  DAY_MS,
  dateOf,
  localDay,
  localHour,
  monthLabel,
  monthOf,
  weekdayOf,
  type ZoneOffsets,
  zoneOffsets,
} from '../internal/time-zone.js';
import { localTimes } from '../internal/local-times.js';
import { GENRE_FAMILIES, type GenreFamily, genreFamilyOf } from '../profile/genre-family.js';
import { diversityOf, normalisedEntropy } from './diversity.js';
import { type PeriodSpec, resolvePeriod } from './period.js';
import { PlayIndex } from './play-index.js';
import { SessionTracker } from './session-tracker.js';
import { computeAchievements } from './achievements.js';
import type {
  ListeningStats,
  MonthShares,
  RankedAlbum,
  RankedArtist,
  RankedGenre,
  RankedTrack,
  Streak,
  TastePhase,
  TopLists,
} from './types.js';
import { tastePhases } from './taste-phases.js';

/** An artist as handed to {@link StatsOptions.genresOf}. */
export interface ArtistRef {
  readonly id: string | null;
  readonly name: string;
}

/** A track as handed to {@link StatsOptions.releaseYearOf}. */
export interface ReleaseRef {
  readonly id: string | null;
  readonly name: string;
  readonly artistName: string;
  readonly albumName: string | null;
}

/** Options of {@link computeStats}. */
export interface StatsOptions {
  /** The listener's IANA time zone: hours, days, weekdays, months and years are local to it. */
  timeZone: string;
  /** Default `all`. */
  period?: PeriodSpec;
  /** "Now" for relative periods, Unix ms. Default: the end of the last play (the export's end). */
  now?: number;
  /** Genres of an artist (Spotify's artist genres; may be empty: the stats then say genres are unknown). */
  genresOf?: (artist: ArtistRef) => readonly string[] | undefined;
  /** Release year of a track's album, for the listening age. */
  releaseYearOf?: (track: ReleaseRef) => number | undefined;
  /** Length of top lists (default 50). */
  limit?: number;
  /** A pause longer than this ends a session (default 10 minutes). */
  sessionGapMs?: number;
}

const optionsSchema = z.object({
  timeZone: z.string().min(1),
  period: z
    .union([
      z.enum(['short_term', 'medium_term', 'long_term', 'all']),
      z.string().regex(/^\d{4}$/),
      z.object({ year: z.number().int() }),
      z.object({
        from: z.union([z.number(), z.string()]),
        to: z.union([z.number(), z.string()]),
        label: z.string().min(1).optional(),
      }),
    ])
    .optional(),
  now: z.number().finite().optional(),
  genresOf: z.custom<StatsOptions['genresOf']>((v) => typeof v === 'function').optional(),
  releaseYearOf: z.custom<StatsOptions['releaseYearOf']>((v) => typeof v === 'function').optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
  sessionGapMs: z.number().int().positive().optional(),
});

/** Parses options once at the boundary. */
export function parseStatsOptions(options: StatsOptions): StatsOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new AnalyticsError({
      code: 'INVALID_INPUT',
      message: `Invalid statistics options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      cause: parsed.error,
    });
  }
  return options;
}

/** Turns plays or an index into an index. */
export function toIndex(input: PlayIndex | Iterable<Play>): PlayIndex {
  if (input instanceof PlayIndex) return input;
  const index = new PlayIndex();
  index.addAll(input);
  return index;
}

const FAMILY_INDEX = new Map<GenreFamily, number>(GENRE_FAMILIES.map((f, i) => [f, i]));
const NIGHT = (h: number) => h >= 22 || h < 5;
const MORNING = (h: number) => h >= 5 && h < 9;

/** Genre knowledge resolved once per artist. */
export class GenreBook {
  readonly names: string[] = [];
  readonly families: (GenreFamily | null)[] = [];
  /** Position of each genre's family in `GENRE_FAMILIES`, or -1 (no Map lookup per play). */
  readonly familyIndex: number[] = [];
  readonly #ids = new Map<string, number>();
  readonly #byArtist: (Int32Array | null)[] = [];

  constructor(
    readonly index: PlayIndex,
    readonly genresOf: StatsOptions['genresOf'],
  ) {}

  /** Genre ids of an artist (empty when unknown). */
  of(artist: number): Int32Array {
    const known = this.#byArtist[artist];
    if (known !== undefined && known !== null) return known;
    const ref = this.index.artists[artist] as ArtistRef;
    const names = this.genresOf?.(ref) ?? [];
    const ids = new Int32Array(names.length);
    names.forEach((raw, i) => {
      const name = raw.trim().toLowerCase();
      let id = this.#ids.get(name);
      if (id === undefined) {
        id = this.names.length;
        this.names.push(name);
        const family = genreFamilyOf(name);
        this.families.push(family);
        this.familyIndex.push(family === null ? -1 : (FAMILY_INDEX.get(family) ?? -1));
        this.#ids.set(name, id);
      }
      ids[i] = id;
    });
    this.#byArtist[artist] = ids;
    return ids;
  }
}

function top<T>(
  n: number,
  plays: Float64Array,
  ms: Float64Array,
  limit: number,
  make: (i: number) => T,
): TopLists<T> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) if ((plays[i] as number) > 0) ids.push(i);
  const byPlays = [...ids]
    .sort(
      (a, b) =>
        (plays[b] as number) - (plays[a] as number) ||
        (ms[b] as number) - (ms[a] as number) ||
        a - b,
    )
    .slice(0, limit)
    .map(make);
  const byTime = ids
    .sort(
      (a, b) =>
        (ms[b] as number) - (ms[a] as number) ||
        (plays[b] as number) - (plays[a] as number) ||
        a - b,
    )
    .slice(0, limit)
    .map(make);
  return { byPlays, byTime };
}

const iso = (ms: number) => new Date(ms).toISOString();

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
  const { endedAt, msPlayed, track, skipped } = index;
  const localAt = localTimes(index, zone);
  const tracks = index.tracks;
  const familyIndex = genres.familyIndex;
  const first = order.length > 0 ? (endedAt[order[0] as number] as number) : (options.now ?? 0);
  const last =
    order.length > 0 ? (endedAt[order[order.length - 1] as number] as number) : (options.now ?? 0);
  const now = options.now ?? last + 1;
  const period = resolvePeriod(options.period ?? 'all', zone, now, first, last);
  const start = lowerBound(order, endedAt, period.from);
  const end = lowerBound(order, endedAt, period.to);

  const nTracks = index.tracks.length;
  const nArtists = index.artists.length;
  const nAlbums = index.albums.length;
  const trackPlays = new Float64Array(nTracks);
  const trackMs = new Float64Array(nTracks);
  const artistPlays = new Float64Array(nArtists);
  const artistMs = new Float64Array(nArtists);
  const albumPlays = new Float64Array(nAlbums);
  const albumMs = new Float64Array(nAlbums);
  const hours = new Array<number>(24).fill(0);
  const weekdayHours = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const familyMs = new Float64Array(GENRE_FAMILIES.length);
  const genrePlays: number[] = [];
  const genreMs: number[] = [];
  const months = new Map<number, Float64Array>();
  /** Listening time per month; `monthTotal` is the current month's (one Map access per month). */
  const monthTotals = new Map<number, { ms: number }>();
  let monthTotal: { ms: number } = { ms: 0 };
  const releaseMs = new Map<number, number>();
  const trackYear = new Map<number, number | null>();
  let releaseKnownMs = 0;
  /** Not read by a closure, so it stays a machine double in optimised code. */
  let msSum = 0;
  let knownGenreMs = 0;
  let nightMs = 0;
  let morningMs = 0;
  let skippedCount = 0;
  let skipKnown = 0;
  let days = 0;
  let lastDay = Number.NaN;
  let run = 0;
  let runStart = 0;
  /** The longest streak so far as day numbers (its dates are written once, at the end). */
  let longestRun = 0;
  let longestRunStart = 0;
  let longestRunEnd = 0;
  const sessionTracker = new SessionTracker(gap);
  let currentMonth = Number.NaN;
  let monthVector: Float64Array | null = null;
  let monthDay = Number.NaN;

  for (let k = start; k < end; k++) {
    const i = order[k] as number;
    const t = endedAt[i] as number;
    const ms = msPlayed[i] as number;
    const tr = track[i] as number;
    const info = tracks[tr] as (typeof index.tracks)[number];
    msSum += ms;
    trackPlays[tr] = (trackPlays[tr] as number) + 1;
    trackMs[tr] = (trackMs[tr] as number) + ms;
    artistPlays[info.artist] = (artistPlays[info.artist] as number) + 1;
    artistMs[info.artist] = (artistMs[info.artist] as number) + ms;
    if (info.album >= 0) {
      albumPlays[info.album] = (albumPlays[info.album] as number) + 1;
      albumMs[info.album] = (albumMs[info.album] as number) + ms;
    }
    const local = localAt[i] as number;
    const day = localDay(local);
    const hour = localHour(local);
    hours[hour] = (hours[hour] as number) + ms;
    const row = weekdayHours[weekdayOf(day)] as number[];
    row[hour] = (row[hour] as number) + ms;
    if (NIGHT(hour)) nightMs += ms;
    else if (MORNING(hour)) morningMs += ms;
    const s = skipped[i] as number;
    if (s >= 0) {
      skipKnown++;
      skippedCount += s;
    }
    if (day !== lastDay) {
      days++;
      if (day === lastDay + 1) run++;
      else {
        run = 1;
        runStart = day;
      }
      if (run > longestRun) {
        longestRun = run;
        longestRunStart = runStart;
        longestRunEnd = day;
      }
      lastDay = day;
      if (day !== monthDay) {
        monthDay = day;
        const month = monthOf(day);
        if (month !== currentMonth) {
          currentMonth = month;
          monthVector = months.get(month) ?? null;
          if (monthVector === null) {
            monthVector = new Float64Array(GENRE_FAMILIES.length);
            months.set(month, monthVector);
          }
          const total = monthTotals.get(month);
          if (total === undefined) {
            monthTotal = { ms: 0 };
            monthTotals.set(month, monthTotal);
          } else monthTotal = total;
        }
      }
    }
    monthTotal.ms += ms;
    const genreIds = genres.of(info.artist);
    if (genreIds.length > 0) {
      knownGenreMs += ms;
      const share = 1 / genreIds.length;
      for (let j = 0; j < genreIds.length; j++) {
        const g = genreIds[j] as number;
        genrePlays[g] = (genrePlays[g] ?? 0) + share;
        genreMs[g] = (genreMs[g] ?? 0) + ms * share;
        const f = familyIndex[g] as number;
        if (f >= 0) {
          familyMs[f] = (familyMs[f] as number) + ms * share;
          (monthVector as Float64Array)[f] =
            ((monthVector as Float64Array)[f] as number) + ms * share;
        }
      }
    }
    if (options.releaseYearOf !== undefined) {
      let year = trackYear.get(tr);
      if (year === undefined) {
        const album = info.album >= 0 ? index.albums[info.album] : undefined;
        const y = options.releaseYearOf({
          id: info.id,
          name: info.name,
          artistName: index.artists[info.artist]?.name ?? '',
          albumName: album?.name ?? null,
        });
        year = y !== undefined && Number.isInteger(y) ? y : null;
        trackYear.set(tr, year);
      }
      if (year !== null) {
        releaseKnownMs += ms;
        releaseMs.set(year, (releaseMs.get(year) ?? 0) + ms);
      }
    }
    sessionTracker.add(t, ms);
  }
  sessionTracker.close();
  const sessions = sessionTracker.count;

  const plays = end - start;
  const totalMs = msSum;
  const longestStreak: Streak | null =
    longestRun > 0
      ? { days: longestRun, from: dateOf(longestRunStart), to: dateOf(longestRunEnd) }
      : null;
  const lastLocalDay = localDay(zone.local(Math.max(period.from, period.to - 1)));
  const current = lastDay === lastLocalDay || lastDay === lastLocalDay - 1 ? run : 0;

  const artistOut = (a: number): RankedArtist => {
    const artist = index.artists[a] as (typeof index.artists)[number];
    return {
      id: artist.id,
      name: artist.name,
      plays: artistPlays[a] as number,
      msPlayed: artistMs[a] as number,
    };
  };
  const trackOut = (t: number): RankedTrack => {
    const info = index.tracks[t] as (typeof index.tracks)[number];
    return {
      id: info.id,
      name: info.name,
      artistName: index.artists[info.artist]?.name ?? '',
      albumName: info.album >= 0 ? (index.albums[info.album]?.name ?? null) : null,
      plays: trackPlays[t] as number,
      msPlayed: trackMs[t] as number,
    };
  };
  const albumOut = (a: number): RankedAlbum => {
    const album = index.albums[a] as (typeof index.albums)[number];
    return {
      id: album.id,
      name: album.name,
      artistName: index.artists[album.artist]?.name ?? '',
      plays: albumPlays[a] as number,
      msPlayed: albumMs[a] as number,
    };
  };
  const nGenres = genres.names.length;
  const gPlays = Float64Array.from({ length: nGenres }, (_, g) => genrePlays[g] ?? 0);
  const gMs = Float64Array.from({ length: nGenres }, (_, g) => genreMs[g] ?? 0);
  const genreOut = (g: number): RankedGenre => ({
    name: genres.names[g] as string,
    family: genres.families[g] ?? null,
    plays: Math.round((gPlays[g] as number) * 100) / 100,
    msPlayed: Math.round(gMs[g] as number),
    share: totalMs > 0 ? (gMs[g] as number) / totalMs : 0,
  });

  const genreFamilies = GENRE_FAMILIES.map((family, f) => ({
    family,
    share: totalMs > 0 ? (familyMs[f] as number) / totalMs : 0,
  }))
    .filter((f) => f.share > 0)
    .sort((a, b) => b.share - a.share);

  const monthList: MonthShares[] = [...months.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([month, vector]) => {
      const known = vector.reduce((x, y) => x + y, 0);
      return {
        month: monthLabel(month),
        msPlayed: monthTotals.get(month)?.ms ?? 0,
        families: GENRE_FAMILIES.map((family, f) => ({
          family,
          share: known > 0 ? (vector[f] as number) / known : 0,
        }))
          .filter((x) => x.share > 0)
          .sort((a, b) => b.share - a.share),
      };
    });
  const phases: TastePhase[] = tastePhases(monthList);

  let listeningAge: ListeningStats['listeningAge'] = null;
  if (releaseKnownMs > 0) {
    const years = [...releaseMs.keys()].sort((a, b) => a - b);
    // Five-year windows centred on each year heard; the heaviest wins (the earliest on a tie).
    let best = { fromYear: (years[0] as number) - 2, ms: -1 };
    for (const y of years) {
      let sum = 0;
      for (let k = -2; k <= 2; k++) sum += releaseMs.get(y + k) ?? 0;
      if (sum > best.ms) best = { fromYear: y - 2, ms: sum };
    }
    listeningAge = {
      fromYear: best.fromYear,
      toYear: best.fromYear + 4,
      share: best.ms / releaseKnownMs,
      coverage: totalMs > 0 ? releaseKnownMs / totalMs : 0,
    };
  }

  // Discovery: artists whose first play in the whole history falls in the period.
  let newArtists = 0;
  if (plays > 0) {
    const seenBefore = new Uint8Array(nArtists);
    for (let k = 0; k < start; k++) {
      seenBefore[(index.tracks[track[order[k] as number] as number] as { artist: number }).artist] =
        1;
    }
    for (let a = 0; a < nArtists; a++)
      if ((artistPlays[a] as number) > 0 && seenBefore[a] === 0) newArtists++;
  }

  let uniqueTracks = 0;
  for (let t = 0; t < nTracks; t++) if ((trackPlays[t] as number) > 0) uniqueTracks++;
  let uniqueArtists = 0;
  for (let a = 0; a < nArtists; a++) if ((artistPlays[a] as number) > 0) uniqueArtists++;
  let uniqueAlbums = 0;
  for (let a = 0; a < nAlbums; a++) if ((albumPlays[a] as number) > 0) uniqueAlbums++;

  const knownFamilyMs = familyMs.reduce((x, y) => x + y, 0);
  const stats: ListeningStats = {
    period: { label: period.label, from: iso(period.from), to: iso(period.to) },
    timeZone: options.timeZone,
    totals: {
      plays,
      msPlayed: totalMs,
      minutes: totalMs / 60_000,
      hours: totalMs / 3_600_000,
      uniqueTracks,
      uniqueArtists,
      uniqueAlbums,
      days,
    },
    topArtists: top(nArtists, artistPlays, artistMs, limit, artistOut),
    topTracks: top(nTracks, trackPlays, trackMs, limit, trackOut),
    topAlbums: top(nAlbums, albumPlays, albumMs, limit, albumOut),
    topGenres: top(nGenres, gPlays, gMs, limit, genreOut),
    hours,
    weekdayHours,
    sessions: {
      count: sessions,
      averageMs: sessions > 0 ? sessionTracker.msTotal / sessions : 0,
      longest: sessionTracker.longest(),
    },
    streaks: { longest: longestStreak, current },
    skips: {
      skipped: skippedCount,
      known: skipKnown,
      rate: skipKnown > 0 ? skippedCount / skipKnown : null,
    },
    diversity: {
      artists: diversityOf(artistMs),
      genres: knownGenreMs > 0 ? diversityOf(gMs) : null,
    },
    genreConsistency:
      knownFamilyMs > 0 ? 1 - normalisedEntropy(familyMs, GENRE_FAMILIES.length) : null,
    timeOfDayDiversity: totalMs > 0 ? normalisedEntropy(hours, 24) : 0,
    nightShare: totalMs > 0 ? nightMs / totalMs : 0,
    morningShare: totalMs > 0 ? morningMs / totalMs : 0,
    genreCoverage: totalMs > 0 ? knownGenreMs / totalMs : 0,
    genreFamilies,
    listeningAge,
    evolution: { months: monthList, phases },
    discovery: { newArtists, rate: plays > 0 ? newArtists / plays : 0 },
    achievements: computeAchievements(index, order, end, zone, genres, gap),
  };
  return { stats, trackMs };
}

export { DAY_MS };
