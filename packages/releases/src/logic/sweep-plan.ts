import type { ArtistCursor, SweepStop } from '../domain/types.js';
import type { ResolvedWatcherOptions } from '../options.js';

/**
 * The meta key under which a day's calls are counted: `calls:YYYY-MM-DD` (UTC) of `at`.
 *
 * @example
 * ```ts
 * callsDayKey(Date.UTC(2026, 11, 6, 7)); // 'calls:2026-12-06'
 * ```
 */
export function callsDayKey(at: number): string {
  return `calls:${new Date(at).toISOString().slice(0, 10)}`;
}

/**
 * Calls one sweep may spend: the allowance paced over the sweep's duration, capped by
 * `maxCallsPerSweep` and by what is left of the day's calls; never negative.
 *
 * @example
 * ```ts
 * sweepCallBudget({ allowance: 3000, windowMs: 30_000, sweepDurationMs: 60_000, dailyCalls: 10_000 }, 9_000); // 1000
 * ```
 */
export function sweepCallBudget(
  budget: ResolvedWatcherOptions['budget'],
  usedToday: number,
): number {
  const paced = Math.floor((budget.allowance * budget.sweepDurationMs) / budget.windowMs);
  return Math.max(
    0,
    Math.min(
      budget.maxCallsPerSweep ?? Number.POSITIVE_INFINITY,
      paced,
      budget.dailyCalls - usedToday,
    ),
  );
}

/**
 * The cursor after a failed scan: one more failure, the error kept, and due again at once, or
 * after `intervalMs` when the error will not pass by retrying (`NOT_FOUND`, `BAD_REQUEST`).
 *
 * @example
 * ```ts
 * await store.putCursor(cursorAfterFailure(cursor, { code: 'SERVER_ERROR', message: '502' }, now, interval));
 * ```
 */
export function cursorAfterFailure(
  cursor: ArtistCursor,
  error: { readonly code: string; readonly message: string },
  now: number,
  intervalMs: number,
): ArtistCursor {
  const permanent = error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST';
  return {
    ...cursor,
    failures: cursor.failures + 1,
    lastError: { code: error.code, message: error.message, at: now },
    nextScanAt: permanent ? now + intervalMs : now,
  };
}

/**
 * How a sweep ended when its workers stopped by themselves: `budget` when fewer artists were
 * listed than were due, else `complete`; a stop already decided (rate limit, abort, budget) wins.
 *
 * @example
 * ```ts
 * sweepStop(null, 40, 50); // 'budget'
 * ```
 */
export function sweepStop(stop: SweepStop | null, listed: number, due: number): SweepStop {
  return stop ?? (listed < due ? 'budget' : 'complete');
}
