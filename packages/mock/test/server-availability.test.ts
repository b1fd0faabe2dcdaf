import { describe, expect, it } from 'vitest';
import { isMockError, type MockServer } from '../src/index.js';
import { fixtureId } from './fixtures/tiny-world.js';
import { api as bearerApi, start, startGenerated } from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Album 0 (markets US, GB) holds tracks 0..2; album 2 is its JP edition with tracks 6..8. */
const ALBUM = fixtureId('Alb', 0);
const JP_ALBUM = fixtureId('Alb', 2);
const TRACK = fixtureId('Trk', 0);
const SECOND = fixtureId('Trk', 1);
const JP_TRACK = fixtureId('Trk', 6);

/** A fetch with a token that outlives the clock moves of these tests. */
const api = (mock: MockServer) =>
  bearerApi(mock, mock.controls.auth.issueTokens({ expiresInSeconds: 30 * 86_400 }).access_token);

/** The track the user played most among the last 50 plays (so later plays of it are certain). */
async function mostPlayed(mock: MockServer): Promise<string> {
  const counts = new Map<string, number>();
  for (const play of mock.controls.truth.plays('user0', {
    sinceMs: mock.controls.clock.now() - DAY,
  }))
    counts.set(play.trackId, (counts.get(play.trackId) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
}

describe('controls.catalog.removeTrack', () => {
  it('makes the track disappear from lookups, albums, search and saved tracks', async () => {
    const mock = await start();
    const call = api(mock);
    const savedBefore = (await call('/me/tracks?limit=50')).body;
    expect(savedBefore.items.map((i: { track: { id: string } }) => i.track.id)).toContain(TRACK);
    expect((await call(`/me/library/contains?uris=spotify:track:${TRACK}`)).body).toEqual([true]);

    mock.controls.clock.advance(HOUR);
    mock.controls.catalog.removeTrack(TRACK);

    expect((await call(`/tracks/${TRACK}`)).status).toBe(404);
    expect((await call(`/tracks/${SECOND}`)).status).toBe(200);
    const album = (await call(`/albums/${ALBUM}`)).body;
    expect(album.tracks.items.map((t: { id: string }) => t.id)).toEqual([
      SECOND,
      fixtureId('Trk', 2),
    ]);
    expect(album.tracks.total).toBe(2);
    expect(album.total_tracks).toBe(2);
    const albumTracks = (await call(`/albums/${ALBUM}/tracks`)).body;
    expect(albumTracks.total).toBe(2);
    expect(albumTracks.items.map((t: { id: string }) => t.id)).not.toContain(TRACK);
    const search = (await call(`/search?q=${encodeURIComponent('Song 0-')}&type=track`)).body;
    const found = search.tracks.items.map((t: { id: string }) => t.id);
    expect(found).toContain(SECOND);
    expect(found).not.toContain(TRACK);
    const saved = (await call('/me/tracks?limit=50')).body;
    expect(saved.total).toBe(savedBefore.total - 1);
    expect(saved.items.map((i: { track: { id: string } }) => i.track.id)).not.toContain(TRACK);
    expect((await call(`/me/library/contains?uris=spotify:track:${TRACK}`)).body).toEqual([false]);
    // It can no longer be saved or added to a playlist.
    await call(`/me/library?uris=spotify:track:${TRACK}`, { method: 'PUT' });
    expect((await call(`/me/library/contains?uris=spotify:track:${TRACK}`)).body).toEqual([false]);
    const add = await call(`/playlists/${fixtureId('Pls', 0)}/items`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ uris: [`spotify:track:${TRACK}`] }),
    });
    expect(add.status).toBe(400);

    expect(mock.controls.truth.availability()).toEqual([
      { trackId: TRACK, status: 'removed', markets: null, atMs: mock.controls.clock.now() },
    ]);

    mock.controls.catalog.restoreTrack(TRACK);
    expect((await call(`/tracks/${TRACK}`)).status).toBe(200);
    expect((await call('/me/tracks?limit=50')).body.total).toBe(savedBefore.total);
    expect(mock.controls.truth.availability()).toEqual([]);
  });

  it('keeps earlier plays of a removed track but no later ones, in recently played and the truth', async () => {
    const mock = await start();
    const call = api(mock);
    const track = await mostPlayed(mock);
    const removedAt = mock.controls.clock.now();
    mock.controls.catalog.removeTrack(track);
    const before = mock.controls.truth.plays('user0');
    expect(before.some((p) => p.trackId === track)).toBe(true);

    mock.controls.clock.advance(DAY);
    const truth = mock.controls.truth.plays('user0');
    const later = truth.filter((p) => p.endedAtMs > removedAt + HOUR);
    expect(later.length).toBeGreaterThan(100);
    expect(later.some((p) => p.trackId === track)).toBe(false);
    expect(truth.filter((p) => p.trackId === track).length).toBe(
      before.filter((p) => p.trackId === track).length,
    );
    // The unfiltered history of the world does have later plays of it: the mock drops them.
    const world = mock.world.playsOf('user0', mock.controls.clock.now());
    expect(world.some((p) => p.trackId === track && p.endedAtMs > removedAt + HOUR)).toBe(true);
    const recent = (await call('/me/player/recently-played?limit=50')).body;
    expect(recent.items).toHaveLength(50);
    expect(recent.items.map((i: { track: { id: string } }) => i.track.id)).not.toContain(track);
  });

  it('is undone by reset() and rejects unknown tracks', async () => {
    const mock = await start();
    const call = api(mock);
    mock.controls.catalog.removeTrack(TRACK);
    mock.controls.catalog.restrictTrack(SECOND, ['GB']);
    expect(mock.controls.truth.availability()).toHaveLength(2);
    mock.controls.reset();
    expect(mock.controls.truth.availability()).toEqual([]);
    expect((await call(`/tracks/${TRACK}`)).status).toBe(200);
    expect(() => mock.controls.catalog.removeTrack('nope')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_TRACK' }),
    );
    let caught: unknown;
    try {
      mock.controls.catalog.restrictTrack(fixtureId('Trk', 999), ['DE']);
    } catch (error) {
      caught = error;
    }
    expect(isMockError(caught) && caught.code === 'UNKNOWN_TRACK').toBe(true);
  });
});

