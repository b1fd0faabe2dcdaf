import { createWorld, type MockServer, type World } from '@spoti/mock';
import { expect } from 'vitest';
import type { ReleaseWatcher } from '../src/index.js';
import { DAY, addRelease, expectedGroups, groupOf, isoDate } from './helpers.js';

/** World release groups of each release id (one entry per release). */
async function groupsOf(watcher: ReleaseWatcher, world: World, ids: readonly string[]) {
  const releases = await watcher.store.getReleases(ids);
  expect(releases).toHaveLength(ids.length);
  return releases.map((r) => [...new Set(r.editionIds.map((e) => groupOf(world, e)))]);
}

/** A tiny world plus scheduled releases of every kind the watcher must handle. */
export function scheduledWorld(seed: number): World {
  const world = createWorld({ seed, size: 'tiny', users: 4, artists: 80, historyDays: 5 });
  const start = world.startTimeMs;
  // Keep the suite quick: each listener follows only their first six artists.
  for (const user of world.users.values()) {
    const keep = [...user.followedArtists].slice(0, 6);
    user.followedArtists.clear();
    for (const [id, at] of keep) user.followedArtists.set(id, at);
  }
  const followed = [
    ...new Set([...world.users.values()].flatMap((u) => [...u.followedArtists.keys()])),
  ].sort();
  followed.slice(0, 8).forEach((artistId, i) => {
    const visible = Math.floor((start + (2 + 2 * i) * DAY) / DAY) * DAY;
    const kind = i % 4;
    if (kind === 0)
      addRelease(world, {
        artistIds: [artistId],
        name: `Night Drive ${i}`,
        releaseDate: isoDate(visible),
        japanEdition: true,
        cleanVersion: true,
      });
    else if (kind === 1)
      addRelease(world, {
        artistIds: [artistId],
        name: `Month Piece ${i}`,
        type: 'single',
        releaseDate: isoDate(visible, 'month'),
        precision: 'month',
        visibleAtMs: visible,
      });
    else if (kind === 2)
      addRelease(world, {
        artistIds: [artistId],
        name: `Year Piece ${i}`,
        releaseDate: isoDate(visible, 'year'),
        precision: 'year',
        visibleAtMs: visible,
        cleanVersion: true,
      });
    else {
      // An album dated 40 days back, added late: new to us, inside the 60-day horizon.
      addRelease(world, {
        artistIds: [artistId],
        name: `Vault Find ${i}`,
        releaseDate: isoDate(visible - 40 * DAY),
        visibleAtMs: visible,
      });
      // Back catalogue added late (outside the horizon) and a compilation: never reported.
      addRelease(world, {
        artistIds: [artistId],
        name: `Early Demos ${i}`,
        releaseDate: '2019',
        precision: 'year',
        visibleAtMs: visible,
      });
      addRelease(world, {
        artistIds: [artistId],
        name: `Best Of ${i}`,
        type: 'compilation',
        releaseDate: isoDate(visible),
      });
    }
  });
  return world;
}

/**
 * Asserts that every subscriber got (or has pending) exactly the ground-truth release groups of
 * the artists they follow, each once. Returns the number of expected releases.
 */
export async function assertExactlyOnce(
  watcher: ReleaseWatcher,
  mock: MockServer,
  start: number,
  lastSweep: number,
): Promise<number> {
  let total = 0;
  for (const user of mock.world.users.values()) {
    const cursors = new Map<string, number>();
    for (const id of user.followedArtists.keys())
      cursors.set(
        id,
        (await watcher.store.getCursor(id))?.lastScannedAt ?? Number.NEGATIVE_INFINITY,
      );
    const expected = expectedGroups(
      mock,
      [...user.followedArtists.keys()],
      start - 28 * DAY,
      lastSweep,
      (artistId) => cursors.get(artistId) ?? Number.NEGATIVE_INFINITY,
    );
    const delivered = (await watcher.store.listDigests(user.id)).flatMap((d) => d.releaseIds);
    const pending = await watcher.pendingReleases(user.id, { now: lastSweep + 2 * DAY });
    const ids = [...delivered, ...pending.map((p) => p.release.id)];
    expect(new Set(ids).size).toBe(ids.length);
    const groups = await groupsOf(watcher, mock.world, ids);
    // One release per world release group: never split (a duplicate), never two merged.
    for (const g of groups) expect(g).toHaveLength(1);
    const flat = groups.map((g) => g[0]);
    expect(new Set(flat)).toEqual(expected);
    expect(flat).toHaveLength(expected.size);
    total += expected.size;
  }
  return total;
}
