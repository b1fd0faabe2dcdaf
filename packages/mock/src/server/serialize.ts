import type {
  WorldAlbum,
  WorldArtist,
  WorldPlaylist,
  WorldTrack,
  WorldUser,
} from '../world/types.js';
import type { ServeState } from './context.js';
import { albumTrackCount, albumTracks, playableIn } from './lookup.js';
import { hashText } from '../world/prng.js';

type Json = Record<string, unknown>;

const WEB = 'https://open.spotify.com';

function ext(kind: string, id: string): Json {
  return { spotify: `${WEB}/${kind}/${id}` };
}

function isDev(state: ServeState): boolean {
  return state.profile === 'development-2026';
}

/** In development-2026, a deterministic share (about 60 %) of artists is served without genres. */
export function servedGenres(state: ServeState, artist: WorldArtist): readonly string[] {
  if (isDev(state) && hashText(artist.id) % 100 < 60) return [];
  return artist.genres;
}

export function simplifiedArtist(state: ServeState, id: string): Json {
  const artist = state.world.artists.get(id);
  return {
    external_urls: ext('artist', id),
    href: `${state.api}/artists/${id}`,
    id,
    name: artist?.name ?? '',
    type: 'artist',
    uri: `spotify:artist:${id}`,
  };
}

export function fullArtist(state: ServeState, artist: WorldArtist): Json {
  const dev = isDev(state);
  return {
    external_urls: ext('artist', artist.id),
    ...(dev ? {} : { followers: { href: null, total: artist.followers } }),
    genres: [...servedGenres(state, artist)],
    href: `${state.api}/artists/${artist.id}`,
    id: artist.id,
    images: [],
    name: artist.name,
    ...(dev ? {} : { popularity: artist.popularity }),
    type: 'artist',
    uri: `spotify:artist:${artist.id}`,
  };
}

export function simplifiedAlbum(state: ServeState, album: WorldAlbum, albumGroup?: string): Json {
  const dev = isDev(state);
  return {
    album_type: album.albumType,
    total_tracks: albumTrackCount(state, album),
    ...(dev ? {} : { available_markets: [...album.markets] }),
    external_urls: ext('album', album.id),
    href: `${state.api}/albums/${album.id}`,
    id: album.id,
    images: [],
    name: album.name,
    release_date: album.releaseDate,
    release_date_precision: album.releaseDatePrecision,
    type: 'album',
    uri: `spotify:album:${album.id}`,
    artists: album.artistIds.map((id) => simplifiedArtist(state, id)),
    ...(albumGroup !== undefined && !dev ? { album_group: albumGroup } : {}),
  };
}

export function fullAlbum(state: ServeState, album: WorldAlbum): Json {
  const dev = isDev(state);
  const all = albumTracks(state, album);
  const tracks = all.slice(0, 50).map((track) => simplifiedTrack(state, track));
  const year = album.releaseDate.slice(0, 4);
  return {
    ...simplifiedAlbum(state, album),
    tracks: {
      href: `${state.api}/albums/${album.id}/tracks?offset=0&limit=50`,
      items: tracks,
      limit: 50,
      next: all.length > 50 ? `${state.api}/albums/${album.id}/tracks?offset=50&limit=50` : null,
      offset: 0,
      previous: null,
      total: all.length,
    },
    copyrights: [
      { text: `${year} ${album.label}`, type: 'C' },
      { text: `${year} ${album.label}`, type: 'P' },
    ],
    external_ids: { upc: album.upc },
    genres: [],
    ...(dev ? {} : { label: album.label, popularity: album.popularity }),
  };
}

/**
 * With a market (`state.market`): `is_playable`, and `restrictions: { reason: 'market' }` when the
 * track cannot be played there, as Spotify adds them when it applies track relinking.
 */
function playability(state: ServeState, track: WorldTrack): Json {
  if (state.market === undefined) return {};
  return playableIn(state, track, state.market)
    ? { is_playable: true }
    : { is_playable: false, restrictions: { reason: 'market' } };
}

export function simplifiedTrack(state: ServeState, track: WorldTrack): Json {
  const dev = isDev(state);
  const album = state.world.albums.get(track.albumId);
  return {
    artists: track.artistIds.map((id) => simplifiedArtist(state, id)),
    ...(dev ? {} : { available_markets: [...(album?.markets ?? [])] }),
    disc_number: track.discNumber,
    duration_ms: track.durationMs,
    explicit: track.explicit,
    external_urls: ext('track', track.id),
    href: `${state.api}/tracks/${track.id}`,
    id: track.id,
    ...playability(state, track),
    name: track.name,
    preview_url: null,
    track_number: track.trackNumber,
    type: 'track',
    uri: `spotify:track:${track.id}`,
    is_local: false,
  };
}

