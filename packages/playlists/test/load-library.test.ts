import { createMemoryStore } from '@spoti/catalog';
import { describe, expect, it } from 'vitest';
import { createLibraryIndex, evaluateRule, isPlaylistsError, loadLibrary } from '../src/index.js';
import { NOW, smallLibrary } from './fixtures.js';

describe('loadLibrary', () => {
  it('reads saved tracks, plays and playlists from a catalog store into the same results', async () => {
    const lib = smallLibrary();
    const store = createMemoryStore();
    await store.upsertArtists(lib.artists ?? []);
    await store.upsertAlbums(lib.albums ?? []);
    await store.upsertTracks(lib.tracks);
    await store.appendPlays((lib.plays ?? []).filter((p) => p.trackId !== null) as never);
    for (const like of lib.likes ?? []) await store.like({ userId: 'u1', ...like });
    await store.upsertPlaylists([
      {
        id: 'pl1',
        ownerUserId: 'u1',
        name: 'p',
        description: '',
        public: false,
        collaborative: false,
        snapshotId: null,
        items: [
          { trackId: 't1', addedAt: 0, addedBy: null },
          { trackId: 't4', addedAt: 0, addedBy: null },
        ],
        updatedAt: 0,
      },
    ]);
    const loaded = await loadLibrary(store, {
      userId: 'u1',
      playlistIds: ['pl1'],
      trackIds: ['t5'],
    });
    expect(loaded.tracks.map((t) => t.id).sort()).toEqual(['t1', 't2', 't3', 't4', 't5', 't6']);
    const fromStore = createLibraryIndex(loaded, { now: NOW });
    const direct = createLibraryIndex(lib, { now: NOW });
    for (const rule of [
      { all: [{ gt: { playCount: 0 } }], sort: '-playCount' },
      { all: [{ inPlaylist: 'pl1' }], sort: 'title' },
      { all: [{ inTheLast: { addedAt: 30 } }], sort: '-addedAt' },
    ]) {
      expect(evaluateRule(rule, fromStore).trackIds).toEqual(evaluateRule(rule, direct).trackIds);
    }
    await expect(loadLibrary(store, { userId: 'u1', playlistIds: ['nope'] })).rejects.toSatisfy(
      (e) => isPlaylistsError(e) && e.code === 'INVALID_OPTIONS',
    );
    await expect(loadLibrary(store, { userId: '' })).rejects.toThrow(
      /Invalid loadLibrary options: userId/,
    );
    await store.close();
  });
});
