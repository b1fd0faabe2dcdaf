import { describe, expect, it } from 'vitest';
import { isMockError } from '../src/index.js';
import { api, start, startGenerated } from './helpers.js';

const DAY = 86_400_000;

describe('controls.catalog.addRelease', () => {
  it('adds a late, old album with year precision that appears at availableAtMs', async () => {
    const mock = await startGenerated({ seed: 7, worldOptions: { size: 'tiny' } });
    const { controls } = mock;
    let call = api(mock);
    const artistId = mock.world.artists.keys().next().value as string;
    const now = controls.clock.now();
    const album = controls.catalog.addRelease({
      artistId,
      name: 'Lost Tapes',
      type: 'album',
      releaseDate: '1994',
      availableAtMs: now + DAY,
      tracks: 3,
    });
    expect(album).toMatchObject({
      name: 'Lost Tapes',
      albumType: 'album',
      releaseDate: '1994',
      releaseDatePrecision: 'year',
      releasedAtMs: now + DAY,
      artistIds: [artistId],
    });
    expect(album.trackIds).toHaveLength(3);
    expect((await call(`/albums/${album.id}`)).status).toBe(404);
    expect(controls.truth.releases({ sinceMs: now }).map((a) => a.id)).not.toContain(album.id);

    controls.clock.advance(DAY);
    call = api(mock); // a fresh token: the first one expired with the day
    const served = await call(`/albums/${album.id}`);
    expect(served.status).toBe(200);
    expect(served.body).toMatchObject({ release_date: '1994', release_date_precision: 'year' });
    expect(served.body.tracks.items).toHaveLength(3);
    const track = await call(`/tracks/${album.trackIds[0]}`);
    expect(track.status).toBe(200);
    const truth = controls.truth.releases({ sinceMs: now, artistIds: [artistId] });
    expect(truth.map((a) => a.id)).toContain(album.id);
    const listed: string[] = [];
    for (let offset = 0; offset < 200; offset += 10) {
      const page = await call(`/artists/${artistId}/albums?limit=10&offset=${offset}`);
      expect(page.status).toBe(200);
      listed.push(...page.body.items.map((a: { id: string }) => a.id));
      if (page.body.next === null) break;
    }
    expect(listed).toContain(album.id);
  });

  it('adds month-precision singles and explicit/clean pairs with markets', async () => {
    const mock = await startGenerated({ seed: 7, worldOptions: { size: 'tiny' } });
    const { controls } = mock;
    const call = api(mock);
    const artistId = [...mock.world.artists.keys()][1] as string;
    const single = controls.catalog.addRelease({
      artistId,
      type: 'single',
      releaseDate: '2003-02',
      markets: ['SE', 'DE'],
      explicitAndClean: true,
    });
    expect(single.releaseDatePrecision).toBe('month');
    expect(single.trackIds).toHaveLength(1);
    expect(single.explicit).toBe(true);
    expect(single.markets).toEqual(['DE', 'SE']);
    const clean = [...mock.world.albums.values()].find((a) => a.cleanVersionOf === single.id);
    expect(clean?.explicit).toBe(false);
    const served = await call(`/albums/${single.id}`);
    expect(served.body.release_date).toBe('2003-02');
    expect(controls.truth.releases({ sinceMs: controls.clock.now() }).map((a) => a.id)).toEqual(
      expect.arrayContaining([single.id, clean?.id]),
    );
  });

  it('rejects bad input with typed errors', async () => {
    const mock = await startGenerated({ seed: 7, worldOptions: { size: 'tiny' } });
    const artistId = mock.world.artists.keys().next().value as string;
    const attempt = (release: unknown) => {
      try {
        mock.controls.catalog.addRelease(release as never);
      } catch (error) {
        return isMockError(error) ? error.code : 'other';
      }
      return 'none';
    };
    expect(attempt({ artistId: 'nobody', type: 'album', releaseDate: '2001' })).toBe(
      'UNKNOWN_ARTIST',
    );
    expect(attempt({ artistId, type: 'album', releaseDate: '2001-13' })).toBe('INVALID_OPTIONS');
    expect(attempt({ artistId, type: 'album', releaseDate: '2001-02-30' })).toBe('INVALID_OPTIONS');
    expect(attempt({ artistId, type: 'ep', releaseDate: '2001' })).toBe('INVALID_OPTIONS');
    expect(attempt({ artistId, type: 'album', releaseDate: '2001', tracks: 0 })).toBe(
      'INVALID_OPTIONS',
    );
  });
});

describe('random 429 faults', () => {
  it('carry Retry-After: 1 by default and the configured value', async () => {
    const mock = await start();
    const call = api(mock);
    mock.controls.faults.set({ errorRate: 1, statuses: [429] });
    const first = await call('/me');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    mock.controls.faults.set({ errorRate: 1, statuses: [429], retryAfterSeconds: 7 });
    const second = await call('/me');
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('7');
    mock.controls.faults.set({ errorRate: 1, statuses: [503], retryAfterSeconds: 7 });
    expect((await call('/me')).headers.get('retry-after')).toBeNull();
  });
});
