import type { Play } from '@spoti/catalog';
import {
  estimateFeaturesFromGenres,
  type FeatureSource,
  intensityOf,
} from '../features/audio-features.js';
import { AnalyticsError } from '../errors/analytics-error.js';
import { zoneOffsets } from '../internal/time-zone.js';
import { computeWith } from '../stats/compute-stats.js';
import { GenreBook } from '../stats/genre-book.js';
import { type PlayIndex, toIndex } from '../stats/play-index.js';
import { parseStatsOptions, type StatsOptions } from '../stats/stats-options.js';
import type { ListeningStats } from '../stats/types.js';
import type { GENRE_FAMILIES } from './genre-family.js';
import { type ListeningProfile, listeningProfileSchema, type Signal } from './listening-profile.js';

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

const FEATURE_KEYS = [
  'energy',
  'valence',
  'acousticness',
  'instrumentalness',
  'danceability',
  'intensity',
] as const;
type FeatureKey = (typeof FEATURE_KEYS)[number];

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const round = (x: number) => Math.round(x * 1e4) / 1e4;
const signal = (value: number, source: Signal['source'], confidence: number): Signal => ({
  value: round(clamp01(value)),
  source,
  confidence: round(clamp01(confidence)),
});

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

  // Audio features, weighted by listening time per track.
  const measuredSum: Record<FeatureKey, number> = {
    energy: 0,
    valence: 0,
    acousticness: 0,
    instrumentalness: 0,
    danceability: 0,
    intensity: 0,
  };
  const estimatedSum: Record<FeatureKey, number> = { ...measuredSum };
  let measuredMs = 0;
  let measuredConfidence = 0;
  let estimatedMs = 0;
  let estimatedConfidence = 0;
  let totalMs = 0;
  let tracksHeard = 0;
  let tracksMeasured = 0;
  const viaMs = new Map<string, number>();
  const estimateCache = new Map<number, ReturnType<typeof estimateFeaturesFromGenres>>();
  for (let t = 0; t < trackMs.length; t++) {
    const ms = trackMs[t] as number;
    if (ms <= 0) continue;
    totalMs += ms;
    tracksHeard++;
    const info = index.tracks[t] as (typeof index.tracks)[number];
    const measured = options.features?.get({
      id: info.id,
      name: info.name,
      artistName: index.artists[info.artist]?.name ?? '',
    });
    if (measured !== undefined) {
      measuredMs += ms;
      measuredConfidence += ms * Math.min(1, Math.max(0, measured.confidence ?? 1));
      tracksMeasured++;
      if (measured.via !== undefined) viaMs.set(measured.via, (viaMs.get(measured.via) ?? 0) + ms);
      for (const key of FEATURE_KEYS) {
        measuredSum[key] += ms * (key === 'intensity' ? intensityOf(measured) : measured[key]);
      }
      continue;
    }
    let estimate = estimateCache.get(info.artist);
    if (estimate === undefined) {
      const names = [...genres.of(info.artist)].map((g) => genres.names[g] as string);
      estimate = estimateFeaturesFromGenres(names);
      estimateCache.set(info.artist, estimate);
    }
    if (estimate === null) continue;
    estimatedMs += ms;
    estimatedConfidence += ms * estimate.confidence;
    for (const key of FEATURE_KEYS) {
      estimatedSum[key] +=
        ms * (key === 'intensity' ? intensityOf(estimate.features) : estimate.features[key]);
    }
  }
  // Services that measured the features, most listening time first ("ReccoBeats and X").
  const via = [...viaMs]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name]) => name)
    .join(' and ');
  // Without measured features the audio signals are estimated from genres: name their service.
  const measuredExtras = (): Pick<Signal, 'via' | 'basis'> =>
    options.features === undefined
      ? options.genresVia === undefined
        ? {}
        : { via: options.genresVia.trim() }
      : {
          ...(via === '' ? {} : { via }),
          basis: { tracks: tracksMeasured, of: tracksHeard },
        };
  const featureSignal = (key: FeatureKey): Signal => {
    const coveredMs = measuredMs + estimatedMs;
    if (totalMs === 0 || coveredMs === 0)
      return { ...signal(0.5, 'estimated', 0), ...measuredExtras() };
    const value = (measuredSum[key] + estimatedSum[key]) / coveredMs;
    const source =
      measuredMs >= totalMs / 2 && options.features !== undefined
        ? options.features.source
        : 'estimated';
    const confidence = (measuredConfidence + estimatedConfidence) / totalMs;
    return { ...signal(value, source, confidence), ...measuredExtras() };
  };
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
      energy: featureSignal('energy'),
      valence: featureSignal('valence'),
      acousticness: featureSignal('acousticness'),
      instrumentalness: featureSignal('instrumentalness'),
      danceability: featureSignal('danceability'),
      intensity: featureSignal('intensity'),
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
  const checked = listeningProfileSchema.safeParse(profile);
  if (!checked.success) {
    throw new AnalyticsError({
      code: 'INVALID_INPUT',
      message: `Computed profile failed validation: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      cause: checked.error,
    });
  }
  return { profile, stats };
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
