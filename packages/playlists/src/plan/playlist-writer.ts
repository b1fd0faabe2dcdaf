/** One entry of a playlist page as Spotify returns it (2026 `item`, older `track`). */
export interface PlaylistEntryLike {
  readonly item?: { readonly uri: string } | null | undefined;
  readonly track?: { readonly uri: string } | null | undefined;
}

/**
 * How a read may be answered: `no-cache` asks Spotify even when a cached copy is still fresh
 * (reads that guard a write use it). Writers without a cache ignore it.
 */
export interface ReadCacheOption {
  readonly cache?: 'default' | 'no-cache' | undefined;
}

/** One of the user's playlists as `GET /me/playlists` lists it (only these fields are read). */
export interface PlaylistSummaryLike {
  readonly id: string;
  readonly description?: string | null | undefined;
}

/**
 * The few Spotify calls a smart playlist needs. `@spoti/client`'s `SpotifyClient` satisfies it as
 * it is; `reorderPlaylistItems` is optional (without it, plans re-insert out-of-order tracks
 * instead of moving them).
 */
export interface PlaylistWriter {
  /** `POST /me/playlists`. */
  createPlaylist(params: {
    name: string;
    description?: string | undefined;
    public?: boolean | undefined;
  }): Promise<{ id: string; snapshot_id: string }>;
  /** `GET /playlists/{id}` (only `snapshot_id` is read). */
  getPlaylist(playlistId: string, options?: ReadCacheOption): Promise<{ snapshot_id: string }>;
  /** `GET /playlists/{id}/items`, one page. */
  getPlaylistItems(
    playlistId: string,
    params: { limit?: number | undefined; offset?: number | undefined } & ReadCacheOption,
  ): Promise<{ items: readonly PlaylistEntryLike[]; total: number; next: string | null }>;
  /**
   * `GET /me/playlists`, one page: used to find a smart playlist again by the marker in its
   * description when its id was lost (a create whose answer never came, a map write that failed).
   */
  getMyPlaylists(
    params: { limit?: number | undefined; offset?: number | undefined } & ReadCacheOption,
  ): Promise<{ items: readonly PlaylistSummaryLike[]; total: number; next: string | null }>;
  /** `POST /playlists/{id}/items` (at most 100 URIs are passed per call). */
  addPlaylistItems(
    playlistId: string,
    uris: readonly string[],
    options?: { position?: number | undefined },
  ): Promise<{ snapshot_id: string }>;
  /** `DELETE /playlists/{id}/items` (at most 100 URIs per call), guarded by `snapshotId`. */
  removePlaylistItems(
    playlistId: string,
    uris: readonly string[],
    options?: { snapshotId?: string | undefined },
  ): Promise<{ snapshot_id: string }>;
  /** `PUT /playlists/{id}/items` with `uris` (at most 100 URIs per call). */
  replacePlaylistItems(
    playlistId: string,
    uris: readonly string[],
  ): Promise<{ snapshot_id: string }>;
  /** `PUT /playlists/{id}/items` with `range_start`, `insert_before`, `range_length`, `snapshot_id`. */
  reorderPlaylistItems?(
    playlistId: string,
    params: {
      rangeStart: number;
      insertBefore: number;
      rangeLength?: number | undefined;
      snapshotId?: string | undefined;
    },
  ): Promise<{ snapshot_id: string }>;
}

/**
 * Where each smart playlist's Spotify playlist id is kept (slug -> id), so a rule owns exactly
 * one Spotify playlist. Back it with your database; {@link createMemoryPlaylistMap} keeps it in
 * memory.
 */
export interface PlaylistMap {
  get(slug: string): Promise<string | null> | string | null;
  set(slug: string, playlistId: string): Promise<void> | void;
}

/**
 * An in-memory {@link PlaylistMap}.
 *
 * @example
 * ```ts
 * import { createMemoryPlaylistMap } from '@spoti/playlists';
 * const map = createMemoryPlaylistMap({ 'most-played': '37i9dQZF1DXcBWIGoYBM5M' });
 * ```
 */
export function createMemoryPlaylistMap(
  initial: Readonly<Record<string, string>> = {},
): PlaylistMap & { entries(): Record<string, string> } {
  const map = new Map(Object.entries(initial));
  return {
    get: (slug) => map.get(slug) ?? null,
    set: (slug, id) => {
      map.set(slug, id);
    },
    entries: () => Object.fromEntries(map),
  };
}
