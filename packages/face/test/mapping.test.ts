import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CATALOGUE,
  DEFAULT_MAPPING,
  DEFAULT_RANGES,
  HAIR_BY_FAMILY,
  MAPPING_VERSION,
  PARAM_KEYS,
  type Face,
  type FaceProfile,
  createFaceMapper,
  isFaceError,
  mapFace,
  toFaceString,
} from '../src/index.js';
import { PERSONAS, makeProfile } from './fixtures/profiles.js';

const GENRE_FAMILIES = [
  'rock',
  'metal',
  'punk',
  'pop',
  'electronic',
  'hip hop',
  'r&b',
  'jazz',
  'blues',
  'classical',
  'folk',
  'country',
  'latin',
  'reggae',
  'world',
  'soundtrack',
  'ambient',
] as const;

const base = makeProfile(PERSONAS['night-owl']!);

function withSignals(profile: FaceProfile, values: Partial<Record<string, number>>): FaceProfile {
  const signals = { ...profile.signals } as Record<
    string,
    { value: number; source: string; confidence: number }
  >;
  for (const [k, v] of Object.entries(values)) signals[k] = { ...signals[k]!, value: v! };
  return { ...profile, signals } as FaceProfile;
}

function summary(face: Face): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of PARAM_KEYS)
    out[key] = `${face.params[key].value} ${face.params[key].tag}: ${face.params[key].reason}`;
  return out;
}

describe('default mapping', () => {
  it('pins the face of every persona (snapshot)', () => {
    const all: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(PERSONAS)) {
      const face = mapFace(makeProfile(spec));
      all[name] = { face: toFaceString(face), params: summary(face) };
    }
    expect(all).toMatchSnapshot();
  });

  it('is deterministic and carries the mapping version and period', () => {
    const a = mapFace(base);
    const b = mapFace(structuredClone(base));
    expect(a).toEqual(b);
    expect(a.mappingVersion).toBe(MAPPING_VERSION);
    expect(a.period).toBe('short_term');
    expect(a.plugins).toEqual([]);
  });

  it('follows the product table: energy -> eyes, valence -> mouth, intensity -> brows', () => {
    const hi = mapFace(withSignals(base, { energy: 0.95, valence: 0.95, intensity: 0.95 }));
    const lo = mapFace(withSignals(base, { energy: 0.05, valence: 0.05, intensity: 0.05 }));
    expect([hi.params.e.tag, hi.params.m.tag, hi.params.b.tag]).toEqual([
      'wide',
      'big-smile',
      'intense',
    ]);
    expect([lo.params.e.tag, lo.params.m.tag, lo.params.b.tag]).toEqual([
      'relaxed',
      'frown',
      'soft',
    ]);
  });

  it('maps genre consistency to the nose and acoustic/instrumental to glasses', () => {
    expect(mapFace(withSignals(base, { genreConsistency: 0.95 })).params.n.tag).toBe('straight');
    expect(mapFace(withSignals(base, { genreConsistency: 0.05 })).params.n.tag).toBe('unusual');
    const g = (a: number, i: number) =>
      mapFace(withSignals(base, { acousticness: a, instrumentalness: i })).params.y.tag;
    expect(g(0.1, 0.1)).toBe('none');
    expect(g(0.8, 0.2)).toBe('round');
    expect(g(0.2, 0.8)).toBe('square');
    expect(g(0.8, 0.8)).toBe('big-round');
  });

  it('places every genre family, wild for rock/electronic and neat for classical/jazz', () => {
    for (const family of GENRE_FAMILIES) {
      const profile = {
        ...base,
        topGenre: { name: `${family} genre`, family, share: 0.5 },
        genreFamilies: [{ family, share: 0.5 }],
      } as FaceProfile;
      const face = mapFace(profile);
      expect(face.params.h.tag).toBe(HAIR_BY_FAMILY[family].tag);
      expect(face.params.h.reason).toContain(`${family} genre`);
    }
    expect(HAIR_BY_FAMILY.rock.tag).toBe('wild');
    expect(HAIR_BY_FAMILY.electronic.tag).toBe('spiky');
    expect(['neat-part', 'slick']).toContain(HAIR_BY_FAMILY.classical.tag);
    expect(['neat-part', 'slick']).toContain(HAIR_BY_FAMILY.jazz.tag);
    const unknown = mapFace({ ...base, topGenre: null, genreFamilies: [] } as FaceProfile);
    expect(unknown.params.h.tag).toBe('crop');
  });

  it('unlocks the rarest accessory reached', () => {
    const ach = (ids: string[]) =>
      mapFace({
        ...base,
        achievements: ids.map((id) => ({ id, label: id, reachedAt: '2026-01-01T00:00:00Z' })),
      } as FaceProfile).params.a.tag;
    expect(ach([])).toBe('none');
    expect(ach(['hours-100'])).toBe('earbuds');
    expect(ach(['hours-100', 'hours-1000'])).toBe('headphones');
    expect(ach(['night-owl', 'explorer'])).toBe('star-clip');
    expect(ach(['unknown-badge'])).toBe('none');
  });

  it('explains every parameter in one sentence with inputs and confidence', () => {
    const face = mapFace(base);
    for (const key of PARAM_KEYS) {
      const p = face.params[key];
      expect(p.reason).toMatch(/^[A-Z].*[.]$/);
      expect(p.reason.split(/[.!?] /).length).toBe(1);
      expect(p.inputs.length).toBeGreaterThan(0);
      expect(p.confidence).toBeGreaterThanOrEqual(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
      const option = DEFAULT_CATALOGUE[key].find((o) => o.tag === p.tag)!;
      expect(option.notion).toContain(p.value);
    }
    expect(face.params.e.reason).toContain('estimated from your genres');
    expect(face.params.e.inputs[0]).toMatchObject({ name: 'signals.energy', source: 'estimated' });
  });

  it('keeps every catalogue index inside the ranges table', () => {
    for (const key of PARAM_KEYS)
      for (const o of DEFAULT_CATALOGUE[key])
        for (const i of o.notion) {
          expect(i).toBeGreaterThanOrEqual(DEFAULT_RANGES[key].min);
          expect(i).toBeLessThanOrEqual(DEFAULT_RANGES[key].max);
        }
    for (const key of PARAM_KEYS)
      for (const row of DEFAULT_MAPPING[key].rows)
        expect(DEFAULT_CATALOGUE[key].map((o) => o.tag)).toContain(row.tag);
  });

  it('rejects a bad profile with a typed error naming the field', () => {
    const bad = withSignals(base, { energy: 1.5 });
    try {
      mapFace(bad);
      expect.unreachable();
    } catch (e) {
      expect(isFaceError(e) && e.code).toBe('INVALID_PROFILE');
      expect((e as Error).message).toContain('signals.energy.value');
    }
    expect(() => mapFace({} as FaceProfile)).toThrow(/Invalid listening profile/);
  });
});

