import { z } from 'zod';
import { PlaylistsError } from '../errors/playlists-error.js';
import { type PlaylistPlan, planPlaylistSync } from './plan.js';
import type { PlaylistMap, PlaylistWriter } from './playlist-writer.js';

/** Outcome of {@link applyPlan}. */
export interface ApplyResult {
  /** The playlist's snapshot after the last write (the plan's when nothing was written). */
  readonly snapshotId: string | null;
  /** Write calls made. */
  readonly writeCalls: number;
}

function failure(step: number, total: number, error: unknown): PlaylistsError {
  const detail = error instanceof Error ? error.message : String(error);
  return new PlaylistsError({
    code: 'SPOTIFY_FAILURE',
    message: `Playlist write ${step + 1} of ${total} failed after ${step} succeeded: ${detail}`,
    cause: error,
  });
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Applies a plan to a Spotify playlist through a {@link PlaylistWriter} (a `SpotifyClient`
 * fits). Before the first write it checks that the playlist is still at the plan's snapshot and
 * throws `STALE_PLAN` otherwise; removals and moves are sent with the latest snapshot id. A plan
 * with no steps makes no call at all.
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
      live = (await writer.getPlaylist(playlistId)).snapshot_id;
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
 * changed while it was being read, so the items belong to the snapshot.
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
    const before = (await writer.getPlaylist(playlistId)).snapshot_id;
    const uris: (string | null)[] = [];
    for (let offset = 0; ; ) {
      const page = await writer.getPlaylistItems(playlistId, { limit: 50, offset });
      for (const entry of page.items) uris.push(entry.item?.uri ?? entry.track?.uri ?? null);
      offset += page.items.length;
      if (page.next === null || page.items.length === 0 || offset >= page.total) break;
    }
    const after = (await writer.getPlaylist(playlistId)).snapshot_id;
    if (before === after || attempt >= 2) return { snapshotId: after, uris };
  }
}

/** Options of {@link syncSmartPlaylist}. */
export interface SyncSmartPlaylistOptions {
  /** The Spotify side (a `SpotifyClient` fits). */
  readonly writer: PlaylistWriter;
  /** slug -> Spotify playlist id. */
  readonly map: PlaylistMap;
  /** The smart playlist's stable slug. */
  readonly slug: string;
  /** The wanted tracks (a `RuleResult` fits): ids or URIs, and whether order matters. */
  readonly result: { readonly trackIds: readonly string[]; readonly ordered: boolean };
  /** Name of the Spotify playlist when it is created (default: the slug). */
  readonly name?: string;
  /** Description of the Spotify playlist when it is created. */
  readonly description?: string;
  /** Whether a created playlist is public (default false). */
  readonly public?: boolean;
  /** Re-read and re-plan this many times when the playlist changes under us (default 1). */
  readonly retries?: number;
}

/** Outcome of {@link syncSmartPlaylist}. */
export interface SyncReport {
  readonly slug: string;
  readonly playlistId: string;
  /** True when the Spotify playlist was created by this call. */
  readonly created: boolean;
  /** The plan that was applied. */
  readonly plan: PlaylistPlan;
  /** Write calls made (a created playlist counts one more). */
  readonly writeCalls: number;
  readonly snapshotId: string | null;
}

const syncSchema = z.object({
  slug: z.string().min(1),
  result: z.object({ trackIds: z.array(z.string().min(1)), ordered: z.boolean() }),
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  public: z.boolean().default(false),
  retries: z.number().int().min(0).max(5).default(1),
});

/**
 * Brings the Spotify playlist a slug owns to a rule's result: creates it on first use (and
 * records its id in the map, or re-creates it when the mapped playlist is gone), reads it,
 * plans the fewest writes and applies them. Idempotent: when nothing changed it makes no write.
 *
 * @example
 * ```ts
 * import { createMemoryPlaylistMap, syncSmartPlaylist, type PlaylistWriter } from '@spoti/playlists';
 * declare const client: PlaylistWriter;
 * const map = createMemoryPlaylistMap();
 * const report = await syncSmartPlaylist({
 *   writer: client, map, slug: 'most-played', name: 'Most played',
 *   result: { trackIds: ['4uLU6hMCjMI75M1A2tKUQC'], ordered: true },
 * });
 * console.log(report.writeCalls);
 * ```
 */
export async function syncSmartPlaylist(options: SyncSmartPlaylistOptions): Promise<SyncReport> {
  const parsed = syncSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new PlaylistsError({
      code: 'INVALID_OPTIONS',
      message: `Invalid sync options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    });
  }
  const { slug, result, retries } = parsed.data;
  const { writer, map } = options;
  let created = false;
  let playlistId = await map.get(slug);
  if (playlistId !== null) {
    try {
      await writer.getPlaylist(playlistId);
    } catch (error) {
      if (statusOf(error) !== 404) throw failure(0, 1, error);
      playlistId = null;
    }
  }
  if (playlistId === null) {
    try {
      const playlist = await writer.createPlaylist({
        name: parsed.data.name ?? slug,
        description: parsed.data.description ?? '',
        public: parsed.data.public,
      });
      playlistId = playlist.id;
    } catch (error) {
      throw failure(0, 1, error);
    }
    await map.set(slug, playlistId);
    created = true;
  }
  const allowMoves = typeof writer.reorderPlaylistItems === 'function';
  for (let attempt = 0; ; attempt++) {
    let current: Awaited<ReturnType<typeof readPlaylistItems>>;
    try {
      current = await readPlaylistItems(writer, playlistId);
    } catch (error) {
      throw failure(0, 1, error);
    }
    const plan = planPlaylistSync({
      current,
      desired: result.trackIds,
      ordered: result.ordered,
      allowMoves,
    });
    try {
      const applied = await applyPlan(writer, playlistId, plan);
      return {
        slug,
        playlistId,
        created,
        plan,
        writeCalls: applied.writeCalls + (created ? 1 : 0),
        snapshotId: applied.snapshotId,
      };
    } catch (error) {
      if (error instanceof PlaylistsError && error.code === 'STALE_PLAN' && attempt < retries) {
        continue;
      }
      throw error;
    }
  }
}
