import type { GenreFamily, ListeningProfile } from '@spoti/profile';
import { z } from 'zod';
import { parseOptions } from './internal/parse-options.js';

/**
 * The part of a `ListeningProfile` (the contract in `@spoti/profile`; built by `@spoti/analytics`) the
 * face reads. Any object with these fields works, so the face is usable without analytics.
 */
export type FaceProfile = Pick<
  ListeningProfile,
  'signals' | 'topGenre' | 'genreFamilies' | 'achievements' | 'period'
> &
  Partial<Pick<ListeningProfile, 'topArtists' | 'topTracks' | 'totals' | 'timeZone' | 'version'>>;

export type { GenreFamily, ListeningProfile };

const unit = z.number().min(0).max(1);
const signal = z.object({
  value: unit,
  source: z.string(),
  confidence: unit,
  via: z.string().max(200).optional(),
  basis: z
    .object({ tracks: z.number().int().nonnegative(), of: z.number().int().nonnegative() })
    .optional(),
});

/**
 * zod schema of {@link FaceProfile}: the fields the mapping reads, with their ranges.
 *
 * @example
 * ```ts
 * const ok = faceProfileSchema.safeParse(JSON.parse(text)).success;
 * ```
 */
export const faceProfileSchema = z.object({
  period: z.object({ label: z.string() }),
  signals: z.object({
    energy: signal,
    valence: signal,
    acousticness: signal,
    instrumentalness: signal,
    intensity: signal,
    genreConsistency: signal,
    timeOfDayDiversity: signal,
    nightShare: signal.optional(),
    danceability: signal.optional(),
    discovery: signal.optional(),
  }),
  topGenre: z
    .object({
      name: z.string(),
      family: z.string(),
      share: unit,
      via: z.string().max(200).optional(),
    })
    .nullable(),
  genreFamilies: z.array(z.object({ family: z.string(), share: unit })),
  achievements: z.array(z.object({ id: z.string(), label: z.string(), reachedAt: z.string() })),
});

/**
 * Validates a profile at the boundary; throws INVALID_PROFILE naming the bad fields.
 *
 * @example
 * ```ts
 * assertFaceProfile(JSON.parse(text)); // throws FaceError INVALID_PROFILE naming bad fields
 * ```
 */
export function assertFaceProfile(profile: unknown): asserts profile is FaceProfile {
  parseOptions(faceProfileSchema, profile, 'listening profile', {
    code: 'INVALID_PROFILE',
    maxIssues: 5,
  });
}
