import { afterEach, describe, expect, it } from 'vitest';
import type { MockServer } from '@spoti/mock';
import {
  createMemoryCache,
  type Cache,
  createMemoryTokenStore,
  type ResponseEvent,
  type SpotifyClient,
  type SpotifyClientOptions,
} from '../src/index.js';
import { artistIds, keptForAnHour, mock, trackIds, userClient, profiles } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe.each(profiles)('caching (%s)', (profile) => {
  it('serves fresh entries (Cache-Control max-age) without a request', async () => {
    server = await mock({ profile });
    client = userClient(server);
    const [id] = artistIds(server, 1);
    const a = await client.getArtist(id!);
    const b = await client.getArtist(id!);
    expect(b).toEqual(a);
    expect(client.callCounts()['GET /artists/{id}']).toBe(1);
  });

  it('revalidates with If-None-Match and serves a 304 from the cache', async () => {
    server = await mock({ profile });
    let now = 0;
    client = userClient(server, { clock: { now: () => now } });
    const events: ResponseEvent[] = [];
    client.on('response', (e) => events.push(e));
    const first = await client.getMe();
    now += 1_000;
    const second = await client.getMe();
    expect(second).toEqual(first);
    expect(events.map((e) => e.status)).toEqual([200, 304]);
    expect(events[1]?.fromCache).toBe(true);
  });

  it('makes one request for identical concurrent GETs', async () => {
    server = await mock({ profile });
    client = userClient(server, { cache: false });
    const [id] = artistIds(server, 1);
    const [a, b, c] = await Promise.all([
      client.getArtist(id!),
      client.getArtist(id!),
      client.getArtist(id!),
    ]);
    expect(a).toEqual(b);
    expect(b).toEqual(c);
    expect(client.callCounts()['GET /artists/{id}']).toBe(1);
  });

  it('MemoryCache evicts the least recently used entry', () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    cache.set('a', { body: 1, freshUntil: 0 });
    cache.set('b', { body: 2, freshUntil: 0 });
    cache.get('a');
    cache.set('c', { body: 3, freshUntil: 0 });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.body).toBe(1);
    expect(cache.size).toBe(2);
  });
});

describe.each(profiles)('cache invalidation (%s)', (profile) => {
  it('a write drops cached reads of the resource it changed', async () => {
    server = await mock({ profile });
    // Spotify sends playlists with max-age=0; here they are kept, so only invalidation helps.
    client = userClient(server, { fetch: keptForAnHour });
    const playlist = await client.createPlaylist({ name: 'cached' });
    expect((await client.getPlaylistItems(playlist.id, { limit: 1 })).total).toBe(0);
    expect((await client.getPlaylistItems(playlist.id, { limit: 1 })).total).toBe(0);
    expect(client.callCounts()['GET /playlists/{id}/items']).toBe(1);
    await client.addPlaylistItems(
      playlist.id,
      trackIds(server, 3).map((id) => `spotify:track:${id}`),
    );
    expect((await client.getPlaylistItems(playlist.id, { limit: 1 })).total).toBe(3);
    expect(client.callCounts()['GET /playlists/{id}/items']).toBe(2);
  });
});

/** A cache that records every key it is asked for (to check what keys look like). */
function recordingCache(): Cache & { readonly keys: string[] } {
  const inner = createMemoryCache();
  const keys: string[] = [];
  return {
    keys,
    get(key) {
      keys.push(key);
      return inner.get(key);
    },
    set(key, entry) {
      keys.push(key);
      inner.set(key, entry);
    },
    delete(key) {
      inner.delete(key);
    },
  };
}

describe.each(profiles)('cache identity (%s)', (profile) => {
  const extra: SpotifyClient[] = [];
  afterEach(async () => {
    for (const c of extra.splice(0)) await c.close();
  });

  function clientAs(s: MockServer, userId: string, options: Partial<SpotifyClientOptions> = {}) {
    const issued = s.controls.auth.issueTokens({ clientId: 'test-app', userId });
    const c = userClient(s, {
      tokenStore: createMemoryTokenStore({
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        expiresAt: Date.now() + issued.expires_in * 1000,
      }),
      ...options,
    });
    extra.push(c);
    return { client: c, issued };
  }

  it("a cache shared by two users' clients never serves one user's data to the other", async () => {
    server = await mock({ profile });
    const [alice, bob] = [...server.world.users.keys()];
    const cache = recordingCache();
    const a = clientAs(server, alice!, { cache });
    const b = clientAs(server, bob!, { cache });
    expect((await a.client.getMe()).id).toBe(alice);
    expect((await b.client.getMe()).id).toBe(bob);
    // Were playlists fresh in the cache, a URL-keyed cache would answer Bob's call with Alice's
    // private playlist without asking Spotify (and a 304 to Alice's ETag would hand it over).
    const playlist = await a.client.createPlaylist({ name: 'private', public: false });
    await a.client.getPlaylist(playlist.id);
    await b.client.getPlaylist(playlist.id).catch(() => undefined);
    expect(b.client.callCounts()['GET /playlists/{id}']).toBe(1);
    // The identity in the key is an opaque hash: never a token.
    const keys = cache.keys.join('\n');
    for (const secret of [a.issued.access_token, a.issued.refresh_token, b.issued.refresh_token]) {
      expect(keys).not.toContain(secret);
    }
  });

  it('clients given the same cacheScope share entries; one client switching users does not', async () => {
    server = await mock({ profile });
    const [alice, bob] = [...server.world.users.keys()];
    const [artistId] = artistIds(server, 1);
    const cache = createMemoryCache();
    const a = clientAs(server, alice!, { cache, cacheScope: 'user:alice' });
    const a2 = clientAs(server, alice!, { cache, cacheScope: 'user:alice' });
    await a.client.getArtist(artistId!);
    await a2.client.getArtist(artistId!);
    expect(a2.client.totalCalls()).toBe(0);

    // One client (default cache) whose tokens are swapped to another user.
    const solo = clientAs(server, alice!);
    const pl = await solo.client.createPlaylist({ name: 'mine', public: false });
    await solo.client.getPlaylist(pl.id);
    const issued = server.controls.auth.issueTokens({ clientId: 'test-app', userId: bob! });
    await solo.client.setTokens({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: Date.now() + issued.expires_in * 1000,
    });
    await solo.client.getPlaylist(pl.id).catch(() => undefined);
    expect(solo.client.callCounts()['GET /playlists/{id}']).toBe(2);
  });
});
