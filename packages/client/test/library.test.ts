import type { MockServer } from '@spoti/mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpotifyClient } from '../src/index.js';
import { albumIds, mock, trackIds, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe('library by type', () => {
  it('extended: uses the per-type endpoints, chunked to 50 tracks / 20 albums', async () => {
    server = await mock({ profile: 'extended' });
    client = userClient(server, { mode: 'extended' });
    const tracks = trackIds(server, 260).slice(200);
    await client.removeLibraryItems({ type: 'track', ids: tracks });
    await client.saveLibraryItems({ type: 'track', ids: tracks });
    expect(await client.libraryItemsContain({ type: 'track', ids: tracks })).toEqual(
      tracks.map(() => true),
    );
    const albums = albumIds(server, 25);
    await client.saveLibraryItems({ type: 'album', ids: albums });
    expect(client.callCounts()).toMatchObject({
      'DELETE /me/tracks': 2,
      'PUT /me/tracks': 2,
      'GET /me/tracks/contains': 2,
      'PUT /me/albums': 2,
    });
    expect(client.callCounts()['PUT /me/library']).toBeUndefined();
  });

  it('development: goes through /me/library by URI', async () => {
    server = await mock({ profile: 'development-2026' });
    client = userClient(server, { mode: 'development' });
    const ids = trackIds(server, 203).slice(200);
    await client.removeLibraryItems({ type: 'track', ids });
    expect(await client.libraryItemsContain({ type: 'track', ids })).toEqual([false, false, false]);
    await client.saveLibraryItems({ type: 'track', ids: ids.slice(0, 2) });
    expect(await client.libraryItemsContain({ type: 'track', ids })).toEqual([true, true, false]);
    expect(Object.keys(client.callCounts()).sort()).toEqual([
      'DELETE /me/library',
      'GET /me/library/contains',
      'PUT /me/library',
    ]);
  });

  it('auto: falls back to /me/library after one 403 and remembers it', async () => {
    server = await mock({ profile: 'development-2026' });
    client = userClient(server, { mode: 'auto' });
    const ids = trackIds(server, 206).slice(204);
    await client.saveLibraryItems({ type: 'track', ids });
    await client.saveLibraryItems({ type: 'track', ids });
    expect(await client.libraryItemsContain({ type: 'track', ids })).toEqual([true, true]);
    expect(client.hasCapability('library-per-type')).toBe(false);
    expect(client.callCounts()).toEqual({
      'PUT /me/tracks': 1,
      'PUT /me/library': 2,
      'GET /me/library/contains': 1,
    });
  });
});
