import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogStore } from '@spoti/catalog';
import type { Sync, SyncStateStore } from '../src/index.js';
import { DAY, type Harness, HOUR, MINUTE, harness, memorySync } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sorted = (ids: Iterable<string>) => [...ids].sort();

/** Asserts that the mirror (state + catalog) equals the mock user's library. */
async function expectMirror(h: Harness, sync: Sync, store: CatalogStore, state: SyncStateStore) {
  const user = h.mock.world.users.get(h.userId)!;
  const tracks = await state.listLibrary(h.userId, 'track');
  expect(sorted(tracks.map((e) => e.id))).toEqual(sorted(user.savedTracks.keys()));
  // added_at is served with second precision.
  const second = (ms: number | undefined) => Math.floor((ms ?? 0) / 1000) * 1000;
  for (const e of tracks) expect(e.addedAt).toBe(second(user.savedTracks.get(e.id)));
  const albums = await state.listLibrary(h.userId, 'album');
  expect(sorted(albums.map((e) => e.id))).toEqual(sorted(user.savedAlbums.keys()));
  const artists = await state.listLibrary(h.userId, 'artist');
  expect(sorted(artists.map((e) => e.id))).toEqual(sorted(user.followedArtists.keys()));
  const likes = await store.listLikes(h.userId);
  expect(sorted(likes.map((l) => l.trackId))).toEqual(sorted(user.savedTracks.keys()));
  const follows = await store.listFollows(h.userId);
  expect(sorted(follows.map((f) => f.artistId))).toEqual(sorted(user.followedArtists.keys()));
  for (const id of user.savedTracks.keys()) expect(await store.getTrack(id)).not.toBeNull();
  const albumTracks = await state.getAlbumTracks([...user.savedAlbums.keys()]);
  for (const albumId of user.savedAlbums.keys()) {
    expect(albumTracks.get(albumId)).toEqual(h.mock.world.albums.get(albumId)?.trackIds);
    for (const id of albumTracks.get(albumId) ?? [])
      expect(await store.getTrack(id)).not.toBeNull();
  }
  void sync;
}

function batchCalls(h: Harness): number {
  const counts = h.mock.controls.requests.counts();
  return Object.entries(counts)
    .filter(([k]) => /^GET \/v1\/(tracks|albums|artists)$/.test(k))
    .reduce((n, [, v]) => n + v, 0);
}

