import type { MockServer } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSpotifyError, type SpotifyClient } from '../src/index.js';
import { albumIds, artistIds, mock, profiles, trackIds, userClient } from './helpers.js';

describe.each(profiles)('endpoints against the %s profile', (profile) => {
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

  it('reads the current user', async () => {
    const me = await client.getMe();
    expect(me.type).toBe('user');
    expect(server.world.users.has(me.id)).toBe(true);
  });

  it.each(['short_term', 'medium_term', 'long_term'] as const)(
    'reads top artists and tracks (%s)',
    async (timeRange) => {
      const artists = await client.getTopArtists({ timeRange, limit: 5 });
      const tracks = await client.getTopTracks({ timeRange, limit: 5 });
      expect(artists.items.length).toBeGreaterThan(0);
      expect(artists.items.length).toBeLessThanOrEqual(5);
      expect(tracks.items.every((t) => t.type === 'track')).toBe(true);
    },
  );

  it('pages recently played with cursors, never sending after and before together', async () => {
    const seen: string[] = [];
    for await (const play of client.paginate(
      client.getRecentlyPlayed,
      { limit: 10 },
      { maxItems: 25 },
    )) {
      seen.push(play.played_at);
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThanOrEqual(25);
    const sorted = [...seen].sort().reverse();
    expect(seen).toEqual(sorted);
    const log = server.controls.requests.log().filter((e) => e.path.endsWith('/recently-played'));
    expect(log.every((e) => !(e.query.after && e.query.before))).toBe(true);
    // Bad arguments reject (never throw synchronously).
    await expect(client.getRecentlyPlayed({ after: 1, before: 2 })).rejects.toThrow(
      /either after or before/,
    );
  });

  it('pages saved tracks by offset up to maxItems', async () => {
    const first = await client.getSavedTracks({ limit: 5 });
    const want = Math.min(first.total, 12);
    const items = [];
    for await (const saved of client.paginate(
      client.getSavedTracks,
      { limit: 5 },
      { maxItems: 12 },
    )) {
      items.push(saved);
    }
    expect(items).toHaveLength(want);
    expect(new Set(items.map((s) => s.track.id)).size).toBe(want);
  });

  it('reads saved albums and followed artists (cursor)', async () => {
    const albums = await client.getSavedAlbums({ limit: 3 });
    expect(albums.items.every((s) => typeof s.added_at === 'string')).toBe(true);
    const followed = [];
    for await (const artist of client.paginate(
      client.getFollowedArtists,
      { limit: 2 },
      { maxItems: 5 },
    )) {
      followed.push(artist.id);
    }
    expect(new Set(followed).size).toBe(followed.length);
  });

  it('stops paging when the signal aborts', async () => {
    const controller = new AbortController();
    const got: string[] = [];
    await expect(async () => {
      for await (const saved of client.paginate(
        client.getSavedTracks,
        { limit: 2 },
        { signal: controller.signal },
      )) {
        got.push(saved.track.id);
        if (got.length === 3) controller.abort();
      }
    }).rejects.toSatisfy((e: unknown) => isSpotifyError(e) && e.code === 'ABORTED');
    expect(got.length).toBe(3);
  });

  it('reads artist, artist albums within the mode page limit, album, album tracks and track', async () => {
    const [artistId] = artistIds(server, 1);
    const artist = await client.getArtist(artistId!);
    expect(artist.id).toBe(artistId);
    const albums = await client.getArtistAlbums(artistId!, {
      limit: 50,
      includeGroups: ['album', 'single'],
    });
    expect(albums.limit).toBeLessThanOrEqual(profile === 'extended' ? 50 : 10);
    const [albumId] = albumIds(server, 1);
    const album = await client.getAlbum(albumId!);
    expect(['day', 'month', 'year']).toContain(album.release_date_precision);
    const tracks = await client.getAlbumTracks(albumId!, { limit: 5 });
    expect(tracks.items.length).toBeGreaterThan(0);
    const track = await client.getTrack(tracks.items[0]!.id);
    expect(track.album.id).toBe(albumId);
  });

  it('searches within the mode limit (a limit of 50 does not turn into a 400)', async () => {
    const result = await client.search({ q: 'a', type: ['track', 'artist'], limit: 50 });
    expect(result.tracks?.items.length ?? 0).toBeLessThanOrEqual(profile === 'extended' ? 50 : 10);
    expect(result.artists).toBeDefined();
  });

  it('maps a 404 to not_found with the request on the error', async () => {
    const error = await client.getArtist('doesnotexist0000000000').catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('NOT_FOUND');
    expect(isSpotifyError(error) && error.request).toEqual({
      method: 'GET',
      path: '/artists/doesnotexist0000000000',
    });
  });

  it('creates a playlist and adds, removes and replaces items in chunks of 100', async () => {
    const uris = trackIds(server, 230).map((id) => `spotify:track:${id}`);
    const playlist = await client.createPlaylist({ name: 'chunked', description: 'test' });
    client.resetCallCounts();
    const added = await client.addPlaylistItems(playlist.id, uris);
    expect(client.callCounts()['POST /playlists/{id}/items']).toBe(3);
    expect(added.snapshot_id).not.toBe(playlist.snapshot_id);
    expect((await client.getPlaylistItems(playlist.id, { limit: 1 })).total).toBe(230);
    const removed = await client.removePlaylistItems(playlist.id, uris.slice(0, 120), {
      snapshotId: added.snapshot_id,
    });
    expect(client.callCounts()['DELETE /playlists/{id}/items']).toBe(2);
    expect(typeof removed.snapshot_id).toBe('string');
    expect((await client.getPlaylistItems(playlist.id, { limit: 1 })).total).toBe(110);
    await client.replacePlaylistItems(playlist.id, uris.slice(0, 150));
    const page = await client.getPlaylistItems(playlist.id, { limit: 50, offset: 100 });
    expect(page.total).toBe(150);
    const first = page.items[0];
    expect((first?.item ?? first?.track)?.id).toBe(trackIds(server, 150)[100]);
    const mine = [];
    for await (const p of client.paginate(client.getMyPlaylists, { limit: 50 })) mine.push(p.id);
    expect(mine).toContain(playlist.id);
  });

  it('saves, checks and removes library items by URI', async () => {
    const uris = trackIds(server, 45)
      .slice(-3)
      .map((id) => `spotify:track:${id}`);
    await client.removeFromLibrary(uris);
    expect(await client.libraryContains(uris)).toEqual([false, false, false]);
    await client.saveToLibrary(uris);
    expect(await client.libraryContains(uris)).toEqual([true, true, true]);
    await client.removeFromLibrary(uris.slice(0, 1));
    expect(await client.libraryContains(uris)).toEqual([false, true, true]);
  });
});
