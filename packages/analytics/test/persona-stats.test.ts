import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildListeningProfile,
  buildListeningProfiles,
  featureSourceFromMap,
  computeStats,
  listeningProfileSchema,
  type ListeningStats,
  type ProfileResult,
} from '../src/index.js';
import { personaPlays, worldGenres } from './world-plays.js';

// Ground truth: the mock's personas. A night owl listens late, an explorer spreads over every
// family, a heavy pop fan concentrates on pop, a morning listener plays acoustic music early.
const PERSONAS = ['night-owl', 'eclectic-explorer', 'heavy-pop', 'morning-acoustic'] as const;
const results = new Map<
  string,
  ProfileResult & { truthEnergy: number; plays: number; truthMs: number }
>();

beforeAll(() => {
  for (const persona of PERSONAS) {
    const { world, user, plays, now } = personaPlays(persona, 11, 90);
    const result = buildListeningProfile(plays, {
      timeZone: user.timezone,
      now,
      genresOf: worldGenres(world),
    });
    // Ground-truth mean energy weighted by time, from the world's track features.
    let energy = 0;
    let ms = 0;
    for (const p of plays) {
      energy += (world.tracks.get(p.trackId as string)?.features.energy ?? 0) * p.msPlayed;
      ms += p.msPlayed;
    }
    results.set(persona, { ...result, truthEnergy: energy / ms, plays: plays.length, truthMs: ms });
  }
});

const get = (persona: string) =>
  results.get(persona) as ProfileResult & { truthEnergy: number; plays: number; truthMs: number };
const nightGridShare = (stats: ListeningStats) => {
  let night = 0;
  let total = 0;
  for (const row of stats.weekdayHours)
    row.forEach((ms, h) => {
      total += ms;
      if (h >= 22 || h < 5) night += ms;
    });
  return night / total;
};

describe('statistics against the mock personas', () => {
  it('counts every play and all listening time', () => {
    for (const persona of PERSONAS) {
      const r = get(persona);
      expect(r.stats.totals.plays).toBe(r.plays);
      expect(r.stats.totals.msPlayed).toBe(r.truthMs);
      expect(r.profile.totals.plays).toBe(r.plays);
    }
  });

  it('gives the night owl a night-heavy hour x weekday grid', () => {
    const owl = get('night-owl').stats;
    expect(nightGridShare(owl)).toBeGreaterThan(0.6);
    expect(owl.nightShare).toBeCloseTo(nightGridShare(owl), 10);
    for (const other of ['heavy-pop', 'morning-acoustic', 'eclectic-explorer']) {
      expect(nightGridShare(get(other).stats)).toBeLessThan(0.35);
    }
    const peak = owl.hours.indexOf(Math.max(...owl.hours));
    expect(peak >= 22 || peak <= 2).toBe(true);
    expect(get('night-owl').profile.achievements.map((a) => a.id)).toContain('night-owl');
  });

  it('gives the explorer more diversity than the pop fan', () => {
    const explorer = get('eclectic-explorer').stats;
    const pop = get('heavy-pop').stats;
    expect(explorer.diversity.artists.hill1).toBeGreaterThan(pop.diversity.artists.hill1);
    expect(explorer.diversity.genres?.hill1 ?? 0).toBeGreaterThan(pop.diversity.genres?.hill1 ?? 0);
    expect(explorer.diversity.artists.gini).toBeLessThan(pop.diversity.artists.gini);
    expect(explorer.genreConsistency ?? 1).toBeLessThan(pop.genreConsistency ?? 0);
    expect(get('eclectic-explorer').profile.signals.discovery.value).toBeGreaterThan(
      get('heavy-pop').profile.signals.discovery.value,
    );
    expect(get('heavy-pop').profile.topGenre?.family).toBe('pop');
    expect(get('night-owl').profile.topGenre?.family).toBe('metal');
  });

  it('sees the morning listener early and acoustic', () => {
    const morning = get('morning-acoustic');
    expect(morning.stats.morningShare).toBeGreaterThan(0.4);
    expect(morning.profile.achievements.map((a) => a.id)).toContain('early-bird');
    expect(morning.profile.signals.acousticness.value).toBeGreaterThan(
      get('night-owl').profile.signals.acousticness.value + 0.3,
    );
  });

  it('estimates energy from genres close to the true audio features', () => {
    for (const persona of PERSONAS) {
      const r = get(persona);
      expect(r.profile.signals.energy.source).toBe('estimated');
      expect(Math.abs(r.profile.signals.energy.value - r.truthEnergy)).toBeLessThan(0.1);
      expect(r.profile.signals.energy.confidence).toBeLessThanOrEqual(0.5);
    }
    expect(get('night-owl').profile.signals.intensity.value).toBeGreaterThan(
      get('morning-acoustic').profile.signals.intensity.value,
    );
  });

  it("uses Spotify's audio features when the app has them", () => {
    const { world, user, plays, now } = personaPlays('night-owl', 11, 90);
    const features = featureSourceFromMap(
      'spotify',
      new Map([...world.tracks.values()].map((t) => [t.id, t.features])),
    );
    const [profile] = buildListeningProfiles(plays, {
      timeZone: user.timezone,
      now,
      features,
      periods: ['all'],
    });
    expect(profile?.signals.energy.source).toBe('spotify');
    expect(profile?.signals.energy.confidence).toBe(1);
    expect(profile?.signals.energy.value).toBeCloseTo(get('night-owl').truthEnergy, 3);
  });

  it('produces profiles that pass the schema, with hours summing to 1', () => {
    for (const persona of PERSONAS) {
      const { profile } = get(persona);
      expect(listeningProfileSchema.safeParse(profile).success).toBe(true);
      expect(profile.hours.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  });

  it('counts only the period asked for', () => {
    const { world, user, plays, now } = personaPlays('heavy-pop', 11, 90);
    const short = computeStats(plays, {
      timeZone: user.timezone,
      now,
      period: 'short_term',
      genresOf: worldGenres(world),
    });
    const from = now - 28 * 86_400_000;
    const expected = plays.filter((p) => p.endedAt >= from && p.endedAt < now);
    expect(short.totals.plays).toBe(expected.length);
    expect(short.totals.msPlayed).toBe(expected.reduce((s, p) => s + p.msPlayed, 0));
    expect(short.period.label).toBe('short_term');
  });
});
