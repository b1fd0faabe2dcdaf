import { describe, expect, it } from 'vitest';
import {
  createLibraryIndex,
  evaluateRule,
  evaluateRules,
  isPlaylistsError,
  MAX_RULE_DEPTH,
  parseQuery,
  type Rule,
  safeParseRule,
} from '../src/index.js';
import { NOW, play, track } from './fixtures.js';

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isPlaylistsError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a PlaylistsError');
}

// 28 a's and a "!": a backtracking engine needs billions of steps for ^(a+)+$ on this.
const evil = `${'a'.repeat(28)}!`;
const library = {
  tracks: [track('t1', evil), track('t2', 'aaaa'), track('t3', 'Sigur Rós')],
};
const index = createLibraryIndex(library, { now: NOW });

describe('matches: linear-time patterns', () => {
  it('answers a catastrophic-backtracking pattern at once, in JSON rules', () => {
    const rule: Rule = { all: [{ matches: { title: '^(a+)+$' } }] };
    expect(evaluateRule(rule, index).trackIds).toEqual(['t2']);
  }, 3000);

  it('answers it at once in the text query language', () => {
    expect(evaluateRule(parseQuery('title::^(a+)+$'), index).trackIds).toEqual(['t2']);
    expect(evaluateRule(parseQuery('title::(x+x+)+y'), index).trackIds).toEqual([]);
  }, 3000);

  it('keeps case-insensitive Unicode matching', () => {
    expect(evaluateRule({ all: [{ matches: { title: '^SIGUR RÓS$' } }] }, index).trackIds).toEqual([
      't3',
    ]);
  });

  it('rejects backreferences, lookaround and huge patterns as INVALID_RULE', () => {
    for (const pattern of ['(a)\\1', '(?=a)a', 'x'.repeat(1001)]) {
      const result = safeParseRule({ all: [{ matches: { title: pattern } }] });
      expect(result.success).toBe(false);
      if (!result.success) expect(result.issues[0]?.path).toBe('all[0].matches');
    }
    expect(failure(() => parseQuery('title::(a)\\1')).code).toBe('INVALID_QUERY');
    expect(failure(() => parseQuery(`title::${'x'.repeat(2000)}`)).message).toMatch(
      /regular expression too long \(2000 characters, at most 1000\)/,
    );
  });
});

describe('inRule chains', () => {
  const chain = (length: number): Record<string, Rule> => {
    const rules: Record<string, Rule> = {};
    for (let k = 0; k < length; k++) {
      rules[`r${k}`] = k === length - 1 ? { all: [] } : { all: [{ inRule: `r${k + 1}` }] };
    }
    return rules;
  };

  it('evaluates a chain up to the limit', () => {
    const rules = chain(MAX_RULE_DEPTH);
    expect(evaluateRule({ all: [{ inRule: 'r0' }] }, index, { rules }).trackIds).toHaveLength(3);
  });

  it('stops a chain of 1,000 references with RULE_TOO_DEEP naming the chain', () => {
    const rules = chain(1000);
    const error = failure(() => evaluateRule({ all: [{ inRule: 'r0' }] }, index, { rules }));
    expect(error.code).toBe('RULE_TOO_DEEP');
    expect(error.message).toBe(
      'inRule references go deeper than 32 rules: r0 -> r1 -> r2 -> r3 -> r4 -> … 23 more … -> r28 -> r29 -> r30 -> r31 -> r32',
    );
    expect(failure(() => evaluateRules(rules, index)).code).toBe('RULE_TOO_DEEP');
  });

  it('still names cycles as RULE_CYCLE', () => {
    const rules: Record<string, Rule> = {
      a: { all: [{ inRule: 'b' }] },
      b: { all: [{ inRule: 'c' }] },
      c: { all: [{ notInRule: 'a' }] },
    };
    expect(failure(() => evaluateRules(rules, index)).message).toBe(
      'Rules reference each other in a loop: a -> b -> c -> a',
    );
  });
});

