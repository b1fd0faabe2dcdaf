import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLibraryIndex, evaluateRule, parseRule } from '../src/index.js';
import { DAY, generatedLibrary, NOW } from './fixtures.js';

// A play log in time order is read by range (binary search on the end times); any other order is
// scanned for its first windows and goes through the day buckets after (the runs below, sharing
// one index, take both). All must answer every windowed field alike.
describe('a play log in time order', () => {
  const library = generatedLibrary({ seed: 7, tracks: 300, plays: 6_000, likes: 100 });
  const sortedPlays = [...(library.plays ?? [])].sort((a, b) => a.endedAt - b.endedAt);
  const options = { now: NOW, timeZone: 'Europe/Berlin' };
  const shuffled = createLibraryIndex(library, options);
  const sorted = createLibraryIndex({ ...library, plays: sortedPlays }, options);

  it('gives the same windowed counts, times, skips, dates and hours as any other order', () => {
    const field = fc.constantFrom(
      'playCount',
      'skipCount',
      'skipRate',
      'minutesPlayed',
      'artistPlayCount',
      'albumPlayCount',
    );
    const window = fc.oneof(
      fc.integer({ min: 1, max: 800 }),
      fc
        .tuple(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 800 }))
        .map(([a, b]) => ({ from: NOW - Math.max(a, b) * DAY, to: NOW - Math.min(a, b) * DAY })),
    );
    fc.assert(
      fc.property(field, window, fc.integer({ min: 0, max: 23 }), (name, w, hour) => {
        const rule = parseRule({
          all: [
            { gt: { [name]: 0 }, window: w },
            { inTheRange: { playedAtHour: [hour, (hour + 3) % 24] }, window: w },
          ],
          sort: [
            { by: name, order: 'desc', window: w },
            { by: 'lastPlayed', order: 'desc', window: w },
            { by: 'firstPlayed', window: w },
          ],
        });
        expect(evaluateRule(rule, sorted).trackIds).toEqual(evaluateRule(rule, shuffled).trackIds);
      }),
      { numRuns: 60, seed: 46 },
    );
  });

  it('keeps a play that ends exactly on a window bound', () => {
    const at = sortedPlays[Math.floor(sortedPlays.length / 2)]!;
    const rule = {
      all: [{ gt: { playCount: 0 }, window: { from: at.endedAt, to: at.endedAt } }],
    };
    const ids = evaluateRule(rule, sorted).trackIds;
    expect(ids).toEqual(evaluateRule(rule, shuffled).trackIds);
    if (at.msPlayed >= 30_000) expect(ids).toContain(at.trackId);
  });
});
