import { describe, expect, it } from 'vitest';
import { createWorld, type World, type WorldTrack } from '../src/index.js';
import { api, startGenerated } from './helpers.js';

/** The world with a `tracks` map that counts lookups. */
function countingWorld(): { world: World; lookups: () => number } {
  const world = createWorld({ seed: 3, size: 'small' });
  const tracks = new Map(world.tracks);
  let count = 0;
  const get = tracks.get.bind(tracks);
  tracks.get = (id: string): WorldTrack | undefined => {
    count++;
    return get(id);
  };
  return { world: { ...world, tracks }, lookups: () => count };
}

describe('/me/tracks paging', () => {
  it('does not filter and sort the whole saved list for every page', async () => {
    const { world, lookups } = countingWorld();
    const userId = world.users.keys().next().value as string;
    const user = world.users.get(userId);
    if (user === undefined) throw new Error('no user');
    const released = [...world.tracks.values()]
      .filter((t) => world.isReleased(t.albumId, world.startTimeMs))
      .slice(0, 1500);
    user.savedTracks.clear();
    for (const [i, t] of released.entries())
      user.savedTracks.set(t.id, world.startTimeMs - i * 1000);
    const mock = await startGenerated({ world });
    const call = api(mock, mock.controls.auth.issueTokens({ userId }).access_token);

    const first = await call('/me/tracks?limit=50');
    expect(first.body.total).toBe(1500);
    const before = lookups();
    const second = await call('/me/tracks?limit=50&offset=50');
    expect(second.body.items[0].track.id).toBe(released[50]?.id);
    // One page costs about its own items, not the 1500 saved tracks.
    expect(lookups() - before).toBeLessThan(500);
  });

  it('sees saves, removals and catalogue changes at once', async () => {
    const { world } = countingWorld();
    const userId = world.users.keys().next().value as string;
    const mock = await startGenerated({ world });
    const call = api(mock, mock.controls.auth.issueTokens({ userId }).access_token);
    const ids = async () =>
      (await call('/me/tracks?limit=50')).body.items.map(
        (i: { track: { id: string } }) => i.track.id,
      );
    const start = await ids();
    const saved = new Set(world.users.get(userId)?.savedTracks.keys());
    const fresh = [...world.tracks.values()].find(
      (t) => !saved.has(t.id) && world.isReleased(t.albumId, mock.controls.clock.now()),
    );
    if (fresh === undefined) throw new Error('no unsaved track');
    mock.controls.clock.advance(1000);
    await call(`/me/library?uris=spotify:track:${fresh.id}`, { method: 'PUT' });
    expect((await ids())[0]).toBe(fresh.id);
    await call(`/me/library?uris=spotify:track:${fresh.id}`, { method: 'DELETE' });
    expect(await ids()).toEqual(start);
    mock.controls.catalog.removeTrack(start[0]);
    const afterRemoval = await ids();
    expect(afterRemoval).not.toContain(start[0]);
    expect(afterRemoval[0]).toBe(start[1]);
    mock.controls.catalog.restoreTrack(start[0]);
    expect(await ids()).toEqual(start);
  });
});
