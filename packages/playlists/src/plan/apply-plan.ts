import { PlaylistsError } from '../errors/playlists-error.js';
import type { PlaylistPlan } from './plan.js';
import type { PlaylistWriter } from './playlist-writer.js';

/** Outcome of {@link applyPlan}. */
export interface ApplyResult {
  /** The playlist's snapshot after the last write (the plan's when nothing was written). */
  readonly snapshotId: string | null;
  /** Write calls made. */
  readonly writeCalls: number;
}

/** A `SPOTIFY_FAILURE` naming the write that failed; the Spotify error is its `cause`. */
export function failure(step: number, total: number, error: unknown): PlaylistsError {
  const detail = error instanceof Error ? error.message : String(error);
  return new PlaylistsError({
    code: 'SPOTIFY_FAILURE',
    message: `Playlist write ${step + 1} of ${total} failed after ${step} succeeded: ${detail}`,
    cause: error,
  });
}

/**
 * Applies a plan to a Spotify playlist through a {@link PlaylistWriter} (a `SpotifyClient`
 * fits). Before the first write it checks, asking Spotify rather than a cache, that the playlist
 * is still at the plan's snapshot and throws `STALE_PLAN` otherwise; removals and moves are sent
 * with the latest snapshot id. A plan with no steps makes no call at all. A write that fails
 * throws `SPOTIFY_FAILURE` (its outcome may be unknown: read the playlist again before another
 * plan, as {@link syncSmartPlaylist} does).
 *
 * @example
 * ```ts
 * import { applyPlan, planPlaylistSync, readPlaylistItems, type PlaylistWriter } from '@spoti/playlists';
 * declare const client: PlaylistWriter; // e.g. a SpotifyClient from @spoti/client
 * const current = await readPlaylistItems(client, 'playlistId');
 * const plan = planPlaylistSync({ current, desired: ['4uLU6hMCjMI75M1A2tKUQC'] });
 * await applyPlan(client, 'playlistId', plan);
 * ```
 */
export async function applyPlan(
  writer: PlaylistWriter,
  playlistId: string,
  plan: PlaylistPlan,
): Promise<ApplyResult> {
  if (plan.steps.length === 0) return { snapshotId: plan.snapshotId, writeCalls: 0 };
  let snapshot = plan.snapshotId;
  if (snapshot !== null) {
    let live: string;
    try {
      live = (await writer.getPlaylist(playlistId, { cache: 'no-cache' })).snapshot_id;
    } catch (error) {
      throw failure(0, plan.steps.length, error);
    }
    if (live !== snapshot) {
      throw new PlaylistsError({
        code: 'STALE_PLAN',
        message: `Playlist ${playlistId} changed since it was read (snapshot ${live}, plan made at ${snapshot}); read it again and re-plan`,
      });
    }
  }
  const total = plan.steps.length;
  for (const [k, step] of plan.steps.entries()) {
    try {
      switch (step.kind) {
        case 'remove':
          snapshot = (
            await writer.removePlaylistItems(
              playlistId,
              step.uris,
              snapshot === null ? {} : { snapshotId: snapshot },
            )
          ).snapshot_id;
          break;
        case 'add':
          snapshot = (
            await writer.addPlaylistItems(
              playlistId,
              step.uris,
              step.position === null ? {} : { position: step.position },
            )
          ).snapshot_id;
          break;
        case 'replace':
          snapshot = (await writer.replacePlaylistItems(playlistId, step.uris)).snapshot_id;
          break;
        case 'move': {
          if (writer.reorderPlaylistItems === undefined) {
            throw new PlaylistsError({
              code: 'UNSUPPORTED_STEP',
              message: 'The plan moves items but the writer has no reorderPlaylistItems',
            });
          }
          snapshot = (
            await writer.reorderPlaylistItems(playlistId, {
              rangeStart: step.rangeStart,
              insertBefore: step.insertBefore,
              rangeLength: step.rangeLength,
              ...(snapshot === null ? {} : { snapshotId: snapshot }),
            })
          ).snapshot_id;
          break;
        }
      }
    } catch (error) {
      if (error instanceof PlaylistsError) throw error;
      throw failure(k, total, error);
    }
  }
  return { snapshotId: snapshot, writeCalls: total };
}

/**
 * Reads a playlist's snapshot id and every item URI (50 per page), re-reading when the playlist
 * changed while it was being read, so the items belong to the snapshot. Every read asks Spotify
 * (`cache: 'no-cache'`): a plan made from a cached copy could undo or repeat writes.
 *
 * @example
 * ```ts
 * import { readPlaylistItems, type PlaylistWriter } from '@spoti/playlists';
 * declare const client: PlaylistWriter;
 * const { snapshotId, uris } = await readPlaylistItems(client, 'playlistId');
 * ```
 */
export async function readPlaylistItems(
  writer: PlaylistWriter,
  playlistId: string,
): Promise<{ snapshotId: string; uris: (string | null)[] }> {
  for (let attempt = 0; ; attempt++) {
    const before = (await writer.getPlaylist(playlistId, { cache: 'no-cache' })).snapshot_id;
    const uris: (string | null)[] = [];
    for (let offset = 0; ; ) {
      const page = await writer.getPlaylistItems(playlistId, {
        limit: 50,
        offset,
        cache: 'no-cache',
      });
      for (const entry of page.items) uris.push(entry.item?.uri ?? entry.track?.uri ?? null);
      offset += page.items.length;
      if (page.next === null || page.items.length === 0 || offset >= page.total) break;
    }
    const after = (await writer.getPlaylist(playlistId, { cache: 'no-cache' })).snapshot_id;
    if (before === after || attempt >= 2) return { snapshotId: after, uris };
  }
}
