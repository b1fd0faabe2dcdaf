import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RANGES,
  PARAM_KEYS,
  type NotionFaceParams,
  faceFromParams,
  isFaceError,
  mapFace,
  parseFaceString,
  parseNotionFaceUrl,
  toFaceString,
  toNotionFaceUrl,
} from '../src/index.js';
import { PERSONAS, makeProfile } from './fixtures/profiles.js';

const EXAMPLE = 'https://faces.notion.com/?face=s1e10m18n61h212a8y0b44';

const paramsArb = fc.record(
  Object.fromEntries(
    PARAM_KEYS.map((k) => [
      k,
      fc.integer({ min: DEFAULT_RANGES[k].min, max: DEFAULT_RANGES[k].max }),
    ]),
  ),
) as fc.Arbitrary<NotionFaceParams>;

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isFaceError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a FaceError');
}

describe('Notion face URLs', () => {
  it('parses the example link', () => {
    expect(parseNotionFaceUrl(EXAMPLE)).toEqual({
      s: 1,
      e: 10,
      m: 18,
      n: 61,
      h: 212,
      a: 8,
      y: 0,
      b: 44,
    });
    expect(toNotionFaceUrl(parseNotionFaceUrl(EXAMPLE))).toBe(EXAMPLE);
  });

  it('builds the URL of a mapped face in s e m n h a y b order', () => {
    const face = mapFace(makeProfile(PERSONAS['night-owl']!));
    const url = toNotionFaceUrl(face);
    expect(url).toMatch(/^https:\/\/faces\.notion\.com\/\?face=s\d+e\d+m\d+n\d+h\d+a\d+y\d+b\d+$/);
    expect(parseNotionFaceUrl(url)).toEqual(
      Object.fromEntries(PARAM_KEYS.map((k) => [k, face.params[k].value])),
    );
  });

  it('round-trips any in-range face in any parameter order', () => {
    fc.assert(
      fc.property(
        paramsArb,
        fc.shuffledSubarray([...PARAM_KEYS], { minLength: 8, maxLength: 8 }),
        (params, order) => {
          const shuffled = order.map((k) => `${k}${params[k]}`).join('');
          expect(parseFaceString(shuffled)).toEqual(params);
          expect(parseNotionFaceUrl(toNotionFaceUrl(params))).toEqual(params);
          expect(toFaceString(parseFaceString(shuffled))).toBe(toFaceString(params));
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });

  it('names what is wrong in malformed strings', () => {
    expect(errorOf(() => parseFaceString('s1e10m18n61h212a8y0'))).toEqual({
      code: 'INVALID_FACE_STRING',
      message: 'Invalid face string "s1e10m18n61h212a8y0": missing eyebrows (b)',
    });
    expect(errorOf(() => parseFaceString('s1s2e10m18n61h212a8y0b4')).message).toContain(
      'skin (s) appears twice',
    );
    expect(errorOf(() => parseFaceString('s1e10m18n61h212a8y0b4x3')).message).toContain(
      'unknown parameter "x" at position 21',
    );
    expect(errorOf(() => parseFaceString('s1e10m18n61h212a8y0b')).message).toContain(
      'parameter "b" at position 19 has no number',
    );
    expect(errorOf(() => parseFaceString('s1e99m18n61h212a8y0b4')).message).toContain(
      'eyes (e) must be an integer in 0..13, got 99',
    );
    expect(errorOf(() => parseFaceString('s1 e10')).message).toContain(
      'unexpected " " at position 2',
    );
    expect(errorOf(() => parseFaceString('')).message).toContain('it is empty');
    expect(
      errorOf(() => parseNotionFaceUrl('https://evil.example/?face=s1e1m1n1h1a1y1b1')).message,
    ).toContain('host is "evil.example"');
    expect(errorOf(() => parseNotionFaceUrl('https://faces.notion.com/')).message).toContain(
      'no "face" parameter',
    );
  });

  it('accepts overridden ranges', () => {
    expect(() => parseFaceString('s1e10m18n61h300a8y0b44')).toThrow(
      /hair \(h\) must be an integer in 0..216/,
    );
    expect(
      parseFaceString('s1e10m18n61h300a8y0b44', { ranges: { h: { min: 0, max: 400 } } }).h,
    ).toBe(300);
    expect(() =>
      parseFaceString('s1e1m1n1h1a1y1b1', { ranges: { h: { min: 5, max: 1 } } }),
    ).toThrow(/min must not exceed max/);
  });

  it('turns parsed parameters into a renderable face with explanations', () => {
    const face = faceFromParams(parseNotionFaceUrl(EXAMPLE));
    expect(face.params.e).toMatchObject({ value: 10, tag: 'wide', variant: 1, source: 'parsed' });
    expect(face.params.h.value).toBe(212);
    expect(face.params.h.reason).toContain('not in the catalogue');
    expect(toFaceString(face)).toBe('s1e10m18n61h212a8y0b44');
  });
});
