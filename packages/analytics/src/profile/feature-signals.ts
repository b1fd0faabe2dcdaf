import {
  estimateFeaturesFromGenres,
  type FeatureSource,
  intensityOf,
} from '../features/audio-features.js';
import type { GenreBook } from '../stats/genre-book.js';
import type { PlayIndex } from '../stats/play-index.js';
import { FEATURE_KEYS, type FeatureKey, type Signal } from './listening-profile.js';
import { signal } from './signal.js';

/** Listening-time weighted sums of the audio features, measured and estimated kept apart. */
interface FeatureSums {
  measuredSum: Record<FeatureKey, number>;
  estimatedSum: Record<FeatureKey, number>;
  measuredMs: number;
  measuredConfidence: number;
  estimatedMs: number;
  estimatedConfidence: number;
  totalMs: number;
  tracksHeard: number;
  tracksMeasured: number;
  viaMs: Map<string, number>;
}

/**
 * Sums each track's features weighted by its listening time: measured features
 * (`options.features`) when present, else the genre prior of its artist's genres.
 */
function sumFeatures(
  index: PlayIndex,
  trackMs: ArrayLike<number>,
  genres: GenreBook,
  features: FeatureSource | undefined,
): FeatureSums {
  const measuredSum: Record<FeatureKey, number> = {
    energy: 0,
    valence: 0,
    acousticness: 0,
    instrumentalness: 0,
    danceability: 0,
    intensity: 0,
  };
  const sums: FeatureSums = {
    measuredSum,
    estimatedSum: { ...measuredSum },
    measuredMs: 0,
    measuredConfidence: 0,
    estimatedMs: 0,
    estimatedConfidence: 0,
    totalMs: 0,
    tracksHeard: 0,
    tracksMeasured: 0,
    viaMs: new Map<string, number>(),
  };
  const estimateCache = new Map<number, ReturnType<typeof estimateFeaturesFromGenres>>();
  for (let t = 0; t < trackMs.length; t++) {
    const ms = trackMs[t] as number;
    if (ms <= 0) continue;
    sums.totalMs += ms;
    sums.tracksHeard++;
    const info = index.tracks[t] as (typeof index.tracks)[number];
    const measured = features?.get({
      id: info.id,
      name: info.name,
      artistName: index.artists[info.artist]?.name ?? '',
    });
    if (measured !== undefined) {
      sums.measuredMs += ms;
      sums.measuredConfidence += ms * Math.min(1, Math.max(0, measured.confidence ?? 1));
      sums.tracksMeasured++;
      if (measured.via !== undefined) {
        sums.viaMs.set(measured.via, (sums.viaMs.get(measured.via) ?? 0) + ms);
      }
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
    sums.estimatedMs += ms;
    sums.estimatedConfidence += ms * estimate.confidence;
    for (const key of FEATURE_KEYS) {
      sums.estimatedSum[key] +=
        ms * (key === 'intensity' ? intensityOf(estimate.features) : estimate.features[key]);
    }
  }
  return sums;
}

/**
 * The six audio-feature signals of a profile (see `buildListeningProfile` for how value,
 * source, confidence, `via` and `basis` are derived).
 */
export function featureSignals(
  index: PlayIndex,
  trackMs: ArrayLike<number>,
  genres: GenreBook,
  options: { features?: FeatureSource; genresVia?: string },
): Record<FeatureKey, Signal> {
  const sums = sumFeatures(index, trackMs, genres, options.features);
  // Services that measured the features, most listening time first ("ReccoBeats and X").
  const via = [...sums.viaMs]
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
          basis: { tracks: sums.tracksMeasured, of: sums.tracksHeard },
        };
  const featureSignal = (key: FeatureKey): Signal => {
    const coveredMs = sums.measuredMs + sums.estimatedMs;
    if (sums.totalMs === 0 || coveredMs === 0)
      return { ...signal(0.5, 'estimated', 0), ...measuredExtras() };
    const value = (sums.measuredSum[key] + sums.estimatedSum[key]) / coveredMs;
    const source =
      sums.measuredMs >= sums.totalMs / 2 && options.features !== undefined
        ? options.features.source
        : 'estimated';
    const confidence = (sums.measuredConfidence + sums.estimatedConfidence) / sums.totalMs;
    return { ...signal(value, source, confidence), ...measuredExtras() };
  };
  return {
    energy: featureSignal('energy'),
    valence: featureSignal('valence'),
    acousticness: featureSignal('acousticness'),
    instrumentalness: featureSignal('instrumentalness'),
    danceability: featureSignal('danceability'),
    intensity: featureSignal('intensity'),
  };
}
