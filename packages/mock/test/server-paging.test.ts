import { describe, expect, it } from 'vitest';
import { fixtureId } from './fixtures/tiny-world.js';
import { api, start } from './helpers.js';

describe('offset paging', () => {
  it('walks saved tracks with next links until null, newest first', async () => {
    const mock = await start();
    const call = api(mock);
    const seen: string[] = [];
    const addedAt: string[] = [];
    let path: string | null = '/me/tracks?limit=7';
    let pages = 0;
    while (path !== null) {
      const page = await call(path);
      expect(page.status).toBe(200);
      for (const item of page.body.items) {
        seen.push(item.track.id);
        addedAt.push(item.added_at);
      }
      path = page.body.next === null ? null : page.body.next.slice(mock.apiUrl.length);
      pages++;
    }
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(pages).toBe(5);
    expect([...addedAt].sort().reverse()).toEqual(addedAt);
    const second = await call('/me/tracks?limit=7&offset=7');
    expect(second.body.previous).toContain('offset=0');
    expect(second.body.total).toBe(30);
  });

  it('rejects limits outside 1..50', async () => {
    const call = api(await start());
    expect((await call('/me/tracks?limit=51')).status).toBe(400);
    expect((await call('/me/tracks?limit=0')).status).toBe(400);
    expect((await call('/me/top/artists?limit=51')).body).toEqual({
      error: { status: 400, message: 'Invalid limit' },
    });
    expect((await call('/me/top/artists?time_range=forever')).status).toBe(400);
  });

  it('serves top items per time range from the history', async () => {
    const call = api(await start());
    const short = await call('/me/top/tracks?time_range=short_term&limit=50');
    expect(short.status).toBe(200);
    expect(short.body.items.length).toBeGreaterThan(0);
    const artists = await call('/me/top/artists');
    expect(artists.body.items[0].type).toBe('artist');
  });
});

describe('cursor paging', () => {
  it('follows followed artists with the after cursor', async () => {
    const mock = await start();
    const call = api(mock);
    const first = await call('/me/following?type=artist&limit=4');
    expect(first.body.artists.items).toHaveLength(4);
    expect(first.body.artists.total).toBe(6);
    const after = first.body.artists.cursors.after as string;
    const second = await call(`/me/following?type=artist&limit=4&after=${after}`);
    expect(second.body.artists.items).toHaveLength(2);
    expect(second.body.artists.next).toBeNull();
    expect(second.body.artists.cursors.after).toBeNull();
    const all = [...first.body.artists.items, ...second.body.artists.items].map(
      (a: { id: string }) => a.id,
    );
    expect(new Set(all).size).toBe(6);
    expect((await call('/me/following?type=user')).status).toBe(400);
    expect((await call('/me/following?type=artist&limit=51')).status).toBe(400);
  });

  it('serves the last 50 plays of at least 30 s with after/before cursors', async () => {
    const mock = await start();
    const call = api(mock);
    const truth = mock.controls.truth.plays('user0').filter((p) => p.msPlayed >= 30_000);
    const last50 = truth.slice(-50);
    const page = await call('/me/player/recently-played?limit=50');
    expect(page.status).toBe(200);
    const playedAt = page.body.items.map((i: { played_at: string }) => Date.parse(i.played_at));
    expect(playedAt).toEqual(last50.map((p) => p.endedAtMs).reverse());
    // Older than the last 50 is gone, even with a before cursor.
    const oldest = last50[0]?.endedAtMs ?? 0;
    const before = await call(`/me/player/recently-played?before=${oldest}`);
    expect(before.body.items).toEqual([]);
    expect(before.body.cursors).toBeNull();
    // after: only newer plays, and the cursors point at the page's ends.
    const cut = last50[44]?.endedAtMs ?? 0;
    const after = await call(`/me/player/recently-played?after=${cut}`);
    expect(after.body.items).toHaveLength(5);
    expect(after.body.cursors.after).toBe(String(last50[49]?.endedAtMs));
    expect(after.body.cursors.before).toBe(String(last50[45]?.endedAtMs));
    const next = await call(page.body.next.slice(mock.apiUrl.length));
    expect(next.body.items).toEqual([]);
    const both = await call('/me/player/recently-played?after=1&before=2');
    expect(both.status).toBe(400);
  });
});

describe('artist albums', () => {
  it('returns market editions separately without a market and filters with one', async () => {
    const mock = await start({ profile: 'extended' });
    const call = api(mock);
    const artist = fixtureId('Art', 0);
    const all = await call(`/artists/${artist}/albums?limit=50`);
    const names = all.body.items.map((a: { name: string }) => a.name);
    // Record 0 (US/GB) and Record 2 (JP) are one release in two markets; Record 3 is unreleased.
    expect(names).toEqual(expect.arrayContaining(['Record 0', 'Record 2', 'Record 1', 'Record 4']));
    expect(names).not.toContain('Record 3');
    const jp = await call(`/artists/${artist}/albums?market=JP&limit=50`);
    expect(jp.body.items.map((a: { name: string }) => a.name)).toEqual(['Record 2']);
    const singles = await call(`/artists/${artist}/albums?include_groups=single`);
    expect(singles.body.items.map((a: { album_group: string }) => a.album_group)).toEqual([
      'single',
    ]);
    const appears = await call(`/artists/${artist}/albums?include_groups=appears_on`);
    expect(appears.body.items.map((a: { name: string }) => a.name)).toEqual(['Record 4']);
    expect((await call(`/artists/${artist}/albums?include_groups=bogus`)).status).toBe(400);
  });

  it('caps the limit at 10 in development-2026 and 50 in extended', async () => {
    const artist = fixtureId('Art', 5);
    const dev = api(await start());
    expect((await dev(`/artists/${artist}/albums?limit=50`)).status).toBe(400);
    const page = await dev(`/artists/${artist}/albums`);
    expect(page.body.limit).toBe(5);
    expect(page.body.items).toHaveLength(5);
    expect((await dev(`/artists/${artist}/albums?limit=10`)).body.items).toHaveLength(10);
    const ext = api(await start({ profile: 'extended' }));
    expect((await ext(`/artists/${artist}/albums?limit=50`)).body.items).toHaveLength(16);
  });
});

describe('search', () => {
  it('finds tracks and artists with development limits', async () => {
    const call = api(await start());
    const result = await call('/search?q=artist%205&type=artist,track');
    expect(result.status).toBe(200);
    expect(result.body.artists.items.map((a: { name: string }) => a.name)).toEqual(['Artist 5']);
    expect(result.body.tracks.limit).toBe(5);
    expect(result.body.tracks.items).toHaveLength(5);
    expect((await call('/search?q=a&type=track&limit=11')).status).toBe(400);
    expect((await call('/search?q=a&type=track&offset=1001')).status).toBe(400);
    expect((await call('/search?type=track')).status).toBe(400);
    const field = await call('/search?q=album:%22record%207%22&type=album');
    expect(field.body.albums.items.map((a: { name: string }) => a.name)).toEqual(['Record 7']);
  });
});
