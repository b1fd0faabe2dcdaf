import { describe, expect, it } from 'vitest';
import {
  BUILTIN_RULES,
  isPlaylistsError,
  parseQuery,
  parseRule,
  ruleSchema,
  safeParseRule,
} from '../src/index.js';

function issuesOf(rule: unknown): string[] {
  const result = safeParseRule(rule);
  if (result.success) return [];
  return result.issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`));
}

describe('rule validation', () => {
  it('reports the path of a mistake inside nested groups', () => {
    expect(
      issuesOf({ all: [{ is: { saved: true } }, { any: [] }, { inTheLast: { lastPlayed: -3 } }] }),
    ).toEqual(['all[2].inTheLast: expected a positive number of days']);
    expect(issuesOf({ match: { any: [{ not: { gt: { playCount: 'many' } } }] } })).toEqual([
      'match.any[0].not.gt: expected a number',
    ]);
  });

  it('names unknown fields, unknown operators and operators that do not fit the field', () => {
    expect(issuesOf({ all: [{ is: { rating: 5 } }] })).toEqual([
      'all[0].is.rating: unknown field "rating"',
    ]);
    expect(issuesOf({ all: [{ equals: { title: 'x' } }] })).toEqual([
      'all[0].equals: unknown operator "equals"',
    ]);
    expect(issuesOf({ all: [{ gt: { title: 'x' } }] })[0]).toMatch(
      /^all\[0\]\.gt: "gt" does not apply to text field "title"/,
    );
    expect(issuesOf({ all: [{ inTheLast: { year: 3 } }] })[0]).toMatch(
      /does not apply to number field "year"/,
    );
  });

  it('checks values, windows, sort and limits', () => {
    expect(issuesOf({ all: [{ matches: { title: '(' } }] })[0]).toMatch(
      /^all\[0\]\.matches: invalid regular expression/,
    );
    expect(issuesOf({ all: [{ before: { releaseDate: '1990-13' } }] })[0]).toMatch(
      /^all\[0\]\.before: expected a date/,
    );
    expect(issuesOf({ all: [{ is: { title: 'x' }, window: 30 }] })).toEqual([
      'all[0].window: "window" applies only to play-log fields, not "title"',
    ]);
    expect(issuesOf({ all: [{ gt: { playCount: 1 }, window: { weeks: 0 } }] })).toEqual([
      'all[0].window.weeks: expected a positive number of weeks',
    ]);
    expect(issuesOf({ all: [{ inTheRange: { year: [2000, 1990] } }] })).toEqual([
      'all[0].inTheRange: expected from <= to',
    ]);
    expect(issuesOf({ sort: [{ by: 'playedAtHour' }] })).toEqual([
      'sort[0].by: cannot sort by "playedAtHour"',
    ]);
    expect(issuesOf({ sort: 'bogus' })).toEqual(['sort: cannot sort by "bogus"']);
    expect(issuesOf({ limit: { minutes: -1 } })).toEqual([
      'limit.minutes: expected a positive number of minutes',
    ]);
    expect(issuesOf({ limit: 1.5 })).toEqual(['limit: expected a whole number of items (>= 0)']);
    expect(issuesOf({ is: { saved: true } })[0]).toMatch(
      /unknown rule key "is" \(put conditions in "match"/,
    );
    expect(issuesOf({ all: [{ is: { saved: true, explicit: true } }] })[0]).toMatch(
      /exactly one field/,
    );
    expect(issuesOf({ all: [{ is: { saved: true }, gt: { playCount: 1 } }] })[0]).toMatch(
      /one operator per condition/,
    );
    expect(issuesOf({ all: [{ inPlaylist: '' }] })).toEqual([
      'all[0].inPlaylist: expected an id (a non-empty string or { "id": "..." })',
    ]);
    expect(issuesOf({ match: {}, all: [] })).toEqual([
      'use one of match, all, any (found match, all)',
    ]);
  });

  it('collects every mistake at once', () => {
    expect(
      issuesOf({ all: [{ gt: { playCount: 'x' } }, { is: { nope: 1 } }], dedupe: 'album' }),
    ).toHaveLength(3);
  });

  it('parseRule throws a typed INVALID_RULE error carrying the issues', () => {
    let caught: unknown;
    try {
      parseRule({ all: [{ inTheLast: { lastPlayed: 0 } }] });
    } catch (error) {
      caught = error;
    }
    expect(isPlaylistsError(caught)).toBe(true);
    if (!isPlaylistsError(caught)) return;
    expect(caught.code).toBe('INVALID_RULE');
    expect(caught.message).toBe(
      'Invalid rule: all[0].inTheLast: expected a positive number of days',
    );
    expect(caught.issues).toEqual([
      { path: 'all[0].inTheLast', message: 'expected a positive number of days' },
    ]);
  });

  it('ruleSchema is a zod schema with the same paths', () => {
    const checked = ruleSchema.safeParse({ any: [{ is: { explicit: 'yes' } }] });
    expect(checked.success).toBe(false);
    expect(checked.error?.issues.map((i) => i.path)).toEqual([['any', 0, 'is']]);
    expect(ruleSchema.safeParse(BUILTIN_RULES['most-played']).success).toBe(true);
  });

  it('accepts every built-in and every operator of Navidrome and iTunes-style rules', () => {
    for (const rule of Object.values(BUILTIN_RULES)) expect(() => parseRule(rule)).not.toThrow();
    const everything = {
      name: 'Everything',
      any: [
        { is: { title: 'a' } },
        { isNot: { artist: 'b' } },
        { gt: { duration: 60 } },
        { lt: { year: 2000 } },
        { contains: { album: 'c' } },
        { notContains: { genre: 'd' } },
        { startsWith: { label: 'e' } },
        { endsWith: { title: 'f' } },
        { matches: { title: '^g.*h$' } },
        { inTheRange: { releaseDate: ['1980', '1989-12'] } },
        { before: { addedAt: '2026-01-01T00:00:00Z' } },
        { after: { firstPlayed: 1_700_000_000_000 } },
        { inTheLast: { lastPlayed: { months: 2 } } },
        { notInTheLast: { lastPlayed: { weeks: 3 } } },
        { inPlaylist: { id: 'p1' } },
        { notInPlaylist: 'p2' },
        { inRule: 'other' },
        { notInRule: { id: 'other' } },
        { inTheRange: { playedAtHour: [22, 5] } },
        { is: { playedOnWeekday: 'sat' } },
        { gt: { skipRate: 0.5 }, window: { from: '2026-01', to: '2026-03' } },
        { not: { all: [{ is: { explicit: true } }] } },
      ],
      sort: [
        { by: 'playCount', order: 'desc', window: { days: 30 } },
        { by: 'random', seed: 7 },
      ],
      separateArtists: true,
      dedupe: 'isrc',
      offset: 2,
      limit: { hours: 2 },
    };
    expect(issuesOf(everything)).toEqual([]);
    expect(
      issuesOf({ all: [], sort: 'lastPlayed desc, -playCount, title', order: 'desc', limit: 10 }),
    ).toEqual([]);
  });
});

describe('text queries', () => {
  it('parses the beets-like syntax to the JSON rule', () => {
    expect(parseQuery('plays:0 added:-30d.. genre:jazz')).toEqual({
      all: [
        { is: { playCount: 0 } },
        { inTheLast: { addedAt: { days: 30 } } },
        { contains: { genre: 'jazz' } },
      ],
    });
    expect(
      parseQuery('year:1980..1989 -explicit:true , artist:"=Sigur Rós" plays-  limit:90m'),
    ).toEqual({
      any: [
        { all: [{ inTheRange: { year: [1980, 1989] } }, { not: { is: { explicit: true } } }] },
        { is: { artist: 'Sigur Rós' } },
      ],
      sort: [{ by: 'playCount', order: 'desc' }],
      limit: { minutes: 90 },
    });
    expect(parseQuery('plays@4w:>3 played:..-6m title::^the hour:22..5 random limit:25')).toEqual({
      all: [
        { gt: { playCount: 3 }, window: { weeks: 4 } },
        { notInTheLast: { lastPlayed: { months: 6 } } },
        { matches: { title: '^the' } },
        { inTheRange: { playedAtHour: [22, 5] } },
      ],
      sort: [{ by: 'random' }],
      limit: 25,
    });
    expect(parseQuery('radiohead')).toEqual({
      all: [
        {
          any: [
            { contains: { title: 'radiohead' } },
            { contains: { artist: 'radiohead' } },
            { contains: { album: 'radiohead' } },
          ],
        },
      ],
    });
  });

  it('rejects bad terms with INVALID_QUERY naming the term', () => {
    expect(() => parseQuery('rating:5')).toThrow(/Query term "rating:5": unknown field "rating"/);
    expect(() => parseQuery('plays:lots')).toThrow(/"plays:lots": expected a number/);
    expect(() => parseQuery('title@3d:x')).toThrow(/takes no window/);
    try {
      parseQuery('hour:30');
    } catch (error) {
      expect(isPlaylistsError(error) && error.code).toBe('INVALID_QUERY');
    }
    expect(() => parseQuery('hour:30')).toThrow(/expected an hour 0..23/);
  });
});
