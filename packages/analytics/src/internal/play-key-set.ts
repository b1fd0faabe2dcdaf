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
  /** Slot `i` at `2i` (item position + 1; 0 = empty) and its hash at `2i + 1`: one cache line. */
  #table = new Int32Array(INITIAL_SLOTS * 2);
  #count = 0;
  readonly #other: KeyParts = { user: 0, track: 0, kind: 0, time: 0 };

  constructor(private readonly partsAt: (position: number, into: KeyParts) => void) {}

  /** Adds the key for the item at `position`; false when an equal key is already present. */
  add(parts: KeyParts, hash: number, position: number): boolean {
    const h = hash | 0;
    const table = this.#table;
    const mask = (table.length >> 1) - 1;
    const other = this.#other;
    let i = h & mask;
    for (;;) {
      const slot = table[2 * i] as number;
      if (slot === 0) break;
      if (table[2 * i + 1] === h) {
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
    table[2 * i] = position + 1;
    table[2 * i + 1] = h;
    if (++this.#count * 2 > mask + 1) this.#grow();
    return true;
  }

  /** Makes room for `count` keys without growing again. */
  reserve(count: number): void {
    let size = this.#table.length >> 1;
    while (count * 2 > size) size *= 2;
    if (size > this.#table.length >> 1) this.#grow(size);
  }

  #grow(size = this.#table.length): void {
    const old = this.#table;
    const table = new Int32Array(size * 2);
    const mask = size - 1;
    for (let j = 0; j < old.length; j += 2) {
      const slot = old[j] as number;
      if (slot === 0) continue;
      const h = old[j + 1] as number;
      let i = h & mask;
      while (table[2 * i] !== 0) i = (i + 1) & mask;
      table[2 * i] = slot;
      table[2 * i + 1] = h;
    }
    this.#table = table;
  }
}
