import type { MockServer } from '@spoti/mock';
import { afterEach, describe, expect, it } from 'vitest';
import { isSpotifyError, type SpotifyClient } from '../src/index.js';
import { keptForAnHour, mock, trackIds, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

const uris = (s: MockServer, count: number, from = 0) =>
  trackIds(s, from + count)
    .slice(from)
    .map((id) => `spotify:track:${id}`);

async function itemUris(c: SpotifyClient, playlistId: string, cache?: 'no-cache') {
  const page = await c.getPlaylistItems(playlistId, { limit: 50, ...(cache ? { cache } : {}) });
  return page.items.map((entry) => entry.item?.uri ?? entry.track?.uri);
}

describe('writes whose answer is lost', () => {
  it('an add whose answer is lost drops the cached reads of the playlist', async () => {
    server = await mock();
    client = userClient(server, { fetch: keptForAnHour });
    const playlist = await client.createPlaylist({ name: 'lost add' });
    expect(await itemUris(client, playlist.id)).toEqual([]);
    server.controls.faults.script([{ lostAnswer: true }]);
    const error = await client.addPlaylistItems(playlist.id, uris(server, 2)).catch((e) => e);
    expect(isSpotifyError(error) && error.code).toBe('NETWORK');
    // The add was applied: the next read asks Spotify instead of serving the empty list.
    expect(await itemUris(client, playlist.id)).toEqual(uris(server, 2));
    expect((await client.getPlaylist(playlist.id)).tracks?.total ?? 2).toBe(2);
  });

  it('an add answered after the timeout drops them too', async () => {
    server = await mock();
    client = userClient(server, { fetch: keptForAnHour, timeoutMs: 150 });
    const playlist = await client.createPlaylist({ name: 'late add' });
    expect(await itemUris(client, playlist.id)).toEqual([]);
    server.controls.faults.script([{ lostAnswer: true, delayMs: 1_000 }]);
    const error = await client.addPlaylistItems(playlist.id, uris(server, 1)).catch((e) => e);
    expect(isSpotifyError(error) && error.code).toBe('TIMEOUT');
    expect(await itemUris(client, playlist.id)).toEqual(uris(server, 1));
  });

  it('a library save whose answer is lost is resent (idempotent) and the cached check dropped', async () => {
    server = await mock();
    client = userClient(server, { fetch: keptForAnHour });
    const [uri] = uris(server, 1, 30);
    expect(await client.libraryContains([uri!])).toEqual([false]);
    server.controls.faults.script([{ lostAnswer: true }]);
    await client.saveToLibrary([uri!]);
    expect(await client.libraryContains([uri!])).toEqual([true]);
    server.controls.faults.script([{ lostAnswer: true }]);
    await client.removeFromLibrary([uri!]);
    expect(await client.libraryContains([uri!])).toEqual([false]);
    const puts = server.controls.requests.log().filter((e) => e.method !== 'GET');
    expect(puts.map((e) => [e.method, e.answerLost ?? null])).toEqual([
      ['PUT', 'dropped'],
      ['PUT', null],
      ['DELETE', 'dropped'],
      ['DELETE', null],
    ]);
  });

  it('a write that failed with a 5xx (outcome unknown) drops them as well', async () => {
    server = await mock();
    client = userClient(server, { fetch: keptForAnHour, retry: { retries: 0 } });
    const playlist = await client.createPlaylist({ name: 'server error' });
    await itemUris(client, playlist.id);
    await itemUris(client, playlist.id);
    expect(client.callCounts()['GET /playlists/{id}/items']).toBe(1);
    server.controls.faults.script([{ status: 502 }]);
    const failed = await client.addPlaylistItems(playlist.id, uris(server, 1)).catch((e) => e);
    expect(isSpotifyError(failed) && failed.code).toBe('SERVER_ERROR');
    await itemUris(client, playlist.id);
    expect(client.callCounts()['GET /playlists/{id}/items']).toBe(2);
  });
});

describe('reads that guard a write', () => {
  it("cache: 'no-cache' asks Spotify although the cached copy is fresh", async () => {
    server = await mock();
    client = userClient(server, { fetch: keptForAnHour });
    const playlist = await client.createPlaylist({ name: 'other app' });
    expect(await itemUris(client, playlist.id)).toEqual([]);
    // Another app adds a track: this client's cache cannot know.
    const other = userClient(server, { cache: false });
    await other.addPlaylistItems(playlist.id, uris(server, 1));
    await other.close();
    expect(await itemUris(client, playlist.id)).toEqual([]);
    expect(await itemUris(client, playlist.id, 'no-cache')).toEqual(uris(server, 1));
    const fresh = await client.getPlaylist(playlist.id, { cache: 'no-cache' });
    const cached = await client.getPlaylist(playlist.id);
    expect(cached.snapshot_id).toBe(fresh.snapshot_id);
  });

  it('a read issued after a write never joins a read begun before it', async () => {
    server = await mock();
    // The first read is answered at once but reaches the client late, after the write.
    let slow = true;
    const lateAnswer: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const response = await fetch(request);
      if (request.method === 'GET' && request.url.endsWith('/items?limit=50') && slow) {
        slow = false;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return response;
    };
    client = userClient(server, { cache: false, fetch: lateAnswer });
    const playlist = await client.createPlaylist({ name: 'in flight' });
    const early = itemUris(client, playlist.id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client.addPlaylistItems(playlist.id, uris(server, 1));
    const late = await itemUris(client, playlist.id);
    expect(late).toEqual(uris(server, 1));
    expect(await early).toEqual([]);
  });
});
