import { checkSchema } from '../errors/check-schema.js';
import type { Play } from '@spoti/catalog';
import type { FeatureSource } from '../features/audio-features.js';
import { AnalyticsError } from '../errors/analytics-error.js';
import { zoneOffsets } from '../internal/time-zone.js';
import { computeWith } from '../stats/compute-stats.js';
import { GenreBook } from '../stats/genre-book.js';
import { type PlayIndex, toIndex } from '../stats/play-index.js';
import { parseStatsOptions, type StatsOptions } from '../stats/stats-options.js';
import type { ListeningStats } from '../stats/types.js';
import type { GENRE_FAMILIES } from './genre-family.js';
import { featureSignals } from './feature-signals.js';
import { type ListeningProfile, listeningProfileSchema } from './listening-profile.js';
import { clamp01, round, signal } from './signal.js';

/** Options of {@link buildListeningProfile}: the statistics options plus a feature source. */
export interface ProfileOptions extends StatsOptions {
  /** Measured audio features (Spotify's or supplied); tracks it lacks fall back to the genre estimator. */
  features?: FeatureSource;
  /** Length of the profile's top artist and track lists (default 10). */
  topLimit?: number;
  /**
   * The service(s) `genresOf` got its genres from (e.g. `MusicBrainz`), carried into
   * `signals.genreConsistency.via` and `topGenre.via` so the face can name the source.
   */
  genresVia?: string;
}

/** A profile together with the statistics it was computed from. */
export interface ProfileResult {
  profile: ListeningProfile;
  stats: ListeningStats;
}

/**
 * Computes the {@link ListeningProfile} of one period (and the full statistics behind it).
 *
 * Signals, each in 0..1 with its source and confidence:
 * - `energy`, `valence`, `acousticness`, `instrumentalness`, `danceability`: the listening-time
 *   weighted mean of each track's feature. Per track, measured features (`options.features`) are
 *   used when present, else the genre prior of its artist's genres. Source: the measured source
 *   when measured tracks cover at least half the time, else `estimated`. Confidence: measured
 *   coverage x each value's own confidence (1 unless the source says less) + estimated coverage
 *   x the estimator's own confidence (at most 0.5). With features, `via` names the services that
 *   measured them (most listening time first) and `basis` counts measured and heard tracks. No features and
 *   no genres at all: value 0.5, confidence 0.
 * - `intensity`: the same mean of `0.65 energy + 0.35 loudness` (see `intensityOf`).
 * - `genreConsistency`: 1 - normalised Shannon entropy of listening time over the 17 families
 *   (1 = one family, 0 = evenly spread); confidence = share of time with a known genre.
 * - `timeOfDayDiversity`: normalised entropy of listening time over the 24 local hours.
 * - `nightShare`: share of listening time 22:00-05:00 local.
 * - `discovery`: `1 - exp(-10 x newArtists / plays)`: 0 = no new artists, ~0.63 at one new artist
 *   every 10 plays, -> 1 for a listener who hardly repeats an artist.
 * History signals have confidence `min(1, plays / 500)` (a handful of plays proves little).
 *
 * The profile is validated with {@link listeningProfileSchema} before it is returned.
 *
 * @example
 * ```ts
 * const { profile } = buildListeningProfile(plays, { timeZone: 'Europe/Berlin', period: 'short_term', now: Date.now() });
 * console.log(profile.signals.energy, profile.topGenre?.family);
 * ```
 */
