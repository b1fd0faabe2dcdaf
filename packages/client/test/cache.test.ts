import { afterEach, describe, expect, it } from 'vitest';
import type { MockServer } from '@spoti/mock';
import { MemoryCache, type ResponseEvent, type SpotifyClient } from '../src/index.js';
import { artistIds, mock, trackIds, userClient, profiles } from './helpers.js';

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
    const cache = new MemoryCache({ maxEntries: 2 });
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
    client = userClient(server);
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
