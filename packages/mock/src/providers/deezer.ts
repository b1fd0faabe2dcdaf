import { GENRE_BY_NAME } from '../world/genres.js';
import type { GenreFamily, World } from '../world/types.js';
import { artistsByName, normalName, unit } from './provider-world.js';
import type { ProviderAnswer } from './provider-server.js';

/** Deezer-style broad genres per family (Deezer has no punk, world or ambient of its own). */
const DEEZER_GENRES: Readonly<Record<GenreFamily, { id: number; name: string }>> = {
  rock: { id: 152, name: 'Rock' },
  metal: { id: 464, name: 'Metal' },
  punk: { id: 85, name: 'Alternative' },
  pop: { id: 132, name: 'Pop' },
  electronic: { id: 106, name: 'Electro' },
  'hip hop': { id: 116, name: 'Rap/Hip Hop' },
  'r&b': { id: 165, name: 'R&B' },
  jazz: { id: 129, name: 'Jazz' },
  blues: { id: 153, name: 'Blues' },
  classical: { id: 98, name: 'Classical' },
  folk: { id: 466, name: 'Folk' },
  country: { id: 84, name: 'Country' },
  latin: { id: 197, name: 'Latin Music' },
  reggae: { id: 144, name: 'Reggae' },
  world: { id: 2, name: 'African Music' },
  soundtrack: { id: 173, name: 'Films/Games' },
  ambient: { id: 106, name: 'Electro' },
};
const BY_ID = new Map(Object.values(DEEZER_GENRES).map((g) => [g.id, g]));

/**
 * The Deezer public-API stand-in (`/search/album?q=artist:"..."`, `/genre/{id}`): `coverage` of
 * the world's artists are in it; each album carries the `genre_id` of its artist's first genre's
 * family. Errors are Deezer's `{ error: { type, message, code } }` with HTTP 200 (800: no data).
 */
export function deezerRoutes(world: World, coverage: number) {
  const byName = artistsByName(world);
  const albumsOf = new Map<string, string[]>();
  for (const album of world.albums.values()) {
    const first = album.artistIds[0];
    if (first === undefined) continue;
    const list = albumsOf.get(first);
    if (list === undefined) albumsOf.set(first, [album.id]);
    else list.push(album.id);
  }
  const noData = (): ProviderAnswer => ({
    status: 200,
    body: { error: { type: 'DataException', message: 'no data', code: 800 } },
  });

  return (path: string, query: URLSearchParams): ProviderAnswer => {
    if (path === '/search/album') {
      const q = query.get('q') ?? '';
      const name = /artist:"([^"]*)"/.exec(q)?.[1] ?? q;
      const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 25) || 25));
      const artists = (byName.get(normalName(name)) ?? []).filter(
        (a) => unit(world, 0xdee2, a.id) < coverage,
      );
      const data = artists.flatMap((artist) => {
        const family = GENRE_BY_NAME.get(artist.genres[0] ?? '')?.family;
        const genre = family === undefined ? undefined : DEEZER_GENRES[family];
        return (albumsOf.get(artist.id) ?? []).map((albumId, i) => ({
          id: 1_000_000 + i + Math.floor(unit(world, 0xdee3, albumId) * 1e8),
          title: world.albums.get(albumId)?.name ?? '',
          genre_id: genre?.id ?? -1,
          artist: { id: Math.floor(unit(world, 0xdee4, artist.id) * 1e7), name: artist.name },
          type: 'album',
        }));
      });
      return { status: 200, body: { data: data.slice(0, limit), total: data.length } };
    }
    const genre = /^\/genre\/(\d+)$/.exec(path);
    if (genre !== null) {
      const found = BY_ID.get(Number(genre[1]));
      return found === undefined
        ? noData()
        : { status: 200, body: { id: found.id, name: found.name, type: 'genre' } };
    }
    return noData();
  };
}
