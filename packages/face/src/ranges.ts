import { z } from 'zod';
import { FaceError } from './errors/face-error.js';
import { PARAM_KEYS, PARAM_NAMES, type ParamKey } from './params.js';
import { parseOptions } from './internal/parse-options.js';

/** Inclusive range of valid Notion Faces indices for one parameter. */
export interface ParamRange {
  /** Smallest valid index. */
  readonly min: number;
  /** Largest valid index. */
  readonly max: number;
}

/** Valid index ranges of all eight parameters. */
export type FaceRanges = Readonly<Record<ParamKey, ParamRange>>;

/**
 * The one table of valid Notion Faces indices. faces.notion.com publishes no ranges: these maxima
 * are generous bounds that accept every face string seen in public links (for example
 * `s1e10m18n61h212a8y0b44`) and every index this package's catalogue uses. Override any entry with
 * the `ranges` option of {@link createFaceMapper} or {@link parseNotionFaceUrl}.
 *
 * @example
 * ```ts
 * DEFAULT_RANGES.h; // { min: 0, max: 216 }
 * ```
 */
export const DEFAULT_RANGES: FaceRanges = {
  s: { min: 0, max: 5 },
  e: { min: 0, max: 13 },
  m: { min: 0, max: 19 },
  n: { min: 0, max: 62 },
  h: { min: 0, max: 216 },
  a: { min: 0, max: 15 },
  y: { min: 0, max: 12 },
  b: { min: 0, max: 47 },
};

const rangeSchema = z
  .object({ min: z.number().int().min(0), max: z.number().int().min(0) })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

/**
 * zod schema of a partial ranges override (`{ h: { min: 0, max: 300 } }`).
 *
 * @example
 * ```ts
 * faceRangesSchema.parse({ h: { min: 0, max: 300 } });
 * ```
 */
export const faceRangesSchema = z.partialRecord(z.enum(PARAM_KEYS), rangeSchema);

/** A partial override of {@link DEFAULT_RANGES}. */
export type FaceRangesOverride = Partial<Record<ParamKey, ParamRange>>;

/**
 * Merges an override into {@link DEFAULT_RANGES}, validating it.
 *
 * @example
 * ```ts
 * const ranges = resolveRanges({ h: { min: 0, max: 300 } });
 * ```
 */
export function resolveRanges(override?: FaceRangesOverride): FaceRanges {
  if (override === undefined) return DEFAULT_RANGES;
  const parsed = parseOptions(faceRangesSchema, override, 'ranges');
  return { ...DEFAULT_RANGES, ...parsed } as FaceRanges;
}

/** Throws OUT_OF_RANGE when `value` is not an integer inside the parameter's range. */
export function assertInRange(
  key: ParamKey,
  value: number,
  ranges: FaceRanges,
  context: string,
  plugin?: string,
): void {
  const range = ranges[key];
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new FaceError({
      code: plugin === undefined ? 'OUT_OF_RANGE' : 'PLUGIN_RESULT_INVALID',
      message: `${context}: ${PARAM_NAMES[key]} (${key}) must be an integer in ${range.min}..${range.max}, got ${value}`,
      ...(plugin === undefined ? {} : { plugin }),
    });
  }
}
