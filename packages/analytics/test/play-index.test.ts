import { dedupePlays, type Play } from '@spoti/catalog';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlayIndex } from '../src/stats/play-index.js';
import { play } from './helpers.js';

const arbitraryPlay = fc
  .record({
    user: fc.constantFrom('u1', 'u2'),
    track: fc.option(fc.constantFrom('t1', 't2', 't3'), { nil: null }),
    artist: fc.constantFrom('Beyoncé', 'BEYONCE', 'Sigur Rós', 'Straße'),
    name: fc.constantFrom('Halo', 'halo!', 'Hoppípolla'),
    second: fc.integer({ min: 0, max: 40 }),
    millis: fc.integer({ min: 0, max: 999 }),
    minute: fc.boolean(),
    offline: fc.option(fc.boolean(), { nil: null }),
    offlineSecond: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  })
  .map(
    (r): Play =>
      play({
        userId: r.user,
        trackId: r.track,
        artistName: r.artist,
        artistIds: [],
        trackName: r.name,
        endedAt: r.minute
          ? 1_700_000_040_000 + r.second * 60_000
          : 1_700_000_000_000 + r.second * 1000 + r.millis,
        offline: r.offline,
        offlineTimestamp:
          r.offlineSecond === null ? null : 1_699_999_000_000 + r.offlineSecond * 1000,
      }),
  );

describe('PlayIndex dedupe', () => {
  it('keeps exactly the plays @spoti/catalog dedupePlays keeps, even when every hash collides', () => {
    fc.assert(
      fc.property(fc.array(arbitraryPlay, { maxLength: 60 }), (plays) => {
        const expected = dedupePlays(plays).length;
        const real = new PlayIndex();
        real.addAll(plays);
        // A hash with 2 values: almost every key collides and must be told apart exactly.
        const colliding = new PlayIndex({}, (key) => key.length % 2);
        colliding.addAll(plays);
        expect(real.size).toBe(expected);
        expect(colliding.size).toBe(expected);
        expect(real.duplicates).toBe(plays.length - expected);
      }),
      { numRuns: 300, seed: 20261128 },
    );
  });

  it('keeps everything with dedupe off', () => {
    const p = play({ endedAt: 1_700_000_000_000 });
    const index = new PlayIndex({ dedupe: false });
    index.addAll([p, p]);
    expect(index.size).toBe(2);
  });
});

describe('PlayIndex growth', () => {
  it('grows a logarithmic number of times when fed page by page, keeping every play', () => {
    const index = new PlayIndex({ dedupe: false });
    const columns = new Set<Float64Array>([index.endedAt]);
    const pages = 200;
    const perPage = 100;
    for (let k = 0; k < pages; k++) {
      const page = Array.from({ length: perPage }, (_, j) =>
        play({ endedAt: 1_700_000_000_000 + (k * perPage + j) * 1000 }),
      );
      index.addAll(page);
      columns.add(index.endedAt);
    }
    expect(index.size).toBe(pages * perPage);
    expect(index.endedAt[pages * perPage - 1]).toBe(
      1_700_000_000_000 + (pages * perPage - 1) * 1000,
    );
    // 1,024 to 20,000 plays: five doublings (one column set per page, before).
    expect(columns.size).toBeLessThanOrEqual(6);
  });
});
