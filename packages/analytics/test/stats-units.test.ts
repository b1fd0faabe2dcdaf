import { describe, expect, it } from 'vitest';
import {
  aggregateTrends,
  buildListeningProfile,
  compareStats,
  computeStats,
  createPlayIndex,
  diversityOf,
  featureSourceFromMap,
  isAnalyticsError,
  type ListeningProfile,
  statsToCsv,
} from '../src/index.js';
import { at, play } from './helpers.js';

const HOUR = 3_600_000;
const MIN = 60_000;

describe('time zones', () => {
  it('puts hours and days in the listener zone', () => {
    // 23:30 UTC on 2026-01-15 is 00:30 on the 16th in Berlin (UTC+1) and 18:30 in New York.
    const plays = [play({ endedAt: at('2026-01-15T23:30:00Z'), msPlayed: MIN })];
    const berlin = computeStats(plays, { timeZone: 'Europe/Berlin' });
    const ny = computeStats(plays, { timeZone: 'America/New_York' });
    expect(berlin.hours[0]).toBe(MIN);
    expect(ny.hours[18]).toBe(MIN);
    // 2026-01-16 is a Friday (index 4, Monday = 0); in New York it is still Thursday.
    expect(berlin.weekdayHours[4]?.[0]).toBe(MIN);
    expect(ny.weekdayHours[3]?.[18]).toBe(MIN);
    expect(berlin.nightShare).toBe(1);
    expect(ny.nightShare).toBe(0);
  });

  it('follows daylight-saving changes', () => {
    // New York switches to UTC-4 at 2026-03-08 07:00 UTC.
    const plays = [
      play({ endedAt: at('2026-03-08T06:30:00Z'), msPlayed: MIN, trackId: 'a' }), // 01:30 EST
      play({ endedAt: at('2026-03-08T07:30:00Z'), msPlayed: 2 * MIN, trackId: 'b' }), // 03:30 EDT
      play({ endedAt: at('2026-07-01T12:00:00Z'), msPlayed: 3 * MIN, trackId: 'c' }), // 08:00 EDT
    ];
    const stats = computeStats(plays, { timeZone: 'America/New_York' });
    expect(stats.hours[1]).toBe(MIN);
    expect(stats.hours[3]).toBe(2 * MIN);
    expect(stats.hours[8]).toBe(3 * MIN);
  });

  it('takes a year and local date ranges in the listener zone', () => {
    const plays = [
      play({ endedAt: at('2025-12-31T23:30:00Z'), trackId: 'a' }), // 2026-01-01 00:30 in Berlin
      play({ endedAt: at('2026-06-01T10:00:00Z'), trackId: 'b' }),
      play({ endedAt: at('2027-01-01T00:30:00Z'), trackId: 'c' }), // 01:30 in 2027 in Berlin
    ];
    expect(computeStats(plays, { timeZone: 'Europe/Berlin', period: '2026' }).totals.plays).toBe(2);
    expect(computeStats(plays, { timeZone: 'UTC', period: { year: 2026 } }).totals.plays).toBe(1);
    const range = computeStats(plays, {
      timeZone: 'Europe/Berlin',
      period: { from: '2026-01-01', to: '2026-06-01' },
    });
    expect(range.totals.plays).toBe(2);
    expect(range.period.label).toBe('2026-01-01..2026-06-01');
  });

  it('rejects unknown zones and bad options with a typed error', () => {
    const error = (() => {
      try {
        computeStats([], { timeZone: 'Mars/Olympus' });
      } catch (e) {
        return e;
      }
    })();
    expect(isAnalyticsError(error) && error.code === 'INVALID_INPUT').toBe(true);
    expect(() => computeStats([], { timeZone: 'UTC', period: { from: 5, to: 1 } })).toThrow(
      /after/,
    );
    expect(() => computeStats([], { timeZone: 'UTC', limit: 0 })).toThrow(/limit/);
  });
});

