import { type GenreFamily, genreFamilyOf } from '../profile/genre-family.js';

/** The audio features the profile uses, Spotify's definitions (0..1; `loudness` in dB, -60..0). */
export interface AudioFeatureValues {
  energy: number;
  valence: number;
  acousticness: number;
  instrumentalness: number;
  danceability: number;
  /** Decibels; optional (used for `intensity`). */
  loudness?: number;
}

/** A track as handed to a {@link FeatureSource}. */
export interface TrackRef {
  readonly id: string | null;
  readonly name: string;
  readonly artistName: string;
}

/** Measured features of one track, with the service they came from when it is known. */
export interface MeasuredFeatures extends AudioFeatureValues {
  /** The service that measured them (e.g. `ReccoBeats`); named in the profile and the face. */
  readonly via?: string;
  /** 0..1 trust in these values (default 1: a measurement); another service's estimate is less. */
  readonly confidence?: number;
}

/**
 * A pluggable source of measured audio features: Spotify's (for apps that still have the
 * endpoint; fetch them with a client and hand them over), values the caller supplies, or values
 * from an enrichment service (`@spoti/enrich`, which names the service per track in `via`).
 * Tracks it does not know fall back to the genre prior estimator.
 */
export interface FeatureSource {
  readonly source: 'spotify' | 'supplied' | 'enriched';
  /** Features of a track, or undefined when unknown. */
  get(track: TrackRef): MeasuredFeatures | undefined;
}

/**
 * A {@link FeatureSource} over a map of track id -> features.
 *
 * @example
 * ```ts
 * // features fetched from GET /audio-features by an app that still has access
 * const source = featureSourceFromMap('spotify', new Map([['4uLU6hMCjMI75M1A2tKUQC', { energy: 0.8, valence: 0.6, acousticness: 0.1, instrumentalness: 0, danceability: 0.7 }]]));
 * ```
 */
export function featureSourceFromMap(
  source: FeatureSource['source'],
  features: ReadonlyMap<string, MeasuredFeatures>,
): FeatureSource {
  return { source, get: (track) => (track.id === null ? undefined : features.get(track.id)) };
}

type Prior = Required<AudioFeatureValues>;
const p = (
  energy: number,
  valence: number,
  acousticness: number,
  instrumentalness: number,
  danceability: number,
  loudness: number,
): Prior => ({ energy, valence, acousticness, instrumentalness, danceability, loudness });

/**
 * The documented genre -> audio-feature prior: typical values of each family (from the published
 * ranges of Spotify's audio features per genre: metal loud and dark, classical acoustic and
 * instrumental, latin and reggae bright and danceable, ...).
 *
 * @example
 * ```ts
 * GENRE_FEATURE_PRIORS.metal.energy; // 0.9
 * ```
 */
export const GENRE_FEATURE_PRIORS: Readonly<
  Record<GenreFamily, Readonly<Required<AudioFeatureValues>>>
> = {
  rock: p(0.7, 0.45, 0.15, 0.1, 0.47, -7.5),
  metal: p(0.9, 0.3, 0.02, 0.22, 0.4, -5.5),
  punk: p(0.88, 0.5, 0.03, 0.05, 0.45, -5.5),
  pop: p(0.66, 0.58, 0.2, 0.02, 0.67, -6.5),
  electronic: p(0.78, 0.45, 0.06, 0.6, 0.7, -7),
  'hip hop': p(0.65, 0.5, 0.14, 0.02, 0.76, -7),
  'r&b': p(0.56, 0.53, 0.24, 0.03, 0.68, -7.5),
  jazz: p(0.4, 0.5, 0.7, 0.5, 0.53, -12.5),
  blues: p(0.52, 0.52, 0.48, 0.1, 0.54, -10),
  classical: p(0.17, 0.26, 0.9, 0.85, 0.26, -20),
  folk: p(0.35, 0.45, 0.78, 0.07, 0.51, -11),
  country: p(0.6, 0.58, 0.33, 0.02, 0.59, -7.2),
  latin: p(0.73, 0.7, 0.22, 0.03, 0.74, -5.8),
  reggae: p(0.58, 0.7, 0.14, 0.06, 0.74, -7.5),
  world: p(0.56, 0.6, 0.48, 0.18, 0.6, -9),
  soundtrack: p(0.34, 0.24, 0.6, 0.8, 0.3, -15.5),
  ambient: p(0.15, 0.2, 0.8, 0.87, 0.24, -21),
};

