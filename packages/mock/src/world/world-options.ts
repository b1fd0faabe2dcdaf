import { z } from 'zod';
import { PERSONA_NAMES } from './personas.js';
import type { PersonaName, WorldOptions, WorldSize } from './types.js';
import { parseOptions } from '../server/parse-options.js';

/** What each size preset generates. */
export interface SizePreset {
  readonly users: number;
  readonly artists: number;
  readonly historyDays: number;
}

/**
 * The size presets of {@link WorldOptions.size} (tracks are about 25 per artist, editions included).
 *
 * @example
 * ```ts
 * const { users, artists, historyDays } = WORLD_SIZES.medium; // 60 users, 1500 artists, 3 years
 * ```
 */
export const WORLD_SIZES: Readonly<Record<WorldSize, SizePreset>> = {
  tiny: { users: 3, artists: 50, historyDays: 60 },
  small: { users: 12, artists: 400, historyDays: 730 },
  medium: { users: 60, artists: 1500, historyDays: 1095 },
  large: { users: 300, artists: 4000, historyDays: 730 },
};

/**
 * Default world "now" (where the mock's clock starts): 2026-11-01T12:00:00Z.
 *
 * @example
 * ```ts
 * const world = createWorld({ seed: 1, startTimeMs: DEFAULT_START_TIME_MS + 86_400_000 });
 * ```
 */
export const DEFAULT_START_TIME_MS = Date.UTC(2026, 10, 1, 12);

const schema = z.object({
  seed: z.number().int().safe(),
  size: z.enum(['tiny', 'small', 'medium', 'large']).optional(),
  users: z.number().int().min(1).max(100_000).optional(),
  artists: z.number().int().min(5).max(1_000_000).optional(),
  startTimeMs: z.number().int().min(0).optional(),
  historyDays: z
    .number()
    .int()
    .min(1)
    .max(365 * 150)
    .optional(),
  personas: z
    .array(z.enum(PERSONA_NAMES as [PersonaName, ...PersonaName[]]))
    .min(1)
    .optional(),
  activity: z.number().min(0.1).max(10).optional(),
});

/** World options after validation, with defaults applied. */
export interface ResolvedWorldOptions {
  readonly seed: number;
  readonly size: WorldSize;
  readonly users: number;
  readonly artists: number;
  readonly startTimeMs: number;
  readonly historyDays: number;
  readonly personas: readonly PersonaName[];
  readonly activity: number;
}

/** Validates {@link WorldOptions} and applies the preset's defaults; throws `MockError('INVALID_OPTIONS')`. */
export function resolveWorldOptions(options: WorldOptions): ResolvedWorldOptions {
  const o = parseOptions(schema, options, 'world options');
  const size = o.size ?? 'small';
  const preset = WORLD_SIZES[size];
  return {
    seed: o.seed,
    size,
    users: o.users ?? preset.users,
    artists: o.artists ?? preset.artists,
    startTimeMs: o.startTimeMs ?? DEFAULT_START_TIME_MS,
    historyDays: o.historyDays ?? preset.historyDays,
    personas: o.personas ?? PERSONA_NAMES,
    activity: o.activity ?? 1,
  };
}
