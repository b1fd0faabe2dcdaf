import { documentTerms, termMatch, typoBudget } from '../logic/search.js';
import type { StaticDoc } from './search-docs.js';

/**
 * The memory store's search index: postings from each term to the documents holding it (the
 * terms of `documentTerms`, as the SQL stores' `catalog_search_postings`). A query reads the
 * vocabulary once per token to find the terms it matches (`termMatch`), then only the documents
 * that hold a matching term for every token: exactly the documents that can score above 0, so the
 * ranking over them equals the ranking over every document.
 */
export class MemorySearchIndex {
  private readonly postings = new Map<string, Set<string>>();
  private readonly termsOf = new Map<string, readonly string[]>();
  /** The document map this index describes; another map means it must be rebuilt. */
  source: ReadonlyMap<string, StaticDoc> | null = null;

  /** Indexes every document of `docs` afresh. */
  rebuild(docs: ReadonlyMap<string, StaticDoc>): void {
    this.postings.clear();
    this.termsOf.clear();
    for (const [key, doc] of docs) this.put(key, doc);
    this.source = docs;
  }

  /** Indexes a document stored under `key`, replacing what was indexed for it. */
  put(key: string, doc: StaticDoc): void {
    this.remove(key);
    const terms = documentTerms(doc.searchText);
    this.termsOf.set(key, terms);
    for (const term of terms) {
      const set = this.postings.get(term);
      if (set === undefined) this.postings.set(term, new Set([key]));
      else set.add(key);
    }
  }

  /** Forgets the document stored under `key`. */
  remove(key: string): void {
    const terms = this.termsOf.get(key);
    if (terms === undefined) return;
    this.termsOf.delete(key);
    for (const term of terms) {
      const set = this.postings.get(term);
      if (set === undefined) continue;
      set.delete(key);
      if (set.size === 0) this.postings.delete(term);
    }
  }

  /**
   * Keys of the documents that hold, for every token, a term the token matches; `null` when there
   * is no token (every document matches).
   */
  candidates(tokens: readonly string[]): Set<string> | null {
    if (tokens.length === 0) return null;
    let result: Set<string> | null = null;
    for (const token of tokens) {
      const docs = new Set<string>();
      const minLength = Math.max(1, token.length - typoBudget(token));
      for (const [term, keys] of this.postings) {
        if (term.length < minLength || termMatch(token, term) === 0) continue;
        for (const key of keys) if (result === null || result.has(key)) docs.add(key);
      }
      result = docs;
      if (result.size === 0) break;
    }
    return result;
  }
}
