import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TrendingEvent, compareTrending, rankTrending } from '../src/index.js';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;

const eventArb = fc.record({
  type: fc.constantFrom('play' as const, 'like' as const),
  trackId: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  albumId: fc.constantFrom('x', 'y', null),
  artistId: fc.constantFrom('p', 'q', null),
  at: fc.integer({ min: NOW - 60 * DAY, max: NOW }),
});

describe('rankTrending', () => {
  it('applies the documented half-life formula', () => {
    const events: TrendingEvent[] = [
      { type: 'play', trackId: 'a', albumId: null, artistId: null, at: NOW },
      { type: 'play', trackId: 'a', albumId: null, artistId: null, at: NOW - 7 * DAY },
      { type: 'like', trackId: 'b', albumId: null, artistId: null, at: NOW - 14 * DAY },
    ];
    const ranked = rankTrending(events, { now: NOW, window: 'month' });
    expect(ranked).toEqual([
      { kind: 'track', id: 'a', score: 1.5, plays: 2, likes: 0 },
      { kind: 'track', id: 'b', score: 0.75, plays: 0, likes: 1 },
    ]);
    expect(rankTrending(events, { now: NOW, window: 'week' }).map((e) => e.id)).toEqual(['a']);
  });

  it('rejects bad options with a CatalogError naming the field', () => {
    expect(() => rankTrending([], { now: NOW, limit: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/limit/) }),
    );
    expect(() => rankTrending([], { now: NOW, window: { from: 0, to: 1.5 } })).toThrow(
      /Invalid trending options: window/,
    );
  });

  it('is a total order independent of input order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 60 }),
        fc.constantFrom('track', 'album', 'artist'),
        (events, kind) => {
          const a = rankTrending(events, { now: NOW, window: 'all', kind: kind as 'track' });
          const b = rankTrending([...events].reverse(), {
            now: NOW,
            window: 'all',
            kind: kind as 'track',
          });
          expect(b.map((e) => e.id)).toEqual(a.map((e) => e.id));
          for (let i = 1; i < a.length; i++)
            expect(compareTrending(a[i - 1]!, a[i]!)).toBeLessThan(0);
        },
      ),
    );
  });

  it('never ranks an item lower after it gains a play now (property)', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 40 }),
        fc.constantFrom('a', 'b', 'c'),
        (events, id) => {
          const before = rankTrending(events, { now: NOW, window: 'all', limit: 100 });
          const after = rankTrending(
            [...events, { type: 'play', trackId: id, albumId: null, artistId: null, at: NOW }],
            { now: NOW, window: 'all', limit: 100 },
          );
          const pos = (list: typeof before) => {
            const i = list.findIndex((e) => e.id === id);
            return i < 0 ? list.length : i;
          };
          expect(pos(after)).toBeLessThanOrEqual(pos(before));
        },
      ),
    );
  });
});
