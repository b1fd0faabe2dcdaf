import { mulberry32 } from '@spoti/internal';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type CatalogStore,
  type Like,
  type Play,
  type Track,
  type TrendingEntry,
  type TrendingEvent,
  type TrendingOptions,
  isCatalogError,
  rankTrending,
} from '../src/index.js';
import { DAY, HOUR, T0, albums, artists, byId, play, tracks, user } from './fixtures.js';
import { useSeededStore } from './seeded-store.js';

/** What `rankTrending` says for these plays and likes: the reference every store must match. */
function expectedTrending(
  plays: readonly Play[],
  likes: readonly Like[],
  options: TrendingOptions,
): TrendingEntry[] {
  const events: TrendingEvent[] = [];
  for (const p of plays) {
    if (p.trackId === null) continue;
    events.push({
      type: 'play',
      trackId: p.trackId,
      albumId: p.albumId,
      artistId: p.artistIds[0] ?? null,
      at: p.endedAt,
    });
  }
  for (const l of likes) {
    const t = byId(l.trackId);
    events.push({
      type: 'like',
      trackId: t.id,
      albumId: t.albumId,
      artistId: t.artistIds[0] ?? null,
      at: l.likedAt,
    });
  }
  // Stores leave the events of private tracks out of every ranking (no viewer here owns one).
  const visible = events.filter((e) => byId(e.trackId).visibility === 'public');
  return rankTrending(visible, options);
}

function expectSameRanking(actual: TrendingEntry[], expected: TrendingEntry[]): void {
  expect(actual.map((e) => [e.id, e.plays, e.likes])).toEqual(
    expected.map((e) => [e.id, e.plays, e.likes]),
  );
  actual.forEach((e, i) => {
    expect(e.score).toBeCloseTo(expected[i]!.score, 5);
  });
}

/** Runs `run` and expects it to fail with INVALID_INPUT whose message names `field`. */
async function expectRefused(run: () => Promise<unknown>, field: string): Promise<void> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(isCatalogError(error) && error.code).toBe('INVALID_INPUT');
  expect((error as Error).message).toContain(field);
}

