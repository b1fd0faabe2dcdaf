import { describe, expect, it } from 'vitest';
import {
  type FaceError,
  createFaceMapper,
  defineFacePlugin,
  isFaceError,
  mapFace,
} from '../src/index.js';
import { renderFace } from '../src/render/index.js';
import { PERSONAS, makeProfile } from './fixtures/profiles.js';

function errorOf(fn: () => unknown): FaceError {
  try {
    fn();
  } catch (error) {
    if (isFaceError(error)) return error;
    throw error;
  }
  throw new Error('expected a FaceError');
}

const profile = makeProfile(PERSONAS['night-owl']!);

describe('rejected options name the path and the problem', () => {
  it('names a bad pin, with the zod error as the cause', () => {
    const e = errorOf(() => mapFace(profile, { pins: { s: true as never } }));
    expect(e.code).toBe('INVALID_OPTIONS');
    expect(e.message).toMatch(/^Invalid pins .*: s: /);
    expect(e.cause).toBeDefined();
  });

  it('says (root) when the value itself is wrong', () => {
    const e = errorOf(() => createFaceMapper('fast' as never));
    expect(e.message).toMatch(/^Invalid face mapper options: \(root\): /);
  });

  it('names the field of mapper options and keeps the plugin code for definitions', () => {
    expect(errorOf(() => createFaceMapper({ hysteresis: 2 })).message).toMatch(/hysteresis: /);
    const e = errorOf(() =>
      defineFacePlugin({ name: 'x', version: '1.0.0', mappings: 3 as never }),
    );
    expect(e.code).toBe('INVALID_PLUGIN');
    expect(e.plugin).toBe('x');
    expect(e.message).toMatch(/^Invalid face plugin "x": mappings: /);
  });

  it('rejects render options before drawing anything', async () => {
    const face = mapFace(profile);
    await expect(renderFace(face, { size: 10 })).rejects.toThrow(/^Invalid render options: size: /);
  });
});
