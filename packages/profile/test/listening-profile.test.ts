import { describe, expect, it } from 'vitest';
import {
  ACHIEVEMENT_IDS,
  GENRE_FAMILIES,
  genreFamilyOf,
  type ListeningProfile,
  listeningProfileSchema,
} from '../src/index.js';

const signal = (value: number) => ({ value, source: 'history' as const, confidence: 1 });

function profile(): ListeningProfile {
  return {
    version: 1,
    period: { label: '2025', from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
    timeZone: 'Europe/Berlin',
    signals: {
      energy: signal(0.7),
      valence: signal(0.4),
      acousticness: signal(0.2),
      instrumentalness: signal(0.1),
      danceability: signal(0.5),
      intensity: signal(0.6),
      genreConsistency: signal(0.5),
      timeOfDayDiversity: signal(0.6),
      nightShare: signal(0.3),
      discovery: signal(0.2),
    },
    topGenre: { name: 'indie rock', family: 'rock', share: 0.4 },
    genreFamilies: [
      { family: 'rock', share: 0.6 },
      { family: 'pop', share: 0.3 },
    ],
    topArtists: [{ id: null, name: 'Some Band', plays: 10, msPlayed: 2_000_000 }],
    topTracks: [],
    hours: Array.from({ length: 24 }, () => 1 / 24),
    achievements: [{ id: 'night-owl', label: 'Night owl', reachedAt: '2025-03-01T23:00:00Z' }],
    totals: { plays: 10, msPlayed: 2_000_000, uniqueTracks: 3, uniqueArtists: 1, days: 2 },
  };
}

describe('listeningProfileSchema', () => {
  it('accepts a complete hand-written profile', () => {
    expect(listeningProfileSchema.safeParse(profile()).success).toBe(true);
  });

  it('names the field that is out of range', () => {
    const bad = { ...profile(), signals: { ...profile().signals, energy: signal(1.5) } };
    const result = listeningProfileSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['signals', 'energy', 'value']);
  });

  it('rejects unsorted genre families, hours that do not sum to 1 and a wrong version', () => {
    const unsorted = {
      ...profile(),
      genreFamilies: [
        { family: 'pop', share: 0.3 },
        { family: 'rock', share: 0.6 },
      ],
    };
    expect(listeningProfileSchema.safeParse(unsorted).success).toBe(false);
    expect(
      listeningProfileSchema.safeParse({ ...profile(), hours: Array(24).fill(0.5) }).success,
    ).toBe(false);
    expect(listeningProfileSchema.safeParse({ ...profile(), version: 2 }).success).toBe(false);
    expect(listeningProfileSchema.safeParse('not a profile').success).toBe(false);
  });
});

describe('contract constants', () => {
  it('lists 17 genre families and folds genre names into them', () => {
    expect(GENRE_FAMILIES).toHaveLength(17);
    expect(genreFamilyOf('melodic death metal')).toBe('metal');
    expect(genreFamilyOf('   ')).toBeNull();
    expect(ACHIEVEMENT_IDS).toContain('night-owl');
  });
});
