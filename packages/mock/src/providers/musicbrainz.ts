import type { World, WorldArtist } from '../world/types.js';
import { artistsByName, normalName, unit, uuidOf } from './provider-world.js';
import type { ProviderAnswer } from './provider-server.js';

const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Reads the name out of a Lucene query like `artist:"Name"` (or a bare name). */
function queriedName(query: string): string {
  const quoted = /artist:"((?:[^"\\]|\\.)*)"/.exec(query);
  const raw = quoted === null ? query.replace(/^artist:/, '') : (quoted[1] as string);
  return raw.replace(/\\(.)/g, '$1');
}

/**
 * The MusicBrainz web-service stand-in (`/ws/2/artist?query=`, `/ws/2/artist/{mbid}?inc=genres`,
 * JSON with `fmt=json`): `coverage` of the world's artists are in it; an artist's genres are
 * the world's genres for it, with vote counts in order.
 */
export function musicBrainzRoutes(world: World, coverage: number) {
  const known = (artist: WorldArtist) => unit(world, 0x3b0, artist.id) < coverage;
  const byName = artistsByName(world);
  const byMbid = new Map<string, WorldArtist>();
  for (const artist of world.artists.values())
    if (known(artist)) byMbid.set(uuidOf(world, 0x3b1, artist.id), artist);
  const mbidOf = (artist: WorldArtist) => uuidOf(world, 0x3b1, artist.id);
  const genresOf = (artist: WorldArtist) =>
    artist.genres.map((name, i) => ({
      id: uuidOf(world, 0x3b2, name),
      name,
      count: Math.max(1, 12 - 3 * i),
      disambiguation: '',
    }));

  return (path: string, query: URLSearchParams): ProviderAnswer => {
    if (query.get('fmt') !== 'json')
      return { status: 400, body: { error: 'this stand-in serves JSON only: add fmt=json' } };
    if (path === '/ws/2/artist') {
      const text = query.get('query');
      if (text === null || text.trim() === '')
        return { status: 400, body: { error: 'query is required' } };
      const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 25) || 25));
      const matches = (byName.get(normalName(queriedName(text))) ?? []).filter(known);
      const artists = matches.slice(0, limit).map((artist) => ({
        id: mbidOf(artist),
        type: 'Group',
        score: 100,
        name: artist.name,
        'sort-name': artist.name,
        tags: genresOf(artist).map((g) => ({ count: g.count, name: g.name })),
      }));
      return {
        status: 200,
        body: { created: new Date(0).toISOString(), count: artists.length, offset: 0, artists },
      };
    }
    const lookup = /^\/ws\/2\/artist\/([^/]+)$/.exec(path);
    if (lookup !== null) {
      const mbid = lookup[1] as string;
      if (!MBID.test(mbid)) return { status: 400, body: { error: `Invalid mbid: ${mbid}` } };
      const artist = byMbid.get(mbid);
      if (artist === undefined) return { status: 404, body: { error: 'Not Found' } };
      const inc = (query.get('inc') ?? '').split(/[+ ]/);
      return {
        status: 200,
        body: {
          id: mbid,
          name: artist.name,
          'sort-name': artist.name,
          type: 'Group',
          ...(inc.includes('genres') ? { genres: genresOf(artist) } : {}),
          ...(inc.includes('tags')
            ? { tags: genresOf(artist).map((g) => ({ count: g.count, name: g.name })) }
            : {}),
        },
      };
    }
    return { status: 404, body: { error: 'Not Found' } };
  };
}
