import type { World, WorldAlbum, WorldArtist, WorldPlaylist, WorldTrack } from '../world/types.js';
import { ApiError } from './api-error.js';
import type { RouteContext, ServeState } from './context.js';

const ID = /^[0-9A-Za-z]{1,64}$/;

function checkId(id: string): void {
  if (!ID.test(id)) throw new ApiError(400, 'Invalid base62 id');
}

/** The album when it exists and is released at the mock's now. */
export function visibleAlbum(state: ServeState, id: string): WorldAlbum | undefined {
  const album = state.world.albums.get(id);
  if (album === undefined || !state.world.isReleased(id, state.now())) return undefined;
  return album;
}

/** The track when it exists, is released at the mock's now and was not removed. */
export function visibleTrack(state: ServeState, id: string): WorldTrack | undefined {
  const track = state.world.tracks.get(id);
  if (track === undefined || visibleAlbum(state, track.albumId) === undefined) return undefined;
  if (state.availability.isRemoved(id)) return undefined;
  return track;
}

/** The album's tracks in order, without removed ones. */
export function albumTracks(state: ServeState, album: WorldAlbum): WorldTrack[] {
  const out: WorldTrack[] = [];
  for (const id of album.trackIds) {
    const track = state.world.tracks.get(id);
    if (track !== undefined && !state.availability.isRemoved(id)) out.push(track);
  }
  return out;
}

/** The number of the album's tracks that were not removed. */
export function albumTrackCount(state: ServeState, album: WorldAlbum): number {
  if (state.availability.empty) return album.trackIds.length;
  let n = 0;
  for (const id of album.trackIds) if (!state.availability.isRemoved(id)) n++;
  return n;
}

/**
 * True when the track can be played in `market`: its album edition is sold there, and it was
 * neither removed nor restricted away from it.
 */
export function playableIn(state: ServeState, track: WorldTrack, market: string): boolean {
  const album = state.world.albums.get(track.albumId);
  if (album === undefined || !album.markets.includes(market)) return false;
  return state.availability.availableIn(track.id, market);
}

/**
 * The request's market for serialisation, without failing: a valid code, or `from_token` with a
 * user token. Routes that take a market validate it with {@link marketOf}.
 */
export function requestMarket(
  query: URLSearchParams,
  world: World,
  userId: string | undefined,
): string | undefined {
  const market = query.get('market');
  if (market === null || market === '') return undefined;
  if (market === 'from_token')
    return userId === undefined ? undefined : world.users.get(userId)?.country;
  return /^[A-Z]{2}$/.test(market) ? market : undefined;
}

export function requireAlbum(state: ServeState, id: string): WorldAlbum {
  checkId(id);
  const album = visibleAlbum(state, id);
  if (album === undefined) throw new ApiError(404, 'Resource not found');
  return album;
}

export function requireTrack(state: ServeState, id: string): WorldTrack {
  checkId(id);
  const track = visibleTrack(state, id);
  if (track === undefined) throw new ApiError(404, 'Resource not found');
  return track;
}

export function requireArtist(state: ServeState, id: string): WorldArtist {
  checkId(id);
  const artist = state.world.artists.get(id);
  if (artist === undefined) throw new ApiError(404, 'Resource not found');
  return artist;
}

/** The playlist; editorial playlists answer 403 in development-2026. */
export function requirePlaylist(state: ServeState, id: string): WorldPlaylist {
  checkId(id);
  const playlist = state.world.playlists.get(id);
  if (playlist === undefined) throw new ApiError(404, 'Resource not found');
  if (playlist.editorial && state.profile === 'development-2026')
    throw new ApiError(403, 'Forbidden');
  return playlist;
}

/** The `market` parameter: a country code, `from_token` (the user's country), or undefined. */
export function marketOf(ctx: RouteContext): string | undefined {
  const market = ctx.query.get('market');
  if (market === null || market === '') return undefined;
  if (market === 'from_token') {
    if (ctx.token?.userId === undefined) throw new ApiError(400, 'Invalid market code');
    return ctx.state.world.users.get(ctx.token.userId)?.country;
  }
  if (!/^[A-Z]{2}$/.test(market)) throw new ApiError(400, 'Invalid market code');
  return market;
}

/**
 * With a market: when the track's album edition is not sold there, the same track of an edition
 * that is and where it is playable (Spotify's track relinking), if any. A track that was removed
 * or restricted is not relinked: it is served with `is_playable: false`.
 */
export function relink(
  state: ServeState,
  track: WorldTrack,
  market: string | undefined,
): WorldTrack {
  if (market === undefined) return track;
  const album = state.world.albums.get(track.albumId);
  if (album === undefined || album.markets.includes(market)) return track;
  for (const other of state.world.albums.values()) {
    if (other.releaseGroupId !== album.releaseGroupId || other.id === album.id) continue;
    if (!other.markets.includes(market) || other.explicit !== album.explicit) continue;
    if (!state.world.isReleased(other.id, state.now())) continue;
    for (const trackId of other.trackIds) {
      const candidate = state.world.tracks.get(trackId);
      if (
        candidate !== undefined &&
        candidate.discNumber === track.discNumber &&
        candidate.trackNumber === track.trackNumber &&
        state.availability.availableIn(candidate.id, market)
      ) {
        return candidate;
      }
    }
  }
  return track;
}
