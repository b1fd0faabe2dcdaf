import { zoneOffsets } from '@spoti/catalog';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLibraryIndex, evaluateRule } from '../src/index.js';
import { NOW, play, track } from './fixtures.js';

const DAY = 86_400_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Hour and weekday of a play as the remainder formula gives them (the reference). */
function expected(at: number, timeZone: string): { hour: number; weekday: number } {
  const local = zoneOffsets(timeZone).local(at);
  const dayMs = ((local % DAY) + DAY) % DAY;
  return {
    hour: Math.floor(dayMs / 3_600_000),
    weekday: (((Math.floor(local / DAY) + 4) % 7) + 7) % 7,
  };
}

describe('local hour and weekday of plays', () => {
  it('match the remainder formula for any instant, before 1970 and on clock changes too', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -2_208_988_800_000, max: 4_102_444_800_000 }),
            fc.double({ min: -2e12, max: 4e12, noNaN: true }),
            // Around the 2026 clock changes in Europe and the US.
            fc.integer({ min: Date.UTC(2026, 2, 8), max: Date.UTC(2026, 2, 30) }),
            fc.integer({ min: Date.UTC(2026, 9, 24), max: Date.UTC(2026, 10, 2) }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.constantFrom('Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'UTC'),
        (instants, timeZone) => {
          const tracks = instants.map((_, k) => track(`t${k}`, `Song ${k}`));
          const plays = instants.map((at, k) => play(`t${k}`, at));
          const index = createLibraryIndex({ tracks, plays }, { now: NOW, timeZone });
          for (let h = 0; h < 24; h++) {
            const want = instants.flatMap((at, k) =>
              expected(at, timeZone).hour === h ? [`t${k}`] : [],
            );
            const got = evaluateRule({ all: [{ is: { playedAtHour: h } }] }, index).trackIds;
            expect([...got].sort()).toEqual(want.sort());
          }
          for (let w = 0; w < 7; w++) {
            const want = instants.flatMap((at, k) =>
              expected(at, timeZone).weekday === w ? [`t${k}`] : [],
            );
            const got = evaluateRule(
              { all: [{ is: { playedOnWeekday: WEEKDAYS[w]! } }] },
              index,
            ).trackIds;
            expect([...got].sort()).toEqual(want.sort());
          }
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });
});
