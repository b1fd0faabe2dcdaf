import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, registerAndLogin } from './api-client.js';
import { type TestServer, startTestServer } from './helpers.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

type Role = 'anonymous' | 'listener' | 'owner' | 'other' | 'admin';
const ROLES: readonly Role[] = ['anonymous', 'listener', 'owner', 'other', 'admin'];
type Outcome = 'ok' | 401 | 403 | 404;

/** Who may do what: the expected answer of every route for every role. */
const PUBLIC: Record<Role, Outcome> = {
  anonymous: 'ok',
  listener: 'ok',
  owner: 'ok',
  other: 'ok',
  admin: 'ok',
};
const SIGNED_IN: Record<Role, Outcome> = {
  anonymous: 401,
  listener: 'ok',
  owner: 'ok',
  other: 'ok',
  admin: 'ok',
};
const ARTISTS: Record<Role, Outcome> = {
  anonymous: 401,
  listener: 403,
  owner: 'ok',
  other: 'ok',
  admin: 403,
};
const OWNER_OR_ADMIN: Record<Role, Outcome> = {
  anonymous: 401,
  listener: 403,
  owner: 'ok',
  other: 403,
  admin: 'ok',
};
const ADMIN_ONLY: Record<Role, Outcome> = {
  anonymous: 401,
  listener: 403,
  owner: 403,
  other: 403,
  admin: 'ok',
};
const OWNER_SEES: Record<Role, Outcome> = {
  anonymous: 404,
  listener: 404,
  owner: 'ok',
  other: 404,
  admin: 404,
};
const SIGNED_IN_OWNER_SEES: Record<Role, Outcome> = {
  anonymous: 401,
  listener: 404,
  owner: 'ok',
  other: 404,
  admin: 404,
};

interface Fixture {
  artistId: string;
  albumId: string;
  publicId: string;
  privateId: string;
  listenerId: string;
  /** A fresh song of the owner (for routes that delete or change it). */
  freshSong(visibility?: 'public' | 'private'): Promise<string>;
  /** A fresh token id of `role`'s account. */
  freshToken(role: Role): Promise<string>;
}

interface Case {
  readonly op: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: (f: Fixture, role: Role) => string | Promise<string>;
  readonly body?: (f: Fixture, role: Role) => unknown;
  readonly expect: Record<Role, Outcome>;
}

let n = 0;
const unique = () => `${Date.now()}-${++n}`;

