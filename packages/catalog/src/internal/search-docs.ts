import { releaseDateStart, type Album } from '../domain/album.js';
import type { Artist } from '../domain/artist.js';
import { genreId } from '../domain/genre.js';
import type { Track } from '../domain/track.js';
import { normalizeText } from '../logic/normalize-text.js';
import type { SearchDocument } from '../logic/search.js';

/** A search document without its live counters. */
export type StaticDoc = Omit<SearchDocument, 'plays' | 'likes'>;

function uniq(values: Iterable<string>): string[] {
  return [...new Set(values)].filter((v) => v !== '').sort();
}

export function artistDoc(a: Artist): StaticDoc {
  return {
    kind: 'artist',
    id: a.id,
    name: a.name,
    searchText: normalizeText(a.name),
    genres: uniq(a.genres.map(genreId)),
    artistIds: [a.id],
    albumId: null,
    releasedAt: null,
    addedAt: a.addedAt,
  };
}

export function albumDoc(al: Album, artists: readonly (Artist | undefined)[]): StaticDoc {
  const names = artists.map((a) => a?.name ?? '');
  return {
    kind: 'album',
    id: al.id,
    name: al.name,
    searchText: normalizeText([al.name, ...names].join(' ')),
    genres: uniq([...al.genres, ...artists.flatMap((a) => a?.genres ?? [])].map(genreId)),
    artistIds: [...al.artistIds],
    albumId: al.id,
    releasedAt: releaseDateStart(al.releaseDate),
    addedAt: al.addedAt,
  };
}

export function trackDoc(
  t: Track,
  artists: readonly (Artist | undefined)[],
  album: Album | undefined,
): StaticDoc {
  const names = artists.map((a) => a?.name ?? '');
  return {
    kind: 'track',
    id: t.id,
    name: t.name,
    searchText: normalizeText([t.name, ...names, album?.name ?? ''].join(' ')),
    genres: uniq(
      [...(album?.genres ?? []), ...artists.flatMap((a) => a?.genres ?? [])].map(genreId),
    ),
    artistIds: [...t.artistIds],
    albumId: t.albumId,
    releasedAt: album ? releaseDateStart(album.releaseDate) : null,
    addedAt: t.addedAt,
  };
}

export function genreDocs(names: readonly string[], addedAt: number): StaticDoc[] {
  return names
    .filter((n) => genreId(n) !== '')
    .map((n) => ({
      kind: 'genre' as const,
      id: genreId(n),
      name: n,
      searchText: normalizeText(n),
      genres: [genreId(n)],
      artistIds: [],
      albumId: null,
      releasedAt: null,
      addedAt,
    }));
}
