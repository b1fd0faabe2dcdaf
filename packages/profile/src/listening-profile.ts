import { z } from 'zod';
import { GENRE_FAMILIES, type GenreFamily } from './genre-family.js';

/**
 * Where a signal's value comes from:
 * - `spotify`: Spotify's audio features (only apps that still have them);
 * - `supplied`: audio features the caller supplied;
 * - `enriched`: audio features from an enrichment service (`@spoti/enrich`), named in `via`;
 * - `estimated`: the built-in genre prior estimator (see `estimateFeaturesFromGenres`);
 * - `history`: computed from the plays themselves (time of day, genres, artists).
 */
export type SignalSource = 'spotify' | 'supplied' | 'enriched' | 'estimated' | 'history';

/**
 * One normalised signal of a {@link ListeningProfile}: a value in 0..1, where it came from, and
 * how much to trust it (0 = a guess, 1 = measured on every play).
 */
export interface Signal {
  /** 0..1. */
  value: number;
  source: SignalSource;
  /** 0..1. */
  confidence: number;
  /** The service(s) the values came from, e.g. `ReccoBeats` or `MusicBrainz` (enriched profiles). */
  via?: string | undefined;
  /** For audio-feature signals: how many of the period's tracks had measured features. */
  basis?: { tracks: number; of: number } | undefined;
}

/**
 * The versioned summary of one listener over one period that `@spoti/face` turns into a face.
 * Every signal is documented in the analytics guide (how it is computed, what 0 and 1 mean).
 */
export interface ListeningProfile {
  version: 1;
  /** The period the profile covers; `from`/`to` are ISO 8601 instants, `label` e.g. `short_term`, `2025`, `all`. */
  period: { label: string; from: string; to: string };
  /** The listener's IANA time zone the time-of-day signals were computed in. */
  timeZone: string;
  signals: {
    /** Mean audio energy of the minutes listened (0 calm, 1 intense). */
    energy: Signal;
    /** Mean valence (0 sad/dark, 1 happy/bright). */
    valence: Signal;
    /** Mean acousticness (0 electric/produced, 1 acoustic). */
    acousticness: Signal;
    /** Mean instrumentalness (0 vocal, 1 instrumental). */
    instrumentalness: Signal;
    /** Mean danceability (0 not danceable, 1 very). */
    danceability: Signal;
    /** Loudness-and-energy intensity (0 soft, 1 loud and aggressive). */
    intensity: Signal;
    /** 1 = one family all the time, 0 = evenly spread over every family. */
    genreConsistency: Signal;
    /** 1 = listening spread over all hours, 0 = all in one hour. */
    timeOfDayDiversity: Signal;
    /** Share of listening time between 22:00 and 05:00 local time. */
    nightShare: Signal;
    /** New-artist discovery rate: share of plays that were a listener's first play of an artist, rescaled (see docs). */
    discovery: Signal;
  };
  /** The most listened genre, or null when no genre is known. */
  topGenre: { name: string; family: GenreFamily; share: number; via?: string | undefined } | null;
  /** Families by share of listening time, sorted descending; shares sum to at most 1 (unknown genres are left out). */
  genreFamilies: readonly { family: GenreFamily; share: number }[];
  topArtists: readonly { id: string | null; name: string; plays: number; msPlayed: number }[];
  topTracks: readonly {
    id: string | null;
    name: string;
    artistName: string;
    plays: number;
    msPlayed: number;
  }[];
  /** 24 shares of listening time by local hour, summing to 1 (all 0 without plays). */
  hours: readonly number[];
  /** Milestones reached, with the instant each was reached. */
  achievements: readonly { id: string; label: string; reachedAt: string }[];
  totals: {
    plays: number;
    msPlayed: number;
    uniqueTracks: number;
    uniqueArtists: number;
    days: number;
  };
}

const unit = z.number().min(0).max(1);
const count = z.number().int().nonnegative();
const isoInstant = z.iso.datetime({ offset: true });

const signalSchema = z.object({
  value: unit,
  source: z.enum(['spotify', 'supplied', 'enriched', 'estimated', 'history']),
  confidence: unit,
  via: z.string().min(1).max(200).optional(),
  basis: z
    .object({ tracks: z.number().int().nonnegative(), of: z.number().int().nonnegative() })
    .refine((b) => b.tracks <= b.of, { message: 'basis.tracks must be at most basis.of' })
    .optional(),
});