const CASES: readonly Case[] = [
  {
    op: 'register',
    method: 'POST',
    path: () => '/auth/register',
    body: () => ({
      email: `m-${unique()}@example.test`,
      password: 'fake-Matrix-phrase',
      displayName: 'M',
    }),
    expect: PUBLIC,
  },
  { op: 'getMe', method: 'GET', path: () => '/me', expect: SIGNED_IN },
  {
    op: 'updateMe',
    method: 'PATCH',
    path: () => '/me',
    body: () => ({ displayName: 'Renamed' }),
    expect: SIGNED_IN,
  },
  { op: 'listTokens', method: 'GET', path: () => '/tokens', expect: SIGNED_IN },
  {
    op: 'createToken',
    method: 'POST',
    path: () => '/tokens',
    body: () => ({ name: 'matrix' }),
    expect: SIGNED_IN,
  },
  {
    op: 'revokeToken',
    method: 'DELETE',
    path: async (f, r) => `/tokens/${await f.freshToken(r)}`,
    expect: SIGNED_IN,
  },
  {
    op: 'setAccountRole',
    method: 'PATCH',
    path: (f) => `/accounts/${f.listenerId}`,
    body: () => ({ role: 'listener' }),
    expect: ADMIN_ONLY,
  },
  { op: 'randomSongs', method: 'GET', path: () => '/songs/random?count=3', expect: PUBLIC },
  {
    op: 'createSong',
    method: 'POST',
    path: () => '/songs',
    body: () => ({ name: 'Matrix Song' }),
    expect: ARTISTS,
  },
  { op: 'getSong (public)', method: 'GET', path: (f) => `/songs/${f.publicId}`, expect: PUBLIC },
  {
    op: 'getSong (private)',
    method: 'GET',
    path: (f) => `/songs/${f.privateId}`,
    expect: OWNER_SEES,
  },
  {
    op: 'updateSong',
    method: 'PATCH',
    path: async (f) => `/songs/${await f.freshSong()}`,
    body: () => ({ name: 'Changed' }),
    expect: OWNER_OR_ADMIN,
  },
  {
    op: 'updateSong (private)',
    method: 'PATCH',
    path: async (f) => `/songs/${await f.freshSong('private')}`,
    body: () => ({ name: 'Changed' }),
    expect: { anonymous: 401, listener: 403, owner: 'ok', other: 404, admin: 404 },
  },
  {
    op: 'deleteSong',
    method: 'DELETE',
    path: async (f) => `/songs/${await f.freshSong()}`,
    expect: OWNER_OR_ADMIN,
  },
  {
    op: 'recordPlay',
    method: 'POST',
    path: (f) => `/songs/${f.publicId}/plays`,
    body: () => ({}),
    expect: SIGNED_IN,
  },
  {
    op: 'recordPlay (private)',
    method: 'POST',
    path: (f) => `/songs/${f.privateId}/plays`,
    body: () => ({}),
    expect: SIGNED_IN_OWNER_SEES,
  },
  {
    op: 'skipSong',
    method: 'POST',
    path: (f) => `/songs/${f.publicId}/skip`,
    body: () => ({}),
    expect: SIGNED_IN,
  },
  { op: 'getArtist', method: 'GET', path: (f) => `/artists/${f.artistId}`, expect: PUBLIC },
  {
    op: 'updateArtist',
    method: 'PATCH',
    path: (f) => `/artists/${f.artistId}`,
    body: () => ({ genres: ['Matrix'] }),
    expect: { ...OWNER_OR_ADMIN, listener: 403 },
  },
  {
    op: 'listFollowers',
    method: 'GET',
    path: (f) => `/artists/${f.artistId}/followers`,
    expect: PUBLIC,
  },
  { op: 'artistStats', method: 'GET', path: (f) => `/artists/${f.artistId}/stats`, expect: PUBLIC },
  {
    op: 'listArtistSongs',
    method: 'GET',
    path: (f) => `/artists/${f.artistId}/songs`,
    expect: PUBLIC,
  },
  {
    op: 'listArtistAlbums',
    method: 'GET',
    path: (f) => `/artists/${f.artistId}/albums`,
    expect: PUBLIC,
  },
  {
    op: 'createAlbum',
    method: 'POST',
    path: () => '/albums',
    body: () => ({ name: 'Matrix Album', releaseDate: '2026' }),
    expect: ARTISTS,
  },
  { op: 'getAlbum', method: 'GET', path: (f) => `/albums/${f.albumId}`, expect: PUBLIC },
  { op: 'albumStats', method: 'GET', path: (f) => `/albums/${f.albumId}/stats`, expect: PUBLIC },
  {
    op: 'updateAlbum',
    method: 'PATCH',
    path: (f) => `/albums/${f.albumId}`,
    body: () => ({ label: 'Matrix Records' }),
    expect: OWNER_OR_ADMIN,
  },
  { op: 'listGenres', method: 'GET', path: () => '/genres', expect: PUBLIC },
  { op: 'search', method: 'GET', path: () => '/search?q=matrix', expect: PUBLIC },
  { op: 'trending', method: 'GET', path: () => '/trending?window=month', expect: PUBLIC },
  { op: 'recommendations', method: 'GET', path: () => '/me/recommendations', expect: SIGNED_IN },
  { op: 'recentlyPlayed', method: 'GET', path: () => '/me/recent', expect: SIGNED_IN },
  { op: 'likeSong', method: 'PUT', path: (f) => `/me/likes/${f.publicId}`, expect: SIGNED_IN },
  {
    op: 'likeSong (private)',
    method: 'PUT',
    path: (f) => `/me/likes/${f.privateId}`,
    expect: SIGNED_IN_OWNER_SEES,
  },
  { op: 'unlikeSong', method: 'DELETE', path: (f) => `/me/likes/${f.publicId}`, expect: SIGNED_IN },
  { op: 'listLikes', method: 'GET', path: () => '/me/likes', expect: SIGNED_IN },
  {
    op: 'addFavourite',
    method: 'PUT',
    path: (f) => `/me/favourites/albums/${f.albumId}`,
    expect: SIGNED_IN,
  },
  {
    op: 'addFavourite (private)',
    method: 'PUT',
    path: (f) => `/me/favourites/songs/${f.privateId}`,
    expect: SIGNED_IN_OWNER_SEES,
  },
  {
    op: 'removeFavourite',
    method: 'DELETE',
    path: (f) => `/me/favourites/albums/${f.albumId}`,
    expect: SIGNED_IN,
  },
  { op: 'listFavourites', method: 'GET', path: () => '/me/favourites', expect: SIGNED_IN },
  {
    op: 'followArtist',
    method: 'PUT',
    path: (f) => `/me/follows/${f.artistId}`,
    expect: SIGNED_IN,
  },
  {
    op: 'unfollowArtist',
    method: 'DELETE',
    path: (f) => `/me/follows/${f.artistId}`,
    expect: SIGNED_IN,
  },
  { op: 'listFollows', method: 'GET', path: () => '/me/follows', expect: SIGNED_IN },
  // Last: it makes every signed-in role an artist.
  {
    op: 'becomeArtist',
    method: 'POST',
    path: () => '/me/artist',
    body: () => ({ name: 'Matrix Artist' }),
    expect: SIGNED_IN,
  },
  {
    op: 'login',
    method: 'POST',
    path: () => '/auth/login',
    body: () => ({ email: 'nobody@example.test', password: 'not-the-password' }),
    expect: { anonymous: 401, listener: 401, owner: 401, other: 401, admin: 401 },
  },
];