export function fullTrack(state: ServeState, track: WorldTrack, linkedFrom?: WorldTrack): Json {
  const dev = isDev(state);
  const album = state.world.albums.get(track.albumId);
  return {
    ...(album === undefined ? {} : { album: simplifiedAlbum(state, album) }),
    ...simplifiedTrack(state, track),
    external_ids: { isrc: track.isrc },
    ...(dev ? {} : { popularity: track.popularity }),
    ...(linkedFrom !== undefined && !dev
      ? {
          linked_from: {
            external_urls: ext('track', linkedFrom.id),
            href: `${state.api}/tracks/${linkedFrom.id}`,
            id: linkedFrom.id,
            type: 'track',
            uri: `spotify:track:${linkedFrom.id}`,
          },
        }
      : {}),
  };
}

export function audioFeatures(state: ServeState, track: WorldTrack): Json {
  const f = track.features;
  return {
    acousticness: f.acousticness,
    analysis_url: `${state.api}/audio-analysis/${track.id}`,
    danceability: f.danceability,
    duration_ms: track.durationMs,
    energy: f.energy,
    id: track.id,
    instrumentalness: f.instrumentalness,
    key: f.key,
    liveness: f.liveness,
    loudness: f.loudness,
    mode: f.mode,
    speechiness: f.speechiness,
    tempo: f.tempo,
    time_signature: f.timeSignature,
    track_href: `${state.api}/tracks/${track.id}`,
    type: 'audio_features',
    uri: `spotify:track:${track.id}`,
    valence: f.valence,
  };
}

export function userRef(state: ServeState, userId: string, withName: boolean): Json {
  const user = state.world.users.get(userId);
  return {
    external_urls: ext('user', userId),
    href: `${state.api}/users/${userId}`,
    id: userId,
    type: 'user',
    uri: `spotify:user:${userId}`,
    ...(withName ? { display_name: user?.displayName ?? userId } : {}),
  };
}

export function publicUser(state: ServeState, user: WorldUser): Json {
  return {
    display_name: user.displayName,
    external_urls: ext('user', user.id),
    followers: { href: null, total: 0 },
    href: `${state.api}/users/${user.id}`,
    id: user.id,
    images: [],
    type: 'user',
    uri: `spotify:user:${user.id}`,
  };
}

export function privateUser(state: ServeState, user: WorldUser, scopes: readonly string[]): Json {
  const dev = isDev(state);
  const priv = scopes.includes('user-read-private');
  return {
    ...(dev || !priv ? {} : { country: user.country }),
    display_name: user.displayName,
    ...(dev || !scopes.includes('user-read-email') ? {} : { email: user.email }),
    ...(priv ? { explicit_content: { filter_enabled: false, filter_locked: false } } : {}),
    external_urls: ext('user', user.id),
    followers: { href: null, total: 0 },
    href: `${state.api}/users/${user.id}`,
    id: user.id,
    images: [],
    ...(dev || !priv ? {} : { product: user.product }),
    type: 'user',
    uri: `spotify:user:${user.id}`,
  };
}

/** An opaque snapshot id that encodes the playlist's version. */
export function snapshotId(playlist: WorldPlaylist): string {
  return Buffer.from(`${playlist.version}:${playlist.id}`).toString('base64url');
}

/** The version a snapshot id names, or undefined when it is not one of this playlist's. */
export function snapshotVersion(playlist: WorldPlaylist, snapshot: string): number | undefined {
  const text = Buffer.from(snapshot, 'base64url').toString('utf8');
  const [version, id] = text.split(':');
  if (id !== playlist.id || version === undefined || !/^\d+$/.test(version)) return undefined;
  return Number(version);
}

export function simplifiedPlaylist(state: ServeState, playlist: WorldPlaylist): Json {
  const ref = (path: string) => ({
    href: `${state.api}/playlists/${playlist.id}/${path}`,
    total: playlist.items.length,
  });
  return {
    collaborative: playlist.collaborative,
    description: playlist.description,
    external_urls: ext('playlist', playlist.id),
    href: `${state.api}/playlists/${playlist.id}`,
    id: playlist.id,
    images: [],
    name: playlist.name,
    owner: userRef(state, playlist.ownerId, true),
    public: playlist.public,
    snapshot_id: snapshotId(playlist),
    items: ref('items'),
    tracks: ref('tracks'),
    type: 'playlist',
    uri: `spotify:playlist:${playlist.id}`,
  };
}

export function playlistItem(state: ServeState, item: WorldPlaylist['items'][number]): Json {
  const track = state.world.tracks.get(item.trackId);
  const served = track === undefined ? null : fullTrack(state, track);
  return {
    added_at: iso(item.addedAtMs),
    added_by: userRef(state, item.addedBy, false),
    is_local: false,
    item: served,
    track: served,
  };
}

/** Spotify's timestamps: ISO 8601 without milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** True when the user may read the playlist's contents under the profile. */
export function canReadContents(
  state: ServeState,
  playlist: WorldPlaylist,
  userId: string | undefined,
): boolean {
  if (state.profile === 'extended') return true;
  if (playlist.ownerId === userId) return true;
  const user = userId === undefined ? undefined : state.world.users.get(userId);
  return playlist.collaborative && (user?.playlistIds.includes(playlist.id) ?? false);
}
