import { describe, expect, it } from 'vitest';
import { hashText, mixSeed, mulberry32, Rng } from '../src/index.js';

// The first draws of each generator, pinned: faces, mock worlds and seeded catalogs are drawn from
// these, so a change here would redraw what people already have.
describe('shared generators', () => {
  it('mulberry32 draws the same numbers from the same seed', () => {
    const next = mulberry32(42);
    const draws = [next(), next(), next()];
    expect(draws.map((x) => Math.round(x * 1e9))).toEqual(PINNED_MULBERRY32);
    for (const x of draws) expect(x >= 0 && x < 1).toBe(true);
  });

  it('hashText is FNV-1a over UTF-16 code units', () => {
    expect(hashText('')).toBe(0x811c9dc5);
    expect(hashText('a')).toBe(0xe40c292c);
    expect(hashText('foobar')).toBe(0xbf9cf968);
  });

  it('Rng (splitmix32) is a pure function of its seed and mixSeed of its parts', () => {
    const a = new Rng(mixSeed(7, 1));
    const b = new Rng(mixSeed(7, 1));
    expect([a.next(), a.int(10), a.id()]).toEqual([b.next(), b.int(10), b.id()]);
    expect(mixSeed(7, 1)).not.toBe(mixSeed(1, 7));
    expect(Math.round(new Rng(1).next() * 1e9)).toBe(PINNED_SPLITMIX32);
  });

  it('weighted never picks a zero weight', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) expect(rng.weighted([0, 1, 0, 2])).not.toBe(0);
  });
});

const PINNED_MULBERRY32 = [601103752, 448290559, 852465793];
const PINNED_SPLITMIX32 = 367875543;
