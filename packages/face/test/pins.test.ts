import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE, mapFace, SKIN_TONES, toFaceString } from '../src/index.js';
import { toNotionistsSvg } from '../src/render/index.js';
import { makeProfile, PERSONAS } from './fixtures/profiles.js';

const profile = makeProfile(PERSONAS['night-owl']!);

describe('one pin numbering', () => {
  it('a numeric pin, a tag pin, the face string, the reason and the drawn tone agree', () => {
    expect(DEFAULT_CATALOGUE.s.map((o) => o.tag)).toEqual([
      'tone-0',
      'tone-1',
      'tone-2',
      'tone-3',
      'tone-4',
      'tone-5',
    ]);
    for (let n = 0; n <= 5; n++) {
      const byNumber = mapFace(profile, { pins: { s: n } });
      const byTag = mapFace(profile, { pins: { skin: `tone-${n}` } });
      const { inputs: _tagInputs, ...tagParam } = byTag.params.s;
      const { inputs: _numberInputs, ...numberParam } = byNumber.params.s;
      expect(tagParam).toEqual(numberParam);
      expect(toFaceString(byTag)).toBe(toFaceString(byNumber));
      expect(byNumber.params.s).toMatchObject({ tag: `tone-${n}`, value: n });
      expect(toFaceString(byNumber)).toMatch(new RegExp(`^s${n}e`));
      expect(byNumber.params.s.reason).toBe(
        `You pinned your skin to tone-${n} (s${n} in the face string).`,
      );
      // The drawn figure is painted with that tone's colour.
      expect(toNotionistsSvg(byTag)).toContain(`fill="${SKIN_TONES[`tone-${n}`]}"`);
    }
  });

  it('the mapping numbers tones the same way (tag number = Notion index)', () => {
    for (const name of Object.keys(PERSONAS)) {
      const s = mapFace(makeProfile(PERSONAS[name]!)).params.s;
      expect(s.tag).toBe(`tone-${s.value}`);
      expect(s.reason).toContain(`skin tone ${s.value} (0 lightest to 5 deepest)`);
    }
  });

  it('ignores a previous face of another mapping version for hysteresis', () => {
    const now = mapFace(profile);
    const old = { ...now, mappingVersion: 1, params: { ...now.params } };
    expect(mapFace(profile, { previous: old })).toEqual(mapFace(profile));
  });
});