describe('sessions, streaks, skips and dedupe', () => {
  it('ends a session after a pause of more than 10 minutes and finds the longest', () => {
    const t0 = at('2026-02-02T10:00:00Z');
    const plays = [
      play({ endedAt: t0 + 3 * MIN, msPlayed: 3 * MIN, trackId: 'a' }),
      play({ endedAt: t0 + 12 * MIN, msPlayed: 3 * MIN, trackId: 'b' }), // 6 min pause: same session
      play({ endedAt: t0 + 40 * MIN, msPlayed: 3 * MIN, trackId: 'c' }), // 25 min pause: new session
    ];
    const stats = computeStats(plays, { timeZone: 'UTC' });
    expect(stats.sessions.count).toBe(2);
    expect(stats.sessions.longest).toEqual({
      start: new Date(t0).toISOString(),
      end: new Date(t0 + 12 * MIN).toISOString(),
      plays: 2,
      msPlayed: 6 * MIN,
    });
  });

  it('counts streaks of consecutive local days', () => {
    const days = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-05', '2026-03-06'];
    const plays = days.map((d, i) => play({ endedAt: at(`${d}T12:00:00Z`), trackId: `t${i}` }));
    const stats = computeStats(plays, { timeZone: 'UTC' });
    expect(stats.streaks.longest).toEqual({ days: 3, from: '2026-03-01', to: '2026-03-03' });
    expect(stats.streaks.current).toBe(2);
    expect(stats.totals.days).toBe(5);
  });

  it('computes the skip rate from skipped, falling back to reason_end', () => {
    const t = at('2026-03-01T12:00:00Z');
    const plays = [
      play({ endedAt: t, skipped: true, trackId: 'a' }),
      play({ endedAt: t + 1000, skipped: false, trackId: 'b' }),
      play({ endedAt: t + 2000, skipped: null, reasonEnd: 'fwdbtn', trackId: 'c' }),
      play({ endedAt: t + 3000, skipped: null, reasonEnd: 'endplay', trackId: 'd' }),
    ];
    const stats = computeStats(plays, { timeZone: 'UTC' });
    expect(stats.skips).toEqual({ skipped: 2, known: 3, rate: 2 / 3 });
  });

  it('drops duplicate plays by playKey', () => {
    const p = play({ endedAt: at('2026-03-01T12:00:00.123Z') });
    const index = createPlayIndex();
    expect(index.add(p)).toBe(true);
    expect(index.add({ ...p, endedAt: at('2026-03-01T12:00:00.900Z') })).toBe(false);
    expect(index.add({ ...p, endedAt: at('2026-03-01T12:00:01Z') })).toBe(true);
    expect(index.duplicates).toBe(1);
    expect(computeStats(index, { timeZone: 'UTC' }).totals.plays).toBe(2);
  });

  it('ranks top lists by plays and by time', () => {
    const t = at('2026-03-01T12:00:00Z');
    const plays = [
      play({ endedAt: t, trackId: 'x', artistIds: ['A'], artistName: 'A', msPlayed: 10 * MIN }),
      play({ endedAt: t + HOUR, trackId: 'y', artistIds: ['B'], artistName: 'B', msPlayed: MIN }),
      play({
        endedAt: t + 2 * HOUR,
        trackId: 'y',
        artistIds: ['B'],
        artistName: 'B',
        msPlayed: MIN,
      }),
    ];
    const stats = computeStats(plays, { timeZone: 'UTC' });
    expect(stats.topArtists.byPlays.map((a) => a.name)).toEqual(['B', 'A']);
    expect(stats.topArtists.byTime.map((a) => a.name)).toEqual(['A', 'B']);
    expect(stats.topTracks.byPlays[0]).toMatchObject({ id: 'y', plays: 2, msPlayed: 2 * MIN });
  });
});

describe('diversity', () => {
  it('computes Shannon, Hill numbers and Gini', () => {
    const even = diversityOf([5, 5, 5, 5]);
    expect(even.hill1).toBeCloseTo(4, 10);
    expect(even.hill2).toBeCloseTo(4, 10);
    expect(even.evenness).toBeCloseTo(1, 10);
    expect(even.gini).toBeCloseTo(0, 10);
    const skewed = diversityOf([97, 1, 1, 1]);
    expect(skewed.gini).toBeCloseTo(0.72, 10);
    expect(skewed.hill2).toBeCloseTo(1 / (0.97 ** 2 + 3 * 0.01 ** 2), 8);
    expect(diversityOf([]).richness).toBe(0);
  });
});

