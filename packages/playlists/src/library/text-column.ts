const NONE: readonly string[] = [];

/**
 * The text values of one field, per track, read on first use: a rule whose text clause only sees
 * a few candidates (after the clauses before it narrowed them) reads only those, and every later
 * rule on the same index shares what was read.
 *
 * Tracks whose values are the same by construction share a code (all tracks of an album for an
 * album field, the tracks of one artist for an artist field or for genres that come from that
 * artist alone): the values are read once per code, and a clause tests them once per code.
 */
export class TextColumn {
  /** The code of each track's values; tracks with one code have the same values. */
  readonly codes: Int32Array;
  /** How many codes there are (codes are below it). */
  readonly codeCount: number;
  readonly #values: (readonly string[] | undefined)[];
  readonly #read: (i: number) => readonly string[];

  constructor(codes: Int32Array, codeCount: number, read: (i: number) => readonly string[]) {
    this.codes = codes;
    this.codeCount = codeCount;
    this.#values = new Array<readonly string[] | undefined>(codeCount);
    this.#read = read;
  }

  /** Number of tracks. */
  get size(): number {
    return this.codes.length;
  }

  /** The values of track `i` (empty when it has none). */
  get(i: number): readonly string[] {
    const code = this.codes[i]!;
    let values = this.#values[code];
    if (values === undefined) {
      values = this.#read(i);
      if (values.length === 0) values = NONE;
      this.#values[code] = values;
    }
    return values;
  }
}
