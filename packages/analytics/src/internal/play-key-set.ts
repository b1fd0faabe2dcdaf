/**
 * The parts of `@spoti/catalog`'s `playKey` (`user|identity|time`) as numbers: the user and track
 * positions of a PlayIndex (one per distinct user id and per distinct identity, so equal positions
 * mean equal parts) and the time part as a kind (offline second, minute or second) and a value.
 */
export interface KeyParts {
  user: number;
  track: number;
  /** 0 `o:` offline second, 1 `m:` minute, 2 `s:` second. */
  kind: number;
  time: number;
}

const INITIAL_SLOTS = 1024;

/** A 32-bit mix of the key parts (the time may exceed 32 bits). */
export function hashParts(user: number, track: number, kind: number, time: number): number {
  const high = Math.floor(time / 4294967296) | 0;
  let h = Math.imul(user ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ track ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ (time | 0) ^ (h >>> 13), 0x85ebca6b);
  h = Math.imul(h ^ high ^ (kind << 29) ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * An exact set of play keys without a string per key: a 32-bit hash and an item position per key
 * (open addressing, linear probing, typed arrays); a hash match is confirmed by comparing the
 * stored item's parts (`partsAt`), so membership is exact whatever the collisions.
 */
export class PlayKeySet {
  #hashes = new Int32Array(INITIAL_SLOTS);
  /** Item position + 1; 0 = empty slot. */
  #slots = new Int32Array(INITIAL_SLOTS);
  #count = 0;
  readonly #other: KeyParts = { user: 0, track: 0, kind: 0, time: 0 };

  constructor(private readonly partsAt: (position: number, into: KeyParts) => void) {}

  /** Adds the key for the item at `position`; false when an equal key is already present. */
  add(parts: KeyParts, hash: number, position: number): boolean {
    const h = hash | 0;
    const mask = this.#slots.length - 1;
    const other = this.#other;
    let i = h & mask;
    for (;;) {
      const slot = this.#slots[i] as number;
      if (slot === 0) break;
      if (this.#hashes[i] === h) {
        this.partsAt(slot - 1, other);
        if (
          other.user === parts.user &&
          other.track === parts.track &&
          other.kind === parts.kind &&
          other.time === parts.time
        )
          return false;
      }
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