describe('taste evolution, listening age, discovery, achievements', () => {
  const genres = new Map([
    ['M', ['death metal']],
    ['J', ['bebop']],
  ]);
  const genresOf = (a: { id: string | null }) => (a.id === null ? undefined : genres.get(a.id));
  // Six months of metal, then six months of jazz, every day an hour at 23:00 UTC.
  const plays = Array.from({ length: 365 }, (_, d) => {
    const jazz = d >= 181;
    return play({
      endedAt: at('2025-01-01T23:00:00Z') + d * 86_400_000,
      msPlayed: HOUR,
      trackId: `t${d % 20}${jazz ? 'j' : 'm'}`,
      artistIds: [jazz ? 'J' : 'M'],
      artistName: jazz ? 'J' : 'M',
    });
  });

  it('finds two taste phases', () => {
    const stats = computeStats(plays, { timeZone: 'UTC', genresOf });
    expect(stats.evolution.months).toHaveLength(12);
    expect(stats.evolution.phases.map((p) => p.family)).toEqual(['metal', 'jazz']);
    expect(stats.evolution.phases[0]?.from).toBe('2025-01');
    expect(stats.evolution.phases[1]?.to).toBe('2025-12');
  });

  it('reports achievements with the instant they were reached', () => {
    const stats = computeStats(plays, { timeZone: 'UTC', genresOf });
    const byId = new Map(stats.achievements.map((a) => [a.id, a.reachedAt]));
    // The 100th hour ends with the 100th play; the 30th consecutive day is day 30.
    expect(byId.get('hours-100')).toBe(
      new Date(at('2025-01-01T23:00:00Z') + 99 * 86_400_000).toISOString(),
    );
    expect(byId.get('streak-30')).toBe(
      new Date(at('2025-01-01T23:00:00Z') + 29 * 86_400_000).toISOString(),
    );
    expect(byId.has('night-owl')).toBe(true);
    expect(byId.has('loyal-fan')).toBe(true);
    expect(byId.has('marathon')).toBe(false);
    expect(byId.has('hours-1000')).toBe(false);
  });

  it('computes the listening age and discovery for a period', () => {
    const stats = computeStats(plays, {
      timeZone: 'UTC',
      period: { from: '2025-07-01', to: '2025-12-31' },
      releaseYearOf: (t) => (t.id?.endsWith('j') ? 1959 : 1991),
    });
    expect(stats.listeningAge).toMatchObject({
      fromYear: 1957,
      toYear: 1961,
      share: 1,
      coverage: 1,
    });
    expect(stats.discovery.newArtists).toBe(1); // J first appears in July; M was heard before
  });

  it('emits a marathon for a four-hour session', () => {
    const t = at('2026-04-04T10:00:00Z');
    const long = Array.from({ length: 50 }, (_, i) =>
      play({ endedAt: t + (i + 1) * 5 * MIN, msPlayed: 5 * MIN, trackId: `m${i}` }),
    );
    const stats = computeStats(long, { timeZone: 'UTC' });
    expect(stats.achievements.find((a) => a.id === 'marathon')?.reachedAt).toBe(
      new Date(t + 48 * 5 * MIN).toISOString(),
    );
  });
});

