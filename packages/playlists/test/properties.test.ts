import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Condition,
  createLibraryIndex,
  evaluateRule,
  MAX_ITEMS_PER_CALL,
  planPlaylistSync,
  simulatePlan,
} from '../src/index.js';
import { DAY, generatedLibrary, NOW } from './fixtures.js';

const library = generatedLibrary({ seed: 7, tracks: 400, plays: 6000, likes: 150 });
const index = createLibraryIndex(library, { now: NOW, timeZone: 'America/New_York' });
const all = [...index.trackIds].sort();

const window = fc.option(
  fc.oneof(
    fc.integer({ min: 1, max: 400 }),
    fc.record({ weeks: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ months: fc.integer({ min: 1, max: 24 }) }),
    fc.constant({ from: '2025-06', to: '2026-02-15' }),
  ),
  { nil: undefined },
);
const withWindow = (c: Condition, w: unknown): Condition =>
  w === undefined ? c : ({ ...c, window: w } as Condition);

const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc
    .record({
      op: fc.constantFrom('is', 'isNot', 'gt', 'lt'),
      n: fc.integer({ min: 0, max: 6 }),
      w: window,
    })
    .map(({ op, n, w }) => withWindow({ [op]: { playCount: n } } as Condition, w)),
  fc
    .record({
      op: fc.constantFrom('gt', 'lt'),
      n: fc.double({ min: 0, max: 1, noNaN: true }),
      w: window,
    })
    .map(({ op, n, w }) => withWindow({ [op]: { skipRate: n } } as Condition, w)),
  fc
    .record({
      op: fc.constantFrom('contains', 'notContains', 'is', 'isNot', 'startsWith', 'endsWith'),
      field: fc.constantFrom('title', 'genre', 'artist', 'album'),
      text: fc.constantFrom('jazz', 'rock', 'song 1', 'artist 2', 'pop', '7', 'album'),
    })
    .map(({ op, field, text }) => ({ [op]: { [field]: text } }) as Condition),
  fc.constantFrom<Condition>(
    { is: { saved: true } },
    { is: { explicit: true } },
    { matches: { title: '^song [0-9]{2} ' } },
    { inPlaylist: 'gp1' },
    { notInPlaylist: 'gp1' },
  ),
  fc
    .record({
      op: fc.constantFrom('inTheLast', 'notInTheLast'),
      field: fc.constantFrom('addedAt', 'lastPlayed', 'firstPlayed', 'releaseDate'),
      days: fc.integer({ min: 1, max: 800 }),
    })
    .map(({ op, field, days }) => ({ [op]: { [field]: days } }) as Condition),
  fc
    .record({
      op: fc.constantFrom('before', 'after', 'is'),
      date: fc.constantFrom('1975', '1990-03', '2001-07-15', '2026-01-01T00:00:00Z'),
    })
    .map(({ op, date }) => ({ [op]: { releaseDate: date } }) as Condition),
  fc
    .record({ a: fc.integer({ min: 0, max: 23 }), b: fc.integer({ min: 0, max: 23 }), w: window })
    .map(({ a, b, w }) => withWindow({ inTheRange: { playedAtHour: [a, b] } }, w)),
  fc
    .record({ d: fc.integer({ min: 0, max: 6 }) })
    .map(({ d }) => ({ isNot: { playedOnWeekday: d } }) as Condition),
  fc
    .record({ lo: fc.integer({ min: 60, max: 300 }), span: fc.integer({ min: 0, max: 200 }) })
    .map(({ lo, span }) => ({ inTheRange: { duration: [lo, lo + span] } }) as Condition),
);

const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('c'), { minLength: 1, maxLength: 4 }).map((items) => ({ all: items })),
    fc.array(tie('c'), { minLength: 1, maxLength: 4 }).map((items) => ({ any: items })),
    tie('c').map((item) => ({ not: item })),
  ),
})).c;