describe('pins', () => {
  it('pins by letter or name, by index or tag, and wins over the mapping', () => {
    const face = mapFace(base, { pins: { s: 4, eyes: 'calm', mouth: 0 } });
    expect(face.params.s).toMatchObject({ value: 4, tag: 'tone-4', source: 'pin', confidence: 1 });
    expect(face.params.e).toMatchObject({ tag: 'calm', value: 3, source: 'pin' });
    expect(face.params.m.tag).toBe('frown');
    expect(face.params.s.reason).toBe('You pinned your skin to tone-4 (s4 in the face string).');
    expect(face.params.e.reason).toBe('You pinned your eyes to calm (e3 in the face string).');
  });

  it('accepts in-range indices outside the catalogue, keeping the value', () => {
    const face = mapFace(base, { pins: { h: 212 } });
    expect(face.params.h.value).toBe(212);
    expect(DEFAULT_CATALOGUE.h.map((o) => o.tag)).toContain(face.params.h.tag);
  });

  it('rejects out-of-range pins, unknown tags and unknown parameters', () => {
    expect(() => mapFace(base, { pins: { s: 99 } })).toThrow(
      /skin \(s\) must be an integer in 0..5, got 99/,
    );
    expect(() => mapFace(base, { pins: { m: 'smirk' } })).toThrow(/mouth has no part "smirk"/);
    expect(() => mapFace(base, { pins: { z: 1 } })).toThrow(/Unknown pinned parameter "z"/);
  });
});

