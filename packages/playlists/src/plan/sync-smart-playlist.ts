import { z } from 'zod';
import { isPlaylistsError, PlaylistsError } from '../errors/playlists-error.js';
import { applyPlan, failure, readPlaylistItems } from './apply-plan.js';
import { type PlaylistPlan, planPlaylistSync } from './plan.js';
import { describeWithMarker, findMarkedPlaylists, playlistMarker } from './playlist-marker.js';
import type { PlaylistMap, PlaylistWriter } from './playlist-writer.js';
import { outcomeUnknown, statusOf } from './write-outcome.js';

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
  /**
   * Description of the Spotify playlist when it is created. The slug's marker (see
   * {@link playlistMarker}) is appended to it, so the playlist can be found again.
   */
  readonly description?: string;
  /** Whether a created playlist is public (default false). */
  readonly public?: boolean;
  /**
   * Read, re-plan and apply again this many times when the playlist changed under us or a write
   * failed with an unknown outcome (a lost answer, a timeout, a 5xx). Default 2.
   */
  readonly retries?: number;
}

/** Outcome of {@link syncSmartPlaylist}. */
export interface SyncReport {
  readonly slug: string;
  readonly playlistId: string;
  /** True when the Spotify playlist was created by this call. */
  readonly created: boolean;
  /**
   * How the playlist was found: through the map, by the marker in its description (its id had
   * been lost: a create whose answer never came, a map write that failed), or created.
   */
  readonly foundBy: 'map' | 'marker' | 'created';
  /** The plan that was applied (the last one, when a retry re-planned). */
  readonly plan: PlaylistPlan;
  /** Write calls made, failed ones and a create included. */
  readonly writeCalls: number;
  /** Plans made: 1, plus one per re-read after a stale plan or a write of unknown outcome. */
  readonly attempts: number;
  readonly snapshotId: string | null;
}

const syncSchema = z.object({
  slug: z.string().min(1),
  result: z.object({ trackIds: z.array(z.string().min(1)), ordered: z.boolean() }),
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  public: z.boolean().default(false),
  retries: z.number().int().min(0).max(5).default(2),
});

/** The writer, counting the write calls made through it. */
function counting(writer: PlaylistWriter): { writer: PlaylistWriter; writes(): number } {
  let writes = 0;
  const count = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => {
    return (...args: A): Promise<R> => {
      writes += 1;
      return call(...args);
    };
  };
  const reorder = writer.reorderPlaylistItems;
  return {
    writer: {
      createPlaylist: count((params) => writer.createPlaylist(params)),
      getPlaylist: (id, options) => writer.getPlaylist(id, options),
      getPlaylistItems: (id, params) => writer.getPlaylistItems(id, params),
      getMyPlaylists: (params) => writer.getMyPlaylists(params),
      addPlaylistItems: count((id, uris, options) => writer.addPlaylistItems(id, uris, options)),
      removePlaylistItems: count((id, uris, options) =>
        writer.removePlaylistItems(id, uris, options),
      ),
      replacePlaylistItems: count((id, uris) => writer.replacePlaylistItems(id, uris)),
      ...(reorder === undefined
        ? {}
        : {
            reorderPlaylistItems: count((id, params) => reorder.call(writer, id, params)),
          }),
    },
    writes: () => writes,
  };
}

/**
 * The playlist the slug owns: the mapped one while it exists, else one carrying the slug's
 * marker, else a new one (created with the marker in its description). A create whose outcome
 * is unknown is looked for again before anything else, so a lost answer never leaves a second
 * playlist behind. The id is recorded in the map before it is used.
 */
async function ownPlaylist(
  writer: PlaylistWriter,
  map: PlaylistMap,
  options: z.output<typeof syncSchema>,
): Promise<{ id: string; foundBy: SyncReport['foundBy'] }> {
  const mapped = await map.get(options.slug);
  if (mapped !== null) {
    try {
      await writer.getPlaylist(mapped, { cache: 'no-cache' });
      return { id: mapped, foundBy: 'map' };
    } catch (error) {
      if (statusOf(error) !== 404) throw failure(0, 1, error);
    }
  }
  const marker = playlistMarker(options.slug);
  const find = async (): Promise<string | undefined> =>
    (await findMarkedPlaylists(writer, marker))[0];
  let found: string | undefined;
  try {
    found = await find();
  } catch (error) {
    throw failure(0, 1, error);
  }
  if (found !== undefined) {
    await map.set(options.slug, found);
    return { id: found, foundBy: 'marker' };
  }
  let id: string;
  try {
    id = (
      await writer.createPlaylist({
        name: options.name ?? options.slug,
        description: describeWithMarker(options.description ?? '', marker),
        public: options.public,
      })
    ).id;
  } catch (error) {
    if (!outcomeUnknown(error)) throw failure(0, 1, error);
    // The create may have been applied although its answer was lost: look before going on.
    let again: string | undefined;
    try {
      again = await find();
    } catch {
      throw failure(0, 1, error);
    }
    if (again === undefined) throw failure(0, 1, error);
    id = again;
  }
  await map.set(options.slug, id);
  return { id, foundBy: 'created' };
}

/**
 * Brings the Spotify playlist a slug owns to a rule's result, safe to repeat after a failure at
 * any point. It finds the playlist (the map, else the slug's marker in a description, else it
 * creates one carrying the marker, so a lost create answer never yields a second playlist),
 * reads it from Spotify (never a cache), plans the fewest writes and applies them. When the
 * playlist changed underneath or a write's outcome is unknown (a lost answer, a timeout, a 5xx),
 * it reads again and re-plans, up to `retries` times; duplicates an earlier failure left are
 * repaired by the plan. When nothing changed it makes no write.
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
  const counted = counting(options.writer);
  const writer = counted.writer;
  const { id: playlistId, foundBy } = await ownPlaylist(writer, options.map, parsed.data);
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
        created: foundBy === 'created',
        foundBy,
        plan,
        writeCalls: counted.writes(),
        attempts: attempt + 1,
        snapshotId: applied.snapshotId,
      };
    } catch (error) {
      const again =
        isPlaylistsError(error) &&
        (error.code === 'STALE_PLAN' ||
          (error.code === 'SPOTIFY_FAILURE' && outcomeUnknown(error.cause)));
      if (again && attempt < retries) continue;
      throw error;
    }
  }
}
