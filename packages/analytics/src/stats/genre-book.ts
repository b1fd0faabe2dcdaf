import { GENRE_FAMILIES, type GenreFamily, genreFamilyOf } from '../profile/genre-family.js';
import type { PlayIndex } from './play-index.js';
import type { ArtistRef, StatsOptions } from './stats-options.js';

const FAMILY_INDEX = new Map<GenreFamily, number>(GENRE_FAMILIES.map((f, i) => [f, i]));

/** Genre knowledge resolved once per artist (shared by the statistics, achievements and profile). */
export class GenreBook {
  readonly names: string[] = [];
  readonly families: (GenreFamily | null)[] = [];
  /** Position of each genre's family in `GENRE_FAMILIES`, or -1 (no Map lookup per play). */
  readonly familyIndex: number[] = [];
  readonly #ids = new Map<string, number>();
  /**
   * Genre ids by artist position, null until read: sized for the index's artists up front, so
   * the array stays packed (filled in play order it would turn sparse, a hash lookup per play).
   */
  readonly #byArtist: (Int32Array | null)[];

  constructor(
    readonly index: PlayIndex,
    readonly genresOf: StatsOptions['genresOf'],
  ) {
    this.#byArtist = new Array<Int32Array | null>(index.artists.length).fill(null);
  }

  /** Genre ids of an artist (empty when unknown). */
  of(artist: number): Int32Array {
    const known = this.#byArtist[artist];
    return known !== undefined && known !== null ? known : this.#read(artist);
  }

  /**
   * Reads an artist's genres the first time (apart from {@link GenreBook.of}, called per play:
   * a closure here made every call of it allocate a context).
   */
  #read(artist: number): Int32Array {
    const ref = this.index.artists[artist] as ArtistRef;
    const names = this.genresOf?.(ref) ?? [];
    const ids = new Int32Array(names.length);
    for (let i = 0; i < names.length; i++) {
      if (i in names) ids[i] = this.#idOf((names[i] as string).trim().toLowerCase());
    }
    this.#byArtist[artist] = ids;
    return ids;
  }

  #idOf(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      const family = genreFamilyOf(name);
      this.families.push(family);
      this.familyIndex.push(family === null ? -1 : (FAMILY_INDEX.get(family) ?? -1));
      this.#ids.set(name, id);
    }
    return id;
  }
}
