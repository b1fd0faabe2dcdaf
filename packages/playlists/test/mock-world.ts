import type { Album, Artist, Play, Track } from '@spoti/catalog';
import {
  createSpotifyClient,
  createMemoryTokenStore,
  type SpotifyClient,
  type SpotifyClientOptions,
  snapshotSchema,
} from '@spoti/client';
import type { MockServer } from '@spoti/mock';
import type { LibraryInput, PlaylistWriter } from '../src/index.js';

type World = MockServer['world'];

/** A listener's library as the catalog would hold it: saved and played tracks of the mock world. */
export function libraryFromWorld(world: World, userId: string, now: number): LibraryInput {
  const user = world.users.get(userId)!;
  const worldPlays = world.playsOf(userId, now);
  const trackIds = new Set<string>(user.savedTracks.keys());
  for (const p of worldPlays) trackIds.add(p.trackId);
  const tracks: Track[] = [];
  const albumIds = new Set<string>();
  const artistIds = new Set<string>();
  for (const id of trackIds) {
    const t = world.tracks.get(id);
    if (!t) continue;
    tracks.push({
      id: t.id,
      name: t.name,
      albumId: t.albumId,
      artistIds: t.artistIds,
      ownerArtistId: t.artistIds[0] ?? null,
      durationMs: t.durationMs,
      isrc: t.isrc,
      explicit: t.explicit,
      visibility: 'public',
      discNumber: t.discNumber,
      trackNumber: t.trackNumber,
      addedAt: 0,
    });
    albumIds.add(t.albumId);
    for (const a of t.artistIds) artistIds.add(a);
  }
  const albums: Album[] = [...albumIds].map((id) => {
    const a = world.albums.get(id)!;
    return {
      id: a.id,
      name: a.name,
      type: a.albumType,
      artistIds: a.artistIds,
      releaseDate: a.releaseDate,
      releaseDatePrecision: a.releaseDatePrecision,
      upc: a.upc,
      explicit: a.explicit,
      variantOfAlbumId: a.cleanVersionOf ?? null,
      genres: [],
      label: a.label,
      imageUrl: null,
      totalTracks: a.trackIds.length,
      addedAt: a.releasedAtMs,
    };
  });
  const artists: Artist[] = [...artistIds].map((id) => {
    const a = world.artists.get(id)!;
    return {
      id: a.id,
      name: a.name,
      genres: a.genres,
      ownerUserId: null,
      imageUrl: null,
      addedAt: 0,
    };
  });
  const plays: Play[] = worldPlays.map((p) => {
    const t = world.tracks.get(p.trackId)!;
    return {
      userId,
      trackId: p.trackId,
      trackName: t.name,
      artistIds: t.artistIds,
      artistName: world.artists.get(t.artistIds[0] ?? '')?.name ?? '',
      albumId: t.albumId,
      albumName: world.albums.get(t.albumId)?.name ?? null,
      endedAt: p.endedAtMs,
      msPlayed: p.msPlayed,
      skipped: p.skipped,
      reasonStart: p.reasonStart,
      reasonEnd: p.reasonEnd,
      shuffle: p.shuffle,
      offline: p.offline,
      offlineTimestamp: p.offlineTimestampMs === 0 ? null : p.offlineTimestampMs,
      platform: p.platform,
      source: 'export',
    };
  });
  const likes = [...user.savedTracks].map(([trackId, likedAt]) => ({ trackId, likedAt }));
  return { tracks, albums, artists, likes, plays };
}

/** The real client, logged in as the mock's consent user, with a generous local rate limit. */
export function clientFor(
  mock: MockServer,
  options: Partial<SpotifyClientOptions> = {},
): SpotifyClient {
  const issued = mock.controls.auth.issueTokens({ clientId: 'playlists-test' });
  return createSpotifyClient({
    apiBaseUrl: mock.apiUrl,
    accountsBaseUrl: mock.accountsUrl,
    clientId: 'playlists-test',
    mode: mock.profile === 'extended' ? 'extended' : 'development',
    tokenStore: createMemoryTokenStore({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: Date.now() + issued.expires_in * 1000,
    }),
    retry: { retries: 2, minTimeout: 5, maxTimeout: 20, factor: 2 },
    rateLimit: { allowance: 10_000, windowMs: 1000, maxConcurrent: 4 },
    timeoutMs: 5000,
    ...options,
  });
}

/** The client plus a `reorderPlaylistItems` made with its generic `request` (PUT range_start/insert_before). */
export function withReorder(client: SpotifyClient): PlaylistWriter {
  return {
    createPlaylist: (p) => client.createPlaylist(p),
    getPlaylist: (id, o) => client.getPlaylist(id, o),
    getPlaylistItems: (id, p) => client.getPlaylistItems(id, p),
    getMyPlaylists: (p) => client.getMyPlaylists(p),
    addPlaylistItems: (id, uris, o) => client.addPlaylistItems(id, uris, o),
    removePlaylistItems: (id, uris, o) => client.removePlaylistItems(id, uris, o),
    replacePlaylistItems: (id, uris) => client.replacePlaylistItems(id, uris),
    reorderPlaylistItems: (id, p) =>
      client.request({
        method: 'PUT',
        endpoint: 'PUT /playlists/{id}/items',
        path: `/playlists/${encodeURIComponent(id)}/items`,
        json: {
          range_start: p.rangeStart,
          insert_before: p.insertBefore,
          range_length: p.rangeLength ?? 1,
          ...(p.snapshotId ? { snapshot_id: p.snapshotId } : {}),
        },
        schema: snapshotSchema,
      }),
  };
}

/** Write requests (non-GET) the mock has served so far. */
export function writeRequests(mock: MockServer): number {
  return mock.controls.requests.log().filter((entry) => entry.method !== 'GET').length;
}

/**
 * A fetch that marks every successful GET fresh for an hour (Spotify sends playlists with
 * `max-age=0`): the worst case for a sync that trusts a cache.
 */
export const keptForAnHour: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await fetch(request);
  if (request.method !== 'GET' || response.status !== 200) return response;
  const headers = new Headers(response.headers);
  headers.set('cache-control', 'private, max-age=3600');
  return new Response(await response.text(), { status: 200, headers });
};
