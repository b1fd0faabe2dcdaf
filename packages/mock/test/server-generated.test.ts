import { describe, expect, it } from 'vitest';
import { api, startGenerated } from './helpers.js';

const DAY = 86_400_000;

describe('serving a generated world', () => {
  it('builds the world from the seed and serves its first user', async () => {
    const mock = await startGenerated({ seed: 42, worldOptions: { size: 'tiny' } });
    const first = [...mock.world.users.keys()][0];
    const me = await api(mock)('/me');
    expect(me.body.id).toBe(first);
    const again = await startGenerated({ seed: 42, worldOptions: { size: 'tiny' } });
    expect([...again.world.tracks.keys()]).toEqual([...mock.world.tracks.keys()]);
  });

  it('lets a poller see every play as the clock moves, and new releases of followed artists', async () => {
    const mock = await startGenerated({ seed: 42, worldOptions: { size: 'tiny' } });
    const userId = [...mock.world.users.keys()][0] as string;
    const call = api(
      mock,
      mock.controls.auth.issueTokens({ expiresInSeconds: 365 * 86_400 }).access_token,
    );
    const startMs = mock.controls.clock.now();
    const first = await call('/me/player/recently-played?limit=50');
    let cursor = first.body.cursors.after as string;
    const polled = new Set<number>();
    // Poll every two hours for two days: fewer than 50 plays per poll, so nothing is lost.
    for (let i = 0; i < 24; i++) {
      mock.controls.clock.advance(2 * 3600_000);
      const page = await call(`/me/player/recently-played?limit=50&after=${cursor}`);
      expect(page.body.items.length).toBeLessThan(50);
      for (const item of page.body.items) polled.add(Date.parse(item.played_at));
      if (page.body.cursors !== null) cursor = page.body.cursors.after;
    }
    const truth = mock.controls.truth
      .plays(userId)
      .filter((p) => p.endedAtMs > startMs && p.msPlayed >= 30_000)
      .map((p) => p.endedAtMs);
    expect(truth.length).toBeGreaterThan(0);
    expect([...polled].sort((a, b) => a - b)).toEqual(truth);

    const followed = [...mock.controls.truth.user(userId).followedArtists.keys()];
    const upcoming = [...mock.world.albums.values()]
      .filter(
        (a) =>
          a.releasedAtMs > mock.controls.clock.now() && followed.includes(a.artistIds[0] as string),
      )
      .sort((a, b) => a.releasedAtMs - b.releasedAtMs)[0];
    if (upcoming === undefined)
      throw new Error('the tiny world has upcoming releases of followed artists');
    expect((await call(`/albums/${upcoming.id}`)).status).toBe(404);
    mock.controls.clock.set(upcoming.releasedAtMs + DAY);
    expect((await call(`/albums/${upcoming.id}`)).status).toBe(200);
    const released = mock.controls.truth
      .releases({ sinceMs: startMs, artistIds: followed })
      .map((a) => a.id);
    expect(released).toContain(upcoming.id);
  });
});
