const NONE: readonly string[] = [];

/**
 * The text values of one field, per track, read on first use of each track: a rule whose text
 * clause only sees a few candidates (after the clauses before it narrowed them) reads only
 * those, and every later rule on the same index shares what was read.
 */
export class TextColumn {
  readonly #values: (readonly string[] | undefined)[];
  readonly #read: (i: number) => readonly string[];

  constructor(size: number, read: (i: number) => readonly string[]) {
    this.#values = new Array<readonly string[] | undefined>(size);
    this.#read = read;
  }

  /** Number of tracks. */
  get size(): number {
    return this.#values.length;
  }

  /** The values of track `i` (empty when it has none). */
  get(i: number): readonly string[] {
    let values = this.#values[i];
    if (values === undefined) {
      values = this.#read(i);
      if (values.length === 0) values = NONE;
      this.#values[i] = values;
    }
    return values;
  }
}
