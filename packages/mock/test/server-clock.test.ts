import { describe, expect, it } from 'vitest';
import { START } from './fixtures/tiny-world.js';
import { api, start } from './helpers.js';

describe('the clock', () => {
  it('starts at the world start and makes new plays appear as it moves', async () => {
    const mock = await start();
    const call = api(mock);
    expect(mock.controls.clock.now()).toBe(START);
    const before = await call('/me/player/recently-played?limit=1');
    const newest = before.body.cursors.after as string;
    mock.controls.clock.advance(20 * 60_000);
    const after = await call(`/me/player/recently-played?after=${newest}`);
    const truth = mock.controls.truth
      .plays('user0')
      .filter((p) => p.endedAtMs > Number(newest) && p.msPlayed >= 30_000)
      .map((p) => p.endedAtMs);
    expect(truth.length).toBeGreaterThan(0);
    expect(
      after.body.items.map((i: { played_at: string }) => Date.parse(i.played_at)).reverse(),
    ).toEqual(truth);
  });

  it('makes future releases visible once their time comes', async () => {
    const mock = await start();
    const call = api(
      mock,
      mock.controls.auth.issueTokens({ expiresInSeconds: 30 * 86_400 }).access_token,
    );
    const future = [...mock.world.albums.values()].find((a) => a.releasedAtMs > START);
    if (future === undefined) throw new Error('fixture has a future release');
    expect((await call(`/albums/${future.id}`)).status).toBe(404);
    expect(mock.controls.truth.releases({ sinceMs: START }).map((a) => a.id)).toEqual([]);
    mock.controls.clock.set(future.releasedAtMs);
    expect((await call(`/albums/${future.id}`)).status).toBe(200);
    const artistAlbums = await call(`/artists/${future.artistIds[0]}/albums?include_groups=album`);
    expect(artistAlbums.body.items.map((a: { id: string }) => a.id)).toContain(future.id);
    expect(
      mock.controls.truth
        .releases({ sinceMs: START, artistIds: future.artistIds })
        .map((a) => a.id),
    ).toEqual([future.id]);
    mock.controls.reset();
    expect(mock.controls.clock.now()).toBe(START);
  });
});