describe('syncLibrary', () => {
  for (const profile of ['development-2026', 'extended'] as const) {
    it(`mirrors the library, then syncs changes incrementally (${profile})`, async () => {
      h = await harness({ persona: 'heavy-pop', profile });
      const { sync, store, state } = memorySync(h);
      const clock = h.mock.controls.clock;
      const first = await sync.syncLibrary(h.user);
      expect(first.mode).toBe('full');
      expect(first.run.status).toBe('ok');
      const user = h.mock.world.users.get(h.userId)!;
      expect(first.added.track).toBe(user.savedTracks.size);
      await expectMirror(h, sync, store, state);
      if (profile === 'development-2026') expect(batchCalls(h)).toBe(0);
      expect(h.mock.controls.requests.log().filter((r) => r.status === 403)).toEqual([]);

      // A day later: 12 tracks and 2 albums saved, 2 artists followed.
      clock.advance(DAY);
      const saved = new Set(user.savedTracks.keys());
      const released = (trackId: string) =>
        h!.mock.world.isReleased(h!.mock.world.tracks.get(trackId)!.albumId, clock.now());
      const newTracks = [...h.mock.world.tracks.keys()]
        .filter((id) => !saved.has(id) && released(id))
        .slice(0, 12);
      for (const [i, id] of newTracks.entries()) user.savedTracks.set(id, clock.now() - i * MINUTE);
      const newAlbums = [...h.mock.world.albums.keys()]
        .filter((id) => !user.savedAlbums.has(id) && h!.mock.world.isReleased(id, clock.now()))
        .slice(0, 2);
      for (const id of newAlbums) user.savedAlbums.set(id, clock.now() - HOUR);
      const newArtists = [...h.mock.world.artists.keys()]
        .filter((id) => !user.followedArtists.has(id))
        .slice(0, 2);
      for (const id of newArtists) user.followedArtists.set(id, clock.now());
      const before = h.mock.controls.requests.counts().total ?? 0;
      const second = await sync.syncLibrary(h.user);
      const calls = (h.mock.controls.requests.counts().total ?? 0) - before;
      expect(second.mode).toBe('incremental');
      expect(second.added).toEqual({ track: 12, album: 2, artist: 2 });
      expect(second.removed).toEqual({ track: 0, album: 0, artist: 0 });
      expect(second.albumTracksFetched).toBe(2);
      // One page of tracks, one of albums, the followed artists, the two new albums' tracks.
      expect(calls).toBeLessThanOrEqual(1 + 1 + 1 + 2 + 2);
      expect(second.run.calls).toBe(calls);
      await expectMirror(h, sync, store, state);
      if (profile === 'development-2026') expect(batchCalls(h)).toBe(0);
    });
  }

  it('removes unsaved items, never plays, and cleans up tracks nothing refers to', async () => {
    h = await harness({ persona: 'heavy-pop' });
    const { sync, store, state } = memorySync(h);
    const clock = h.mock.controls.clock;
    await sync.syncLibrary(h.user);
    await sync.syncRecentPlays(h.user);
    const user = h.mock.world.users.get(h.userId)!;
    const played = new Set((await store.listPlays({ userId: h.userId })).map((p) => p.trackId));
    const albumTrackIds = new Set(
      [...(await state.getAlbumTracks([...user.savedAlbums.keys()])).values()].flat(),
    );
    const savedIds = [...user.savedTracks.keys()];
    const playedSaved = savedIds.find((id) => played.has(id) && !albumTrackIds.has(id));
    const plain = savedIds.filter((id) => !played.has(id) && !albumTrackIds.has(id)).slice(0, 4);
    expect(plain.length).toBe(4);
    if (playedSaved === undefined) throw new Error('the persona has no played saved track');
    for (const id of plain) expect(await store.getTrack(id)).not.toBeNull();
    const playsOfPlayed = (await store.listPlays({ userId: h.userId })).filter(
      (p) => p.trackId === playedSaved,
    );
    expect(playsOfPlayed.length).toBeGreaterThan(0);
    const removedTracks = [...plain, playedSaved];
    for (const id of removedTracks) user.savedTracks.delete(id);
    const removedAlbum = [...user.savedAlbums.keys()][0]!;
    user.savedAlbums.delete(removedAlbum);
    const unfollowed = [...user.followedArtists.keys()][0]!;
    user.followedArtists.delete(unfollowed);
    const playsBefore = await store.countPlays();
    clock.advance(DAY);
    const result = await sync.syncLibrary(h.user);
    expect(result.removed).toEqual({ track: removedTracks.length, album: 1, artist: 1 });
    expect(result.run.details.tracksReconciled).toBe(true);
    await expectMirror(h, sync, store, state);
    expect(await store.countPlays()).toBe(playsBefore);
    // Orphans: the unplayed removed tracks and the removed album's tracks nobody else refers to.
    for (const id of plain) expect(result.orphanedTracks).toContain(id);
    expect(result.orphanedTracks).not.toContain(playedSaved);
    for (const id of result.orphanedTracks) {
      expect(user.savedTracks.has(id)).toBe(false);
      expect(played.has(id)).toBe(false);
    }
    // Unsaved, never played: gone from the store. Unsaved but played: stays, with its plays.
    for (const id of plain) expect(await store.getTrack(id)).toBeNull();
    expect(result.run.details.deletedTracks).toBe(result.orphanedTracks.length);
    expect(await store.getTrack(playedSaved)).not.toBeNull();
    expect(
      (await store.listPlays({ userId: h.userId })).filter((p) => p.trackId === playedSaved),
    ).toEqual(playsOfPlayed);
    expect(await state.getValue(h.userId, 'library.orphans')).toBeNull();
  });

  it('a failed or rate-limited full pass resumes where it stopped', async () => {
    h = await harness({ persona: 'heavy-pop', maxRetryAfterMs: 0 });
    const { sync, store, state } = memorySync(h);
    const clock = h.mock.controls.clock;
    // Page 3 of the saved tracks fails for good (more 503s than the client retries).
    h.mock.controls.faults.script([
      { latencyMs: 0 },
      { latencyMs: 0 },
      ...Array(5).fill({ status: 503 }),
    ]);
    await expect(sync.syncLibrary(h.user)).rejects.toMatchObject({ code: 'SPOTIFY_FAILURE' });
    const failed = (await sync.runs(h.userId, { kind: 'library' }))[0]!;
    expect(failed.status).toBe('failed');
    expect(failed.added).toBe(100);
    // Then a 429 with a long Retry-After on the next page: a clean stop with resumeAt.
    h.mock.controls.faults.script([{ status: 429, retryAfterSeconds: 600 }]);
    const limited = await sync.syncLibrary(h.user);
    expect(limited.run.status).toBe('rate_limited');
    expect(limited.run.resumeAt).toBe(clock.now() + 600_000);
    expect(limited.run.details.resumed).toBe('tracks@100');
    const deferred = await sync.syncLibrary(h.user);
    expect(deferred.run.status).toBe('deferred');
    expect(deferred.run.calls).toBe(0);
    clock.advance(601_000);
    const resumed = await sync.syncLibrary(h.user);
    expect(resumed.run.status).toBe('ok');
    expect(resumed.run.details.resumed).toBe('tracks@100');
    expect(resumed.mode).toBe('full');
    await expectMirror(h, sync, store, state);
    const added = (await sync.runs(h.userId, { kind: 'library' })).reduce((n, r) => n + r.added, 0);
    const user = h.mock.world.users.get(h.userId)!;
    expect(added).toBe(user.savedTracks.size + user.savedAlbums.size + user.followedArtists.size);
  });
});
