import type { World, WorldArtist } from '../world/types.js';
import { artistsByName, normalName, unit } from './provider-world.js';
import type { ProviderAnswer } from './provider-server.js';

/** Tags listeners add that name no genre; Last.fm's top tags mix them in. */
const NOISE = ['seen live', 'favorites', 'albums i own'];

/**
 * The Last.fm web-service stand-in (`/2.0/?method=artist.gettoptags&artist=...&api_key=...&format=json`):
 * `coverage` of the world's artists are known; an artist's top tags are its genres (counts 100,
 * 70, 49, ...) with a few tags that name no genre. Errors use Last.fm's `{ error, message }`
 * bodies: 6 unknown artist, 10 invalid key, 3 unknown method.
 */
export function lastFmRoutes(world: World, coverage: number) {
  const known = (artist: WorldArtist) => unit(world, 0x1a5f, artist.id) < coverage;
  const byName = artistsByName(world);
  const error = (status: number, code: number, message: string): ProviderAnswer => ({
    status,
    body: { error: code, message },
  });

  return (path: string, query: URLSearchParams): ProviderAnswer => {
    if (path !== '/2.0' && path !== '/2.0/') return error(404, 3, 'Invalid Method');
    const key = query.get('api_key') ?? '';
    if (!/^[0-9a-f]{32}$/.test(key)) return error(403, 10, 'Invalid API key');
    if (query.get('format') !== 'json') return error(400, 6, 'This stand-in serves JSON only');
    if ((query.get('method') ?? '').toLowerCase() !== 'artist.gettoptags')
      return error(400, 3, 'Invalid Method - No method with that name in this package');
    const name = query.get('artist') ?? '';
    const artist = (byName.get(normalName(name)) ?? []).find(known);
    if (artist === undefined) return error(404, 6, 'The artist you supplied could not be found');
    const tags = [
      ...artist.genres,
      ...NOISE.slice(0, 1 + Math.floor(unit(world, 0x1a60, artist.id) * 3)),
    ];
    return {
      status: 200,
      body: {
        toptags: {
          tag: tags.map((tag, i) => ({
            count:
              i < artist.genres.length ? Math.round(100 * 0.7 ** i) : 5 - i + artist.genres.length,
            name: tag,
            url: `https://www.last.fm/tag/${encodeURIComponent(tag)}`,
          })),
          '@attr': { artist: artist.name },
        },
      },
    };
  };
}
