import { describe, expect, it } from 'vitest';
import { fixtureId } from './fixtures/tiny-world.js';
import { api, start } from './helpers.js';

const json = (method: string, body: unknown) => ({
  method,
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json' },
});

describe('playlists', () => {
  it('creates a playlist and edits its items with new snapshot ids', async () => {
    const mock = await start();
    const call = api(mock);
    const created = await call('/me/playlists', json('POST', { name: 'Road trip', public: false }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const snapshots = [created.body.snapshot_id as string];
    const uri = (n: number) => `spotify:track:${fixtureId('Trk', n)}`;
    const add = await call(
      `/playlists/${id}/items`,
      json('POST', { uris: [uri(0), uri(1), uri(2)] }),
    );
    expect(add.status).toBe(201);
    snapshots.push(add.body.snapshot_id);
    const insert = await call(`/playlists/${id}/items?position=1&uris=${uri(3)}`, {
      method: 'POST',
    });
    snapshots.push(insert.body.snapshot_id);
    const order = async () =>
      (await call(`/playlists/${id}/items`)).body.items.map(
        (i: { item: { id: string } }) => i.item.id,
      );
    expect(await order()).toEqual([0, 3, 1, 2].map((n) => fixtureId('Trk', n)));
    const reorder = await call(
      `/playlists/${id}/items`,
      json('PUT', { range_start: 0, insert_before: 4 }),
    );
    expect(reorder.status).toBe(200);
    snapshots.push(reorder.body.snapshot_id);
    expect(await order()).toEqual([3, 1, 2, 0].map((n) => fixtureId('Trk', n)));
    const removed = await call(
      `/playlists/${id}/items`,
      json('DELETE', { items: [{ uri: uri(1) }], snapshot_id: reorder.body.snapshot_id }),
    );
    snapshots.push(removed.body.snapshot_id);
    expect(await order()).toEqual([3, 2, 0].map((n) => fixtureId('Trk', n)));
    const replaced = await call(`/playlists/${id}/items`, json('PUT', { uris: [uri(4)] }));
    snapshots.push(replaced.body.snapshot_id);
    expect(await order()).toEqual([fixtureId('Trk', 4)]);
    expect(new Set(snapshots).size).toBe(snapshots.length);
    expect(
      (
        await call(
          `/playlists/${id}/items`,
          json('DELETE', { items: [{ uri: uri(4) }], snapshot_id: 'bogus' }),
        )
      ).status,
    ).toBe(400);
    expect(
      (await call(`/playlists/${id}/items?position=9&uris=${uri(0)}`, { method: 'POST' })).status,
    ).toBe(400);
    const details = await call(
      `/playlists/${id}`,
      json('PUT', { name: 'Renamed', description: 'New words' }),
    );
    expect(details.status).toBe(200);
    expect((await call(`/playlists/${id}`)).body).toMatchObject({
      name: 'Renamed',
      description: 'New words',
      public: false,
    });
    expect((await call('/me/playlists')).body.items[0].id).toBe(id);
  });

  it('refuses edits to playlists of others', async () => {
    const call = api(await start());
    const other = fixtureId('Pls', 1);
    expect((await call(`/playlists/${other}`, json('PUT', { name: 'mine now' }))).status).toBe(403);
    expect(
      (
        await call(`/playlists/${other}/items?uris=spotify:track:${fixtureId('Trk', 0)}`, {
          method: 'POST',
        })
      ).status,
    ).toBe(403);
    // A collaborative playlist the user follows can be edited.
    const collab = fixtureId('Pls', 2);
    expect(
      (
        await call(`/playlists/${collab}/items?uris=spotify:track:${fixtureId('Trk', 0)}`, {
          method: 'POST',
        })
      ).status,
    ).toBe(201);
  });
});

describe('library', () => {
  it('saves, checks and removes items by URI', async () => {
    const call = api(await start());
    const newTrack = `spotify:track:${fixtureId('Trk', 40)}`;
    const album = `spotify:album:${fixtureId('Alb', 8)}`;
    const contains = async () =>
      (await call(`/me/library/contains?uris=${newTrack},${album}`)).body;
    expect(await contains()).toEqual([false, false]);
    expect((await call(`/me/library?uris=${newTrack},${album}`, { method: 'PUT' })).status).toBe(
      200,
    );
    expect(await contains()).toEqual([true, true]);
    expect((await call('/me/tracks?limit=1')).body.total).toBe(31);
    expect((await call(`/me/library?uris=${newTrack}`, { method: 'DELETE' })).status).toBe(200);
    expect(await contains()).toEqual([false, true]);
    const tooMany = Array(41).fill(newTrack).join(',');
    expect((await call(`/me/library?uris=${tooMany}`, { method: 'PUT' })).status).toBe(400);
    expect((await call('/me/library?uris=nonsense', { method: 'PUT' })).status).toBe(400);
  });
});
