import { describe, expect, it } from 'vitest';
import {
  BUILTIN_RULES,
  createLibraryIndex,
  evaluateRule,
  evaluateRules,
  explainTrack,
  isPlaylistsError,
  type Rule,
} from '../src/index.js';
import { DAY, NOW, play, smallLibrary, track } from './fixtures.js';

const index = createLibraryIndex(smallLibrary(), { now: NOW });
const ids = (rule: Rule, options = {}) => evaluateRule(rule, index, options).trackIds;

describe('built-in rules', () => {
  it('give the tracker playlists', () => {
    const results = evaluateRules(BUILTIN_RULES, index);
    expect(results['never-played'].trackIds).toEqual(['t6', 't1']); // t6 saved 2 days ago, streamed 10 s only
    expect(results['played-once'].trackIds).toEqual(['t2']);
    expect(results['played-more-than-once'].trackIds).toEqual(['t3']);
    expect(results['most-played'].trackIds).toEqual(['t4', 't3', 't2']);
    expect(results['liked-last-30-days'].trackIds).toEqual(['t6', 't1']);
    expect(results['new-never-played'].trackIds).toEqual(['t6', 't1']);
    expect(results['most-played'].ordered).toBe(true);
  });
});

describe('fields and operators', () => {
  it('text: case- and accent-insensitive, multi-valued, regex on raw text', () => {
    expect(ids({ all: [{ is: { artist: 'sigur ros' } }] })).toEqual(['t6']);
    expect(ids({ all: [{ contains: { genre: 'JAZZ' } }] })).toEqual(['t1', 't2']);
    expect(ids({ all: [{ is: { genre: 'jazz' } }] })).toEqual(['t1', 't2']);
    expect(ids({ all: [{ startsWith: { title: 'karma' } }] })).toEqual(['t4', 't5']);
    expect(ids({ all: [{ endsWith: { album: '(clean)' } }] })).toEqual(['t5']);
    expect(ids({ all: [{ matches: { title: '^(so|blue) ' } }] })).toEqual(['t1', 't2']);
    expect(ids({ all: [{ notContains: { genre: 'rock' } }] })).toEqual(['t1', 't2']);
    expect(ids({ all: [{ isNot: { label: 'columbia' } }] })).toEqual(['t3', 't4', 't5', 't6']);
    expect(ids({ all: [{ is: { trackId: 't3' } }] })).toEqual(['t3']);
  });

  it('numbers and booleans', () => {
    expect(ids({ all: [{ gt: { duration: 300 } }] })).toEqual(['t1', 't2', 't3']);
    expect(ids({ all: [{ inTheRange: { year: [1990, null] } }] })).toEqual([
      't3',
      't4',
      't5',
      't6',
    ]);
    expect(ids({ all: [{ is: { explicit: true } }] })).toEqual(['t4']);
    expect(ids({ all: [{ is: { saved: false } }] })).toEqual(['t4', 't5']);
    expect(ids({ all: [{ gt: { skipCount: 0 } }] })).toEqual(['t4', 't6']);
    expect(ids({ all: [{ is: { skipRate: 1 } }] })).toEqual(['t6']);
    expect(ids({ all: [{ gt: { minutesPlayed: 14 } }] })).toEqual(['t4']);
    expect(ids({ all: [{ inTheRange: { daysSinceLastPlay: [0, 7] } }] })).toEqual(['t2', 't4']);
    // artist plays count plays of unknown tracks by the artist (the "Creep" row) too
    expect(ids({ all: [{ is: { artistPlayCount: 9 } }] })).toEqual(['t3', 't4', 't5']);
    expect(ids({ all: [{ is: { albumPlayCount: 8 } }] })).toEqual(['t3', 't4']);
  });

  it('dates with precision: a year-precision release is the whole year', () => {
    expect(ids({ all: [{ before: { releaseDate: '1997-06' } }] })).toEqual([
      't1',
      't2',
      't3',
      't4',
      't5',
    ]);
    expect(ids({ all: [{ before: { releaseDate: '1997-05-20' } }] })).toEqual(['t1', 't2']);
    expect(ids({ all: [{ after: { releaseDate: '2005-06' } }] })).toEqual([]);
    expect(ids({ all: [{ is: { releaseDate: '2005' } }] })).toEqual(['t6']);
    expect(ids({ all: [{ is: { releaseDate: '1997' } }] })).toEqual(['t3', 't4', 't5']);
    expect(ids({ all: [{ inTheRange: { releaseDate: ['1990', '1999'] } }] })).toEqual([
      't3',
      't4',
      't5',
    ]);
    expect(ids({ all: [{ inTheLast: { addedAt: { weeks: 2 } } }] })).toEqual(['t1', 't6']);
    expect(ids({ all: [{ inTheLast: { lastPlayed: { months: 2 } } }] })).toEqual([
      't2',
      't3',
      't4',
    ]);
    // notInTheLast is the exact negation: never played counts
    expect(ids({ all: [{ notInTheLast: { lastPlayed: 30 } }] })).toEqual(['t1', 't3', 't5', 't6']);
    expect(ids({ all: [{ before: { firstPlayed: NOW - 150 * DAY } }] })).toEqual(['t3']);
  });

  it('play windows count only the plays inside them', () => {
    expect(ids({ all: [{ gt: { playCount: 1 }, window: 30 }] })).toEqual(['t4']);
    expect(ids({ all: [{ is: { playCount: 1 }, window: { days: 30 } }] })).toEqual(['t2']);
    expect(
      ids({ all: [{ gt: { playCount: 0 }, window: { from: '2026-04', to: '2026-05' } }] }),
    ).toEqual(['t3']);
    expect(
      ids({
        all: [{ gt: { playCount: 0 } }],
        sort: [{ by: 'playCount', order: 'desc', window: 45 }],
      }),
    ).toEqual(['t4', 't2', 't3']);
  });

  it('hours and weekdays in the listener’s time zone, ranges wrapping midnight', () => {
    // t2 was played at 23:10 UTC = 00:10 in Paris (next day); t4 once at 08:10 UTC
    expect(ids({ all: [{ is: { playedAtHour: 23 } }] })).toEqual(['t2']);
    const paris = createLibraryIndex(smallLibrary(), { now: NOW, timeZone: 'Europe/Paris' });
    expect(evaluateRule({ all: [{ is: { playedAtHour: 0 } }] }, paris).trackIds).toEqual(['t2']);
    expect(
      evaluateRule({ all: [{ inTheRange: { playedAtHour: [22, 5] } }] }, paris).trackIds,
    ).toEqual(['t2']);
    expect(
      evaluateRule({ all: [{ inTheRange: { playedAtHour: [8, 9] } }] }, paris).trackIds,
    ).toEqual(['t4']);
    // 2026-10-27 23:10 UTC is a Tuesday in UTC and a Wednesday in Paris
    expect(ids({ all: [{ is: { playedOnWeekday: 'tue' } }, { is: { trackId: 't2' } }] })).toEqual([
      't2',
    ]);
    expect(
      evaluateRule({ all: [{ is: { playedOnWeekday: 3 } }, { is: { trackId: 't2' } }] }, paris)
        .trackIds,
    ).toEqual(['t2']);
  });

  it('local hours stay right on the days clocks change', () => {
    const lib = smallLibrary();
    const at = (iso: string, trackId: string) => play(trackId, Date.parse(iso));
    const dst = createLibraryIndex(
      {
        ...lib,
        plays: [
          at('2026-10-25T00:30:00Z', 't1'), // 02:30 CEST
          at('2026-10-25T01:30:00Z', 't2'), // 02:30 CET, after the change back
          at('2026-03-29T00:30:00Z', 't3'), // 01:30 CET
          at('2026-03-29T01:30:00Z', 't5'), // 03:30 CEST, after the change forward
        ],
      },
      { now: NOW, timeZone: 'Europe/Paris' },
    );
    const atHour = (h: number) =>
      evaluateRule({ all: [{ is: { playedAtHour: h } }] }, dst).trackIds;
    expect(atHour(2)).toEqual(['t1', 't2']);
    expect(atHour(1)).toEqual(['t3']);
    expect(atHour(3)).toEqual(['t5']);
  });

  it('membership of playlists and of other rules: union, intersection, difference', () => {
    const rules: Record<string, Rule> = {
      jazz: { all: [{ contains: { genre: 'jazz' } }] },
      played: { all: [{ gt: { playCount: 0 } }] },
      top1: { all: [{ gt: { playCount: 0 } }], sort: '-playCount', limit: 1 },
    };
    expect(ids({ any: [{ inRule: 'jazz' }, { inRule: 'played' }] }, { rules })).toEqual([
      't1',
      't2',
      't3',
      't4',
    ]);
    expect(ids({ all: [{ inRule: 'jazz' }, { inRule: 'played' }] }, { rules })).toEqual(['t2']);
    expect(ids({ all: [{ inRule: 'played' }, { notInRule: 'top1' }] }, { rules })).toEqual([
      't2',
      't3',
    ]);
    expect(ids({ all: [{ inPlaylist: 'pl1' }] })).toEqual(['t1', 't4']);
    expect(ids({ all: [{ notInPlaylist: { id: 'pl1' } }, { is: { saved: true } }] })).toEqual([
      't2',
      't3',
      't6',
    ]);
  });

  it('reports unknown rules, cycles and unknown playlists as typed errors', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return isPlaylistsError(error) ? `${error.code}: ${error.message}` : 'other';
      }
      return 'none';
    };
    expect(code(() => ids({ all: [{ inRule: 'nope' }] }))).toMatch(/^UNKNOWN_RULE/);
    const rules: Record<string, Rule> = {
      a: { all: [{ inRule: 'b' }] },
      b: { all: [{ notInRule: 'a' }] },
    };
    expect(code(() => evaluateRules(rules, index))).toBe(
      'RULE_CYCLE: Rules reference each other in a loop: a -> b -> a',
    );
    expect(code(() => ids({ all: [{ inPlaylist: 'missing' }] }))).toMatch(
      /^INVALID_OPTIONS: all\[0\]\.inPlaylist/,
    );
    expect(
      code(() => createLibraryIndex(smallLibrary(), { now: NOW, timeZone: 'Mars/Olympus' })),
    ).toMatch(/^INVALID_OPTIONS: Invalid index options: timeZone: expected an IANA time zone/);
    expect(code(() => createLibraryIndex({ tracks: [{ id: 1 }] } as never, { now: NOW }))).toMatch(
      /^INVALID_OPTIONS: Invalid library: tracks\[0\]/,
    );
  });
});

