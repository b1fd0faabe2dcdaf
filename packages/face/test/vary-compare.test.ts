import { describe, expect, it } from 'vitest';
import {
  PARAM_KEYS,
  compareFaces,
  createFaceMapper,
  mapFace,
  toFaceString,
  varyFace,
} from '../src/index.js';
import { PERSONAS, makeProfile } from './fixtures/profiles.js';

const profile = makeProfile(PERSONAS['party-hiphop']!);

describe('vary', () => {
  it('keeps every meaning tag, changes variants, and is deterministic per seed', () => {
    const face = mapFace(profile);
    const a = varyFace(face, 'regenerate-1');
    const b = varyFace(face, 'regenerate-1');
    const c = varyFace(face, 42);
    expect(a).toEqual(b);
    for (const key of PARAM_KEYS) expect(a.params[key].tag).toBe(face.params[key].tag);
    expect(toFaceString(a)).not.toBe(toFaceString(face));
    expect(toFaceString(c)).not.toBe(toFaceString(face));
    const multi = PARAM_KEYS.filter(
      (k) =>
        createFaceMapper().catalogue[k].find((o) => o.tag === face.params[k].tag)!.notion.length >
        1,
    );
    for (const key of multi) expect(a.params[key].value).not.toBe(face.params[key].value);
  });

  it('never moves pinned parameters', () => {
    const face = mapFace(profile, { pins: { e: 10, h: 'locs' } });
    for (let seed = 0; seed < 20; seed++) {
      const v = varyFace(face, seed);
      expect(v.params.e.value).toBe(10);
      expect(v.params.h.value).toBe(27);
    }
  });

  it('a regenerated face survives re-mapping: the variant is kept while the tag holds', () => {
    const mapper = createFaceMapper();
    const varied = mapper.vary(mapper.map(profile), 5);
    const again = mapper.map(profile, { previous: varied });
    expect(toFaceString(again)).toBe(toFaceString(varied));
  });
});

describe('compare', () => {
  it('says what changed between periods and why', () => {
    const lastYear = mapFace(makeProfile(PERSONAS['night-owl']!, '2025'));
    const thisYear = mapFace(makeProfile(PERSONAS['reggae-sunshine']!, '2026'));
    const changes = compareFaces(lastYear, thisYear);
    const mouth = changes.find((c) => c.key === 'm')!;
    expect(mouth).toMatchObject({ kind: 'tag', from: { tag: 'frown' }, to: { tag: 'big-smile' } });
    expect(mouth.why).toBe(
      'Your mouth went from "frown" to "big-smile" because valence 22% -> 88%: Your music is happy and bright (valence 88%, estimated from your genres), so you grin.',
    );
    expect(changes.find((c) => c.key === 'h')!.inputs).toEqual([
      { name: 'topGenre.family', from: 'metal', to: 'reggae' },
    ]);
    expect(compareFaces(lastYear, lastYear)).toEqual([]);
  });

  it('reports a variant-only change as such', () => {
    const face = mapFace(profile);
    const changes = compareFaces(face, varyFace(face, 1));
    expect(changes.length).toBeGreaterThan(0);
    for (const c of changes) expect(c.kind).toBe('variant');
  });
});