/** Tags of the operations this matrix must cover (other groups bring their own matrix). */
const COVERED_TAGS = new Set([
  'Accounts',
  'Songs',
  'Albums',
  'Artists',
  'Discovery',
  'Library',
  'Listening',
]);

describe('platform API authorization matrix (every route × role × owner or not)', () => {
  let t: TestServer;
  let api: ApiClient;
  const clients = new Map<Role, ApiClient>();
  let fixture: Fixture;

  beforeAll(async () => {
    t = await startTestServer('pglite', {
      API_ADMIN_EMAILS: 'matrix-admin@example.test',
      API_RATE_LIMIT_PER_MINUTE: '100000',
      API_LOGIN_ATTEMPTS_PER_15_MINUTES: '1000',
    });
    api = new ApiClient(t.url);
    clients.set('anonymous', api);
    const listener = await registerAndLogin(api, 'Listener');
    clients.set('listener', listener.client);
    const owner = await registerAndLogin(api, 'Owner');
    clients.set('owner', owner.client);
    const other = await registerAndLogin(api, 'Other');
    clients.set('other', other.client);
    await api.post('/auth/register', {
      email: 'matrix-admin@example.test',
      password: 'fake-Admin-phrase-2',
      displayName: 'Admin',
    });
    const adminLogin = await api.post('/auth/login', {
      email: 'matrix-admin@example.test',
      password: 'fake-Admin-phrase-2',
    });
    clients.set('admin', api.as(adminLogin.body.token));
    const artistId = (await owner.client.post('/me/artist', { name: 'Matrix Owner' })).body.artist
      .id;
    await other.client.post('/me/artist', { name: 'Matrix Other' });
    const albumId = (await owner.client.post('/albums', { name: 'Owned', releaseDate: '2025' }))
      .body.id;
    const song = async (visibility: 'public' | 'private' = 'public') =>
      (await owner.client.post('/songs', { name: `Owned ${visibility}`, albumId, visibility })).body
        .id as string;
    fixture = {
      artistId,
      albumId,
      publicId: await song(),
      privateId: await song('private'),
      listenerId: listener.id,
      freshSong: song,
      async freshToken(role) {
        const client = clients.get(role) ?? api;
        if (client.token === null) return 'tok_nothing';
        return (await client.post('/tokens', { name: 'to revoke' })).body.tokenInfo.id;
      },
    };
  });
  afterAll(async () => t?.close());

  it.each(CASES.map((c) => [c.op, c] as const))('%s', async (_name, c) => {
    const got: Record<string, number> = {};
    const want: Record<string, number | string> = {};
    for (const role of ROLES) {
      const client = clients.get(role) ?? api;
      const path = await c.path(fixture, role);
      const res = await client.request(c.method, path, c.body?.(fixture, role));
      got[role] = res.status;
      want[role] = c.expect[role];
      if (c.expect[role] === 'ok' && res.status >= 200 && res.status < 300) got[role] = -1;
      if (c.expect[role] === 'ok') want[role] = -1;
      if (typeof c.expect[role] === 'number') expect(res.body?.code).toBeTypeOf('string');
    }
    expect(got).toEqual(want);
  });

  it('covers every operation of the platform groups in the OpenAPI document', async () => {
    const doc = (await api.document()) as unknown as {
      paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
    };
    const operations = Object.values(doc.paths)
      .flatMap((item) => Object.values(item))
      .filter((op) => COVERED_TAGS.has(op.tags[0] ?? ''))
      .map((op) => op.operationId);
    const covered = new Set(CASES.map((c) => c.op.split(' ')[0]));
    covered.add('deleteMe'); // the last test below
    expect(operations.filter((id) => !covered.has(id))).toEqual([]);
  });

  it('deletes an account with its tokens (last: it ends the admin)', async () => {
    const doomed = await registerAndLogin(api, 'Doomed');
    expect((await api.delete('/me')).status).toBe(401);
    expect((await doomed.client.delete('/me')).status).toBe(204);
    expect((await doomed.client.get('/me')).status).toBe(401);
  });
});
