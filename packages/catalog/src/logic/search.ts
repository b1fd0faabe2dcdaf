import { z } from 'zod';
import { parseOptions } from '../internal/parse-options.js';
import { normalizeText } from './normalize-text.js';
import { viewerArtistIdSchema } from './visibility.js';

/**
 * What a search document describes.
 *
 * @example
 * ```ts
 * await store.search({ text: 'queen', kinds: ['artist', 'album'] satisfies SearchKind[] });
 * ```
 */
export type SearchKind = 'track' | 'album' | 'artist' | 'genre';

/**
 * A flattened, searchable view of one catalog item.
 *
 * @example
 * ```ts
 * searchDocuments(docs satisfies SearchDocument[], { text: 'halo' });
 * ```
 */
export interface SearchDocument {
  readonly kind: SearchKind;
  readonly id: string;
  readonly name: string;
  /** `normalizeText` of the name plus context (artist and album names). */
  readonly searchText: string;
  /** Genre ids (see `genreId`). */
  readonly genres: readonly string[];
  readonly artistIds: readonly string[];
  readonly albumId: string | null;
  /** Unix ms of the start of the release date, when known. */
  readonly releasedAt: number | null;
  /** Unix ms. */
  readonly addedAt: number;
  readonly plays: number;
  readonly likes: number;
}

/**
 * zod schema of a {@link SearchQuery}.
 *
 * @example
 * ```ts
 * searchQuerySchema.parse({ text: 'halo' }).limit; // 20
 * ```
 */
export const searchQuerySchema = z.object({
  text: z.string().max(500),
  kinds: z
    .array(z.enum(['track', 'album', 'artist', 'genre']))
    .readonly()
    .optional(),
  genre: z.string().optional(),
  artistId: z.string().optional(),
  albumId: z.string().optional(),
  releasedFrom: z.number().int().optional(),
  releasedTo: z.number().int().optional(),
  sort: z.enum(['relevance', 'plays', 'likes', 'releaseDate', 'addedDate']).default('relevance'),
  /**
   * The artist profile of the person searching (null: none). Stores leave out private tracks
   * other than this artist's own.
   */
  viewerArtistId: viewerArtistIdSchema,
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().positive().max(100).default(20),
});
/**
 * A search request: text, filters, sort and page.
 *
 * @example
 * ```ts
 * const q: SearchQuery = { text: 'sigur ros', kinds: ['track'], sort: 'plays', limit: 10 };
 * ```
 */
export type SearchQuery = z.input<typeof searchQuerySchema>;

/**
 * One hit.
 *
 * @example
 * ```ts
 * const { hits } = await store.search({ text: 'halo' }); // hits[0]: { kind, id, name, score }
 * ```
 */
export interface SearchHit {
  readonly kind: SearchKind;
  readonly id: string;
  readonly name: string;
  /** Relevance in (0, 1]. */
  readonly score: number;
}

/**
 * A page of hits and the total number of matches.
 *
 * @example
 * ```ts
 * const { total, hits } = await store.search({ text: 'halo', offset: 20 });
 * ```
 */
export interface SearchResult {
  readonly total: number;
  readonly hits: readonly SearchHit[];
}

/**
 * Edit distance (Damerau, optimal string alignment) bounded by `max`; returns max + 1 when over.
 *
 * @example
 * ```ts
 * boundedEditDistance('kitten', 'sitting', 3); // 3
 * boundedEditDistance('abc', 'xyzabc', 1); // 2 (over the bound)
 * ```
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) row.push(i === 0 ? j : 0);
    rows.push(row);
  }
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    let best = row[0]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      }
      row[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
  }
  return Math.min(rows[a.length]![b.length]!, max + 1);
}

/**
 * Typos tolerated for a query token: 0 up to 3 letters, 1 up to 7, 2 beyond.
 *
 * @example
 * ```ts
 * typoBudget('abba'); // 1
 * typoBudget('beethoven'); // 2
 * ```
 */
export function typoBudget(token: string): number {
  return token.length <= 3 ? 0 : token.length <= 7 ? 1 : 2;
}

/**
 * How well a query token matches a document term: 1 exact, 0.8 prefix (query of 2+ letters),
 * 0.6 within the typo budget, 0 otherwise.
 *
 * @example
 * ```ts
 * termMatch('qeen', 'queen'); // 0.6
 * termMatch('que', 'queen'); // 0.8
 * ```
 */
export function termMatch(queryToken: string, term: string): number {
  if (queryToken === term) return 1;
  if (queryToken.length >= 2 && term.startsWith(queryToken)) return 0.8;
  const budget = typoBudget(queryToken);
  if (budget > 0) {
    if (boundedEditDistance(queryToken, term, budget) <= budget) return 0.6;
    // A typo inside a prefix ("beatl" for "beatles" is a prefix; "baetl" is a typo of one).
    if (term.length > queryToken.length) {
      const head = term.slice(0, queryToken.length);
      if (boundedEditDistance(queryToken, head, budget) <= budget) return 0.5;
    }
  }
  return 0;
}

