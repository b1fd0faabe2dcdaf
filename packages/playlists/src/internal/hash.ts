/** A 32-bit hash of a seed and a string (FNV-1a, then a murmur3 finaliser): stable random order. */
export function seededHash(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ (seed | 0)) >>> 0;
  h = Math.imul(h ^ (Math.floor(seed / 0x1_0000_0000) | 0), 0x01000193) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
