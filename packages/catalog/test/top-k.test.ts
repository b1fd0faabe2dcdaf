import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topK } from '../src/internal/top-k.js';

describe('topK', () => {
  it('equals sorting and slicing for any input and k (property)', () => {
    const compare = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 400 }),
        fc.integer({ min: 0, max: 60 }),
        (values, k) => {
          const items = values.map((v, i) => [v, i] as [number, number]);
          expect(topK(items, k, compare)).toEqual(items.slice().sort(compare).slice(0, k));
        },
      ),
      { numRuns: 300, seed: 20 },
    );
  });
});
