import type { StaticDoc } from './search-docs.js';

/** Orders strings by UTF-16 code units: the one lock order every writer shares. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A change of an item's like counter (`catalog_item_stats.likes`). */
export interface LikeDelta {
  readonly kind: string;
  readonly id: string;
  readonly by: number;
}

/**
 * Writes to rows that unrelated entities and listeners share: the search vocabulary (genre
 * documents, and the terms of every document written) and the like counters of tracks, albums and
 * artists. Two transactions may write the same ones, so they are collected while the transaction
 * runs and written once at its end, each table in one sorted pass: concurrent transactions then
 * wait on these rows in one order and cannot deadlock.
 */
export class SharedRowWrites {
  /**
   * @param exclusive no other transaction can write beside this one (PGlite runs one statement at
   *   a time): rows are then inserted after a lookup of their key instead of with `on conflict`,
   *   which skips the speculative insertion (an extra index probe and WAL record per row).
   */
  constructor(readonly exclusive = false) {}

  readonly #genres = new Map<string, StaticDoc>();
  readonly #terms = new Set<string>();
  readonly #likes = new Map<string, LikeDelta>();

  /** Adds to like counters (deltas of one item are summed). */
  addLikes(deltas: Iterable<LikeDelta>): void {
    for (const d of deltas) {
      const key = `${d.kind}\u0000${d.id}`;
      const by = (this.#likes.get(key)?.by ?? 0) + d.by;
      this.#likes.set(key, { kind: d.kind, id: d.id, by });
    }
  }

  /** The like counter changes added so far (zero sums left out), sorted by kind and id. */
  takeLikes(): LikeDelta[] {
    const out = sortLikes([...this.#likes.values()].filter((d) => d.by !== 0));
    this.#likes.clear();
    return out;
  }

  /** Adds genre documents; the first one per id wins (as the memory store's genres do). */
  addGenres(docs: Iterable<StaticDoc>): void {
    for (const d of docs) if (!this.#genres.has(d.id)) this.#genres.set(d.id, d);
  }

  addTerms(terms: Iterable<string>): void {
    for (const term of terms) this.#terms.add(term);
  }

  /** The genre documents added so far, sorted by id, and forgets them. */
  takeGenres(): StaticDoc[] {
    const out = [...this.#genres.values()].sort((a, b) => byCodeUnits(a.id, b.id));
    this.#genres.clear();
    return out;
  }

  /** The terms added so far, sorted, and forgets them. */
  takeTerms(): string[] {
    const out = [...this.#terms].sort(byCodeUnits);
    this.#terms.clear();
    return out;
  }
}

/** Like counter changes in key order (kind, then id), the order the play writes use too. */
function sortLikes(deltas: readonly LikeDelta[]): LikeDelta[] {
  return [...deltas].sort((a, b) => byCodeUnits(a.kind, b.kind) || byCodeUnits(a.id, b.id));
}
