import { normalizeText } from '@spoti/catalog';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchText } from '../src/library/match-text.js';

describe('matchText', () => {
  it('equals the catalog normalisation on any text (ASCII fast path included)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string(), fc.string({ unit: 'grapheme' })),
        (text) => {
          expect(matchText(text)).toBe(normalizeText(text));
        },
      ),
      { numRuns: 2000 },
    );
    for (const text of [
      '  Beyoncé – Halo! ',
      'AC/DC',
      '\tTab\nLine\u007f',
      'Sigur Rós',
      '',
      '---',
    ]) {
      expect(matchText(text)).toBe(normalizeText(text));
    }
  });
});