/**
 * Splits normalised text into its distinct terms.
 *
 * @example
 * ```ts
 * searchTerms('Beyoncé beyonce HALO'); // ['beyonce', 'halo']
 * ```
 */
export function searchTerms(text: string): string[] {
  const norm = normalizeText(text);
  return norm === '' ? [] : [...new Set(norm.split(' '))];
}

/**
 * The terms a document is found by: the words of its `searchText`, plus each pair of adjacent
 * words joined when one of them has at most 3 characters, so names written with a separator are
 * found without it ("AC/DC" by `acdc`, "Jay-Z" by `jayz`, "T. Rex" by `trex`, "*NSYNC" by `nsync`).
 *
 * @example
 * ```ts
 * documentTerms('ac dc highway to hell'); // ['ac', 'dc', 'highway', 'to', 'hell', 'acdc', 'tohell', 'highwayto']
 * ```
 */
export function documentTerms(searchText: string): string[] {
  const words = searchText.split(' ').filter((w) => w !== '');
  const terms = new Set(words);
  for (let i = 0; i + 1 < words.length; i++) {
    const a = words[i]!;
    const b = words[i + 1]!;
    if (a.length <= 3 || b.length <= 3) terms.add(a + b);
  }
  return [...terms];
}

/**
 * Scores one document against query tokens: every token must match some term of
 * {@link documentTerms} (AND); the score
 * is the mean of each token's best match, with a bonus of 0.1 when the whole name equals the query.
 * Returns 0 for no match; an empty query matches everything with score 1.
 *
 * @example
 * ```ts
 * scoreDocument(doc, searchTerms('bohemian rapsody')); // 0 when a word has no match
 * ```
 */
export function scoreDocument(doc: SearchDocument, tokens: readonly string[]): number {
  if (tokens.length === 0) return 1;
  const terms = documentTerms(doc.searchText);
  let sum = 0;
  for (const token of tokens) {
    let best = 0;
    for (const term of terms) {
      const m = termMatch(token, term);
      if (m > best) best = m;
      if (best === 1) break;
    }
    if (best === 0) return 0;
    sum += best;
  }
  const exact = normalizeText(doc.name) === tokens.join(' ') ? 0.1 : 0;
  return Math.min(1, Math.round((sum / tokens.length) * 0.9 * 1e6) / 1e6 + exact);
}

function cmpId(a: SearchDocument, b: SearchDocument): number {
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Searches documents: accent/case-insensitive, typo-tolerant (see {@link termMatch}), with
 * filters, sorting (ties by kind then id) and paging. Pure: the stores feed it candidates.
 *
 * @example
 * ```ts
 * searchDocuments(docs, { text: 'beyonse halo', kinds: ['track'], limit: 10 });
 * ```
 */
export function searchDocuments(docs: Iterable<SearchDocument>, query: SearchQuery): SearchResult {
  const q = parseOptions(searchQuerySchema, query, 'search query');
  const tokens = searchTerms(q.text);
  const genre = q.genre === undefined ? undefined : normalizeText(q.genre).replaceAll(' ', '-');
  const matches: { doc: SearchDocument; score: number }[] = [];
  for (const doc of docs) {
    if (q.kinds !== undefined && !q.kinds.includes(doc.kind)) continue;
    if (genre !== undefined && !doc.genres.includes(genre)) continue;
    if (q.artistId !== undefined && !doc.artistIds.includes(q.artistId)) continue;
    if (q.albumId !== undefined && doc.albumId !== q.albumId) continue;
    if (
      q.releasedFrom !== undefined &&
      (doc.releasedAt === null || doc.releasedAt < q.releasedFrom)
    )
      continue;
    if (q.releasedTo !== undefined && (doc.releasedAt === null || doc.releasedAt >= q.releasedTo))
      continue;
    const score = scoreDocument(doc, tokens);
    if (score > 0) matches.push({ doc, score });
  }
  const by = q.sort;
  matches.sort((x, y) => {
    const a = x.doc;
    const b = y.doc;
    let d = 0;
    if (by === 'relevance') d = y.score - x.score || b.plays - a.plays;
    else if (by === 'plays') d = b.plays - a.plays;
    else if (by === 'likes') d = b.likes - a.likes;
    else if (by === 'releaseDate')
      d = (b.releasedAt ?? -Infinity) - (a.releasedAt ?? -Infinity) || 0;
    else d = b.addedAt - a.addedAt;
    return d || cmpId(a, b);
  });
  return {
    total: matches.length,
    hits: matches.slice(q.offset, q.offset + q.limit).map(({ doc, score }) => ({
      kind: doc.kind,
      id: doc.id,
      name: doc.name,
      score,
    })),
  };
}