/** Keyword adjustments that move a genre away from its family's prior. */
const KEYWORDS: readonly (readonly [RegExp, Partial<Prior>])[] = [
  [
    /death|black|grind|thrash|hardcore|gabber|hardstyle|djent|speed/,
    { energy: 0.96, valence: 0.2 },
  ],
  [/doom|sludge|stoner/, { energy: 0.8, valence: 0.16 }],
  [
    /acoustic|singer-songwriter|traditional|bluegrass|unplugged/,
    { acousticness: 0.88, energy: 0.32 },
  ],
  [
    /dance|house|disco|reggaeton|salsa|bachata|cumbia|amapiano|afrobeats/,
    { danceability: 0.82, valence: 0.68 },
  ],
  [
    /lo-fi|chill|downtempo|sleep|smooth|bossa|new age|dream|quiet storm/,
    { energy: 0.32, loudness: -12.5 },
  ],
  [/emo|sad|gothic|dark/, { valence: 0.22 }],
  [/trance|psytrance|techno/, { energy: 0.86 }],
];

/** An estimate of a track's features from its genres. */
export interface FeatureEstimate {
  readonly features: Required<AudioFeatureValues>;
  /** 0..1: how much the genres pinned the estimate down (share of genres with a known family, scaled by agreement). */
  readonly confidence: number;
}

const KEYS = [
  'energy',
  'valence',
  'acousticness',
  'instrumentalness',
  'danceability',
  'loudness',
] as const;

/**
 * The built-in audio-feature estimator: averages the prior of each genre's family
 * ({@link GENRE_FEATURE_PRIORS}), adjusted by keywords of the genre name (`death`, `acoustic`,
 * `dance`, `lo-fi`, ...). Returns null when no genre maps to a family (the profile then says the
 * signal is unknown instead of inventing one).
 *
 * Confidence: 0.5 at most (a genre prior is not a measurement), times the share of genres that
 * mapped to a family, times how much those genres agree (1 - mean spread of their energy and
 * acousticness).
 *
 * @example
 * ```ts
 * estimateFeaturesFromGenres(['death metal', 'thrash metal'])?.features.energy; // ~0.96
 * ```
 */
export function estimateFeaturesFromGenres(genres: readonly string[]): FeatureEstimate | null {
  const estimates: Prior[] = [];
  for (const genre of genres) {
    const family = genreFamilyOf(genre);
    if (family === null) continue;
    const value: Prior = { ...GENRE_FEATURE_PRIORS[family] };
    const name = genre.toLowerCase();
    for (const [pattern, tweak] of KEYWORDS) if (pattern.test(name)) Object.assign(value, tweak);
    estimates.push(value);
  }
  if (estimates.length === 0) return null;
  const mean = {} as Prior;
  for (const key of KEYS) {
    mean[key] = estimates.reduce((sum, e) => sum + e[key], 0) / estimates.length;
  }
  const spread =
    estimates.reduce(
      (sum, e) =>
        sum + Math.abs(e.energy - mean.energy) + Math.abs(e.acousticness - mean.acousticness),
      0,
    ) /
    (2 * estimates.length);
  const confidence = 0.5 * (estimates.length / genres.length) * Math.max(0, 1 - 2 * spread);
  return { features: mean, confidence };
}

/**
 * Intensity of a sound, 0..1: `0.65 * energy + 0.35 * loudness01`, where loudness01 maps
 * -25 dB..-4 dB to 0..1 (energy alone when loudness is unknown).
 *
 * @example
 * ```ts
 * intensityOf({ energy: 0.9, valence: 0.3, acousticness: 0, instrumentalness: 0, danceability: 0.4, loudness: -5 }); // ~0.92
 * ```
 */
export function intensityOf(features: AudioFeatureValues): number {
  if (features.loudness === undefined) return features.energy;
  const loud = Math.min(1, Math.max(0, (features.loudness + 25) / 21));
  return Math.min(1, Math.max(0, 0.65 * features.energy + 0.35 * loud));
}