export function buildListeningProfile(
  input: PlayIndex | Iterable<Play>,
  options: ProfileOptions,
): ProfileResult {
  checkProfileOptions(options);
  const topLimit = options.topLimit ?? 10;
  const index = toIndex(input);
  const zone = zoneOffsets(options.timeZone);
  const genres = new GenreBook(index, options.genresOf);
  const { stats, trackMs } = computeWith(
    index,
    { ...options, limit: Math.max(options.limit ?? 50, topLimit) },
    zone,
    genres,
  );

  const genresVia = options.genresVia === undefined ? {} : { via: options.genresVia.trim() };

  const plays = stats.totals.plays;
  const historyConfidence = Math.min(1, plays / 500);
  const hoursTotal = stats.hours.reduce((a, b) => a + b, 0);
  const topGenre = stats.topGenres.byTime.find((g) => g.family !== null);
  const profile: ListeningProfile = {
    version: 1,
    period: stats.period,
    timeZone: stats.timeZone,
    signals: {
      ...featureSignals(index, trackMs, genres, options),
      genreConsistency:
        stats.genreConsistency === null
          ? signal(0.5, 'history', 0)
          : {
              ...signal(stats.genreConsistency, 'history', historyConfidence * stats.genreCoverage),
              ...genresVia,
            },
      timeOfDayDiversity: signal(stats.timeOfDayDiversity, 'history', historyConfidence),
      nightShare: signal(stats.nightShare, 'history', historyConfidence),
      discovery: signal(1 - Math.exp(-10 * stats.discovery.rate), 'history', historyConfidence),
    },
    topGenre:
      topGenre === undefined || topGenre.family === null
        ? null
        : {
            name: topGenre.name,
            family: topGenre.family,
            share: round(clamp01(topGenre.share)),
            ...genresVia,
          },
    genreFamilies: roundShares(stats.genreFamilies),
    topArtists: stats.topArtists.byTime
      .slice(0, topLimit)
      .map((a) => ({ id: a.id, name: a.name, plays: a.plays, msPlayed: Math.round(a.msPlayed) })),
    topTracks: stats.topTracks.byTime.slice(0, topLimit).map((t) => ({
      id: t.id,
      name: t.name,
      artistName: t.artistName,
      plays: t.plays,
      msPlayed: Math.round(t.msPlayed),
    })),
    hours: hoursTotal > 0 ? stats.hours.map((h) => h / hoursTotal) : new Array<number>(24).fill(0),
    achievements: stats.achievements,
    totals: {
      plays,
      msPlayed: Math.round(stats.totals.msPlayed),
      uniqueTracks: stats.totals.uniqueTracks,
      uniqueArtists: stats.totals.uniqueArtists,
      days: stats.totals.days,
    },
  };
  checkProfile(profile);
  return { profile, stats };
}

/** Throws an `INVALID_INPUT` {@link AnalyticsError} naming the first bad profile option. */
function checkProfileOptions(options: ProfileOptions): void {
  parseStatsOptions(options);
  if (
    options.genresVia !== undefined &&
    (typeof options.genresVia !== 'string' || options.genresVia.trim() === '')
  ) {
    throw new AnalyticsError({
      code: 'INVALID_INPUT',
      message: 'options.genresVia must be a non-empty string',
    });
  }
  if (options.features !== undefined && typeof options.features?.get !== 'function') {
    throw new AnalyticsError({
      code: 'INVALID_INPUT',
      message: 'options.features must have a get(track) function',
    });
  }
}

/** Validates a computed profile against {@link listeningProfileSchema}. */
function checkProfile(profile: ListeningProfile): void {
  checkSchema(listeningProfileSchema, profile, 'Computed profile failed validation', '');
}

/** Rounds family shares down to 4 decimals, keeping the order and a sum <= 1. */
function roundShares(
  families: readonly { family: (typeof GENRE_FAMILIES)[number]; share: number }[],
): { family: (typeof GENRE_FAMILIES)[number]; share: number }[] {
  return families.map((f) => ({ family: f.family, share: Math.floor(f.share * 1e4) / 1e4 }));
}

/**
 * Profiles of the same plays for several periods at once (the face shows one per time range),
 * sharing one {@link PlayIndex}.
 *
 * @example
 * ```ts
 * const [short, medium, long] = buildListeningProfiles(plays, {
 *   timeZone: 'Europe/Berlin',
 *   periods: ['short_term', 'medium_term', 'long_term'],
 *   now: Date.now(),
 * });
 * ```
 */
export function buildListeningProfiles(
  input: PlayIndex | Iterable<Play>,
  options: Omit<ProfileOptions, 'period'> & {
    periods: readonly NonNullable<ProfileOptions['period']>[];
  },
): ListeningProfile[] {
  const index = toIndex(input);
  const { periods, ...rest } = options;
  return periods.map((period) => buildListeningProfile(index, { ...rest, period }).profile);
}
