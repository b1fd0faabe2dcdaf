import { describe, expect, it } from 'vitest';
import {
  buildListeningProfile,
  featureSourceFromMap,
  isAnalyticsError,
  listeningProfileSchema,
} from '../src/index.js';
import { at, play } from './helpers.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const f = (energy: number) => ({
  energy,
  valence: 0.5,
  acousticness: 0.2,
  instrumentalness: 0,
  danceability: 0.6,
});

describe('enriched profiles', () => {
  const t = at('2026-03-01T12:00:00Z');
  const plays = [
    play({ endedAt: t, trackId: 'a', msPlayed: 3 * MIN }),
    play({ endedAt: t + HOUR, trackId: 'b', msPlayed: 3 * MIN }),
    play({ endedAt: t + 2 * HOUR, trackId: 'c', msPlayed: 3 * MIN }),
    play({ endedAt: t + 3 * HOUR, trackId: 'd', msPlayed: MIN }),
  ];

  it('carries the measuring service and the measured track count into the signals', () => {
    const features = featureSourceFromMap(
      'enriched',
      new Map([
        ['a', { ...f(0.9), via: 'ReccoBeats' }],
        ['b', { ...f(0.7), via: 'ReccoBeats' }],
        ['c', { ...f(0.8), via: 'Backup' }],
      ]),
    );
    const { profile } = buildListeningProfile(plays, {
      timeZone: 'UTC',
      features,
      genresOf: () => ['indie rock'],
      genresVia: 'MusicBrainz',
    });
    expect(profile.signals.energy).toMatchObject({
      source: 'enriched',
      via: 'ReccoBeats and Backup',
      basis: { tracks: 3, of: 4 },
    });
    expect(profile.signals.genreConsistency.via).toBe('MusicBrainz');
    expect(profile.topGenre?.via).toBe('MusicBrainz');
    expect(listeningProfileSchema.safeParse(profile).success).toBe(true);
  });

  it("scales confidence by each value's own confidence", () => {
    const sure = featureSourceFromMap(
      'enriched',
      new Map([
        ['a', f(0.9)],
        ['b', f(0.9)],
        ['c', f(0.9)],
        ['d', f(0.9)],
      ]),
    );
    const unsure = featureSourceFromMap(
      'enriched',
      new Map(['a', 'b', 'c', 'd'].map((id) => [id, { ...f(0.9), confidence: 0.5, via: 'Guess' }])),
    );
    const a = buildListeningProfile(plays, { timeZone: 'UTC', features: sure }).profile;
    const b = buildListeningProfile(plays, { timeZone: 'UTC', features: unsure }).profile;
    expect(a.signals.energy.confidence).toBe(1);
    expect(b.signals.energy.confidence).toBe(0.5);
    expect(b.signals.energy.value).toBe(a.signals.energy.value);
  });

  it('names the genre service on audio signals estimated from its genres', () => {
    const { profile } = buildListeningProfile(plays, {
      timeZone: 'UTC',
      genresOf: () => ['jazz'],
      genresVia: 'MusicBrainz',
    });
    expect(profile.signals.energy).toMatchObject({ source: 'estimated', via: 'MusicBrainz' });
    expect(profile.signals.energy.basis).toBeUndefined();
  });

  it('adds nothing when no service is named', () => {
    const { profile } = buildListeningProfile(plays, { timeZone: 'UTC', genresOf: () => ['jazz'] });
    expect(profile.signals.energy.via).toBeUndefined();
    expect(profile.signals.energy.basis).toBeUndefined();
    expect(profile.topGenre).not.toHaveProperty('via');
  });

  it('rejects an empty genresVia and an impossible basis', () => {
    try {
      buildListeningProfile(plays, { timeZone: 'UTC', genresVia: '  ' });
      expect.unreachable();
    } catch (error) {
      expect(isAnalyticsError(error) && error.code).toBe('INVALID_INPUT');
    }
    const { profile } = buildListeningProfile(plays, { timeZone: 'UTC' });
    const broken = {
      ...profile,
      signals: {
        ...profile.signals,
        energy: { ...profile.signals.energy, basis: { tracks: 5, of: 4 } },
      },
    };
    expect(listeningProfileSchema.safeParse(broken).success).toBe(false);
  });
});
