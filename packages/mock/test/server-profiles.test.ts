import { describe, expect, it } from 'vitest';
import { fixtureId } from './fixtures/tiny-world.js';
import { api, start } from './helpers.js';

const artist = fixtureId('Art', 0);
const album = fixtureId('Alb', 0);
const track = fixtureId('Trk', 0);

describe('development-2026', () => {
  it('answers 403 on removed endpoints', async () => {
    const call = api(await start());
    const forbidden = { error: { status: 403, message: 'Forbidden' } };
    for (const path of [
      `/artists?ids=${artist}`,
      `/tracks?ids=${track}`,
      `/albums?ids=${album}`,
      `/audio-features?ids=${track}`,
      `/audio-features/${track}`,
      `/artists/${artist}/top-tracks`,
      `/artists/${artist}/related-artists`,
      '/recommendations?seed_genres=rock',
      '/browse/new-releases',
      '/browse/categories',
      '/markets',
      '/users/user1',
      '/users/user1/playlists',
      `/playlists/${fixtureId('Pls', 0)}/tracks`,
      `/me/tracks/contains?ids=${track}`,
    ]) {
      const response = await call(path);
      expect({ path, status: response.status, body: response.body }).toEqual({
        path,
        status: 403,
        body: forbidden,
      });
    }
    expect((await call(`/me/tracks?ids=${track}`, { method: 'PUT' })).status).toBe(403);
  });

  it('omits the removed fields', async () => {
    const call = api(await start());
    const a = (await call(`/artists/${artist}`)).body;
    expect(a).not.toHaveProperty('popularity');
    expect(a).not.toHaveProperty('followers');
    const t = (await call(`/tracks/${track}`)).body;
    for (const field of ['popularity', 'available_markets', 'linked_from'])
      expect(t).not.toHaveProperty(field);
    expect(t.external_ids.isrc).toMatch(/^USAAA/);
    expect(t.album).not.toHaveProperty('available_markets');
    const al = (await call(`/albums/${album}`)).body;
    for (const field of ['popularity', 'label', 'available_markets'])
      expect(al).not.toHaveProperty(field);
    const group = (await call(`/artists/${artist}/albums`)).body.items[0];
    expect(group).not.toHaveProperty('album_group');
    const me = (await call('/me')).body;
    for (const field of ['country', 'email', 'product']) expect(me).not.toHaveProperty(field);
  });

  it('serves genres empty for a deterministic share of artists', async () => {
    const mock = await start();
    const call = api(mock);
    const served = await Promise.all(
      [...mock.world.artists.keys()].map(async (id) => (await call(`/artists/${id}`)).body.genres),
    );
    const again = await Promise.all(
      [...mock.world.artists.keys()].map(async (id) => (await call(`/artists/${id}`)).body.genres),
    );
    expect(served).toEqual(again);
    expect(served.some((g: string[]) => g.length === 0)).toBe(true);
  });

  it('hides contents of playlists the user neither owns nor collaborates on, and editorial playlists', async () => {
    const call = api(await start());
    const own = await call(`/playlists/${fixtureId('Pls', 0)}`);
    expect(own.body.items.items).toHaveLength(5);
    const followed = await call(`/playlists/${fixtureId('Pls', 1)}`);
    expect(followed.status).toBe(200);
    expect(followed.body).not.toHaveProperty('items');
    expect((await call(`/playlists/${fixtureId('Pls', 1)}/items`)).status).toBe(403);
    expect((await call(`/playlists/${fixtureId('Pls', 2)}/items`)).status).toBe(200);
    expect((await call(`/playlists/${fixtureId('Pls', 3)}`)).status).toBe(403);
    const mine = await call('/me/playlists');
    expect(mine.body.items.map((p: { name: string }) => p.name)).toEqual([
      'Mix 0',
      'Mix 1',
      'Mix 2',
    ]);
  });
});

describe('extended', () => {
  it('serves batch endpoints, audio features and every field', async () => {
    const call = api(await start({ profile: 'extended' }));
    const batch = await call(`/artists?ids=${artist},${fixtureId('Art', 99)}`);
    expect(batch.body.artists[0].followers.total).toBe(1000);
    expect(batch.body.artists[1]).toBeNull();
    expect((await call(`/artists?ids=${Array(51).fill(artist).join(',')}`)).status).toBe(400);
    expect((await call(`/albums?ids=${Array(21).fill(album).join(',')}`)).status).toBe(400);
    expect((await call(`/audio-features?ids=${Array(100).fill(track).join(',')}`)).status).toBe(
      200,
    );
    const features = await call(`/audio-features/${track}`);
    expect(features.body).toMatchObject({ id: track, tempo: 128, type: 'audio_features' });
    const t = (await call(`/tracks/${track}`)).body;
    expect(t.popularity).toBe(50);
    expect(t.available_markets).toEqual(['US', 'GB']);
    const al = (await call(`/albums/${album}`)).body;
    expect(al.label).toBe('Tiny Label');
    const me = (await call('/me')).body;
    expect(me).toMatchObject({ country: 'US', email: 'user0@example.com', product: 'premium' });
    expect((await call(`/playlists/${fixtureId('Pls', 0)}/tracks`)).body.items).toHaveLength(5);
  });

  it('relinks a track to the edition of the requested market', async () => {
    const call = api(await start({ profile: 'extended' }));
    const relinked = await call(`/tracks/${track}?market=JP`);
    expect(relinked.body.id).not.toBe(track);
    expect(relinked.body.linked_from.id).toBe(track);
    expect((await call(`/tracks/${track}?market=US`)).body).not.toHaveProperty('linked_from');
  });
});
