/** 32-bit FNV-1a of a string. */
export function hashKey(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

const INITIAL_SLOTS = 1024;

/**
 * An exact set of dedupe keys that stores a 32-bit hash and an item position per key (8 bytes in
 * typed arrays, open addressing with linear probing) instead of the key string (about 200 bytes
 * in V8). A hash match is confirmed by rebuilding the stored item's key (`keyAt`) and comparing
 * the strings, so membership is exact whatever the hash collisions.
 */
export class CompactKeySet {
  #hashes = new Int32Array(INITIAL_SLOTS);
  /** Item position + 1; 0 = empty slot. */
  #slots = new Int32Array(INITIAL_SLOTS);
  #count = 0;

  constructor(
    private readonly keyAt: (position: number) => string,
    private readonly hash: (key: string) => number = hashKey,
  ) {}

  /** Adds `key` for the item at `position`; false when an equal key is already present. */
  add(key: string, position: number): boolean {
    const h = this.hash(key) | 0;
    const mask = this.#slots.length - 1;
    let i = h & mask;
    for (;;) {
      const slot = this.#slots[i] as number;
      if (slot === 0) break;
      if (this.#hashes[i] === h && this.keyAt(slot - 1) === key) return false;
      i = (i + 1) & mask;
    }
    this.#slots[i] = position + 1;
    this.#hashes[i] = h;
    if (++this.#count * 2 > this.#slots.length) this.#grow();
    return true;
  }

  #grow(): void {
    const hashes = this.#hashes;
    const slots = this.#slots;
    this.#hashes = new Int32Array(slots.length * 2);
    this.#slots = new Int32Array(slots.length * 2);
    const mask = this.#slots.length - 1;
    for (let j = 0; j < slots.length; j++) {
      const slot = slots[j] as number;
      if (slot === 0) continue;
      const h = hashes[j] as number;
      let i = h & mask;
      while (this.#slots[i] !== 0) i = (i + 1) & mask;
      this.#slots[i] = slot;
      this.#hashes[i] = h;
    }
  }
}