/** The one behavioural suite every CatalogStore implementation must pass. */
export function storeSuite(name: string, factory: () => Promise<CatalogStore>): void {
  describe(`CatalogStore: ${name}`, () => {
    let store: CatalogStore;

    useSeededStore(factory, (opened) => {
      store = opened;
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

    it('counts a play once across duplicates in a batch, across batches and a retried batch', async () => {
      const a = play('u1', byId('t01'), T0 - 2 * DAY);
      const b = play('u1', byId('t01'), T0 - DAY);
      const c = play('u2', byId('t02'), T0 - DAY);
      const d = play('u2', byId('t01'), T0 - 3 * HOUR);
      // Same key as `a` (same second), seen again from the export within the same batch.
      const aAgain = { ...a, endedAt: a.endedAt + 300, source: 'export' as const };
      const first = [a, aAgain, b, c];
      expect(await store.appendPlays(first)).toEqual({ inserted: 3, duplicates: 1 });
      // The response of `first` was lost: the caller sends it again, then a batch that overlaps.
      expect(await store.appendPlays(first)).toEqual({ inserted: 0, duplicates: 4 });
      expect(await store.appendPlays([c, d, d, b])).toEqual({ inserted: 1, duplicates: 3 });
      const stored = [a, b, c, d];
      expect(await store.countPlays()).toBe(4);
      expect(await store.getAnnotation('u1', 't01')).toMatchObject({
        playCount: 2,
        lastPlayedAt: b.endedAt,
      });
      expect(await store.getAnnotation('u2', 't01')).toMatchObject({
        playCount: 1,
        lastPlayedAt: d.endedAt,
      });
      expect(await store.getAnnotation('u2', 't02')).toMatchObject({ playCount: 1 });
      const check = async () => {
        for (const window of ['week', 'month', 'all'] as const) {
          for (const kind of ['track', 'album', 'artist'] as const) {
            const options: TrendingOptions = { kind, window, now: T0, limit: 100 };
            expectSameRanking(await store.trending(options), expectedTrending(stored, [], options));
          }
        }
      };
      await check();
      // Rebuilding every aggregate from the log gives the same counts.
      expect(await store.rebuildAggregates?.()).toEqual(
        store.rebuildAggregates === undefined ? undefined : { plays: 4 },
      );
      await check();
      expect(await store.getAnnotation('u1', 't01')).toMatchObject({ playCount: 2 });
    });

    it('streams a listener’s plays in keyset pages, whole or with the statistics fields', async () => {
      const plays: Play[] = [];
      for (let i = 0; i < 23; i++) {
        // Pairs of plays that end at the same second, different tracks: ties cross page ends.
        const t = tracks[i % tracks.length]!;
        plays.push({
          ...play('u1', t, T0 - Math.floor(i / 2) * HOUR),
          artistIds: [...t.artistIds, 'a9'],
        });
      }
      plays.push(play('u2', byId('t01'), T0));
      await store.appendPlays(plays);
      const pages: Play[][] = [];
      for await (const page of store.iteratePlays({ userId: 'u1', pageSize: 5 })) pages.push(page);
      expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
      const mine = plays.filter((p) => p.userId === 'u1');
      // endedAt ascending, ties in the order stored.
      const expected = mine
        .map((p, i) => ({ p, i }))
        .sort((a, b) => a.p.endedAt - b.p.endedAt || a.i - b.i)
        .map((e) => e.p);
      expect(pages.flat()).toEqual(expected);
      const lean: Play[] = [];
      for await (const page of store.iteratePlays({
        userId: 'u1',
        fields: 'stats',
        from: T0 - 5 * HOUR,
        to: T0,
        pageSize: 4,
      })) {
        lean.push(...page);
      }
      expect(lean).toEqual(
        expected
          .filter((p) => p.endedAt >= T0 - 5 * HOUR && p.endedAt < T0)
          .map((p) => ({
            ...p,
            artistIds: p.artistIds.slice(0, 1),
            reasonStart: null,
            shuffle: null,
            platform: null,
          })),
      );
      const none: Play[][] = [];
      for await (const page of store.iteratePlays({ userId: 'nobody' })) none.push(page);
      expect(none).toEqual([]);
      await expect(
        (async () => {
          for await (const _ of store.iteratePlays({ userId: 'u1', pageSize: 0 })) break;
        })(),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('pageSize'),
      });
    });

    it('streams plays whose text needs escaping exactly as stored', async () => {
      const odd =
        '"quoted" \\ back\\slash\nline\ttab \u00fcn\u00efc\u00f6de \u{1F600} </script> \\N';
      const stored: Play = {
        ...play('u3', byId('t01'), T0),
        trackName: odd,
        artistName: `${odd} artist`,
        albumName: `[${odd}]`,
        skipped: true,
        reasonStart: 'clickrow',
        reasonEnd: 'fwdbtn',
        shuffle: true,
        offline: true,
        offlineTimestamp: T0 - 123_456_789,
        platform: odd,
      };
      await store.appendPlays([stored]);
      const whole: Play[] = [];
      for await (const page of store.iteratePlays({ userId: 'u3' })) whole.push(...page);
      expect(whole).toEqual([stored]);
      const lean: Play[] = [];
      for await (const page of store.iteratePlays({ userId: 'u3', fields: 'stats' }))
        lean.push(...page);
      expect(lean).toEqual([
        {
          ...stored,
          artistIds: stored.artistIds.slice(0, 1),
          reasonStart: null,
          shuffle: null,
          platform: null,
        },
      ]);
    });

    it('lists recent plays newest first with filters and a keyset cursor', async () => {
      const plays: Play[] = [];
      for (let i = 0; i < 12; i++) {
        plays.push(play('u1', tracks[i % 4]!, T0 - Math.floor(i / 3) * HOUR));
      }
      plays.push(play('u2', byId('t01'), T0));
      await store.appendPlays(plays);
      const mine = plays
        .filter((p) => p.userId === 'u1')
        .map((p, i) => ({ p, i }))
        .sort((a, b) => b.p.endedAt - a.p.endedAt || b.i - a.i)
        .map((e) => e.p);
      const seen: Play[] = [];
      let before: string | undefined;
      let pages = 0;
      do {
        const page = await store.listRecentPlays({
          userId: 'u1',
          limit: 5,
          ...(before === undefined ? {} : { before }),
        });
        seen.push(...page.plays);
        before = page.next ?? undefined;
        pages++;
      } while (before !== undefined);
      expect(pages).toBe(3);
      expect(seen).toEqual(mine);
      const t = byId('t02');
      const artist = await store.listRecentPlays({
        userId: 'u1',
        track: t.name.slice(1, 4).toUpperCase(),
        from: T0 - 2 * HOUR,
        limit: 100,
      });
      expect(artist.next).toBeNull();
      expect(artist.plays).toEqual(
        mine.filter(
          (p) =>
            p.trackName.toLowerCase().includes(t.name.slice(1, 4).toLowerCase()) &&
            p.endedAt >= T0 - 2 * HOUR,
        ),
      );
      expect(artist.plays.length).toBeGreaterThan(0);
      await expect(
        store.listRecentPlays({ userId: 'u1', limit: 5, before: 'nope' }),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('before'),
      });
      await expect(store.listRecentPlays({ userId: 'u1', limit: 0 })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
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

    it('deletes unreferenced tracks and keeps played, liked, favourite and playlisted ones', async () => {
      await store.appendPlays([play('u2', byId('t02'), T0)]);
      await store.like({ userId: 'u1', trackId: 't03', likedAt: T0 });
      await store.like({ userId: 'u1', trackId: 't04', likedAt: T0 });
      await store.unlike('u1', 't04');
      await store.addFavourite({ userId: 'u2', kind: 'track', targetId: 't05', addedAt: T0 });
      await store.upsertPlaylists([
        {
          id: 'p1',
          ownerUserId: 'u1',
          name: 'Mix',
          description: '',
          public: true,
          collaborative: false,
          snapshotId: null,
          items: [{ trackId: 't06', addedAt: T0, addedBy: 'u1' }],
          updatedAt: T0,
        },
      ]);
      expect((await store.search({ text: 'svefn' })).total).toBe(1);
      const ids = ['t01', 't02', 't03', 't04', 'nope', 't05', 't06', 't07', 't01'];
      const result = await store.deleteTracks(ids);
      expect(result).toEqual({
        deleted: ['t01', 't04', 't07'],
        kept: [
          { id: 't02', reason: 'played' },
          { id: 't03', reason: 'liked' },
          { id: 't05', reason: 'favourite' },
          { id: 't06', reason: 'in-playlist' },
        ],
      });
      for (const id of ['t01', 't04', 't07']) expect(await store.getTrack(id)).toBeNull();
      for (const id of ['t02', 't03', 't05', 't06'])
        expect(await store.getTrack(id)).not.toBeNull();
      // Derived rows went with the track: it is no longer found, and search agrees per backend.
      expect((await store.search({ text: 'svefn' })).total).toBe(0);
      expect((await store.search({ text: 'formation' })).total).toBe(0);
      expect((await store.search({ text: 'hold up', kinds: ['track'] })).hits[0]?.id).toBe('t02');
      expect(await store.countPlays()).toBe(1);
      expect(await store.getAnnotation('u2', 't02')).toMatchObject({ playCount: 1 });
      expect(await store.getAlbum('al1')).not.toBeNull();
      // Idempotent: a second call deletes nothing and reports the same kept tracks.
      const again = await store.deleteTracks(ids);
      expect(again).toEqual({ deleted: [], kept: result.kept });
      expect(await store.deleteTracks([])).toEqual({ deleted: [], kept: [] });
      await expect(store.deleteTracks([1] as unknown as string[])).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    });

    it('rolls a failed transaction back together with deleted tracks', async () => {
      const before = (await store.search({ text: 'bachelorette' })).total;
      expect(before).toBe(1);
      await expect(
        store.transaction(async (tx) => {
          expect(await tx.deleteTracks(['t08', 't09'])).toMatchObject({ deleted: ['t08', 't09'] });
          expect(await tx.getTrack('t08')).toBeNull();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.getTrack('t08')).toEqual(byId('t08'));
      expect(await store.getTrack('t09')).toEqual(byId('t09'));
      expect((await store.search({ text: 'bachelorette' })).total).toBe(before);
      expect((await store.deleteTracks(['t08'])).deleted).toEqual(['t08']);
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

    it('dedupes re-synced offline plays by offlineTimestamp (playKey o: rule)', async () => {
      const recordedAt = T0 - 5 * HOUR + 250;
      const offline = play('u1', byId('t05'), T0 - 2 * HOUR, {
        offline: true,
        offlineTimestamp: recordedAt,
        source: 'export',
      });
      const resynced = { ...offline, endedAt: T0 - HOUR };
      const sameSecond = { ...offline, endedAt: T0, offlineTimestamp: recordedAt - 250 };
      const otherRecording = { ...offline, offlineTimestamp: recordedAt + 60_000 };
      expect(await store.appendPlays([offline, resynced])).toEqual({ inserted: 1, duplicates: 1 });
      expect(await store.appendPlays([sameSecond, otherRecording])).toEqual({
        inserted: 1,
        duplicates: 1,
      });
      expect(await store.listPlays({ userId: 'u1' })).toEqual([offline, otherRecording]);
      expect(await store.getAnnotation('u1', 't05')).toMatchObject({ playCount: 2 });
      const top = await store.trending({ window: 'week', now: T0 });
      expect(top).toMatchObject([{ id: 't05', plays: 2 }]);
    });

    it('agrees with rankTrending for every window, kind, half-life and clock (seeded)', async () => {
      const rnd = mulberry32(7);
      const plays: Play[] = [];
      for (let i = 0; i < 400; i++) {
        const t = tracks[Math.floor(rnd() ** 2 * tracks.length)]!;
        // Mostly the last 40 days, some a year or more back, a few after T0.
        const ago =
          i % 40 === 0
            ? 400 * DAY + rnd() * 300 * DAY
            : i % 50 === 1
              ? -rnd() * 2 * DAY
              : rnd() * 40 * DAY;
        plays.push(play(`u${1 + (i % 3)}`, t, Math.round(T0 - ago)));
      }
      plays.push({ ...play('u1', byId('t07'), T0 - DAY), albumId: null });
      plays.push({ ...play('u1', byId('t07'), T0 - DAY - 1000), trackId: null, albumId: 'al4' });
      const inserted = await store.appendPlays(plays);
      const stored = await Promise.all(
        ['u1', 'u2', 'u3'].map((u) => store.listPlays({ userId: u })),
      );
      expect(stored.flat()).toHaveLength(inserted.inserted);
      const likes: Like[] = [
        { userId: 'u1', trackId: 't10', likedAt: T0 - 2 * DAY },
        { userId: 'u2', trackId: 't10', likedAt: T0 - 9 * DAY },
        { userId: 'u2', trackId: 't03', likedAt: T0 - 100 * DAY },
      ];
      for (const l of likes) await store.like(l);
      const nows = [T0, T0 + 7 * DAY + 1234, T0 - 3 * DAY - 5 * HOUR, T0 - DAY * 0.5];
      const windows: TrendingOptions['window'][] = [
        'week',
        'month',
        'all',
        { from: T0 - 20 * DAY - 7 * HOUR, to: T0 - 2 * DAY + 3 * HOUR },
        { from: T0 - 500 * DAY, to: T0 + DAY },
      ];
      for (const now of nows) {
        for (const window of windows) {
          for (const kind of ['track', 'album', 'artist'] as const) {
            for (const halfLifeMs of [undefined, HOUR]) {
              const options: TrendingOptions = {
                kind,
                window,
                now,
                limit: 100,
                ...(halfLifeMs === undefined ? {} : { halfLifeMs }),
              };
              const expected = expectedTrending(stored.flat(), likes, options);
              expectSameRanking(await store.trending(options), expected);
            }
          }
        }
      }
      // Rebuilding what derives from the log changes nothing.
      const before = await store.trending({ window: 'all', now: T0 + 30 * DAY, limit: 100 });
      const annotation = await store.getAnnotation('u1', 't01');
      expect(await store.rebuildAggregates?.()).toEqual({ plays: inserted.inserted });
      expect(await store.trending({ window: 'all', now: T0 + 30 * DAY, limit: 100 })).toEqual(
        before,
      );
      expect(await store.getAnnotation('u1', 't01')).toEqual(annotation);
    });

    it('rolls back trending together with the plays of a failed transaction', async () => {
      await store.appendPlays([play('u1', byId('t01'), T0 - 3 * DAY)]);
      await expect(
        store.transaction(async (tx) => {
          await tx.appendPlays([
            play('u1', byId('t02'), T0 - 3 * DAY),
            play('u2', byId('t02'), T0 - 2 * DAY),
          ]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      for (const window of ['week', 'all'] as const) {
        expect(await store.trending({ window, now: T0 })).toMatchObject([{ id: 't01', plays: 1 }]);
        expect(await store.trending({ kind: 'artist', window, now: T0 })).toMatchObject([
          { id: 'a1', plays: 1 },
        ]);
      }
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
      expect(byArtist.total).toBe(2);
      const byOwner = await store.search({
        text: 'queen',
        kinds: ['track'],
        sort: 'addedDate',
        viewerArtistId: 'a5',
      });
      expect(byOwner.total).toBe(3);
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
      // Names written with separators are found without them, and with a typo.
      await store.upsertArtists([
        { ...artists[4]!, id: 'a6', name: 'AC/DC' },
        { ...artists[4]!, id: 'a7', name: 'Jay-Z' },
        { ...artists[4]!, id: 'a8', name: 'T. Rex' },
      ]);
      expect(await hit('acdc')).toBe('a6');
      expect(await hit('AC-DC')).toBe('a6');
      expect(await hit('jayz')).toBe('a7');
      expect(await hit('trex')).toBe('a8');
      expect(await hit('t-rexx')).toBe('a8');
    });

    it('keeps search in step with renames and rolled-back transactions', async () => {
      const ids = async (text: string) => (await store.search({ text })).hits.map((h) => h.id);
      expect(await ids('formation')).toEqual(['t01']);
      await store.upsertTracks([{ ...byId('t01'), name: 'Reformed Anthem' }]);
      expect(await ids('formation')).toEqual([]);
      expect(await ids('anthem')).toEqual(['t01']);
      const failed = store.transaction(async (tx) => {
        await tx.upsertTracks([{ ...byId('t02'), name: 'Anthem Two' }]);
        expect((await tx.search({ text: 'anthem' })).total).toBe(2);
        throw new Error('roll back');
      });
      await expect(failed).rejects.toThrow('roll back');
      expect(await ids('anthem')).toEqual(['t01']);
      expect(await ids('hold up')).toEqual(['t02']);
    });

    it('refuses entities of the wrong shape with INVALID_INPUT naming the field, writing nothing', async () => {
      const before = await store.countPlays();
      const good = play('u1', byId('t04'), T0 + DAY);
      const bad = (extra: Record<string, unknown>) => ({ ...good, ...extra }) as unknown as Play;
      await expectRefused(
        () => store.appendPlays([good, bad({ endedAt: 'yesterday' })]),
        'plays[1]',
      );
      await expectRefused(() => store.appendPlays([bad({ msPlayed: undefined })]), 'msPlayed');
      await expectRefused(() => store.appendPlays([bad({ artistIds: 'a1' })]), 'artistIds');
      await expectRefused(() => store.appendPlays([null as unknown as Play]), 'plays[0]');
      await expectRefused(() => store.appendPlays('plays' as unknown as Play[]), 'plays');
      expect(await store.countPlays()).toBe(before);
      const { visibility: _, ...noVisibility } = { ...byId('t01'), id: 't97' };
      await expectRefused(
        () => store.upsertTracks([noVisibility as unknown as Track]),
        'tracks[0]: visibility',
      );
      expect(await store.getTrack('t97')).toBeNull();
      await expectRefused(
        () => store.upsertArtists([{ ...artists[0]!, id: 'a97', genres: 'rock' as never }]),
        'genres',
      );
      expect(await store.getArtist('a97')).toBeNull();
      await expectRefused(() => store.like({ userId: 'u1' } as never), 'like');
    });

    it('replaces NUL and lone surrogates in names and refuses them in identifiers', async () => {
      const bad = 'Bad\u0000Name\uD800!';
      const clean = 'Bad\uFFFDName\uFFFD!';
      await store.upsertArtists([{ ...artists[0]!, id: 'a9', name: bad, genres: ['No\u0000ise'] }]);
      expect(await store.getArtist('a9')).toMatchObject({ name: clean, genres: ['No\uFFFDise'] });
      const t = {
        ...byId('t01'),
        id: 't99',
        name: '\uDC00Low 🎵',
        albumId: 'al1',
        artistIds: ['a9'],
      };
      await store.upsertTracks([t]);
      expect((await store.getTrack('t99'))?.name).toBe('\uFFFDLow 🎵');
      await store.upsertUsers([user('u3', { displayName: 'x\uDBFF' })]);
      expect((await store.getUser('u3'))?.displayName).toBe('x\uFFFD');

      // One bad name does not fail the batch; the stored play carries the cleaned name.
      const plays = [
        play('u1', byId('t02'), T0 - HOUR, { trackName: 'Hold\u0000Up', artistName: 'B\uD83D' }),
        play('u1', byId('t03'), T0 - 2 * HOUR),
      ];
      expect(await store.appendPlays(plays)).toEqual({ inserted: 2, duplicates: 0 });
      expect(await store.appendPlays(plays)).toEqual({ inserted: 0, duplicates: 2 });
      const listed = await store.listPlays({ userId: 'u1' });
      expect(listed.map((p) => [p.trackName, p.artistName])).toEqual([
        ['Sorry', 'someone'],
        ['Hold\uFFFDUp', 'B\uFFFD'],
      ]);

      // Identifiers are refused with the field named, and nothing of the batch is written.
      await expectRefused(
        () =>
          store.upsertTracks([
            { ...t, id: 't98' },
            { ...t, id: 'x\u0000y' },
          ]),
        'tracks[1].id',
      );
      expect(await store.getTrack('t98')).toBeNull();
      await expectRefused(
        () => store.appendPlays([play('u1', byId('t04'), T0), play('\uDFFFu', byId('t04'), T0)]),
        'plays[1].userId',
      );
      await expectRefused(
        () => store.upsertTracks([{ ...t, artistIds: ['a9', 'a\uD800'] }]),
        'tracks[0].artistIds[1]',
      );
      await expectRefused(
        () => store.like({ userId: 'u1', trackId: 't\u0000', likedAt: T0 }),
        'like.trackId',
      );
      expect(await store.countPlays()).toBe(2);

      // Reads by an identifier no store can hold find nothing.
      expect(await store.getTrack('t01\u0000')).toBeNull();
      expect(await store.listPlays({ userId: 'u1\uD800' })).toEqual([]);
      expect(await store.listLikes('\u0000')).toEqual([]);
      expect((await store.getAnnotation('u1', '\uDC00')).playCount).toBe(0);
      expect(await store.recommend({ userId: '\u0000' })).toEqual([]);
      expect((await store.search({ text: 'low\u0000' })).total).toBeGreaterThanOrEqual(0);
      expect((await store.search({ text: 'bad name' })).hits.map((h) => h.id)).toContain('a9');
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

    describe('private tracks are visible only to their owner', () => {
      // t11 "Hidden Demo" is private and owned by a5 (Queen); t09 and t10 are a5's public tracks.
      beforeEach(async () => {
        await store.appendPlays([
          play('u1', byId('t11'), T0 - 3 * HOUR),
          play('u1', byId('t11'), T0 - 2 * HOUR),
          play('u2', byId('t11'), T0 - HOUR),
          play('u1', byId('t09'), T0 - HOUR),
        ]);
        await store.like({ userId: 'u2', trackId: 't11', likedAt: T0 - HOUR });
      });
      const viewers = [undefined, null, 'a1'] as const;

      it('search', async () => {
        for (const viewerArtistId of viewers) {
          const r = await store.search({ text: 'hidden demo', kinds: ['track'], viewerArtistId });
          expect(r.hits.map((h) => h.id)).not.toContain('t11');
          expect(r.total).toBe(0);
          const byArtist = await store.search({
            text: 'queen',
            artistId: 'a5',
            kinds: ['track'],
            viewerArtistId,
          });
          expect(byArtist.hits.map((h) => h.id).sort()).toEqual(['t09', 't10']);
        }
        const own = await store.search({
          text: 'hidden demo',
          kinds: ['track'],
          viewerArtistId: 'a5',
        });
        expect(own.hits.map((h) => h.id)).toEqual(['t11']);
      });

      it('trending (week, month, all time)', async () => {
        for (const window of ['week', 'month', 'all'] as const) {
          for (const viewerArtistId of viewers) {
            const ranked = await store.trending({ kind: 'track', window, now: T0, viewerArtistId });
            expect(ranked.map((e) => e.id)).not.toContain('t11');
            expect(ranked.map((e) => e.id)).toContain('t09');
          }
          const own = await store.trending({
            kind: 'track',
            window,
            now: T0,
            viewerArtistId: 'a5',
          });
          expect(own[0]?.id).toBe('t11');
          const limited = await store.trending({ kind: 'track', window, now: T0, limit: 1 });
          expect(limited.map((e) => e.id)).toEqual(['t09']);
        }
      });

      it("albums' and artists' trending and search counters (plays, likes)", async () => {
        await store.appendPlays([
          play('u1', byId('t04'), T0 - 2 * HOUR),
          play('u2', byId('t04'), T0 - HOUR),
        ]);
        for (const window of ['week', 'month', 'all'] as const) {
          for (const kind of ['album', 'artist'] as const) {
            const [queen, sigurRos] = kind === 'album' ? ['al5', 'al2'] : ['a5', 'a2'];
            for (const viewerArtistId of viewers) {
              const ranked = await store.trending({ kind, window, now: T0, viewerArtistId });
              expect(ranked.map((e) => [e.id, e.plays, e.likes])).toEqual([
                [sigurRos, 2, 0],
                [queen, 1, 0],
              ]);
            }
            const own = await store.trending({ kind, window, now: T0, viewerArtistId: 'a5' });
            expect(own.map((e) => [e.id, e.plays, e.likes])).toEqual([
              [queen, 4, 1],
              [sigurRos, 2, 0],
            ]);
          }
        }
        for (const kind of ['album', 'artist'] as const) {
          const [queen, sigurRos] = kind === 'album' ? ['al5', 'al2'] : ['a5', 'a2'];
          const ids = async (sort: 'plays' | 'likes', viewerArtistId?: string | null) =>
            (await store.search({ text: '', kinds: [kind], sort, viewerArtistId })).hits.map(
              (h) => h.id,
            );
          for (const viewerArtistId of viewers) {
            expect((await ids('plays', viewerArtistId)).slice(0, 2)).toEqual([sigurRos, queen]);
            // Nobody liked a track the viewer may see: every item ties, in id order.
            expect((await ids('likes', viewerArtistId)).at(-1)).toBe(queen);
          }
          expect((await ids('plays', 'a5')).slice(0, 2)).toEqual([queen, sigurRos]);
          expect((await ids('likes', 'a5'))[0]).toBe(queen);
        }
      });

      it('random', async () => {
        for (const viewerArtistId of viewers) {
          for (let seed = 0; seed < 5; seed++) {
            const drawn = await store.randomTracks({ count: 100, viewerArtistId, seed: seed / 10 });
            expect(drawn.map((t) => t.id)).not.toContain('t11');
            expect(drawn).toHaveLength(10);
          }
        }
        const own = await store.randomTracks({ count: 100, viewerArtistId: 'a5' });
        expect(own.map((t) => t.id)).toContain('t11');
        expect(own).toHaveLength(11);
        const rock = await store.randomTracks({ count: 100, genre: 'Rock' });
        expect(rock.map((t) => t.id).sort()).toEqual(['t09', 't10']);
        const ownRock = await store.randomTracks({
          count: 100,
          genre: 'rock',
          viewerArtistId: 'a5',
        });
        expect(ownRock.map((t) => t.id).sort()).toEqual(['t09', 't10', 't11']);
        // Fewer than the genre holds: drawn from its documents, private tracks still left out.
        for (let i = 0; i < 20; i++) {
          const one = await store.randomTracks({ count: 1, genre: 'rock' });
          expect(one).toHaveLength(1);
          expect(['t09', 't10']).toContain(one[0]?.id);
          const mine = await store.randomTracks({ count: 2, genre: 'Rock', viewerArtistId: 'a5' });
          expect(new Set(mine.map((t) => t.id)).size).toBe(2);
          for (const t of mine) expect(['t09', 't10', 't11']).toContain(t.id);
          expect(mine[0]).toEqual(ownRock.find((t) => t.id === mine[0]?.id));
        }
        const two = await store.randomTracks({ count: 2, seed: 0.25 });
        expect(new Set(two.map((t) => t.id)).size).toBe(2);
        expect(await store.randomTracks({ count: 2, seed: 0.25 })).toEqual(two);
      });

      it('recommendations', async () => {
        // u2 played and liked Queen: a5's other tracks are candidates, the private one never.
        await store.appendPlays([play('u2', byId('t09'), T0 - 4 * HOUR)]);
        for (const userId of ['u1', 'u2']) {
          const recs = await store.recommend({ userId, favouriteGenres: ['Rock'], limit: 50 });
          expect(recs.map((r) => r.trackId)).not.toContain('t11');
        }
        const recs = await store.recommend({ userId: 'u1', favouriteGenres: ['Rock'], limit: 50 });
        expect(recs.map((r) => r.trackId)).toContain('t10');
      });

      it('album and artist listings', async () => {
        for (const viewerArtistId of viewers) {
          const album = await store.listTracks({ albumId: 'al5', viewerArtistId });
          expect(album.tracks.map((t) => t.id)).toEqual(['t09', 't10']);
          expect(album.total).toBe(2);
          const artist = await store.listTracks({ artistId: 'a5', viewerArtistId });
          expect(artist.tracks.map((t) => t.id)).toEqual(['t09', 't10']);
          const all = await store.listTracks({ viewerArtistId, limit: 500 });
          expect(all.total).toBe(10);
          expect(all.tracks.map((t) => t.id)).not.toContain('t11');
        }
        const own = await store.listTracks({ albumId: 'al5', viewerArtistId: 'a5' });
        expect(own.tracks.map((t) => t.id)).toEqual(['t09', 't10', 't11']);
        const ownArtist = await store.listTracks({ artistId: 'a5', viewerArtistId: 'a5' });
        expect(ownArtist.total).toBe(3);
      });
    });

    it('ranks past many private tracks that outrank every public one', async () => {
      const secret = Array.from({ length: 40 }, (_, i) => ({
        ...byId('t11'),
        id: `p${String(i).padStart(2, '0')}`,
      }));
      await store.upsertTracks(secret);
      const plays = secret.flatMap((t) => [1, 2, 3].map((h) => play('u1', t, T0 - h * HOUR)));
      await store.appendPlays([...plays, play('u2', byId('t04'), T0 - HOUR)]);
      const top = await store.trending({ kind: 'track', window: 'week', now: T0, limit: 1 });
      expect(top.map((e) => e.id)).toEqual(['t04']);
      const own = await store.trending({
        kind: 'track',
        window: 'week',
        now: T0,
        limit: 41,
        viewerArtistId: 'a5',
      });
      expect(own).toHaveLength(41);
      expect(own.at(-1)?.id).toBe('t04');
    });

    it('lists tracks in album order and pages them', async () => {
      await store.upsertTracks([
        { ...byId('t01'), trackNumber: 3 },
        { ...byId('t02'), trackNumber: 1 },
        { ...byId('t03'), trackNumber: 2 },
      ]);
      const album = await store.listTracks({ albumId: 'al1' });
      expect(album.tracks.map((t) => t.id)).toEqual(['t02', 't03', 't01']);
      const page = await store.listTracks({ albumId: 'al1', offset: 1, limit: 1 });
      expect(page).toEqual({ total: 3, tracks: [{ ...byId('t03'), trackNumber: 2 }] });
      await store.upsertTracks([{ ...byId('t04'), addedAt: T0 }]);
      const newest = await store.listTracks({ limit: 1 });
      expect(newest.tracks[0]?.id).toBe('t04');
      await expect(store.listTracks({ limit: 0 })).rejects.toSatisfy(isCatalogError);
      await expect(store.randomTracks({ count: -1 })).rejects.toSatisfy(isCatalogError);
    });
  });
}
