import { z } from 'zod';
import { FaceError } from '../errors/face-error.js';
import type { FaceProfile } from '../profile-input.js';

/** What the statistics overlay shows. */
export interface FaceStats {
  /** The listener's display name (any script). */
  readonly userName: string;
  /** Generation date as shown (the caller passes it: no clock is read). */
  readonly generatedAt: string;
  /** Period label shown in the badge (`short_term`, `2025`, ...). */
  readonly period: string | null;
  /** Heading of the list, e.g. `Top artists`. */
  readonly listTitle: string;
  /** Up to three names. */
  readonly top: readonly string[];
  /** Hours listened in the period. */
  readonly hours: number;
  /** Top genre, or null. */
  readonly topGenre: string | null;
}

/**
 * zod schema of {@link FaceStats}.
 *
 * @example
 * ```ts
 * const stats = faceStatsSchema.parse(JSON.parse(text));
 * ```
 */
export const faceStatsSchema = z.object({
  userName: z.string(),
  generatedAt: z.string(),
  period: z.string().nullable(),
  listTitle: z.string(),
  top: z.array(z.string()).max(10),
  hours: z.number().nonnegative().finite(),
  topGenre: z.string().nullable(),
});

const PERIOD_NAMES: Readonly<Record<string, string>> = {
  short_term: 'Last 4 weeks',
  medium_term: 'Last 6 months',
  long_term: 'All time',
  all: 'All time',
};

/**
 * Builds the overlay statistics from a profile. `generatedAt` is a parameter (a Date or an ISO
 * string); the date is shown as YYYY-MM-DD.
 *
 * @example
 * ```ts
 * const stats = statsFromProfile(profile, { userName: 'Ada', generatedAt: new Date('2026-11-28') });
 * ```
 */
export function statsFromProfile(
  profile: FaceProfile,
  options: {
    readonly userName: string;
    readonly generatedAt: Date | string;
    readonly list?: 'artists' | 'tracks';
  },
): FaceStats {
  const at =
    typeof options.generatedAt === 'string' ? new Date(options.generatedAt) : options.generatedAt;
  if (Number.isNaN(at.getTime()))
    throw new FaceError({
      code: 'INVALID_OPTIONS',
      message: 'statsFromProfile: generatedAt is not a valid date',
    });
  const tracks = options.list === 'tracks';
  const top = tracks
    ? (profile.topTracks ?? []).slice(0, 3).map((t) => `${t.name} - ${t.artistName}`)
    : (profile.topArtists ?? []).slice(0, 3).map((a) => a.name);
  const label = profile.period.label;
  return {
    userName: options.userName,
    generatedAt: at.toISOString().slice(0, 10),
    period: PERIOD_NAMES[label] ?? label,
    listTitle: tracks ? 'Top tracks' : 'Top artists',
    top,
    hours: Math.round((profile.totals?.msPlayed ?? 0) / 3_600_000),
    topGenre: profile.topGenre?.name ?? null,
  };
}
