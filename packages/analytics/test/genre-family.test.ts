import { createWorld } from '@spoti/mock';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENRE_FAMILIES, genreFamilyOf } from '../src/index.js';

describe('genreFamilyOf', () => {
  it('maps every genre of the mock world to the family the world gives it', () => {
    const world = createWorld({ seed: 1, size: 'tiny' });
    const wrong = world.genres
      .filter((g) => genreFamilyOf(g.name) !== g.family)
      .map((g) => `${g.name}: ${genreFamilyOf(g.name)} != ${g.family}`);
    expect(wrong).toEqual([]);
    expect(world.genres.length).toBeGreaterThan(150);
  });

  it('maps common Spotify genre names by keyword', () => {
    expect(genreFamilyOf('german metal')).toBe('metal');
    expect(genreFamilyOf('Modern Country Rock')).toBe('country');
    expect(genreFamilyOf('uk dance pop')).toBe('pop');
    expect(genreFamilyOf('atl hip hop')).toBe('hip hop');
    expect(genreFamilyOf('vapor soul')).toBe('r&b');
    expect(genreFamilyOf('indie')).toBe('rock');
    expect(genreFamilyOf('trap latino')).toBe('latin');
    expect(genreFamilyOf('video game music')).toBe('soundtrack');
    expect(genreFamilyOf('melodic techno')).toBe('electronic');
  });

  it('returns null for names that say nothing', () => {
    expect(genreFamilyOf('')).toBeNull();
    expect(genreFamilyOf('   ')).toBeNull();
    expect(genreFamilyOf('xyzzy')).toBeNull();
    // Object.prototype keys are not genres (found by the property below).
    expect(genreFamilyOf('__proto__')).toBeNull();
    expect(genreFamilyOf('constructor')).toBeNull();
  });

  it('never throws and is case- and padding-insensitive', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const family = genreFamilyOf(name);
        expect(family === null || (GENRE_FAMILIES as readonly string[]).includes(family)).toBe(
          true,
        );
        expect(genreFamilyOf(`  ${name.toUpperCase()} `)).toBe(genreFamilyOf(name.toLowerCase()));
      }),
      { seed: 20261128, numRuns: 2000 },
    );
  });
});
