import { describe, expect, it } from 'vitest';
import {
  ACCESSORY_BY_ACHIEVEMENT,
  DEFAULT_CATALOGUE,
  faceFromParams,
  mapFace,
} from '../src/index.js';
import { PERSONAS, makeProfile } from './fixtures/profiles.js';

/** What the default (Notionists) art draws for each accessory gesture, in words a reason uses. */
const GESTURE_WORDS: Record<string, RegExp> = {
  handPhone: /phone held up/,
  waveLongArms: /both hands raised in a wave/,
  waveOkLongArms: /a wave and an OK sign/,
  pointLongArm: /raised index finger/,
  wavePointLongArms: /a wave and a raised finger/,
  point: /pointing hand/,
  okLongArm: /OK sign held high/,
  ok: /an OK sign/,
  waveLongArm: /raised, waving hand/,
};

describe('accessory reasons describe the default art', () => {
  it('every accessory names the gesture the Notionists figure makes, the object only as line-art', () => {
    for (const a of ACCESSORY_BY_ACHIEVEMENT) {
      const part = DEFAULT_CATALOGUE.a.find((o) => o.tag === a.tag);
      const gesture = part?.notionists?.[0];
      expect(gesture, a.tag).toBeDefined();
      const words = GESTURE_WORDS[gesture as string] as RegExp;
      expect(a.why, a.id).toMatch(words);
      expect(part?.description, a.tag).toMatch(new RegExp(words.source, 'i'));
      // The object of the tag (earbuds, headphones, ...) appears only as the line-art alternative.
      expect(a.why, a.id).toMatch(/\(.+ in the line-art style\)$/);
    }
  });

  it('a mapped face with 100 hours says "phone", not "earns you earbuds"', () => {
    const spec = Object.values(PERSONAS)[0] as Parameters<typeof makeProfile>[0];
    const face = mapFace(makeProfile({ ...spec, achievements: ['hours-100'] }));
    expect(face.params.a.tag).toBe('earbuds');
    expect(face.params.a.reason).toContain('a phone held up in your hand');
    expect(face.params.a.reason).not.toMatch(/earns you (big )?(earbuds|headphones)/);
    expect(faceFromParams({ s: 0, e: 0, m: 0, n: 0, h: 0, a: 2, y: 0, b: 0 }).params.a.tag).toBe(
      'headphones',
    );
  });
});