describe('rule properties', () => {
  it('a rule and its not partition the library', () => {
    fc.assert(
      fc.property(condition, (c) => {
        const inside = evaluateRule({ match: c }, index).trackIds;
        const outside = evaluateRule({ match: { not: c } }, index).trackIds;
        const seen = new Set(inside);
        for (const id of outside) expect(seen.has(id)).toBe(false);
        expect([...inside, ...outside].sort()).toEqual(all);
      }),
      { numRuns: 100, seed: 42 },
    );
  });

  it('negated operators are exact negations', () => {
    fc.assert(
      fc.property(leaf, (c) => {
        const [op] = Object.keys(c).filter((k) => k !== 'window');
        const pairs: Record<string, string> = {
          isNot: 'is',
          notContains: 'contains',
          notInTheLast: 'inTheLast',
          notInPlaylist: 'inPlaylist',
        };
        const positive = pairs[op!];
        if (positive === undefined) return;
        const flipped = { ...c, [positive]: (c as Record<string, unknown>)[op!] } as Record<
          string,
          unknown
        >;
        delete flipped[op!];
        const a = evaluateRule({ match: c }, index).trackIds;
        const b = evaluateRule({ match: { not: flipped as Condition } }, index).trackIds;
        expect(a).toEqual(b);
      }),
      { numRuns: 100, seed: 43 },
    );
  });

  it('play counts in a window equal a direct count over the log', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 800 }), fc.integer({ min: 0, max: 5 }), (days, n) => {
        const from = NOW - days * DAY;
        const counts = new Map<string, number>();
        for (const p of library.plays ?? []) {
          if (p.trackId !== null && p.endedAt >= from && p.msPlayed >= 30_000) {
            counts.set(p.trackId, (counts.get(p.trackId) ?? 0) + 1);
          }
        }
        const expected = all.filter((id) => (counts.get(id) ?? 0) > n);
        const got = evaluateRule({ all: [{ gt: { playCount: n }, window: days }] }, index).trackIds;
        expect([...got].sort()).toEqual(expected);
      }),
      { numRuns: 40, seed: 44 },
    );
  });

  it('sorting, dedupe and limits only ever return matching tracks, once each, within the limit', () => {
    fc.assert(
      fc.property(
        condition,
        fc.constantFrom('-playCount', 'lastPlayed', 'title', 'random', '-releaseDate, artist'),
        fc.boolean(),
        fc.constantFrom<'track' | 'isrc'>('track', 'isrc'),
        fc.integer({ min: 0, max: 60 }),
        (c, sort, separateArtists, dedupe, limit) => {
          const matching = new Set(evaluateRule({ match: c }, index).trackIds);
          const result = evaluateRule({ match: c, sort, separateArtists, dedupe, limit }, index);
          expect(result.trackIds.length).toBeLessThanOrEqual(limit);
          expect(new Set(result.trackIds).size).toBe(result.trackIds.length);
          for (const id of result.trackIds) expect(matching.has(id)).toBe(true);
          if (dedupe === 'track' && !separateArtists) {
            expect(result.trackIds).toEqual(
              evaluateRule({ match: c, sort }, index).trackIds.slice(0, limit),
            );
          }
        },
      ),
      { numRuns: 60, seed: 45 },
    );
  });
});

const uri = (k: number) => `spotify:track:x${k}`;

describe('plan properties', () => {
  const scenario = fc.record({
    alphabet: fc.integer({ min: 1, max: 320 }),
    current: fc.array(fc.nat(), { maxLength: 330 }),
    desired: fc.array(fc.nat(), { maxLength: 330 }),
    nulls: fc.boolean(),
    ordered: fc.boolean(),
    allowMoves: fc.boolean(),
    allowReplace: fc.boolean(),
  });

  it('applying the plan yields exactly the desired playlist, in as few calls as a replace at most', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const current: (string | null)[] = s.current.map((k) => uri(k % s.alphabet));
        if (s.nulls && current.length > 0) current[0] = null;
        const desired = [...new Set(s.desired.map((k) => `x${k % s.alphabet}`))];
        const plan = planPlaylistSync({
          current: { snapshotId: 'snap', uris: current },
          desired,
          ordered: s.ordered,
          allowMoves: s.allowMoves,
          allowReplace: s.allowReplace,
        });
        const after = simulatePlan(current, plan);
        const target = desired.map((id) => `spotify:track:${id}`);
        if (s.ordered) expect(after).toEqual(target);
        else {
          expect(after.length).toBe(target.length);
          expect(new Set(after)).toEqual(new Set(target));
        }
        expect(plan.writeCalls).toBe(plan.steps.length);
        if (s.allowReplace && desired.length > 0) {
          expect(plan.writeCalls).toBeLessThanOrEqual(plan.naiveWriteCalls);
        }
        if ((!s.allowReplace || desired.length === 0) && !current.includes(null)) {
          expect(plan.strategy).not.toBe('replace');
        }
        for (const step of plan.steps) {
          if (step.kind !== 'move')
            expect(step.uris.length).toBeLessThanOrEqual(MAX_ITEMS_PER_CALL);
          if (step.kind === 'move') expect(s.allowMoves).toBe(true);
        }
        // idempotent: planning again from the result makes no call
        const again = planPlaylistSync({
          current: { snapshotId: 'snap2', uris: after },
          desired,
          ordered: s.ordered,
          allowMoves: s.allowMoves,
        });
        expect(again.steps).toEqual([]);
        expect(again.strategy).toBe('none');
      }),
      { numRuns: 300, seed: 46 },
    );
  });
});

