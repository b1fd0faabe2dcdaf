import { describe, expect, it } from 'vitest';
import { fixtureId } from './fixtures/tiny-world.js';
import { api, start } from './helpers.js';

const json = (method: string, body: unknown) => ({
  method,
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json' },
});
const uri = (n: number) => `spotify:track:${fixtureId('Trk', n)}`;
const ids = (...ns: number[]) => ns.map((n) => fixtureId('Trk', n));

async function playlistWith(tracks: number[]) {
  const mock = await start();
  const call = api(mock);
  const created = await call('/me/playlists', json('POST', { name: 'Snapshots' }));
  const id = created.body.id as string;
  const added = await call(`/playlists/${id}/items`, json('POST', { uris: tracks.map(uri) }));
  expect(added.status).toBe(201);
  const order = async (): Promise<string[]> =>
    (await call(`/playlists/${id}/items`)).body.items.map(
      (i: { item: { id: string } }) => i.item.id,
    );
  return { mock, call, id, snapshot: added.body.snapshot_id as string, order };
}

describe('PUT items with an empty list', () => {
  it('clears the playlist, in the body and in the query', async () => {
    const { call, id, order } = await playlistWith([0, 1, 2]);
    const cleared = await call(`/playlists/${id}/items`, json('PUT', { uris: [] }));
    expect(cleared.status).toBe(200);
    expect(typeof cleared.body.snapshot_id).toBe('string');
    expect(await order()).toEqual([]);
    expect((await call(`/playlists/${id}/items`, json('PUT', { uris: [uri(3)] }))).status).toBe(
      200,
    );
    expect((await call(`/playlists/${id}/items?uris=`, { method: 'PUT' })).status).toBe(200);
    expect(await order()).toEqual([]);
  });

  it('still refuses a body with neither uris nor a range', async () => {
    const { call, id, order } = await playlistWith([0, 1]);
    const answer = await call(`/playlists/${id}/items`, json('PUT', { snapshot_id: 'x' }));
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/uris/);
    expect(await order()).toEqual(ids(0, 1));
  });
});

describe('snapshot_id on reorder and delete', () => {
  it('reorders against the named version: positions are read in it', async () => {
    const { call, id, snapshot, order } = await playlistWith([0, 1, 2, 3]);
    // Someone inserts a track at the front after the snapshot was taken.
    await call(`/playlists/${id}/items`, json('POST', { uris: [uri(4)], position: 0 }));
    expect(await order()).toEqual(ids(4, 0, 1, 2, 3));
    // In the snapshot's version, index 2 is track 2: move it before index 0 (track 0).
    const moved = await call(
      `/playlists/${id}/items`,
      json('PUT', { range_start: 2, insert_before: 0, snapshot_id: snapshot }),
    );
    expect(moved.status).toBe(200);
    expect(await order()).toEqual(ids(4, 2, 0, 1, 3));
    // Without a snapshot, positions are read in the current version.
    await call(`/playlists/${id}/items`, json('PUT', { range_start: 0, insert_before: 5 }));
    expect(await order()).toEqual(ids(2, 0, 1, 3, 4));
  });

  it('moves a range to the end of the named version, before entries added since', async () => {
    const { call, id, snapshot, order } = await playlistWith([0, 1, 2]);
    await call(`/playlists/${id}/items`, json('POST', { uris: [uri(3)] }));
    const moved = await call(
      `/playlists/${id}/items`,
      json('PUT', { range_start: 0, range_length: 2, insert_before: 3, snapshot_id: snapshot }),
    );
    expect(moved.status).toBe(200);
    expect(await order()).toEqual(ids(2, 0, 1, 3));
  });

  it('checks the range against the named version', async () => {
    const { call, id, snapshot } = await playlistWith([0, 1]);
    await call(`/playlists/${id}/items`, json('POST', { uris: [uri(2), uri(3)] }));
    const answer = await call(
      `/playlists/${id}/items`,
      json('PUT', { range_start: 3, insert_before: 0, snapshot_id: snapshot }),
    );
    expect(answer.status).toBe(400);
  });

  it('deletes only the entries of the named version; later additions stay', async () => {
    const { call, id, snapshot, order } = await playlistWith([0, 1, 2]);
    await call(`/playlists/${id}/items`, json('POST', { uris: [uri(1)] }));
    expect(await order()).toEqual(ids(0, 1, 2, 1));
    const removed = await call(
      `/playlists/${id}/items`,
      json('DELETE', { items: [{ uri: uri(1) }], snapshot_id: snapshot }),
    );
    expect(removed.status).toBe(200);
    expect(await order()).toEqual(ids(0, 2, 1));
    // Without a snapshot every occurrence goes.
    await call(`/playlists/${id}/items`, json('DELETE', { items: [{ uri: uri(1) }] }));
    expect(await order()).toEqual(ids(0, 2));
  });

  it('answers 400 for a snapshot the playlist never had, and changes nothing', async () => {
    const { call, id, snapshot, order } = await playlistWith([0, 1, 2]);
    const other = await call('/me/playlists', json('POST', { name: 'Other' }));
    const future = Buffer.from(
      `${Number(Buffer.from(snapshot, 'base64url').toString().split(':')[0]) + 5}:${id}`,
    ).toString('base64url');
    for (const bad of ['bogus', other.body.snapshot_id, future, 42]) {
      const reorder = await call(
        `/playlists/${id}/items`,
        json('PUT', { range_start: 0, insert_before: 2, snapshot_id: bad }),
      );
      expect(reorder.status).toBe(400);
      expect(reorder.body.error.message).toBe('Invalid snapshot id');
      const removed = await call(
        `/playlists/${id}/items`,
        json('DELETE', { items: [{ uri: uri(0) }], snapshot_id: bad }),
      );
      expect(removed.status).toBe(400);
    }
    expect(await order()).toEqual(ids(0, 1, 2));
  });

  it('accepts the snapshot of a details change; the same move against one version applies once', async () => {
    const { call, id, snapshot, order } = await playlistWith([0, 1, 2]);
    expect((await call(`/playlists/${id}`, json('PUT', { name: 'Renamed' }))).status).toBe(200);
    const current = (await call(`/playlists/${id}`)).body.snapshot_id as string;
    expect(current).not.toBe(snapshot);
    for (const snap of [snapshot, current]) {
      const answer = await call(
        `/playlists/${id}/items`,
        json('PUT', { range_start: 0, insert_before: 3, snapshot_id: snap }),
      );
      expect(answer.status).toBe(200);
    }
    // Both moves put track 0 at the end of the same content: the second changes nothing.
    expect(await order()).toEqual(ids(1, 2, 0));
  });
});
