import { describe, expect, it } from 'vitest';
import { assertFaceProfile, type FaceProfile, mapFace } from '../src/index.js';
import { makeProfile, PERSONAS } from './fixtures/profiles.js';

const base = makeProfile(PERSONAS[Object.keys(PERSONAS)[0] as string]!);

function enriched(): FaceProfile {
  const measured = (value: number) => ({
    value,
    source: 'enriched' as const,
    confidence: 0.82,
    via: 'ReccoBeats',
    basis: { tracks: 412, of: 500 },
  });
  return {
    ...base,
    signals: {
      ...base.signals,
      energy: measured(0.81),
      valence: measured(0.3),
      acousticness: measured(0.7),
      instrumentalness: measured(0.1),
      intensity: measured(0.6),
      genreConsistency: { value: 0.6, source: 'history', confidence: 0.9, via: 'MusicBrainz' },
    },
    topGenre: { name: 'indie rock', family: 'rock', share: 0.4, via: 'MusicBrainz' },
    genreFamilies: [{ family: 'rock', share: 0.4 }],
  };
}

describe('reasons name the source of enriched values', () => {
  it('says which service measured the features and over how many tracks', () => {
    const face = mapFace(enriched());
    expect(face.params.e.reason).toBe(
      'Your music is high-energy (81% from audio features of 412 of your 500 tracks, via ReccoBeats), so your eyes are wide open.',
    );
    expect(face.params.e.inputs[0]).toMatchObject({ source: 'enriched', via: 'ReccoBeats' });
    expect(face.params.y.reason).toContain('via ReccoBeats');
    expect(face.params.b.reason).toContain('audio features of 412 of your 500 tracks');
  });

  it('says where the genres came from for hair and nose', () => {
    const face = mapFace(enriched());
    expect(face.params.h.reason).toBe(
      'Your top genre is indie rock (rock, 40% of listening; genres via MusicBrainz), and rock gives you wild hair.',
    );
    expect(face.params.n.reason).toContain('60%, genres via MusicBrainz');
  });

  it('names the genre service behind estimated audio signals', () => {
    const profile = enriched();
    const estimated = {
      value: 0.8,
      source: 'estimated' as const,
      confidence: 0.4,
      via: 'MusicBrainz',
    };
    const face = mapFace({ ...profile, signals: { ...profile.signals, energy: estimated } });
    expect(face.params.e.reason).toContain('80%, estimated from your genres via MusicBrainz');
  });

  it('keeps the old wording when the profile names no service', () => {
    const face = mapFace(base);
    for (const key of ['e', 'm', 'n', 'h', 'y', 'b'] as const)
      expect(face.params[key].reason).not.toMatch(/ via /);
  });

  it('rejects a malformed source description', () => {
    const bad = enriched() as unknown as { signals: { energy: { via: unknown } } };
    bad.signals.energy.via = { nested: { deeper: true } };
    expect(() => assertFaceProfile(bad)).toThrow(/signals\.energy\.via/);
  });
});
