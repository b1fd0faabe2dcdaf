import type { StaticDoc } from './search-docs.js';

/** Orders strings by UTF-16 code units: the one lock order every writer shares. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The search vocabulary a write adds (genre documents, and the terms of every document written):
 * rows shared between unrelated entities, so two transactions may insert the same ones. They are
 * collected while the transaction runs and written once at its end, each table in one sorted
 * pass, so that concurrent transactions wait on these rows in one order and cannot deadlock.
 */
export class PendingVocabulary {
  readonly #genres = new Map<string, StaticDoc>();
  readonly #terms = new Set<string>();

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