describe('audio-feature sources', () => {
  it('uses supplied features with full confidence and falls back to the estimator', () => {
    const t = at('2026-03-01T12:00:00Z');
    const plays = [
      play({ endedAt: t, trackId: 'known', msPlayed: 3 * MIN }),
      play({ endedAt: t + HOUR, trackId: 'unknown', msPlayed: MIN }),
    ];
    const features = featureSourceFromMap(
      'supplied',
      new Map([
        [
          'known',
          { energy: 1, valence: 0, acousticness: 0, instrumentalness: 0, danceability: 0.5 },
        ],
      ]),
    );
    const { profile } = buildListeningProfile(plays, {
      timeZone: 'UTC',
      features,
      genresOf: () => ['ambient'],
    });
    expect(profile.signals.energy.source).toBe('supplied');
    expect(profile.signals.energy.value).toBeCloseTo((3 * 1 + 0.15) / 4, 3);
    expect(profile.signals.energy.confidence).toBeGreaterThan(0.75);
    expect(profile.signals.energy.confidence).toBeLessThan(1);
  });

  it('says the features are unknown instead of inventing them', () => {
    const { profile } = buildListeningProfile([play({ endedAt: at('2026-03-01T12:00:00Z') })], {
      timeZone: 'UTC',
    });
    expect(profile.signals.energy).toEqual({ value: 0.5, source: 'estimated', confidence: 0 });
    expect(profile.topGenre).toBeNull();
    expect(profile.genreFamilies).toEqual([]);
    expect(profile.signals.genreConsistency.confidence).toBe(0);
  });
});

describe('comparisons, trends and export', () => {
  const t = at('2025-06-01T12:00:00Z');
  const year = 365 * 86_400_000;
  const plays = [
    play({ endedAt: t, artistIds: ['A'], artistName: 'A', trackId: 'a1' }),
    play({ endedAt: t + year, artistIds: ['B'], artistName: 'B', trackId: 'b1' }),
    play({ endedAt: t + year + HOUR, artistIds: ['A'], artistName: 'A', trackId: 'a2' }),
  ];

  it('compares two periods', () => {
    const before = computeStats(plays, { timeZone: 'UTC', period: '2025' });
    const after = computeStats(plays, { timeZone: 'UTC', period: '2026' });
    const change = compareStats(before, after);
    expect(change.delta.plays).toBe(1);
    expect(change.hoursRatio).toBe(2);
    expect(change.artists).toEqual([
      { name: 'A', before: 1, after: 1 },
      { name: 'B', before: null, after: 2 },
    ]);
  });

  it('shows only what at least k listeners share', () => {
    const profileOf = (artists: string[]): ListeningProfile =>
      buildListeningProfile(
        artists.map((a, i) =>
          play({ endedAt: t + i * HOUR, artistIds: [a], artistName: a, trackId: `${a}-t` }),
        ),
        { timeZone: 'UTC', genresOf: (x) => (x.name === 'Rare' ? ['polka'] : ['rock']) },
      ).profile;
    const profiles = [
      profileOf(['Common', 'Rare']),
      profileOf(['Common']),
      profileOf(['Common', 'Mid']),
      profileOf(['Mid']),
    ];
    const trends = aggregateTrends(profiles, { k: 2 });
    expect(trends.artists.map((a) => [a.name, a.listeners])).toEqual([
      ['Common', 3],
      ['Mid', 2],
    ]);
    expect(trends.genreFamilies.map((f) => f.family)).toEqual(['rock']);
    expect(aggregateTrends(profiles.slice(0, 2), { k: 3 }).artists).toEqual([]);
    expect(() => aggregateTrends(profiles, { k: 1 })).toThrow(/k/);
  });

  it('writes CSV with quoting and formula protection', () => {
    const tricky = [
      play({ endedAt: t, artistName: 'Earth, Wind "&" Fire', artistIds: ['E'], trackId: 'e' }),
      play({ endedAt: t + HOUR, artistName: '=cmd()', artistIds: ['F'], trackId: 'f' }),
    ];
    const csv = statsToCsv(computeStats(tricky, { timeZone: 'UTC' }), 'artists');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('rank,artist,artist_id,plays,minutes');
    expect(csv).toContain('"Earth, Wind ""&"" Fire",E,1,3');
    expect(csv).toContain("'=cmd(),F,1,3");
    expect(
      statsToCsv(computeStats(tricky, { timeZone: 'UTC' }), 'hours').split('\r\n'),
    ).toHaveLength(26);
    expect(() => statsToCsv(computeStats(tricky, { timeZone: 'UTC' }), 'nope' as 'hours')).toThrow(
      /Unknown statistics table/,
    );
  });
});
