import { GENRE_FAMILIES, type GenreFamily } from '../../profile/genre-family.js';
import { type Diversity, diversityOf, normalisedEntropy } from '../diversity.js';
import type { GenreBook } from '../genre-book.js';
import type { RankedGenre, TopLists } from '../types.js';
import { rank } from './rank.js';

/**
 * Plays and time per genre and per genre family; a play of an artist with several genres counts
 * for each of them by an equal share.
 */
export class GenreTotals {
  /** Time of plays whose artist has genres. */
  knownMs = 0;
  readonly familyMs = new Float64Array(GENRE_FAMILIES.length);
  /** Plays and time per genre id (typed arrays: a JS array stored a boxed number per play). */
  #plays = new Float64Array(16);
  #ms = new Float64Array(16);

  constructor(private readonly book: GenreBook) {}

  /** Counts `ms` of artist `artist`; its family shares also go to `monthVector`. */
  add(artist: number, ms: number, monthVector: Float64Array): void {
    const genreIds = this.book.of(artist);
    if (genreIds.length === 0) return;
    this.knownMs += ms;
    const share = 1 / genreIds.length;
    const familyIndex = this.book.familyIndex;
    if (this.#plays.length < this.book.names.length) this.#grow(this.book.names.length);
    const plays = this.#plays;
    const msOf = this.#ms;
    for (let j = 0; j < genreIds.length; j++) {
      const g = genreIds[j] as number;
      plays[g] = (plays[g] as number) + share;
      msOf[g] = (msOf[g] as number) + ms * share;
      const f = familyIndex[g] as number;
      if (f >= 0) {
        this.familyMs[f] = (this.familyMs[f] as number) + ms * share;
        monthVector[f] = (monthVector[f] as number) + ms * share;
      }
    }
  }

  #grow(n: number): void {
    const size = Math.max(n, this.#plays.length * 2);
    const plays = new Float64Array(size);
    plays.set(this.#plays);
    const ms = new Float64Array(size);
    ms.set(this.#ms);
    this.#plays = plays;
    this.#ms = ms;
  }

  /** The genre statistics of a period with `totalMs` of listening. */
  result(
    totalMs: number,
    limit: number,
  ): {
    topGenres: TopLists<RankedGenre>;
    diversity: Diversity | null;
    genreConsistency: number | null;
    genreCoverage: number;
    genreFamilies: { family: GenreFamily; share: number }[];
  } {
    const { book, familyMs } = this;
    const n = book.names.length;
    if (this.#plays.length < n) this.#grow(n);
    const plays = this.#plays.slice(0, n);
    const ms = this.#ms.slice(0, n);
    const genreOut = (g: number): RankedGenre => ({
      name: book.names[g] as string,
      family: book.families[g] ?? null,
      plays: Math.round((plays[g] as number) * 100) / 100,
      msPlayed: Math.round(ms[g] as number),
      share: totalMs > 0 ? (ms[g] as number) / totalMs : 0,
    });
    const genreFamilies = GENRE_FAMILIES.map((family, f) => ({
      family,
      share: totalMs > 0 ? (familyMs[f] as number) / totalMs : 0,
    }))
      .filter((f) => f.share > 0)
      .sort((a, b) => b.share - a.share);
    const knownFamilyMs = familyMs.reduce((x, y) => x + y, 0);
    return {
      topGenres: rank(n, plays, ms, limit, genreOut),
      diversity: this.knownMs > 0 ? diversityOf(ms) : null,
      genreConsistency:
        knownFamilyMs > 0 ? 1 - normalisedEntropy(familyMs, GENRE_FAMILIES.length) : null,
      genreCoverage: totalMs > 0 ? this.knownMs / totalMs : 0,
      genreFamilies,
    };
  }
}
