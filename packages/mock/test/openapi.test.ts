import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createWorld, type MockServer, type ProfileName } from '../src/index.js';
import { tinyWorld } from './fixtures/tiny-world.js';
import { api, start } from './helpers.js';

const documentPath = fileURLToPath(
  new URL('../openapi/spotify-web-api.openapi.yml', import.meta.url),
);
const document = parse(readFileSync(documentPath, 'utf8')) as Record<string, unknown>;

/** Fields the 2026 Development Mode rules removed: required by the document, absent there. */
const REMOVED_IN_DEVELOPMENT = [
  'popularity',
  'available_markets',
  'linked_from',
  'label',
  'album_group',
  'followers',
  'country',
  'email',
  'product',
];

function withoutRequired(node: unknown, names: readonly string[]): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutRequired(item, names));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === 'required' && Array.isArray(value)
        ? value.filter((name) => !names.includes(name as string))
        : withoutRequired(value, names);
  }
  return out;
}

function validatorFor(profile: ProfileName) {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats.default(ajv);
  const doc =
    profile === 'development-2026' ? withoutRequired(document, REMOVED_IN_DEVELOPMENT) : document;
  ajv.addSchema(doc as object, 'spotify.json');
  return (method: string, path: string, status: number, body: unknown) => {
    const paths = document.paths as Record<
      string,
      Record<string, { responses: Record<string, { $ref?: string; content?: unknown }> }>
    >;
    const response = paths[path]?.[method.toLowerCase()]?.responses[String(status)];
    if (response === undefined) throw new Error(`No ${status} response for ${method} ${path}`);
    const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
    const pointer =
      response.$ref !== undefined
        ? response.$ref.slice(1)
        : `/paths/${escapePointer(path)}/${method.toLowerCase()}/responses/${status}`;
    const validate = ajv.getSchema(`spotify.json#${pointer}/content/application~1json/schema`);
    if (validate === undefined) throw new Error(`No schema for ${method} ${path}`);
    const ok = validate(body);
    return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

interface Case {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path in the OpenAPI document. */
  readonly doc: string;
  readonly path: (ids: Ids) => string;
  readonly status: number;
  readonly body?: (ids: Ids) => unknown;
  readonly extendedOnly?: boolean;
}

interface Ids {
  readonly artist: string;
  readonly album: string;
  readonly track: string;
  readonly ownPlaylist: string;
  readonly user: string;
}

const CASES: readonly Case[] = [
  { method: 'GET', doc: '/me', path: () => '/me', status: 200 },
  { method: 'GET', doc: '/me/top/artists', path: () => '/me/top/artists?limit=5', status: 200 },
  {
    method: 'GET',
    doc: '/me/top/tracks',
    path: () => '/me/top/tracks?time_range=short_term',
    status: 200,
  },
  {
    method: 'GET',
    doc: '/me/player/recently-played',
    path: () => '/me/player/recently-played',
    status: 200,
  },
  { method: 'GET', doc: '/me/tracks', path: () => '/me/tracks', status: 200 },
  { method: 'GET', doc: '/me/albums', path: () => '/me/albums', status: 200 },
  {
    method: 'GET',
    doc: '/me/following',
    path: () => '/me/following?type=artist&limit=2',
    status: 200,
  },
  {
    method: 'GET',
    doc: '/me/library/contains',
    path: (i) => `/me/library/contains?uris=spotify:track:${i.track},spotify:album:${i.album}`,
    status: 200,
  },
  { method: 'GET', doc: '/me/playlists', path: () => '/me/playlists', status: 200 },
  {
    method: 'POST',
    doc: '/me/playlists',
    path: () => '/me/playlists',
    status: 201,
    body: () => ({ name: 'New' }),
  },
  {
    method: 'GET',
    doc: '/playlists/{playlist_id}',
    path: (i) => `/playlists/${i.ownPlaylist}`,
    status: 200,
  },
  {
    method: 'GET',
    doc: '/playlists/{playlist_id}/items',
    path: (i) => `/playlists/${i.ownPlaylist}/items`,
    status: 200,
  },
  {
    method: 'POST',
    doc: '/playlists/{playlist_id}/items',
    path: (i) => `/playlists/${i.ownPlaylist}/items`,
    status: 201,
    body: (i) => ({ uris: [`spotify:track:${i.track}`], position: 0 }),
  },
  {
    method: 'PUT',
    doc: '/playlists/{playlist_id}/items',
    path: (i) => `/playlists/${i.ownPlaylist}/items`,
    status: 200,
    body: () => ({ range_start: 0, insert_before: 2 }),
  },
  {
    method: 'DELETE',
    doc: '/playlists/{playlist_id}/items',
    path: (i) => `/playlists/${i.ownPlaylist}/items`,
    status: 200,
    body: (i) => ({ items: [{ uri: `spotify:track:${i.track}` }] }),
  },
  { method: 'GET', doc: '/artists/{id}', path: (i) => `/artists/${i.artist}`, status: 200 },
  {
    method: 'GET',
    doc: '/artists/{id}/albums',
    path: (i) => `/artists/${i.artist}/albums`,
    status: 200,
  },
  { method: 'GET', doc: '/albums/{id}', path: (i) => `/albums/${i.album}`, status: 200 },
  {
    method: 'GET',
    doc: '/albums/{id}/tracks',
    path: (i) => `/albums/${i.album}/tracks`,
    status: 200,
  },
  { method: 'GET', doc: '/tracks/{id}', path: (i) => `/tracks/${i.track}`, status: 200 },
  {
    method: 'GET',
    doc: '/search',
    path: () => '/search?q=a&type=track,artist,album,playlist',
    status: 200,
  },
  {
    method: 'GET',
    doc: '/artists',
    path: (i) => `/artists?ids=${i.artist}`,
    status: 200,
    extendedOnly: true,
  },
  {
    method: 'GET',
    doc: '/tracks',
    path: (i) => `/tracks?ids=${i.track}`,
    status: 200,
    extendedOnly: true,
  },
  {
    method: 'GET',
    doc: '/albums',
    path: (i) => `/albums?ids=${i.album}`,
    status: 200,
    extendedOnly: true,
  },
  {
    method: 'GET',
    doc: '/audio-features',
    path: (i) => `/audio-features?ids=${i.track}`,
    status: 200,
    extendedOnly: true,
  },
  {
    method: 'GET',
    doc: '/audio-features/{id}',
    path: (i) => `/audio-features/${i.track}`,
    status: 200,
    extendedOnly: true,
  },
  {
    method: 'GET',
    doc: '/artists/{id}/top-tracks',
    path: (i) => `/artists/${i.artist}/top-tracks`,
    status: 200,
    extendedOnly: true,
  },
  { method: 'GET', doc: '/markets', path: () => '/markets', status: 200, extendedOnly: true },
  {
    method: 'GET',
    doc: '/users/{user_id}',
    path: (i) => `/users/${i.user}`,
    status: 200,
    extendedOnly: true,
  },
  {
    method: 'GET',
    doc: '/users/{user_id}/playlists',
    path: (i) => `/users/${i.user}/playlists`,
    status: 200,
    extendedOnly: true,
  },
  {
    method: 'GET',
    doc: '/playlists/{playlist_id}/tracks',
    path: (i) => `/playlists/${i.ownPlaylist}/tracks`,
    status: 200,
    extendedOnly: true,
  },
  {
    method: 'GET',
    doc: '/me/tracks/contains',
    path: (i) => `/me/tracks/contains?ids=${i.track}`,
    status: 200,
    extendedOnly: true,
  },
  {
    method: 'GET',
    doc: '/me/albums/contains',
    path: (i) => `/me/albums/contains?ids=${i.album}`,
    status: 200,
    extendedOnly: true,
  },
  {
    method: 'GET',
    doc: '/me/following/contains',
    path: (i) => `/me/following/contains?type=artist&ids=${i.artist}`,
    status: 200,
    extendedOnly: true,
  },
];

async function idsOf(mock: MockServer): Promise<Ids> {
  const world = mock.world;
  const user = world.users.get('user0') ?? [...world.users.values()][0];
  if (user === undefined) throw new Error('world without users');
  const now = mock.controls.clock.now();
  const artist = [...user.followedArtists.keys()][0] ?? '';
  const albumId = world.albumsOfArtist(artist).find((id) => world.isReleased(id, now)) ?? '';
  const album = world.albums.get(albumId);
  const ownPlaylist =
    user.playlistIds.find((id) => world.playlists.get(id)?.ownerId === user.id) ?? '';
  return { artist, album: albumId, track: album?.trackIds[0] ?? '', ownPlaylist, user: user.id };
}

describe.each([
  ['extended', 'generated'],
  ['development-2026', 'generated'],
  ['extended', 'fixture'],
  ['development-2026', 'fixture'],
] as const)('OpenAPI conformance (%s, %s world)', (profile, worldKind) => {
  const world = () =>
    worldKind === 'generated' ? createWorld({ seed: 42, size: 'tiny' }) : tinyWorld();
  const validate = validatorFor(profile);

  it('every implemented endpoint answers with a body matching the document', async () => {
    const mock = await start({ profile, world: world() });
    const call = api(mock);
    const ids = await idsOf(mock);
    const failures: string[] = [];
    for (const c of CASES) {
      const init: RequestInit = { method: c.method };
      if (c.body !== undefined) {
        init.body = JSON.stringify(c.body(ids));
        init.headers = { 'Content-Type': 'application/json' };
      }
      const response = await call(c.path(ids), init);
      if (c.extendedOnly === true && profile === 'development-2026') {
        if (response.status !== 403)
          failures.push(`${c.method} ${c.doc}: expected 403, got ${response.status}`);
        else
          failures.push(
            ...validate(c.method, c.doc, 403, response.body).map((e) => `${c.doc} 403: ${e}`),
          );
        continue;
      }
      if (response.status !== c.status) {
        failures.push(
          `${c.method} ${c.doc}: status ${response.status} ${JSON.stringify(response.body)}`,
        );
        continue;
      }
      failures.push(
        ...validate(c.method, c.doc, c.status, response.body).map(
          (e) => `${c.method} ${c.doc}: ${e}`,
        ),
      );
    }
    expect(failures).toEqual([]);
  });

  it('answers with is_playable and restrictions that match the document after catalogue changes', async () => {
    const mock = await start({ profile, world: world() });
    const call = api(mock);
    const ids = await idsOf(mock);
    const user = mock.world.users.get(ids.user);
    const album = mock.world.albums.get(ids.album);
    const [restricted, removed] = album?.trackIds ?? [];
    if (user === undefined || restricted === undefined || removed === undefined)
      throw new Error('fixture without a user or an album of two tracks');
    const elsewhere = user.country === 'SE' ? 'NO' : 'SE';
    mock.controls.catalog.restrictTrack(restricted, [elsewhere]);
    mock.controls.catalog.removeTrack(removed);
    await call(`/playlists/${ids.ownPlaylist}/items`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ uris: [`spotify:track:${restricted}`] }),
    });
    const market = user.country;
    const cases: [string, string][] = [
      ['/tracks/{id}', `/tracks/${restricted}?market=from_token`],
      ['/tracks/{id}', `/tracks/${restricted}?market=${elsewhere}`],
      ['/albums/{id}', `/albums/${ids.album}?market=${market}`],
      ['/albums/{id}/tracks', `/albums/${ids.album}/tracks?market=from_token`],
      ['/me/tracks', '/me/tracks?market=from_token'],
      ['/playlists/{playlist_id}/items', `/playlists/${ids.ownPlaylist}/items?market=${market}`],
      ['/search', `/search?q=a&type=track&market=${market}`],
    ];
    if (profile === 'extended')
      cases.push(['/tracks', `/tracks?ids=${restricted}&market=${market}`]);
    const failures: string[] = [];
    let unplayable = 0;
    for (const [doc, path] of cases) {
      const response = await call(path);
      if (response.status !== 200) {
        failures.push(`${path}: status ${response.status}`);
        continue;
      }
      unplayable += (JSON.stringify(response.body).match(/"is_playable":false/g) ?? []).length;
      failures.push(...validate('GET', doc, 200, response.body).map((e) => `${path}: ${e}`));
    }
    expect(failures).toEqual([]);
    expect(unplayable).toBeGreaterThanOrEqual(4);
    expect((await call(`/tracks/${removed}`)).status).toBe(404);
    if (profile === 'extended') {
      // Like unknown ids, a removed track is null in a batch (the document does not allow null).
      const batch = await call(`/tracks?ids=${restricted},${removed}`);
      expect(batch.body.tracks[1]).toBeNull();
    }
  });

  it('error answers match the document', async () => {
    const mock = await start({ profile });
    const unauthorized = await fetch(`${mock.apiUrl}/me`);
    expect(unauthorized.status).toBe(401);
    expect(validate('GET', '/me', 401, await unauthorized.json())).toEqual([]);
    const call = api(mock);
    const notFound = await call('/albums/0000000000000000000000');
    expect(notFound.status).toBe(404);
    expect(notFound.body).toEqual({ error: { status: 404, message: 'Resource not found' } });
  });
});
