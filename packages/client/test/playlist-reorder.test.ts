import type { MockServer } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSpotifyError, type SpotifyClient } from '../src/index.js';
import { mock, profiles, trackIds, userClient } from './helpers.js';

describe.each(profiles)('reorderPlaylistItems against the %s profile', (profile) => {
  let server: MockServer;
  let client: SpotifyClient;
  let ids: string[];
  beforeAll(async () => {
    server = await mock({ profile });
    client = userClient(server);
    ids = trackIds(server, 5);
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  const order = async (playlistId: string) =>
    (await client.getPlaylistItems(playlistId, { limit: 50 })).items.map(
      (i) => (i.item ?? i.track)?.id,
    );

  it('moves a range, with and without a snapshot', async () => {
    const playlist = await client.createPlaylist({ name: `reorder ${profile}` });
    const added = await client.addPlaylistItems(
      playlist.id,
      ids.slice(0, 4).map((id) => `spotify:track:${id}`),
    );
    const moved = await client.reorderPlaylistItems(playlist.id, {
      rangeStart: 0,
      rangeLength: 2,
      insertBefore: 4,
      snapshotId: added.snapshot_id,
    });
    expect(moved.snapshot_id).not.toBe(added.snapshot_id);
    expect(await order(playlist.id)).toEqual([ids[2], ids[3], ids[0], ids[1]]);
    await client.reorderPlaylistItems(playlist.id, { rangeStart: 3, insertBefore: 0 });
    expect(await order(playlist.id)).toEqual([ids[1], ids[2], ids[3], ids[0]]);
    const body = server.controls.requests
      .log()
      .filter((e) => e.method === 'PUT' && e.path.endsWith(`/playlists/${playlist.id}/items`));
    expect(body).toHaveLength(2);
  });

  it('reads positions in the named version when the playlist changed since', async () => {
    const playlist = await client.createPlaylist({ name: `stale ${profile}` });
    const added = await client.addPlaylistItems(
      playlist.id,
      ids.slice(0, 3).map((id) => `spotify:track:${id}`),
    );
    await client.addPlaylistItems(playlist.id, [`spotify:track:${ids[4]}`], { position: 0 });
    await client.reorderPlaylistItems(playlist.id, {
      rangeStart: 2,
      insertBefore: 0,
      snapshotId: added.snapshot_id,
    });
    expect(await order(playlist.id)).toEqual([ids[4], ids[2], ids[0], ids[1]]);
  });

  it('surfaces an unknown snapshot as bad_request and checks the move before sending', async () => {
    const playlist = await client.createPlaylist({ name: `bad ${profile}` });
    await client.addPlaylistItems(playlist.id, [`spotify:track:${ids[0]}`]);
    const stale = await client
      .reorderPlaylistItems(playlist.id, { rangeStart: 0, insertBefore: 1, snapshotId: 'nope' })
      .catch((error: unknown) => error);
    expect(isSpotifyError(stale) && stale.code).toBe('BAD_REQUEST');
    client.resetCallCounts();
    for (const move of [
      { rangeStart: -1, insertBefore: 0 },
      { rangeStart: 0, insertBefore: 1.5 },
      { rangeStart: 0, insertBefore: 1, rangeLength: 0 },
    ]) {
      await expect(client.reorderPlaylistItems(playlist.id, move)).rejects.toThrow(
        /Invalid options/,
      );
    }
    await expect(
      client.reorderPlaylistItems('', { rangeStart: 0, insertBefore: 1 }),
    ).rejects.toThrow(/playlistId/);
    expect(client.callCounts()['PUT /playlists/{id}/items']).toBeUndefined();
  });

  it('does not resend a move without snapshot after a server error, but does with one', async () => {
    const playlist = await client.createPlaylist({ name: `retry ${profile}` });
    const added = await client.addPlaylistItems(
      playlist.id,
      ids.slice(0, 3).map((id) => `spotify:track:${id}`),
    );
    server.controls.faults.script([{ status: 503 }]);
    const failed = await client
      .reorderPlaylistItems(playlist.id, { rangeStart: 0, insertBefore: 3 })
      .catch((error: unknown) => error);
    expect(isSpotifyError(failed) && failed.code).toBe('SERVER_ERROR');
    server.controls.faults.script([{ status: 503 }]);
    await client.reorderPlaylistItems(playlist.id, {
      rangeStart: 0,
      insertBefore: 3,
      snapshotId: added.snapshot_id,
    });
    expect(await order(playlist.id)).toEqual([ids[1], ids[2], ids[0]]);
  });
});

describe.each(profiles)('track playability against the %s profile', (profile) => {
  let server: MockServer;
  let client: SpotifyClient;
  beforeAll(async () => {
    server = await mock({ profile });
    client = userClient(server);
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('keeps is_playable and restrictions with market=from_token, and tolerates their absence', async () => {
    const [open, restricted] = trackIds(server, 2) as [string, string];
    server.controls.catalog.restrictTrack(restricted, ['ZA']);
    try {
      const blocked = await client.getTrack(restricted, { market: 'from_token' });
      expect(blocked.is_playable).toBe(false);
      expect(blocked.restrictions).toEqual({ reason: 'market' });
      const fine = await client.getTrack(open, { market: 'from_token' });
      expect(fine.is_playable).toBe(true);
      expect(fine.restrictions).toBeUndefined();
      const plain = await client.getTrack(restricted);
      expect(plain.is_playable).toBeUndefined();
      expect(plain.restrictions).toBeUndefined();
    } finally {
      server.controls.catalog.restoreTrack(restricted);
    }
  });

  it('keeps linked_from when a track is relinked to the market edition', async () => {
    const now = server.controls.clock.now();
    const japanOnly = [...server.world.albums.values()].find(
      (a) => a.markets.length === 1 && a.markets[0] === 'JP' && a.releasedAtMs <= now,
    );
    const asked = japanOnly?.trackIds[0];
    if (asked === undefined) throw new Error('the world has no Japan-only edition');
    const served = await client.getTrack(asked, { market: 'SE' });
    if (profile === 'extended') {
      expect(served.id).not.toBe(asked);
      expect(served.linked_from?.id).toBe(asked);
      expect(served.is_playable).toBe(true);
    } else {
      expect(served.linked_from).toBeUndefined();
    }
  });
});
