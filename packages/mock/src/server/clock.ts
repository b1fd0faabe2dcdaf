import type { MockClock } from './types.js';

/** The mock's controllable clock: it only moves when told to. */
export function createClock(startMs: number): MockClock & { readonly offsetMs: () => number } {
  let now = startMs;
  let offset = 0;
  return {
    now: () => now,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError('advance() takes a non-negative number of ms');
      now += ms;
      offset += ms;
    },
    set(ms: number) {
      if (!Number.isFinite(ms)) throw new RangeError('set() takes a finite time in ms');
      offset += ms - now;
      now = ms;
    },
    offsetMs: () => offset,
  };
}
