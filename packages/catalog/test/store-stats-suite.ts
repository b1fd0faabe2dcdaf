import { beforeEach, describe, expect, it } from 'vitest';
import { type CatalogStore, type ItemStats, isCatalogError } from '../src/index.js';
import { HOUR, T0, byId, play } from './fixtures.js';
import { useSeededStore } from './seeded-store.js';

const ZERO: ItemStats = { tracks: 0, plays: 0, likes: 0, listeners: 0, topTracks: [] };

/**
 * Artist and album statistics on every CatalogStore: private tracks count only for their owner.
 * t09 and t10 are a5's public tracks on al5; t11 (al5, a5) is private.
 */
export function storeStatsSuite(name: string, factory: () => Promise<CatalogStore>): void {
  describe(`CatalogStore item statistics: ${name}`, () => {
    let store: CatalogStore;

    useSeededStore(
      factory,
      (opened) => {
        store = opened;
      },
      ['u1', 'u2', 'u3'],
    );
    beforeEach(async () => {
      await store.appendPlays([
        play('u1', byId('t11'), T0 - 4 * HOUR),
        play('u1', byId('t11'), T0 - 3 * HOUR),
        play('u3', byId('t11'), T0 - 2 * HOUR), // u3 heard only the private track
        play('u1', byId('t09'), T0 - 2 * HOUR),
        play('u2', byId('t10'), T0 - HOUR),
        play('u2', byId('t10'), T0 - HOUR / 2),
        play('u1', byId('t01'), T0 - HOUR),
      ]);
      await store.like({ userId: 'u2', trackId: 't11', likedAt: T0 - HOUR });
      await store.like({ userId: 'u2', trackId: 't09', likedAt: T0 - HOUR });
    });

    it('leaves private tracks out of an artist’s totals for everyone but their owner', async () => {
      for (const viewerArtistId of [undefined, null, 'a1']) {
        const stats = await store.itemStats({ kind: 'artist', id: 'a5', viewerArtistId });
        expect(stats).toEqual({
          tracks: 2,
          plays: 3,
          likes: 1,
          listeners: 2,
          topTracks: [
            { trackId: 't10', plays: 2, likes: 0 },
            { trackId: 't09', plays: 1, likes: 1 },
          ],
        });
      }
      const own = await store.itemStats({ kind: 'artist', id: 'a5', viewerArtistId: 'a5', top: 2 });
      expect(own).toEqual({
        tracks: 3,
        plays: 6,
        likes: 2,
        listeners: 3,
        topTracks: [
          { trackId: 't11', plays: 3, likes: 1 },
          { trackId: 't10', plays: 2, likes: 0 },
        ],
      });
    });

    it('leaves private tracks out of an album’s totals for everyone but their owner', async () => {
      const album = await store.itemStats({ kind: 'album', id: 'al5', top: 1 });
      expect(album).toMatchObject({ tracks: 2, plays: 3, likes: 1, listeners: 2 });
      expect(album.topTracks).toEqual([{ trackId: 't10', plays: 2, likes: 0 }]);
      const own = await store.itemStats({ kind: 'album', id: 'al5', viewerArtistId: 'a5' });
      expect(own).toMatchObject({ tracks: 3, plays: 6, likes: 2, listeners: 3 });
      expect(own.topTracks.map((t) => t.trackId)).toEqual(['t11', 't10', 't09']);
      const other = await store.itemStats({ kind: 'album', id: 'al1', top: 0 });
      expect(other).toEqual({ tracks: 3, plays: 1, likes: 0, listeners: 1, topTracks: [] });
    });

    it('follows a track made public or private, and unlikes', async () => {
      await store.upsertTracks([{ ...byId('t11'), visibility: 'public' }]);
      expect(await store.itemStats({ kind: 'artist', id: 'a5' })).toMatchObject({
        tracks: 3,
        plays: 6,
        listeners: 3,
      });
      await store.upsertTracks([{ ...byId('t10'), visibility: 'private' }]);
      await store.unlike('u2', 't11');
      expect(await store.itemStats({ kind: 'album', id: 'al5' })).toMatchObject({
        tracks: 2,
        plays: 4,
        likes: 1,
        listeners: 2,
      });
    });

    it('answers zeros for unknown ids and refuses bad options', async () => {
      expect(await store.itemStats({ kind: 'artist', id: 'nobody' })).toEqual(ZERO);
      expect(await store.itemStats({ kind: 'album', id: 'bad\u0000id' })).toEqual(ZERO);
      await expect(store.itemStats({ kind: 'artist', id: '' })).rejects.toSatisfy(isCatalogError);
      await expect(store.itemStats({ kind: 'song' as 'artist', id: 'a5' })).rejects.toSatisfy(
        isCatalogError,
      );
      await expect(store.itemStats({ kind: 'artist', id: 'a5', top: 101 })).rejects.toSatisfy(
        isCatalogError,
      );
    });
  });
}