const familySchema = z.enum(GENRE_FAMILIES);

/** Tolerance for floating-point sums of shares. */
const EPSILON = 1e-6;

/**
 * The audio-feature signals of a profile, in the order the profile lists them: the signals a
 * producer computes from track audio features (measured or estimated from genres).
 *
 * @example
 * ```ts
 * for (const key of FEATURE_KEYS) console.log(key, profile.signals[key].value);
 * ```
 */
export const FEATURE_KEYS = [
  'energy',
  'valence',
  'acousticness',
  'instrumentalness',
  'danceability',
  'intensity',
] as const satisfies readonly (keyof ListeningProfile['signals'])[];
/** One of {@link FEATURE_KEYS}. */
export type FeatureKey = (typeof FEATURE_KEYS)[number];

/**
 * zod schema of a {@link ListeningProfile}: checks the version, every signal's range, share
 * sums (`hours` sums to 1 or is all 0, `genreFamilies` sums to at most 1 and is sorted
 * descending) and ISO instants.
 *
 * @example
 * ```ts
 * const result = listeningProfileSchema.safeParse(JSON.parse(text));
 * if (!result.success) console.error(result.error.issues);
 * ```
 */
export const listeningProfileSchema: z.ZodType<ListeningProfile> = z.object({
  version: z.literal(1),
  period: z.object({ label: z.string().min(1), from: isoInstant, to: isoInstant }),
  timeZone: z.string().min(1),
  signals: z.object({
    energy: signalSchema,
    valence: signalSchema,
    acousticness: signalSchema,
    instrumentalness: signalSchema,
    danceability: signalSchema,
    intensity: signalSchema,
    genreConsistency: signalSchema,
    timeOfDayDiversity: signalSchema,
    nightShare: signalSchema,
    discovery: signalSchema,
  }),
  topGenre: z
    .object({
      name: z.string().min(1),
      family: familySchema,
      share: unit,
      via: z.string().min(1).max(200).optional(),
    })
    .nullable(),
  genreFamilies: z
    .array(z.object({ family: familySchema, share: unit }))
    .readonly()
    .refine((list) => list.reduce((sum, f) => sum + f.share, 0) <= 1 + EPSILON, {
      message: 'genre family shares must sum to at most 1',
    })
    .refine((list) => list.every((f, i) => i === 0 || (list[i - 1]?.share ?? 0) >= f.share), {
      message: 'genre families must be sorted by share, descending',
    }),
  topArtists: z
    .array(z.object({ id: z.string().nullable(), name: z.string(), plays: count, msPlayed: count }))
    .readonly(),
  topTracks: z
    .array(
      z.object({
        id: z.string().nullable(),
        name: z.string(),
        artistName: z.string(),
        plays: count,
        msPlayed: count,
      }),
    )
    .readonly(),
  hours: z
    .array(unit)
    .length(24)
    .readonly()
    .refine(
      (hours) => {
        const sum = hours.reduce((a, b) => a + b, 0);
        return Math.abs(sum - 1) <= EPSILON || sum === 0;
      },
      { message: 'hours must sum to 1 (or be all 0 when there are no plays)' },
    ),
  achievements: z
    .array(z.object({ id: z.string().min(1), label: z.string().min(1), reachedAt: isoInstant }))
    .readonly(),
  totals: z.object({
    plays: count,
    msPlayed: count,
    uniqueTracks: count,
    uniqueArtists: count,
    days: count,
  }),
});

/**
 * The achievement ids the profile may carry (the face maps these ids; the set is stable).
 *
 * @example
 * ```ts
 * if (profile.achievements.some((a) => a.id === ACHIEVEMENT_IDS[3])) console.log('night owl');
 * ```
 */
export const ACHIEVEMENT_IDS = [
  'hours-100',
  'hours-1000',
  'artists-500',
  'night-owl',
  'early-bird',
  'streak-30',
  'explorer',
  'loyal-fan',
  'marathon',
] as const;

/** One of {@link ACHIEVEMENT_IDS}. */
export type AchievementId = (typeof ACHIEVEMENT_IDS)[number];
