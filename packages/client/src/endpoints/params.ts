/** Common per-call options. */
export interface CallOptions {
  /** Aborts the call (queued, waiting or in flight). */
  signal?: AbortSignal | undefined;
}

/**
 * Options of reads that can guard a write (playlist reads): `cache: 'no-cache'` asks Spotify
 * even when a cached copy is still fresh, and does not join a read already in flight (a 304
 * still answers from the cache).
 *
 * @example
 * ```ts
 * const { snapshot_id } = await client.getPlaylist(playlistId, { cache: 'no-cache' });
 * ```
 */
export interface ReadOptions extends CallOptions {
  cache?: 'default' | 'no-cache' | undefined;
}

/** Offset paging parameters. */
export interface OffsetParams extends CallOptions {
  limit?: number | undefined;
  offset?: number | undefined;
}

/** A path segment, escaped. */
export const enc = encodeURIComponent;

/** A page limit between 1 and `max` (whole), or undefined to leave Spotify's default. */
export function clampLimit(limit: number | undefined, max: number): number | undefined {
  if (limit === undefined) return undefined;
  return Math.max(1, Math.min(max, Math.floor(limit)));
}
