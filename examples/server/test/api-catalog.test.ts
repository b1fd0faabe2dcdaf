import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, registerAndLogin } from './api-client.js';
import { BACKENDS, type TestServer, startTestServer } from './helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const HOUR = 3_600_000;

describe.each(BACKENDS)('platform API catalog on %s', (backend) => {
  let t: TestServer;
  let api: ApiClient;
  let artist: ApiClient;
  let artistId: string;
  let rival: ApiClient;
  let fan: ApiClient;
  let fanId: string;
  let albumId: string;
  let publicId: string;
  let privateId: string;

  beforeAll(async () => {
    t = await startTestServer(backend, { API_ADMIN_EMAILS: 'root@example.test' });
    api = new ApiClient(t.url);
    ({ client: artist } = await registerAndLogin(api, 'Nova'));
    const became = await artist.post('/me/artist', { name: 'Nova Quartz', genres: ['Dream Pop'] });
    expect(became.status).toBe(201);
    expect(became.body.account.role).toBe('artist');
    artistId = became.body.artist.id;
    ({ client: rival } = await registerAndLogin(api, 'Rival'));
    await rival.post('/me/artist', { name: 'Rival Band', genres: ['Dream Pop'] });
    ({ client: fan, id: fanId } = await registerAndLogin(api, 'Fan'));
    const album = await artist.post('/albums', {
      name: 'Glass Weather',
      releaseDate: '2026-03-01',
      genres: ['Dream Pop'],
    });
    expect(album.status).toBe(201);
    albumId = album.body.id;
    const pub = await artist.post('/songs', {
      name: 'Quartz Lullaby',
      albumId,
      trackNumber: 1,
      durationMs: 200_000,
    });
    expect(pub.status).toBe(201);
    publicId = pub.body.id;
    const priv = await artist.post('/songs', {
      name: 'Quartz Secret Demo',
      albumId,
      trackNumber: 2,
      visibility: 'private',
    });
    privateId = priv.body.id;
  });
  afterAll(async () => t?.close());

  it('keeps a private song out of every listing for everyone but its artist', async () => {
    // Plays and likes that would rank the private song first if it leaked.
    for (const who of [artist, fan]) {
      await who.post(`/songs/${privateId}/plays`, {});
    }
    await artist.put(`/me/likes/${privateId}`);
    await fan.post(`/songs/${publicId}/plays`, {});
    const viewers = [api, fan, rival];
    for (const v of viewers) {
      expect((await v.get(`/songs/${privateId}`)).status).toBe(404);
      const search = await v.get('/search?q=quartz&type=song');
      expect(search.body.items.map((i: { id: string }) => i.id)).toEqual([publicId]);
      for (const window of ['week', 'month', 'all']) {
        const trending = await v.get(`/trending?window=${window}&type=song`);
        const ids = trending.body.items.map((i: { id: string }) => i.id);
        expect(ids).toContain(publicId);
        expect(ids).not.toContain(privateId);
      }
      for (let i = 0; i < 5; i++) {
        const random = await v.get('/songs/random?count=50');
        expect(random.body.items.map((s: { id: string }) => s.id)).not.toContain(privateId);
      }
      const album = await v.get(`/albums/${albumId}`);
      expect(album.body.songs.map((s: { id: string }) => s.id)).toEqual([publicId]);
      const songs = await v.get(`/artists/${artistId}/songs`);
      expect(songs.body.items.map((s: { id: string }) => s.id)).toEqual([publicId]);
      expect(songs.body.total).toBe(1);
      // Totals leave the private song's plays, likes and listeners out (only the fan's play).
      const counted = { songs: 1, plays: 1, listeners: 1, likes: 0 };
      const stats = await v.get(`/artists/${artistId}/stats`);
      expect(stats.body).toMatchObject(counted);
      expect(stats.body.topSongs.map((s: { song: { id: string } }) => s.song.id)).toEqual([
        publicId,
      ]);
      const albumStats = await v.get(`/albums/${albumId}/stats`);
      expect(albumStats.body).toMatchObject(counted);
      expect(albumStats.body.topSongs).toEqual([
        { song: expect.objectContaining({ id: publicId }), plays: 1, likes: 0 },
      ]);
    }
    const ownCounted = { songs: 2, plays: 2, listeners: 2, likes: 1 };
    const ownStats = await artist.get(`/artists/${artistId}/stats?top=1`);
    expect(ownStats.body).toMatchObject(ownCounted);
    expect(ownStats.body.topSongs.map((s: { song: { id: string } }) => s.song.id)).toEqual([
      privateId,
    ]);
    const ownAlbumStats = await artist.get(`/albums/${albumId}/stats`);
    expect(ownAlbumStats.body).toMatchObject(ownCounted);
    expect((await api.get('/albums/al_nobody/stats')).status).toBe(404);
    const recs = await fan.get('/me/recommendations?limit=50');
    expect(recs.body.items.map((r: { song: { id: string } }) => r.song.id)).not.toContain(
      privateId,
    );
    // The artist sees its own private song everywhere.
    expect((await artist.get(`/songs/${privateId}`)).status).toBe(200);
    const own = await artist.get('/search?q=quartz&type=song');
    expect(own.body.items.map((i: { id: string }) => i.id).sort()).toEqual(
      [privateId, publicId].sort(),
    );
    const ownTrending = await artist.get('/trending?window=week&type=song');
    expect(ownTrending.body.items[0].id).toBe(privateId);
    const ownAlbum = await artist.get(`/albums/${albumId}`);
    expect(ownAlbum.body.songs.map((s: { id: string }) => s.id)).toEqual([publicId, privateId]);
    const ownRandom = await artist.get('/songs/random?count=50&genre=dream%20pop');
    expect(ownRandom.body.items.map((s: { id: string }) => s.id).sort()).toEqual(
      [privateId, publicId].sort(),
    );
  });

  it('records plays once per endedAt and lists recent plays newest first', async () => {
    const { client } = await registerAndLogin(api, 'Listener');
    const base = Date.parse('2026-01-01T00:00:00Z');
    const first = await client.post(`/songs/${publicId}/plays`, {
      endedAt: new Date(base).toISOString(),
    });
    expect(first.status).toBe(201);
    const retry = await client.post(`/songs/${publicId}/plays`, {
      endedAt: new Date(base).toISOString(),
    });
    expect(retry.status).toBe(200);
    expect(retry.body.recorded).toBe(false);
    await client.post(`/songs/${publicId}/plays`, {
      endedAt: new Date(base + HOUR).toISOString(),
      msPlayed: 1000,
    });
    const recent = await client.get('/me/recent');
    expect(recent.body.items.map((p: { endedAt: string }) => p.endedAt)).toEqual([
      new Date(base + HOUR).toISOString(),
      new Date(base).toISOString(),
    ]);
    expect(recent.body.items[0]).toMatchObject({
      songId: publicId,
      name: 'Quartz Lullaby',
      msPlayed: 1000,
    });
    expect((await client.post(`/songs/${privateId}/plays`, {})).status).toBe(404);
  });

  it('likes, favourites and follows idempotently; follower counts and lists follow', async () => {
    for (let i = 0; i < 2; i++) {
      expect((await fan.put(`/me/likes/${publicId}`)).status).toBe(204);
      expect((await fan.put(`/me/favourites/songs/${publicId}`)).status).toBe(204);
      expect((await fan.put(`/me/favourites/albums/${albumId}`)).status).toBe(204);
      expect((await fan.put(`/me/follows/${artistId}`)).status).toBe(204);
    }
    expect(
      (await fan.get('/me/likes')).body.items.map((l: { songId: string }) => l.songId),
    ).toEqual([publicId]);
    expect((await fan.get('/me/favourites')).body.items).toHaveLength(2);
    expect((await fan.get('/me/follows')).body.items).toEqual([
      { artistId, followedAt: expect.any(String) },
    ]);
    const profile = await api.get(`/artists/${artistId}`);
    expect(profile.body.followerCount).toBe(1);
    const followers = await api.get(`/artists/${artistId}/followers`);
    expect(followers.body.items).toEqual([
      { userId: fanId, displayName: 'Fan', followedAt: expect.any(String) },
    ]);
    const stats = await api.get(`/artists/${artistId}/stats`);
    expect(stats.body.followers).toBe(1);
    expect(stats.body.plays).toBeGreaterThanOrEqual(2);
    expect(stats.body.listeners).toBeGreaterThanOrEqual(2);
    expect((await fan.put(`/me/likes/${privateId}`)).status).toBe(404);
    expect((await fan.put('/me/follows/ar_nobody')).status).toBe(404);
    for (let i = 0; i < 2; i++) {
      expect((await fan.delete(`/me/follows/${artistId}`)).status).toBe(204);
      expect((await fan.delete(`/me/likes/${publicId}`)).status).toBe(204);
      expect((await fan.delete(`/me/favourites/albums/${albumId}`)).status).toBe(204);
    }
    expect((await api.get(`/artists/${artistId}`)).body.followerCount).toBe(0);
    expect((await fan.get('/me/likes')).body.items).toEqual([]);
    await fan.delete(`/me/favourites/songs/${publicId}`);
  });

  it('lets a Free listener skip 6 times an hour, then answers 429 with when', async () => {
    const { client } = await registerAndLogin(api, 'Skipper');
    const base = t.server.context.clock.now();
    for (let i = 0; i < 6; i++) {
      const at = new Date(base - 50 * 60_000 + i * 60_000).toISOString();
      const r = await client.post(`/songs/${publicId}/skip`, { at });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ plan: 'free', remaining: 5 - i });
    }
    const retried = await client.post(`/songs/${publicId}/skip`, {
      at: new Date(base - 50 * 60_000).toISOString(),
    });
    expect(retried.status).toBe(200);
    expect(retried.body.remaining).toBe(5);
    const refused = await client.post(`/songs/${publicId}/skip`, {
      at: new Date(base).toISOString(),
    });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('SKIP_LIMIT');
    expect(refused.body.retryAt).toBe(new Date(base - 50 * 60_000 + HOUR).toISOString());
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('searches with filters, sort and paging; lists genres; answers bad queries with fields', async () => {
    const byYear = await api.get('/search?q=&type=album&year=2026');
    expect(byYear.body.items.map((i: { id: string }) => i.id)).toContain(albumId);
    const none = await api.get('/search?q=&type=album&year=1999');
    expect(none.body.items.map((i: { id: string }) => i.id)).not.toContain(albumId);
    const byArtist = await api.get(`/search?q=lullaby&artist=${artistId}&sort=plays&limit=1`);
    expect(byArtist.body).toMatchObject({ total: 1, limit: 1, offset: 0 });
    const genres = await api.get('/genres');
    expect(genres.body.items).toContainEqual({ id: 'dream-pop', name: 'Dream Pop' });
    const bad = await api.get('/search?q=x&limit=1000&type=podcast');
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'query.limit',
      'query.type',
    ]);
    const albums = await api.get(`/artists/${artistId}/albums`);
    expect(albums.body.items.map((a: { id: string }) => a.id)).toEqual([albumId]);
  });

  it('makes song creation safe to repeat with a client id, and deletion refuses played songs', async () => {
    const body = { id: `song-${backend}-retry-1`, name: 'Twice Sent' };
    const first = await artist.post('/songs', body);
    const again = await artist.post('/songs', body);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toEqual(first.body);
    expect((await rival.post('/songs', body)).status).toBe(409);
    const patched = await artist.patch(`/songs/${body.id}`, {
      name: 'Sent Twice',
      visibility: 'private',
    });
    expect(patched.body).toMatchObject({ name: 'Sent Twice', visibility: 'private' });
    expect((await artist.delete(`/songs/${body.id}`)).status).toBe(204);
    expect((await artist.delete(`/songs/${body.id}`)).status).toBe(204);
    const played = await artist.delete(`/songs/${publicId}`);
    expect(played.status).toBe(409);
    expect(played.body.code).toBe('SONG_HAS_PLAYS');
    const badAlbum = await artist.post('/songs', { name: 'Lost', albumId: 'al_missing' });
    expect(badAlbum.status).toBe(400);
    expect(badAlbum.body.fields[0].path).toBe('body.albumId');
    const onRivalAlbum = await rival.post('/songs', { name: 'Intruder', albumId });
    expect(onRivalAlbum.status).toBe(403);
  });

  it('drops a song made private from the shared search and trending answers at once', async () => {
    const song = await artist.post('/songs', { name: 'Comet Hush', albumId, trackNumber: 3 });
    const id: string = song.body.id;
    await fan.post(`/songs/${id}/plays`, {});
    const listings = async (who: ApiClient) => {
      const found = await who.get('/search?q=comet&type=song');
      const trending = await who.get('/trending?window=week&type=song&limit=100');
      return [...found.body.items, ...trending.body.items].map((i: { id: string }) => i.id);
    };
    // Shared answers now hold the public song (fresh for seconds)...
    for (const who of [fan, rival]) expect(await listings(who)).toContain(id);
    expect((await artist.patch(`/songs/${id}`, { visibility: 'private' })).status).toBe(200);
    // ...and lose it with the change, not seconds later.
    for (const who of [fan, rival]) expect(await listings(who)).not.toContain(id);
    expect(await listings(artist)).toContain(id);
    expect((await artist.patch(`/songs/${id}`, { visibility: 'public' })).status).toBe(200);
    expect(await listings(fan)).toContain(id);
  });
});
