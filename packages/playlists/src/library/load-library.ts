import type { Album, Artist, CatalogStore, Track } from '@spoti/catalog';
import { z } from 'zod';
import { PlaylistsError } from '../errors/playlists-error.js';
import type { LibraryInput } from './library.js';

/** Options of {@link loadLibrary}. */
export interface LoadLibraryOptions {
  /** The listener. */
  readonly userId: string;
  /** Playlists to load (for `inPlaylist`); their tracks join the library. */
  readonly playlistIds?: readonly string[];
  /** More tracks to include besides saved, played and playlist tracks. */
  readonly trackIds?: readonly string[];
  /** Only plays with `endedAt >= from` (Unix ms). */
  readonly from?: number;
}

const optionsSchema = z.object({
  userId: z.string().min(1),
  playlistIds: z.array(z.string().min(1)).default([]),
  trackIds: z.array(z.string().min(1)).default([]),
  from: z.number().int().optional(),
});

/**
 * Reads a listener's library from a `@spoti/catalog` store: saved tracks, the play log, the
 * named playlists, and every track, album and artist they reference. Pass the result to
 * `createLibraryIndex`. Plays are read once, in the store's order.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from '@spoti/catalog';
 * import { createLibraryIndex, loadLibrary } from '@spoti/playlists';
 * const store = createMemoryStore();
 * const library = await loadLibrary(store, { userId: 'u1' });
 * const index = createLibraryIndex(library, { now: Date.now() });
 * ```
 */
export async function loadLibrary(
  store: CatalogStore,
  options: LoadLibraryOptions,
): Promise<LibraryInput> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new PlaylistsError({
      code: 'INVALID_OPTIONS',
      message: `Invalid loadLibrary options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    });
  }
  const { userId, playlistIds, trackIds, from } = parsed.data;
  const likes = await store.listLikes(userId);
  const plays = await store.listPlays(from === undefined ? { userId } : { userId, from });
  const playlists = [];
  for (const id of playlistIds) {
    const playlist = await store.getPlaylist(id);
    if (playlist === null) {
      throw new PlaylistsError({
        code: 'INVALID_OPTIONS',
        message: `Playlist "${id}" is not in the store`,
      });
    }
    playlists.push(playlist);
  }
  const ids = new Set<string>(trackIds);
  for (const like of likes) ids.add(like.trackId);
  for (const play of plays) if (play.trackId !== null) ids.add(play.trackId);
  for (const playlist of playlists) for (const item of playlist.items) ids.add(item.trackId);
  const tracks: Track[] = [];
  const albumIds = new Set<string>();
  const artistIds = new Set<string>();
  for (const id of ids) {
    const track = await store.getTrack(id);
    if (track === null) continue;
    tracks.push(track);
    if (track.albumId !== null) albumIds.add(track.albumId);
    for (const a of track.artistIds) artistIds.add(a);
  }
  const albums: Album[] = [];
  for (const id of albumIds) {
    const album = await store.getAlbum(id);
    if (album !== null) albums.push(album);
  }
  const artists: Artist[] = [];
  for (const id of artistIds) {
    const artist = await store.getArtist(id);
    if (artist !== null) artists.push(artist);
  }
  return { tracks, albums, artists, likes, plays, playlists };
}
