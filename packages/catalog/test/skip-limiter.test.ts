import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canSkip } from '../src/index.js';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 5, 1);

describe('canSkip', () => {
  it('allows six skips per rolling hour and says when the next one fits', () => {
    const history = [T, T + 1000, T + 2000, T + 3000, T + 4000];
    expect(canSkip({ history, now: T + 5000 })).toEqual({ allowed: true, remaining: 0 });
    const full = [...history, T + 5000];
    expect(canSkip({ history: full, now: T + 6000 })).toEqual({
      allowed: false,
      remaining: 0,
      retryAt: T + HOUR,
    });
    expect(canSkip({ history: full, now: T + HOUR })).toEqual({ allowed: true, remaining: 0 });
    expect(canSkip({ history: full, now: T, limit: null })).toEqual({
      allowed: true,
      remaining: null,
    });
  });

  it('takes (history, now, options?) positionally and follows the plan limit', () => {
    const six = [0, 1, 2, 3, 4, 5].map((i) => T + i * 60_000);
    expect(canSkip(six, T + 10 * 60_000)).toEqual({
      allowed: false,
      remaining: 0,
      retryAt: T + HOUR,
    });
    expect(canSkip(six, T + 10 * 60_000, { limit: null })).toEqual({
      allowed: true,
      remaining: null,
    });
    expect(canSkip(six, T + 10 * 60_000, { limit: 7 })).toEqual({ allowed: true, remaining: 0 });
    // Skips recorded after `now` (clock skew) do not count.
    expect(canSkip([T + HOUR], T)).toEqual({ allowed: true, remaining: 5 });
    expect(() => canSkip(six, Number.NaN)).toThrow(/Invalid canSkip options: now/);
    expect(() => canSkip({ history: six, now: T, limit: 0 })).toThrow(
      expect.objectContaining({ name: 'CatalogError', code: 'INVALID_INPUT' }),
    );
  });

  it('never lets more than `limit` skips into any window, and retryAt is exact (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 * HOUR }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 8 }),
        (attemptsRaw, limit) => {
          const attempts = [...attemptsRaw].sort((a, b) => a - b).map((x) => T + x);
          const accepted: number[] = [];
          for (const now of attempts) {
            const d = canSkip({ history: accepted, now, limit });
            if (d.allowed) accepted.push(now);
            else {
              expect(d.retryAt).toBeGreaterThan(now);
              expect(canSkip({ history: accepted, now: d.retryAt, limit }).allowed).toBe(true);
              expect(canSkip({ history: accepted, now: d.retryAt - 1, limit }).allowed).toBe(false);
            }
          }
          for (const t of accepted) {
            const inWindow = accepted.filter((s) => s >= t && s - t < HOUR);
            expect(inWindow.length).toBeLessThanOrEqual(limit);
          }
        },
      ),
    );
  });
});
