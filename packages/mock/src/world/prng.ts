/**
 * The world's randomness: `Rng` (splitmix32), `mixSeed` to derive sub-seeds and `hashText`
 * (FNV-1a) for strings, from the generators the packages share. Every random choice of the world
 * flows from one of these, so a world is a pure function of its seed.
 */
export { hashText, mixSeed, Rng } from '@spoti/internal';

/** Clamps `x` into [min, max]. */
export function clamp(x: number, min: number, max: number): number {
  return x < min ? min : Math.min(x, max);
}
