import { z } from 'zod';
import { parseOptions } from '../internal/parse-options.js';

/**
 * The answer of {@link canSkip}.
 *
 * @example
 * ```ts
 * const d: SkipDecision = canSkip(skips, Date.now());
 * if (!d.allowed) console.log(`next skip at ${new Date(d.retryAt).toISOString()}`);
 * ```
 */
export type SkipDecision =
  | { readonly allowed: true; readonly remaining: number | null }
  | { readonly allowed: false; readonly remaining: 0; readonly retryAt: number };

const canSkipSchema = z.object({
  history: z.array(z.number().int()).readonly(),
  now: z.number().int(),
  limit: z.number().int().positive().nullable().default(6),
  windowMs: z.number().int().positive().default(3_600_000),
});

function isHistory(value: CanSkipOptions | readonly number[]): value is readonly number[] {
  return Array.isArray(value);
}

/**
 * Options of {@link canSkip}.
 *
 * @example
 * ```ts
 * canSkip({ history: skips, now: Date.now(), limit: 6, windowMs: 3_600_000 } satisfies CanSkipOptions);
 * ```
 */
export interface CanSkipOptions {
  /** Unix ms of the listener's earlier skips (any order; older ones are ignored). */
  readonly history: readonly number[];
  /** Unix ms. */
  readonly now: number;
  /** Skips allowed per window; null = unlimited. Default 6 (Free). */
  readonly limit?: number | null;
  /** Rolling window length in ms. Default one hour. */
  readonly windowMs?: number;
}

/**
 * Rolling-window skip limiter (Free: 6 skips in any 60 minutes). A skip at `t` counts while
 * `now - t < windowMs`. When the window is full, the answer says when the oldest counted skip
 * leaves it: `retryAt = oldest + windowMs`. The caller records the skip only when allowed.
 * Skips after `now` (clock skew) are ignored.
 *
 * Also callable as `canSkip(history, now, options?)`; pass `limit: entitlements.skipsPerHour`
 * to follow the listener's plan (null = unlimited).
 *
 * @example
 * ```ts
 * canSkip({ history: skips, now: Date.now() }); // { allowed: true, remaining: 5 }
 * canSkip(skips, Date.now(), { limit: entitlements.skipsPerHour });
 * ```
 */
export function canSkip(options: CanSkipOptions): SkipDecision;
export function canSkip(
  history: readonly number[],
  now: number,
  options?: Omit<CanSkipOptions, 'history' | 'now'>,
): SkipDecision;
export function canSkip(
  first: CanSkipOptions | readonly number[],
  now?: number,
  rest: Omit<CanSkipOptions, 'history' | 'now'> = {},
): SkipDecision {
  const options: CanSkipOptions = isHistory(first)
    ? { ...rest, history: first, now: now ?? Number.NaN }
    : first;
  const o = parseOptions(canSkipSchema, options, 'canSkip options');
  if (o.limit === null) return { allowed: true, remaining: null };
  const inWindow = o.history
    .filter((t) => t <= o.now && o.now - t < o.windowMs)
    .sort((a, b) => b - a);
  if (inWindow.length < o.limit) return { allowed: true, remaining: o.limit - inWindow.length - 1 };
  // The limit-th most recent skip must leave the window before another fits.
  const blocking = inWindow[o.limit - 1]!;
  return { allowed: false, remaining: 0, retryAt: blocking + o.windowMs };
}