describe('sorting, dedupe, separation and limits', () => {
  it('breaks ties by track id and puts missing values last in either order', () => {
    expect(ids({ sort: 'lastPlayed' })).toEqual(['t3', 't2', 't4', 't1', 't5', 't6']);
    expect(ids({ sort: '-lastPlayed' })).toEqual(['t4', 't2', 't3', 't1', 't5', 't6']);
    expect(ids({ sort: [{ by: 'artist' }, { by: 'title', order: 'desc' }] })).toEqual([
      't2',
      't1',
      't3',
      't5',
      't4',
      't6',
    ]);
  });

  it('random order depends on the seed only', () => {
    const a = ids({ sort: [{ by: 'random', seed: 1 }] });
    expect(ids({ sort: [{ by: 'random', seed: 1 }] })).toEqual(a);
    expect([...a].sort()).toEqual(['t1', 't2', 't3', 't4', 't5', 't6']);
    const seeds = new Set([1, 2, 3, 4, 5].map((seed) => ids({ sort: 'random', seed }).join()));
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('dedupe by ISRC folds explicit/clean editions, keeping the first in order', () => {
    expect(ids({ all: [{ contains: { title: 'karma' } }], dedupe: 'isrc' })).toEqual(['t4']);
    expect(
      ids({ all: [{ contains: { title: 'karma' } }], dedupe: 'isrc', sort: '-title' }),
    ).toEqual(['t5']);
    const ex = explainTrack(
      { all: [{ contains: { title: 'karma' } }], dedupe: 'isrc' },
      index,
      't5',
    );
    expect(ex.stage).toBe('duplicate');
    expect(ex.duplicateOf).toBe('t4');
  });

  it('separates artists when it can', () => {
    const list = ids({ sort: [{ by: 'artist' }], separateArtists: true });
    expect(list).toEqual(['t1', 't3', 't2', 't4', 't6', 't5']);
    const artistOf = new Map(smallLibrary().tracks.map((t) => [t.id, t.artistIds[0]]));
    for (let k = 1; k < list.length - 1; k++) {
      expect(artistOf.get(list[k]!)).not.toBe(artistOf.get(list[k - 1]!));
    }
  });

  it('limits by items, minutes or hours after the offset', () => {
    expect(ids({ sort: 'trackId', limit: 2 })).toEqual(['t1', 't2']);
    expect(ids({ sort: 'trackId', offset: 4 })).toEqual(['t5', 't6']);
    // 337 + 562 = 899 s <= 15 min; the next (383 s) does not fit
    expect(ids({ sort: 'trackId', limit: { minutes: 15 } })).toEqual(['t1', 't2']);
    expect(ids({ sort: 'trackId', limit: { hours: 1 } })).toHaveLength(6);
    const result = evaluateRule({ sort: 'trackId', limit: { minutes: 15 } }, index);
    expect(result.durationMs).toBe(899_000);
    expect(result.matched).toBe(6);
  });

  it('ignores plays of tracks outside the library and counts a 10 s stream as a skip', () => {
    const lib = smallLibrary();
    const more = createLibraryIndex(
      {
        ...lib,
        tracks: [...lib.tracks, track('t7', 'Extra')],
        plays: [...(lib.plays ?? []), play('zz', NOW)],
      },
      { now: NOW },
    );
    expect(evaluateRule({ all: [{ gt: { playCount: 0 } }] }, more).trackIds).toEqual([
      't2',
      't3',
      't4',
    ]);
  });
});

describe('explain', () => {
  it('says which clause matched or failed, with the actual values', () => {
    const rule: Rule = {
      all: [
        { is: { saved: true } },
        { any: [{ gt: { playCount: 2 } }, { contains: { genre: 'jazz' } }] },
      ],
    };
    const inside = explainTrack(rule, index, 't3');
    expect(inside.included).toBe(true);
    expect(inside.stage).toBe('included');
    expect(inside.summary).toBe(
      'in at position 3: all[0].is matched (saved is true, actual true); all[1].any[0].gt matched (playCount gt 2, actual 3)',
    );
    const outside = explainTrack(rule, index, 't4');
    expect(outside.included).toBe(false);
    expect(outside.stage).toBe('condition');
    expect(outside.summary).toBe('out: all[0].is failed (saved is true, actual false)');
    expect(outside.clauses.children?.[1]?.children?.[1]).toEqual({
      path: 'all[1].any[1].contains',
      clause: 'genre contains "jazz"',
      result: false,
      actual: '"alternative rock"',
    });
    const limited = explainTrack({ sort: 'trackId', limit: 1 }, index, 't2');
    expect(limited.stage).toBe('limit');
    expect(explainTrack({ sort: 'trackId', offset: 3 }, index, 't2').stage).toBe('offset');
    expect(() => explainTrack(rule, index, 'nope')).toThrow(/not in the library/);
  });

  it('explains negations through not', () => {
    const ex = explainTrack({ all: [{ not: { is: { explicit: true } } }] }, index, 't4');
    expect(ex.summary).toBe('out: all[0].not.is matched (explicit is true, actual true)');
  });
});
