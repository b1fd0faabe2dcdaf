import { type Play, playKey } from '@spoti/catalog';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAnalyticsError, PlayIndex } from '../src/index.js';
import { play } from './helpers.js';

/** Plays built to hit every branch of `playKey`, and ids and names that spell alike. */
const arbitraryPlay = fc
  .record({
    user: fc.constantFrom('u1', 'u2', 'u|t:x', 'u', 'u|n:a'),
    track: fc.option(fc.constantFrom('t1', 'x|s:1', 'x', 't1|'), { nil: null }),
    artistId: fc.option(fc.constantFrom('a1', 'a2'), { nil: null }),
    artist: fc.constantFrom('Beyoncé', 'BEYONCE', 'a', 'A!', 'Sigur Rós', 'x|y'),
    name: fc.constantFrom('Halo', 'halo!', 'x', 'Hoppípolla', ''),
    base: fc.constantFrom(1_700_000_040_000, 0, -120_000, 1_699_999_999_999),
    step: fc.integer({ min: -3, max: 3 }),
    unit: fc.constantFrom(1, 999, 1000, 60_000),
    offline: fc.option(fc.boolean(), { nil: null }),
    offlineTimestamp: fc.option(
      fc.constantFrom(0, -5, 1, 999, 1000, 1_699_999_000_000, 1_699_999_000_999, Number.NaN),
      { nil: null },
    ),
  })
  .map(
    (r): Play =>
      play({
        userId: r.user,
        trackId: r.track,
        artistIds: r.artistId === null ? [] : [r.artistId],
        artistName: r.artist,
        trackName: r.name,
        endedAt: r.base + r.step * r.unit,
        offline: r.offline,
        offlineTimestamp: r.offlineTimestamp,
      }),
  );

/** What a `Set` of `playKey` strings says about each play, in order. */
const byStrings = (plays: readonly Play[]) => {
  const seen = new Set<string>();
  return plays.map((p) => {
    const key = playKey(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

describe('PlayIndex dedupe without key strings', () => {
  it('accepts and rejects exactly the plays a set of playKey strings does', () => {
    fc.assert(
      fc.property(fc.array(arbitraryPlay, { maxLength: 80 }), (plays) => {
        const expected = byStrings(plays);
        const index = new PlayIndex();
        expect(plays.map((p) => index.add(p))).toEqual(expected);
        const colliding = new PlayIndex({}, () => 7);
        expect(plays.map((p) => colliding.add(p))).toEqual(expected);
      }),
      { numRuns: 500, seed: 20261206 },
    );
  });

  it('agrees with a set of playKey strings on plays in time order, and after one out of order', () => {
    fc.assert(
      fc.property(fc.array(arbitraryPlay, { maxLength: 80 }), fc.nat(80), (unordered, late) => {
        // Time order (the look-back over plays ending in the same second), then the same plays
        // again with one moved to the end (every key goes into the set from there on).
        const sorted = [...unordered].sort((a, b) => a.endedAt - b.endedAt);
        const moved = sorted.length > 0 ? [sorted[late % sorted.length] as Play] : [];
        const plays = [...sorted, ...moved, ...sorted];
        const expected = byStrings(plays);
        const index = new PlayIndex();
        expect(plays.map((p) => index.add(p))).toEqual(expected);
        const colliding = new PlayIndex({}, () => 7);
        expect(plays.map((p) => colliding.add(p))).toEqual(expected);
      }),
      { numRuns: 500, seed: 20261207 },
    );
  });

  it('finds a duplicate among many plays ending in the same second', () => {
    const plays = Array.from({ length: 100 }, (_, k) =>
      play({ trackId: `t${k}`, endedAt: 1_700_000_000_000 + (k % 1000) }),
    );
    const index = new PlayIndex();
    expect(plays.map((p) => index.add(p)).every(Boolean)).toBe(true);
    expect(index.add({ ...(plays[3] as Play), endedAt: 1_700_000_000_999 })).toBe(false);
    expect(index.add(plays[99] as Play)).toBe(false);
    expect(index.size).toBe(100);
  });

  it('tells plays apart by name when an artist id was first seen under another name', () => {
    const index = new PlayIndex();
    const base = { artistIds: ['a1'], endedAt: 1_700_000_001_000 };
    expect(index.add(play({ ...base, trackId: 't9', artistName: 'First Name' }))).toBe(true);
    const noId = play({ ...base, trackId: null, artistName: 'Other', trackName: 'Song' });
    expect(index.add(noId)).toBe(true);
    expect(index.add({ ...noId, artistName: 'OTHER!' })).toBe(false);
  });

  it('refuses plays outside the date range or with an impossible duration, with a typed error', () => {
    for (const bad of [
      { endedAt: 8.64e15 },
      { endedAt: Number.NaN },
      { endedAt: 1_700_000_000_000, msPlayed: 1e308 },
      { endedAt: 1_700_000_000_000, msPlayed: Number.POSITIVE_INFINITY },
      { endedAt: 1_700_000_000_000, msPlayed: -1 },
    ]) {
      let error: unknown;
      try {
        new PlayIndex().add(play(bad));
      } catch (e) {
        error = e;
      }
      expect(isAnalyticsError(error) && error.code).toBe('INVALID_INPUT');
    }
  });
});