describe('plan examples', () => {
  const cur = (...ks: number[]) => ({ snapshotId: 's', uris: ks.map(uri) });
  const want = (...ks: number[]) => ks.map((k) => `x${k}`);

  it('removes and appends without touching kept tracks when order does not matter', () => {
    const plan = planPlaylistSync({
      current: cur(1, 2, 3),
      desired: want(3, 4, 2),
      ordered: false,
      allowReplace: false,
    });
    expect(plan.steps).toEqual([
      { kind: 'remove', uris: [uri(1)] },
      { kind: 'add', uris: [uri(4)], position: null },
    ]);
    expect(plan.summary).toEqual({ removed: 1, added: 1, reordered: 0, kept: 2 });
  });

  it('inserts at the right positions and re-inserts a track out of order', () => {
    const plan = planPlaylistSync({
      current: cur(1, 3, 2, 5),
      desired: want(1, 2, 3, 4, 5),
      allowReplace: false,
    });
    expect(
      planPlaylistSync({ current: cur(1, 3, 2, 5), desired: want(1, 2, 3, 4, 5) }).strategy,
    ).toBe('replace');
    expect(plan.strategy).toBe('edit');
    expect(plan.steps).toEqual([
      { kind: 'remove', uris: [uri(3)] },
      { kind: 'add', uris: [uri(3), uri(4)], position: 2 },
    ]);
  });

  it('moves a block when moves are allowed and cheaper', () => {
    const current = [...Array.from({ length: 150 }, (_, k) => k + 10), 1, 2];
    const desired = [1, 2, ...Array.from({ length: 150 }, (_, k) => k + 10)];
    const plan = planPlaylistSync({
      current: cur(...current),
      desired: want(...desired),
      allowMoves: true,
    });
    expect(plan.strategy).toBe('moves');
    expect(plan.steps).toEqual([
      { kind: 'move', rangeStart: 150, rangeLength: 2, insertBefore: 0 },
    ]);
    const noMoves = planPlaylistSync({ current: cur(...current), desired: want(...desired) });
    expect(noMoves.steps).toEqual([
      { kind: 'remove', uris: [uri(1), uri(2)] },
      { kind: 'add', uris: [uri(1), uri(2)], position: 0 },
    ]);
  });

  it('replaces when that takes fewer calls, and chunks by 100', () => {
    const current = Array.from({ length: 250 }, (_, k) => k);
    const desired = Array.from({ length: 120 }, (_, k) => 1000 + k);
    const plan = planPlaylistSync({ current: cur(...current), desired: want(...desired) });
    expect(plan.strategy).toBe('replace');
    expect(plan.steps.map((s) => s.kind)).toEqual(['replace', 'add']);
    expect(plan.writeCalls).toBe(2);
    expect(plan.naiveWriteCalls).toBe(2);
  });

  it('rejects malformed input with INVALID_OPTIONS', () => {
    expect(() =>
      planPlaylistSync({ current: { snapshotId: null, uris: [''] }, desired: [] }),
    ).toThrow(/Invalid plan input: current.uris.0/);
  });
});
