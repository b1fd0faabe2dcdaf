/** What one method of {@link SpotifyClient} needs from the user's grant. */
export interface ScopeRequirement {
  /**
   * The call fails with a 403 unless the token has at least one of these (which one depends on
   * the item: a private or a public playlist, a track or an artist). Empty: no scope is needed.
   */
  readonly anyOf: readonly string[];
  /** Scopes that are not needed but let the call see more (private playlists, the e-mail). */
  readonly optional: readonly string[];
}

const none: ScopeRequirement = { anyOf: [], optional: [] };
const need = (...anyOf: string[]): ScopeRequirement => ({ anyOf, optional: [] });
const playlistRead = ['playlist-read-private', 'playlist-read-collaborative'];
const playlistModify = ['playlist-modify-public', 'playlist-modify-private'];

/**
 * The OAuth scopes each user-data method of {@link SpotifyClient} needs, as Spotify documents
 * them. Ask for the union of the methods you call when building the authorize URL; a 403 for a
 * missing scope names it in `SpotifyError.missingScopes`. Catalog methods (`getArtist`,
 * `search`, ...) and client-credentials calls need none.
 *
 * @example
 * ```ts
 * const scopes = [...new Set(
 *   (['getTopTracks', 'getRecentlyPlayed', 'getSavedTracks'] as const).flatMap(
 *     (m) => SCOPES_BY_METHOD[m].anyOf,
 *   ),
 * )];
 * const url = buildAuthorizeUrl({ clientId, redirectUri, scopes, state, codeChallenge });
 * ```
 */
export const SCOPES_BY_METHOD = {
  getMe: { anyOf: [], optional: ['user-read-private', 'user-read-email'] },
  getTopArtists: need('user-top-read'),
  getTopTracks: need('user-top-read'),
  getRecentlyPlayed: need('user-read-recently-played'),
  getSavedTracks: need('user-library-read'),
  getSavedAlbums: need('user-library-read'),
  getFollowedArtists: need('user-follow-read'),
  saveToLibrary: {
    anyOf: ['user-library-modify', 'user-follow-modify', 'playlist-modify-public'],
    optional: [],
  },
  removeFromLibrary: {
    anyOf: ['user-library-modify', 'user-follow-modify', 'playlist-modify-public'],
    optional: [],
  },
  libraryContains: {
    anyOf: ['user-library-read', 'user-follow-read', 'playlist-read-private'],
    optional: [],
  },
  saveLibraryItems: need('user-library-modify'),
  removeLibraryItems: need('user-library-modify'),
  libraryItemsContain: need('user-library-read'),
  getMyPlaylists: { anyOf: [], optional: playlistRead },
  createPlaylist: need(...playlistModify),
  getPlaylist: { anyOf: [], optional: ['playlist-read-private'] },
  getPlaylistItems: need(...playlistRead),
  addPlaylistItems: need(...playlistModify),
  removePlaylistItems: need(...playlistModify),
  replacePlaylistItems: need(...playlistModify),
  reorderPlaylistItems: need(...playlistModify),
  getArtist: none,
  getArtistAlbums: none,
  getAlbum: none,
  getAlbumTracks: none,
  getTrack: none,
  search: none,
  getArtists: none,
  getTracks: none,
  getAlbums: none,
  getAudioFeatures: none,
} as const satisfies Record<string, ScopeRequirement>;

/** A method listed in {@link SCOPES_BY_METHOD}. */
export type ScopedMethod = keyof typeof SCOPES_BY_METHOD;

/**
 * The scopes that allow a `/me/library` call for these URIs: `user-library-modify` (or `-read`)
 * for tracks, albums, episodes, shows and audiobooks, `user-follow-*` for artists and users,
 * `playlist-*` for playlists.
 */
export function libraryScopesFor(uris: readonly string[], write: boolean): readonly string[] {
  const out = new Set<string>();
  for (const uri of uris) {
    const type = uri.split(':')[1];
    if (type === 'artist' || type === 'user')
      out.add(write ? 'user-follow-modify' : 'user-follow-read');
    else if (type === 'playlist')
      out.add(write ? 'playlist-modify-public' : 'playlist-read-private');
    else out.add(write ? 'user-library-modify' : 'user-library-read');
  }
  return [...out];
}
