import { z } from 'zod';

/** The answer of {@link canSkip}. */
export type SkipDecision =
  | { readonly allowed: true; readonly remaining: number | null }
  | { readonly allowed: false; readonly remaining: 0; readonly retryAt: number };

const canSkipSchema = z.object({
  history: z.array(z.number().int()).readonly(),
  now: z.number().int(),
  limit: z.number().int().positive().nullable().default(6),
  windowMs: z.number().int().positive().default(3_600_000),
});

/** Options of {@link canSkip}. */
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
 *
 * @example
 * ```ts
 * canSkip({ history: skips, now: Date.now() }); // { allowed: true, remaining: 5 }
 * ```
 */
export function canSkip(options: CanSkipOptions): SkipDecision {
  const o = canSkipSchema.parse(options);
  if (o.limit === null) return { allowed: true, remaining: null };
  const inWindow = o.history
    .filter((t) => t <= o.now && o.now - t < o.windowMs)
    .sort((a, b) => b - a);
  if (inWindow.length < o.limit) return { allowed: true, remaining: o.limit - inWindow.length - 1 };
  // The limit-th most recent skip must leave the window before another fits.
  const blocking = inWindow[o.limit - 1]!;
  return { allowed: false, remaining: 0, retryAt: blocking + o.windowMs };
}