describe('stability and hysteresis', () => {
  const unit = fc.double({ min: 0, max: 1, noNaN: true });
  const signalNames = [
    'energy',
    'valence',
    'acousticness',
    'instrumentalness',
    'intensity',
    'genreConsistency',
    'timeOfDayDiversity',
  ] as const;

  it('a small change only moves parameters whose input left the previous band by more than the margin', () => {
    const mapper = createFaceMapper();
    fc.assert(
      fc.property(
        fc.record(Object.fromEntries(signalNames.map((s) => [s, unit]))),
        fc.record(
          Object.fromEntries(
            signalNames.map((s) => [s, fc.double({ min: -0.03, max: 0.03, noNaN: true })]),
          ),
        ),
        (start, delta) => {
          const p1 = withSignals(base, start as Record<string, number>);
          const moved: Record<string, number> = {};
          for (const s of signalNames)
            moved[s] = Math.min(
              1,
              Math.max(
                0,
                (start as Record<string, number>)[s]! + (delta as Record<string, number>)[s]!,
              ),
            );
          const first = mapper.map(p1);
          const second = mapper.map(withSignals(base, moved), { previous: first });
          // Every delta is below the 0.04 margin, so nothing may flip.
          for (const key of PARAM_KEYS) expect(second.params[key].tag).toBe(first.params[key].tag);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('without a previous face the bands apply exactly; with one the edge is sticky', () => {
    const mapper = createFaceMapper();
    const below = mapper.map(withSignals(base, { energy: 0.74 }));
    expect(below.params.e.tag).toBe('bright');
    const above = withSignals(base, { energy: 0.76 });
    expect(mapper.map(above).params.e.tag).toBe('wide');
    expect(mapper.map(above, { previous: below }).params.e.tag).toBe('bright');
    expect(mapper.map(withSignals(base, { energy: 0.8 }), { previous: below }).params.e.tag).toBe(
      'wide',
    );
  });

  it('hair keeps the previous family while it stays within the share margin', () => {
    const profile = (rock: number, metal: number) =>
      ({
        ...base,
        topGenre:
          rock > metal
            ? { name: 'rock', family: 'rock', share: rock }
            : { name: 'metal', family: 'metal', share: metal },
        genreFamilies: [
          { family: 'rock', share: rock },
          { family: 'metal', share: metal },
        ].sort((a, b) => b.share - a.share),
      }) as FaceProfile;
    const mapper = createFaceMapper();
    const first = mapper.map(profile(0.3, 0.32));
    expect(first.params.h.tag).toBe('long');
    expect(mapper.map(profile(0.33, 0.31), { previous: first }).params.h.tag).toBe('long');
    expect(mapper.map(profile(0.4, 0.3), { previous: first }).params.h.tag).toBe('wild');
  });

  it('maps any valid profile into the ranges', () => {
    fc.assert(
      fc.property(
        fc.record(Object.fromEntries(signalNames.map((s) => [s, unit]))),
        fc.constantFrom(...GENRE_FAMILIES),
        (signals, family) => {
          const face = mapFace({
            ...withSignals(base, signals as Record<string, number>),
            topGenre: { name: family, family, share: 0.4 },
            genreFamilies: [{ family, share: 0.4 }],
          } as FaceProfile);
          for (const key of PARAM_KEYS) {
            expect(face.params[key].value).toBeGreaterThanOrEqual(DEFAULT_RANGES[key].min);
            expect(face.params[key].value).toBeLessThanOrEqual(DEFAULT_RANGES[key].max);
          }
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });
});

describe('unknown inputs', () => {
  it('says so instead of inventing a reason', () => {
    const signals = Object.fromEntries(
      Object.entries(base.signals).map(([k, v]) => [k, { ...v, value: 0.5, confidence: 0 }]),
    );
    const face = mapFace({
      ...base,
      signals,
      topGenre: null,
      genreFamilies: [],
    } as unknown as FaceProfile);
    expect(face.params.e.reason).toBe(
      'Your music\'s energy is unknown without genres or audio features, so the middle option "calm" is used for your eyes.',
    );
    expect(face.params.y.reason).toBe(
      'Without genres or audio features it is unknown how acoustic or instrumental your music is, so no glasses.',
    );
    expect(face.params.h.reason).toBe('Your genres are unknown, so you get a tidy crop.');
    for (const key of PARAM_KEYS.filter((k) => k !== 'a'))
      expect(face.params[key].confidence).toBeLessThan(0.05);
  });
});