describe('play-log windows over odd timestamps', () => {
  const DAY_MS = 86_400_000;
  const tracks = [
    track('t1', 'One'),
    track('t2', 'Two'),
    track('t3', 'Three'),
    track('t4', 'Four'),
  ];
  const rule: Rule = { all: [{ gt: { playCount: 0 }, window: 30 }] };

  it('counts the same plays whether the log spans days or ages', () => {
    // Ordinary days: plays are bucketed by day.
    const near = createLibraryIndex(
      {
        tracks,
        plays: [
          play('t1', NOW - DAY_MS),
          play('t2', NOW - 40 * DAY_MS),
          play('t3', NOW - 30 * DAY_MS + 1),
          play('t4', NOW - 30 * DAY_MS - 1),
        ],
      },
      { now: NOW },
    );
    expect(evaluateRule(rule, near).trackIds).toEqual(['t1', 't3']);
    // Timestamps ages apart: no day buckets (too many days), the same answers by a scan.
    const far = createLibraryIndex(
      {
        tracks,
        plays: [
          play('t1', NOW - DAY_MS),
          play('t2', -8e15),
          play('t3', 8e15),
          play('t4', NOW - 40 * DAY_MS),
        ],
      },
      { now: NOW, timeZone: 'Europe/Berlin' },
    );
    expect(evaluateRule(rule, far).trackIds).toEqual(['t1', 't3']);
    const night: Rule = { all: [{ inTheRange: { playedAtHour: [0, 23] }, window: 30 }] };
    expect(evaluateRule(night, far).trackIds).toEqual(['t1', 't3']);
    const between: Rule = {
      all: [{ gt: { playCount: 0 }, window: { from: '2026-10-31', to: '2026-11-01' } }],
    };
    expect(evaluateRule(between, near).trackIds).toEqual(['t1']);
    expect(evaluateRule(between, far).trackIds).toEqual(['t1']);
  });

  it('refuses instants a Date cannot hold and non-finite durations, naming the play', () => {
    for (const [endedAt, msPlayed] of [
      [Number.NaN, 1000],
      [Number.POSITIVE_INFINITY, 1000],
      [9e15, 1000],
      [NOW, Number.NaN],
      [NOW, Number.NEGATIVE_INFINITY],
    ]) {
      const error = failure(() =>
        createLibraryIndex(
          { tracks, plays: [play('t1', NOW), play('t2', endedAt!, { msPlayed: msPlayed! })] },
          { now: NOW },
        ),
      );
      expect(error.code).toBe('INVALID_OPTIONS');
      expect(error.message).toMatch(/^Invalid library: plays\[1\]: expected a Play whose endedAt/);
    }
  });
});

describe('hostile rule shapes', () => {
  it('refuses more than 16 sort keys instead of building a column per key', () => {
    const result = safeParseRule({ sort: 'title,'.repeat(1_000_000) });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.issues).toEqual([
        { path: 'sort', message: 'too many sort keys (1000000, at most 16)' },
      ]);
    }
    const list = Array.from({ length: 17 }, () => ({ by: 'title' }));
    expect(safeParseRule({ sort: list }).success).toBe(false);
    expect(safeParseRule({ sort: list.slice(0, 16) }).success).toBe(true);
  });

  it('lists the first 100 mistakes and counts the rest', () => {
    const result = safeParseRule({
      all: Array.from({ length: 100_000 }, () => ({ is: { nope: 1 } })),
    });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.issues).toHaveLength(101);
      expect(result.issues[0]).toEqual({ path: 'all[0].is.nope', message: 'unknown field "nope"' });
      expect(result.issues[100]).toEqual({ path: '', message: '99900 more issues not listed' });
    }
  });

  it('a window of absurd length holds every play', () => {
    const lib = createLibraryIndex(
      {
        tracks: [track('t1', 'One'), track('t2', 'Two')],
        plays: [play('t1', NOW - 1000), play('t2', NOW - 400 * 86_400_000)],
      },
      { now: NOW },
    );
    const rule: Rule = { all: [{ gt: { playCount: 0 }, window: { months: 1e300 } }] };
    expect(evaluateRule(rule, lib).trackIds).toEqual(['t1', 't2']);
    const hours: Rule = {
      all: [{ inTheRange: { playedAtHour: [0, 23] }, window: { months: 1e300 } }],
    };
    expect(evaluateRule(hours, lib).trackIds).toEqual(['t1', 't2']);
  });
});
