import { type Album, type Track, can, isVisibleTo } from '@spoti/catalog';
import type { ApiUser } from '../auth.js';
import { ApiProblem } from '../problem.js';
import type { ApiServices } from '../services.js';

/** The artist profile whose private songs the caller may see (null: none). */
export function viewerOf(user: ApiUser | null): string | null {
  return user?.artistId ?? null;
}

/** The catalog's view of the caller, for `can()` (admins act through their artist profile). */
function catalogUser(user: ApiUser | null) {
  if (user === null) return null;
  return {
    role: user.artistId === null ? ('listener' as const) : ('artist' as const),
    artistId: user.artistId,
  };
}

/** A song the caller may see, or a 404 (a private song of someone else does not exist for them). */
export async function visibleSong(
  services: ApiServices,
  id: string,
  user: ApiUser | null,
): Promise<Track> {
  const track = await services.ctx.database.catalog.getTrack(id);
  if (track === null || !isVisibleTo(track, viewerOf(user)))
    throw new ApiProblem('NOT_FOUND', `No song with id ${id}`);
  return track;
}

/** An album, or a 404. */
export async function existingAlbum(services: ApiServices, id: string): Promise<Album> {
  const album = await services.ctx.database.catalog.getAlbum(id);
  if (album === null) throw new ApiProblem('NOT_FOUND', `No album with id ${id}`);
  return album;
}

/** The caller's artist profile id, or a 403 naming how to get one. */
export function actingArtist(user: ApiUser): string {
  if (user.artistId === null)
    throw new ApiProblem('FORBIDDEN', 'This needs an artist profile: POST /api/v1/me/artist');
  return user.artistId;
}

/**
 * A song the caller may change: its owning artist (through `can`), or an admin (moderation).
 * Someone else's private song is a 404, a public one a 403.
 */
export async function changeableSong(
  services: ApiServices,
  id: string,
  user: ApiUser,
): Promise<Track> {
  const track = await visibleSong(services, id, user);
  if (user.role === 'admin') return track;
  const decision = can(catalogUser(user), 'update', { kind: 'track', track });
  if (!decision.allowed)
    throw new ApiProblem('FORBIDDEN', `Only the song's artist may change it (${decision.reason})`);
  return track;
}

/** An album the caller may change: its primary artist, or an admin. */
export async function changeableAlbum(
  services: ApiServices,
  id: string,
  user: ApiUser,
): Promise<Album> {
  const album = await existingAlbum(services, id);
  if (user.role === 'admin') return album;
  const decision = can(catalogUser(user), 'update', { kind: 'album', album });
  if (!decision.allowed)
    throw new ApiProblem('FORBIDDEN', `Only the album's artist may change it (${decision.reason})`);
  return album;
}
