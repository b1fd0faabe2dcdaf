import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccountRepository } from '../src/api/storage/accounts.js';
import type { PlatformDatabase } from '../src/api/storage/platform-schema.js';
import { deleteUserEverywhere } from '../src/storage/delete-user.js';
import { ApiClient, registerAndLogin } from './api-client.js';
import { type MediaFixtures, fileForm, makeMediaFixtures } from './api-media-fixtures.js';
import { BACKENDS, type TestServer, startTestServer } from './helpers.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 240_000 });

let fx: MediaFixtures;
beforeAll(async () => {
  fx = await makeMediaFixtures();
});

describe.each(BACKENDS)('platform account deletion on %s', (backend) => {
  let t: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    t = await startTestServer(backend);
    api = new ApiClient(t.url);
  });
  afterAll(async () => t?.close());

  const upload = async (token: string, path: string, form: FormData) => {
    const res = await fetch(`${t.url}/api/v1${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    return res.status;
  };
  const objectsUnder = async (prefix: string) => {
    const keys: string[] = [];
    for await (const o of t.server.context.objects.list(prefix)) keys.push(o.key);
    return keys;
  };
  /** Every table row (as text) that mentions one of `ids`, as `table: row`. */
  const rowsMentioning = async (ids: readonly string[]) => {
    const db = t.server.context.database.db;
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
    expect(tables.rows.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const { table_name } of tables.rows) {
      for (const id of ids) {
        const rows = await sql<{ row: string }>`
          select x::text as row from ${sql.table(table_name)} x where x::text like ${`%${id}%`}`.execute(
          db,
        );
        for (const r of rows.rows) found.push(`${table_name}: ${r.row}`);
      }
    }
    return found;
  };

  it('deletes an artist account with its profile, albums, songs, media and every row naming them', async () => {
    const artist = await registerAndLogin(api, 'Leaver');
    const profile = await artist.client.post('/me/artist', { name: 'Vanishing Act' });
    const artistId: string = profile.body.artist.id;
    const album = await artist.client.post('/albums', { name: 'Gone Soon', releaseDate: '2026' });
    const albumId: string = album.body.id;
    const songIds: string[] = [];
    for (const [n, visibility] of [
      [1, 'public'],
      [2, 'private'],
    ] as const) {
      const song = await artist.client.post('/songs', {
        name: `Fading ${n}`,
        albumId,
        trackNumber: n,
        visibility,
      });
      expect(song.status).toBe(201);
      songIds.push(song.body.id);
    }
    const [publicSong, privateSong] = songIds as [string, string];
    expect(await upload(artist.token, `/songs/${publicSong}/audio`, fileForm(fx.ogg))).toBe(200);
    expect(await upload(artist.token, `/albums/${albumId}/cover`, fileForm(fx.png))).toBe(200);
    await t.server.context.runner.idle();
    expect((await objectsUnder(`media/audio/${publicSong}/`)).length).toBe(4);

    // Another artist whose song sits on the leaving artist's album, and a listener.
    const other = await registerAndLogin(api, 'Stayer');
    await other.client.post('/me/artist', { name: 'Still Here' });
    const guest = await other.client.post('/songs', { name: 'Guest Spot', trackNumber: 9 });
    const guestId: string = guest.body.id;
    await t.server.context.database.catalog.upsertTracks([
      { ...(await t.server.context.database.catalog.getTrack(guestId))!, albumId },
    ]);
    const fan = await registerAndLogin(api, 'Loyal');
    expect((await fan.client.post(`/songs/${publicSong}/plays`, {})).status).toBe(201);
    expect((await fan.client.post(`/songs/${guestId}/plays`, {})).status).toBe(201);
    expect((await fan.client.post(`/songs/${publicSong}/skip`, {})).status).toBe(200);
    expect((await fan.client.put(`/me/likes/${publicSong}`)).status).toBe(204);
    expect((await fan.client.put(`/me/likes/${guestId}`)).status).toBe(204);
    expect((await fan.client.put(`/me/favourites/songs/${publicSong}`)).status).toBe(204);
    expect((await fan.client.put(`/me/favourites/albums/${albumId}`)).status).toBe(204);
    expect((await fan.client.put(`/me/follows/${artistId}`)).status).toBe(204);
    expect((await artist.client.post(`/songs/${privateSong}/plays`, {})).status).toBe(201);
    await t.server.context.database.catalog.upsertPlaylists([
      {
        id: `pl-fan-${backend}`,
        ownerUserId: fan.id,
        name: 'Mix',
        description: '',
        public: false,
        collaborative: false,
        snapshotId: null,
        items: [
          { trackId: publicSong, addedAt: 1, addedBy: fan.id },
          { trackId: guestId, addedAt: 2, addedBy: fan.id },
        ],
        updatedAt: 2,
      },
    ]);
    const ids = [artist.id, artistId, albumId, publicSong, privateSong];
    expect((await rowsMentioning(ids)).length).toBeGreaterThan(10);

    expect((await artist.client.delete('/me')).status).toBe(204);
    // The token was just used (its lookup is kept in memory for a moment): it stops at once.
    expect((await artist.client.get('/me')).status).toBe(401);
    expect(await rowsMentioning(ids)).toEqual([]);
    expect(await objectsUnder(`media/audio/${publicSong}/`)).toEqual([]);
    expect(await objectsUnder(`media/covers/${albumId}`)).toEqual([]);
    // What others own stays: the guest song (without the album), the fan's own rows.
    const guestNow = await fan.client.get(`/songs/${guestId}`);
    expect(guestNow.body).toMatchObject({ id: guestId, albumId: null });
    expect((await fan.client.get('/me/likes')).body.items).toEqual([
      { songId: guestId, likedAt: expect.any(String) },
    ]);
    // The fan's listening stays in its history, by name, naming nothing that was deleted.
    const recent = await fan.client.get('/me/recent');
    expect(
      recent.body.items.map((p: { songId: string | null; name: string }) => [p.songId, p.name]),
    ).toEqual(
      expect.arrayContaining([
        [null, 'Fading 1'],
        [guestId, 'Guest Spot'],
      ]),
    );
    expect(recent.body.items).toHaveLength(2);
    const playlist = await t.server.context.database.catalog.getPlaylist(`pl-fan-${backend}`);
    expect(playlist?.items.map((i) => i.trackId)).toEqual([guestId]);
    expect((await fan.client.get(`/artists/${artistId}`)).status).toBe(404);
    expect((await fan.client.get(`/albums/${albumId}`)).status).toBe(404);
    const trending = await api.get('/trending?window=week&type=song');
    expect(trending.body.items.map((i: { id: string }) => i.id)).toEqual([guestId]);
    // Repeating the deletion (e.g. after a failure part way) finds nothing more to do.
    await deleteUserEverywhere(t.server.context.database, artist.id, {
      objects: t.server.context.objects,
    });
    expect(await rowsMentioning(ids)).toEqual([]);
  });

  it('clears the link of a platform account when the web user it is linked to is deleted', async () => {
    const linked = await registerAndLogin(api, 'Linked');
    const ctx = t.server.context;
    const accounts = new AccountRepository(
      ctx.database.db as unknown as Kysely<PlatformDatabase>,
      ctx.clock,
    );
    const webUserId = `web-user-${backend}-linked`;
    expect(await accounts.linkWebUser(linked.id, webUserId)).toBe(true);
    expect((await linked.client.get('/me')).body.linkedWebUser).toBe(true);
    await deleteUserEverywhere(ctx.database, webUserId);
    expect(await rowsMentioning([webUserId])).toEqual([]);
    const me = await linked.client.get('/me');
    expect(me.status).toBe(200);
    expect(me.body.linkedWebUser).toBe(false);
  });
});