describe('controls.catalog.restrictTrack', () => {
  it('serves is_playable and restrictions per market, from_token included', async () => {
    const mock = await start();
    const call = api(mock);
    const plain = (await call(`/tracks/${TRACK}`)).body;
    expect(plain).not.toHaveProperty('is_playable');
    expect((await call(`/tracks/${TRACK}?market=US`)).body.is_playable).toBe(true);

    mock.controls.clock.advance(5 * 60_000);
    mock.controls.catalog.restrictTrack(TRACK, ['GB', 'SE', 'GB']);

    const us = (await call(`/tracks/${TRACK}?market=US`)).body;
    expect(us.id).toBe(TRACK);
    expect(us.is_playable).toBe(false);
    expect(us.restrictions).toEqual({ reason: 'market' });
    const token = (await call(`/tracks/${TRACK}?market=from_token`)).body; // the user is in US
    expect(token.is_playable).toBe(false);
    expect(token.restrictions).toEqual({ reason: 'market' });
    const gb = (await call(`/tracks/${TRACK}?market=GB`)).body;
    expect(gb.is_playable).toBe(true);
    expect(gb).not.toHaveProperty('restrictions');
    expect((await call(`/tracks/${TRACK}`)).body).not.toHaveProperty('is_playable');

    const album = (await call(`/albums/${ALBUM}?market=US`)).body;
    expect(
      album.tracks.items.map((t: { id: string; is_playable: boolean }) => [t.id, t.is_playable]),
    ).toEqual([
      [TRACK, false],
      [SECOND, true],
      [fixtureId('Trk', 2), true],
    ]);
    const saved = (await call('/me/tracks?market=from_token&limit=5')).body;
    expect(saved.next).toContain('market=from_token');
    expect(saved.items.every((i: { track: object }) => 'is_playable' in i.track)).toBe(true);
    expect((await call('/me/tracks?market=usa')).status).toBe(400);
    const tracks = (await call(`/albums/${ALBUM}/tracks?market=from_token`)).body;
    expect(tracks.items[0].restrictions).toEqual({ reason: 'market' });
    expect(tracks.items[1]).not.toHaveProperty('restrictions');

    const search = async (market: string) =>
      (await call(`/search?q=${encodeURIComponent('Song 0-0')}&type=track&market=${market}`)).body
        .tracks.items as { id: string }[];
    expect((await search('US')).map((t) => t.id)).not.toContain(TRACK);
    expect((await search('GB')).map((t) => t.id)).toContain(TRACK);

    expect(mock.controls.truth.availability()).toEqual([
      {
        trackId: TRACK,
        status: 'restricted',
        markets: ['GB', 'SE'],
        atMs: mock.controls.clock.now(),
      },
    ]);

    mock.controls.catalog.restrictTrack(TRACK, null);
    expect((await call(`/tracks/${TRACK}?market=US`)).body.is_playable).toBe(true);
    expect(mock.controls.truth.availability()).toEqual([]);
  });

  it('does not relink to a restricted edition, and marks unrelinkable tracks unplayable', async () => {
    const mock = await start({ profile: 'extended' });
    const call = api(mock);
    // The JP edition's track, asked for in the US, is relinked to the US edition's.
    const relinked = (await call(`/tracks/${JP_TRACK}?market=US`)).body;
    expect(relinked.id).toBe(TRACK);
    expect(relinked.linked_from.id).toBe(JP_TRACK);
    expect(relinked.is_playable).toBe(true);
    mock.controls.catalog.restrictTrack(TRACK, ['JP']);
    const unplayable = (await call(`/tracks/${JP_TRACK}?market=US`)).body;
    expect(unplayable.id).toBe(JP_TRACK);
    expect(unplayable).not.toHaveProperty('linked_from');
    expect(unplayable.is_playable).toBe(false);
    expect(unplayable.restrictions).toEqual({ reason: 'market' });
    expect((await call(`/albums/${JP_ALBUM}?market=JP`)).body.tracks.items[0].is_playable).toBe(
      true,
    );
  });

  it('stops plays in countries outside the markets and rejects bad markets', async () => {
    const mock = await start();
    const track = await mostPlayed(mock);
    const at = mock.controls.clock.now();
    mock.controls.catalog.restrictTrack(track, ['US']); // the user's own country: plays go on
    mock.controls.clock.advance(DAY);
    const stillPlayed = mock.controls.truth.plays('user0', { sinceMs: at + HOUR });
    expect(stillPlayed.some((p) => p.trackId === track)).toBe(true);
    mock.controls.catalog.restrictTrack(track, ['GB']);
    const at2 = mock.controls.clock.now();
    mock.controls.clock.advance(DAY);
    const after = mock.controls.truth.plays('user0', { sinceMs: at2 + HOUR });
    expect(after.length).toBeGreaterThan(100);
    expect(after.some((p) => p.trackId === track)).toBe(false);

    for (const bad of [['de'], ['DEU'], 'DE', [1]]) {
      expect(() =>
        mock.controls.catalog.restrictTrack(track, bad as unknown as readonly string[]),
      ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    }
  });
});

describe('controls.truth.plays', () => {
  it('filters by sinceMs and returns the same array while the clock stands still', () => {
    return startGenerated({ seed: 3, worldOptions: { size: 'tiny' } }).then((mock) => {
      const userId = mock.world.users.keys().next().value as string;
      const all = mock.controls.truth.plays(userId);
      expect(all.length).toBeGreaterThan(100);
      expect(mock.controls.truth.plays(userId)).toBe(all);
      expect(mock.world.playsOf(userId, mock.controls.clock.now())).toBe(all);
      const since = (all.at(-10)?.endedAtMs ?? 0) + 1;
      const recent = mock.controls.truth.plays(userId, { sinceMs: since });
      expect(recent).toEqual(all.slice(-9));
      mock.controls.clock.advance(DAY);
      const later = mock.controls.truth.plays(userId);
      expect(later.length).toBeGreaterThan(all.length);
      expect(later.slice(0, all.length)).toEqual(all);
    });
  });
});
