import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogStore, Play } from '../src/index.js';
import { DAY, HOUR, T0, albums, artists, byId, play, tracks, user } from './fixtures.js';

/** The one behavioural suite every CatalogStore implementation must pass. */
export function storeSuite(name: string, factory: () => Promise<CatalogStore>): void {
  describe(`CatalogStore: ${name}`, () => {
    let store: CatalogStore;

    beforeEach(async () => {
      store = await factory();
      await store.upsertArtists(artists);
      await store.upsertAlbums(albums);
      await store.upsertTracks(tracks);
      await store.upsertUsers([user('u1'), user('u2')]);
    });
    afterEach(async () => {
      await store.close();
    });

    it('round-trips entities and upserts idempotently', async () => {
      expect(await store.getArtist('a2')).toEqual(artists[1]);
      expect(await store.getAlbum('al2')).toEqual(albums[1]);
      expect(await store.getTrack('t03')).toEqual(byId('t03'));
      expect(await store.getUser('u1')).toEqual(user('u1'));
      expect(await store.getTrack('nope')).toBeNull();
      const renamed = { ...byId('t01'), name: 'Formation (Live)' };
      await store.upsertTracks([renamed]);
      await store.upsertTracks([renamed]);
      expect(await store.getTrack('t01')).toEqual(renamed);
      const genres = await store.listGenres();
      expect(genres.map((g) => g.id)).toEqual([
        'art-pop',
        'electronic',
        'metal',
        'pop',
        'post-rock',
        'r-b',
        'rock',
      ]);
    });

    it('stores playlists with ordered items and subscriptions', async () => {
      const pl = {
        id: 'p1',
        ownerUserId: 'u1',
        name: 'Mix',
        description: '',
        public: true,
        collaborative: false,
        snapshotId: 's1',
        items: [
          { trackId: 't05', addedAt: T0, addedBy: 'u1' },
          { trackId: 't01', addedAt: T0 + 1, addedBy: null },
        ],
        updatedAt: T0,
      };
      await store.upsertPlaylists([pl]);
      await store.upsertPlaylists([{ ...pl, items: pl.items.slice(1) }]);
      expect(await store.getPlaylist('p1')).toEqual({ ...pl, items: pl.items.slice(1) });
      const sub = {
        id: 's1',
        planId: 'family' as const,
        ownerUserId: 'u1',
        memberUserIds: ['u1', 'u2'],
        status: 'active' as const,
        startedAt: T0,
        endsAt: null,
        studentVerification: 'none' as const,
        explicitFilteredUserIds: ['u2'],
      };
      await store.upsertSubscriptions([sub]);
      expect(await store.getSubscription('s1')).toEqual(sub);
    });

    it('appends plays once per playKey and keeps annotations consistent', async () => {
      const p1 = play('u1', byId('t01'), T0 - HOUR);
      const p2 = play('u1', byId('t01'), T0);
      const again = { ...p1, endedAt: p1.endedAt + 400, source: 'export' as const };
      expect(await store.appendPlays([p1, p2, again])).toEqual({ inserted: 2, duplicates: 1 });
      expect(await store.appendPlays([p1])).toEqual({ inserted: 0, duplicates: 1 });
      expect(await store.countPlays()).toBe(2);
      expect(await store.listPlays({ userId: 'u1' })).toEqual([p1, p2]);
      expect(await store.listPlays({ userId: 'u1', from: T0 - 1, to: T0 + 1 })).toEqual([p2]);
      await store.like({ userId: 'u1', trackId: 't01', likedAt: T0 });
      await store.like({ userId: 'u1', trackId: 't01', likedAt: T0 + 5 });
      await store.addFavourite({ userId: 'u1', kind: 'track', targetId: 't01', addedAt: T0 });
      expect(await store.getAnnotation('u1', 't01')).toEqual({
        userId: 'u1',
        trackId: 't01',
        playCount: 2,
        lastPlayedAt: T0,
        liked: true,
        favourite: true,
      });
      expect(await store.listLikes('u1')).toEqual([{ userId: 'u1', trackId: 't01', likedAt: T0 }]);
      await store.unlike('u1', 't01');
      await store.removeFavourite('u1', 'track', 't01');
      expect(await store.getAnnotation('u1', 't01')).toMatchObject({
        liked: false,
        favourite: false,
      });
      expect(await store.getAnnotation('u2', 't01')).toEqual({
        userId: 'u2',
        trackId: 't01',
        playCount: 0,
        lastPlayedAt: null,
        liked: false,
        favourite: false,
      });
    });

    it('keeps name-only (Account data) plays and dedupes them at minute precision', async () => {
      const row: Play = {
        ...play('u1', byId('t04'), Date.UTC(2026, 0, 1, 10, 5)),
        trackId: null,
        artistIds: [],
        albumId: null,
        source: 'export',
        artistName: 'Sigur Rós',
      };
      expect(await store.appendPlays([row, { ...row, artistName: 'SIGUR ROS' }])).toEqual({
        inserted: 1,
        duplicates: 1,
      });
      expect(await store.listPlays({ userId: 'u1' })).toEqual([row]);
    });

    it('follows and favourites albums idempotently', async () => {
      await store.follow({ userId: 'u1', artistId: 'a3', followedAt: T0 });
      await store.follow({ userId: 'u1', artistId: 'a1', followedAt: T0 });
      await store.follow({ userId: 'u1', artistId: 'a1', followedAt: T0 + 9 });
      expect((await store.listFollows('u1')).map((f) => [f.artistId, f.followedAt])).toEqual([
        ['a1', T0],
        ['a3', T0],
      ]);
      await store.unfollow('u1', 'a3');
      expect(await store.listFollows('u1')).toHaveLength(1);
      await store.addFavourite({ userId: 'u1', kind: 'album', targetId: 'al4', addedAt: T0 });
      expect(await store.listFavourites('u1')).toEqual([
        { userId: 'u1', kind: 'album', targetId: 'al4', addedAt: T0 },
      ]);
    });

    it('rolls a failed transaction back and commits a successful one', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.appendPlays([play('u1', byId('t02'), T0)]);
          await tx.like({ userId: 'u1', trackId: 't02', likedAt: T0 });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.countPlays()).toBe(0);
      expect(await store.getAnnotation('u1', 't02')).toMatchObject({ playCount: 0, liked: false });
      const n = await store.transaction(async (tx) => {
        await tx.appendPlays([play('u1', byId('t02'), T0)]);
        return tx.transaction(async (inner) => inner.countPlays());
      });
      expect(n).toBe(1);
      expect(await store.getAnnotation('u1', 't02')).toMatchObject({ playCount: 1 });
    });

    it('ranks trending tracks, albums and artists with decay and deterministic ties', async () => {
      const now = T0;
      await store.appendPlays([
        play('u1', byId('t04'), now - 2 * HOUR),
        play('u2', byId('t04'), now - 3 * HOUR),
        play('u1', byId('t06'), now - 1 * HOUR),
        play('u2', byId('t06'), now - 1 * HOUR),
        play('u1', byId('t09'), now - 20 * DAY),
        play('u2', byId('t09'), now - 20 * DAY),
        play('u1', byId('t09'), now - 21 * DAY),
        play('u1', byId('t07'), now - 2 * DAY),
        play('u2', byId('t08'), now - 2 * DAY),
      ]);
      await store.like({ userId: 'u1', trackId: 't01', likedAt: now - 3 * DAY });
      const week = await store.trending({ kind: 'track', window: 'week', now });
      expect(week.map((e) => e.id)).toEqual(['t01', 't06', 't04', 't07', 't08']);
      // One like three days ago (3 x 2^(-3/7) = 2.22) outweighs two plays an hour ago (1.99).
      expect(week[0]).toMatchObject({ plays: 0, likes: 1 });
      expect(week[1]).toMatchObject({ plays: 2, likes: 0 });
      expect(week[3]?.score).toBe(week[4]?.score);
      const month = await store.trending({ kind: 'track', window: 'month', now, limit: 10 });
      expect(month.map((e) => e.id)).toContain('t09');
      const albumsRank = await store.trending({ kind: 'album', window: 'week', now });
      expect(albumsRank.map((e) => e.id)).toEqual(['al1', 'al3', 'al2', 'al4']);
      const range = await store.trending({
        kind: 'artist',
        window: { from: now - 30 * DAY, to: now - 10 * DAY },
        now,
      });
      expect(range).toEqual([
        { kind: 'artist', id: 'a5', plays: 3, likes: 0, score: range[0]?.score },
      ]);
    });

    it('searches accent-insensitively with typos, filters, sorting and paging', async () => {
      const hit = async (text: string) =>
        (await store.search({ text, kinds: ['artist'] })).hits[0]?.id;
      expect(await hit('beyonce')).toBe('a1');
      expect(await hit('BJORK')).toBe('a4');
      expect(await hit('sigur ros')).toBe('a2');
      expect(await hit('motorhaed')).toBe('a3');
      expect(await hit('quen')).toBe('a5');
      const tracksHits = await store.search({ text: 'bohemian rapsody', kinds: ['track'] });
      expect(tracksHits.hits.map((h) => h.id)).toEqual(['t09']);
      const byArtist = await store.search({ text: 'queen', kinds: ['track'], sort: 'addedDate' });
      expect(byArtist.total).toBe(3);
      const genre = await store.search({ text: '', genre: 'Post Rock', kinds: ['track'] });
      expect(genre.hits.map((h) => h.id)).toEqual(['t04', 't05']);
      const old = await store.search({
        text: '',
        kinds: ['album'],
        releasedTo: Date.UTC(1990, 0, 1),
        sort: 'releaseDate',
      });
      expect(old.hits.map((h) => h.id)).toEqual(['al3', 'al5']);
      await store.appendPlays([play('u1', byId('t02'), T0), play('u2', byId('t02'), T0)]);
      const popular = await store.search({
        text: '',
        artistId: 'a1',
        kinds: ['track'],
        sort: 'plays',
        limit: 2,
      });
      expect(popular.total).toBe(3);
      expect(popular.hits.map((h) => h.id)).toEqual(['t02', 't01']);
      const page2 = await store.search({
        text: '',
        artistId: 'a1',
        kinds: ['track'],
        sort: 'plays',
        limit: 2,
        offset: 2,
      });
      expect(page2.hits.map((h) => h.id)).toEqual(['t03']);
      expect((await store.search({ text: 'xyzzy' })).total).toBe(0);
      const g = await store.search({ text: 'electronc', kinds: ['genre'] });
      expect(g.hits.map((h) => h.id)).toEqual(['electronic']);
    });

    it('recommends unheard tracks with reasons and per-artist diversity', async () => {
      await store.appendPlays([
        play('u1', byId('t01'), T0 - 3 * HOUR),
        play('u1', byId('t01'), T0 - 2 * HOUR),
        play('u1', byId('t04'), T0 - HOUR),
        play('u2', byId('t10'), T0 - HOUR),
        play('u2', byId('t10'), T0 - 2 * HOUR),
      ]);
      const recs = await store.recommend({ userId: 'u1', limit: 10, maxPerArtist: 1 });
      const ids = recs.map((r) => r.trackId);
      expect(ids).not.toContain('t01');
      expect(ids).not.toContain('t04');
      expect(ids).not.toContain('t11');
      expect(ids[0]).toMatch(/^t0[23]$/);
      expect(ids.filter((id) => ['t02', 't03'].includes(id))).toHaveLength(1);
      expect(recs[0]?.reasons[0]).toEqual({
        type: 'artist',
        ref: 'a1',
        text: 'Because you listen to Beyoncé',
      });
      expect(ids).toContain('t05');
      const clean = await store.recommend({ userId: 'u1', limit: 10, allowExplicit: false });
      expect(clean.map((r) => r.trackId)).not.toContain('t03');
      const byGenre = await store.recommend({ userId: 'u2', favouriteGenres: ['Metal'], limit: 5 });
      expect(byGenre.map((r) => r.trackId)).toContain('t06');
      expect(byGenre.find((r) => r.trackId === 't06')?.reasons[0]?.type).toBe('genre');
      expect(await store.recommend({ userId: 'nobody' })).toEqual([]);
    });
  });
}
