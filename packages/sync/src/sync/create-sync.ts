import { type SyncContext, metered } from '../internal/context.js';
import { knownEntities } from '../internal/entities.js';
import type { SyncGap, SyncRun, SyncRunKind } from '../state/sync-state-store.js';
import {
  type AvailabilityOptions,
  type AvailabilityResult,
  checkAvailability,
} from './availability.js';
import { type ImportExportOptions, type ImportResult, importExport } from './import-export.js';
import { type LibrarySyncResult, syncLibrary } from './library-sync.js';
import {
  type ResolvedSyncOptions,
  type SyncOptions,
  type SyncUser,
  parseUser,
  resolveSyncOptions,
} from './options.js';
import { type PlayCursor, type PollResult, pollRecentPlays, readPlayCursor } from './poll-plays.js';
import { type ResolveTracksResult, resolveImportedTracks } from './resolve-tracks.js';

/**
 * Keeps a catalog store in step with Spotify accounts: polls recent plays (with gap detection),
 * imports data exports, mirrors libraries and checks availability, logging every run.
 * Create it with {@link createSync}; one instance serves any number of users.
 *
 * @example
 * ```ts
 * const sync = createSync({ store, state });
 * await sync.syncRecentPlays({ id: 'u1', client });
 * ```
 */
export class Sync {
  /** The validated options. */
  readonly options: ResolvedSyncOptions;
  readonly #ctx: SyncContext;

  constructor(options: SyncOptions) {
    const resolved = resolveSyncOptions(options);
    this.options = resolved;
    this.#ctx = {
      store: resolved.store,
      state: resolved.state,
      options: resolved,
      now: resolved.now,
      nextId: resolved.nextId,
      known: knownEntities(),
    };
  }

  /**
   * Polls `/me/player/recently-played` after the stored cursor, writes new plays idempotently
   * (the catalog's `playKey`), then advances the cursor: a crash in between loses nothing. A
   * full window of 50 plays after the cursor means plays may be lost: the gap is recorded (with
   * an estimate of the plays missed) and the result suggests a data-export import. The result
   * recommends the next poll interval from the recent play rate. A rate limit ends the run cleanly
   * with `run.resumeAt`; later runs before that time are `deferred` without calling Spotify.
   *
   * @example
   * ```ts
   * const result = await sync.syncRecentPlays({ id: 'u1', client });
   * if (result.gap) console.log(result.suggestion);
   * setTimeout(poll, result.recommendedIntervalMs);
   * ```
   */
  async syncRecentPlays(
    user: SyncUser,
    options: { readonly signal?: AbortSignal | undefined } = {},
  ): Promise<PollResult> {
    return metered(parseUser(user), (u) => pollRecentPlays(this.#ctx, u, options.signal));
  }

  /**
   * Mirrors the user's saved tracks (as likes), saved albums (with their track lists) and followed
   * artists (as follows). Incremental runs stop paging at the first already-known item; a full
   * reconcile (every `library.reconcileEveryMs`, on the first run, when `full` is set, or when a
   * list's total shows an unsave) lists everything and removes what is gone. Plays are never
   * deleted; tracks left with no reason to stay are cleaned up. A failed or rate-limited full
   * pass resumes where it stopped.
   *
   * @example
   * ```ts
   * const result = await sync.syncLibrary({ id: 'u1', client });
   * console.log(result.mode, result.added, result.removed);
   * ```
   */
  async syncLibrary(
    user: SyncUser,
    options: {
      readonly full?: boolean | undefined;
      readonly signal?: AbortSignal | undefined;
    } = {},
  ): Promise<LibrarySyncResult> {
    return metered(parseUser(user), (u) => syncLibrary(this.#ctx, u, options));
  }

  /**
   * Imports a Spotify data export (zip, folder or JSON file) through `@spoti/analytics`'
   * `readSpotifyExport`, merging its plays with polled ones under the same dedupe rule. Resumable:
   * a checkpoint (file and row) is saved after every committed batch. Tracks the store does not
   * know are resolved through the client within `import.resolveBudget` calls per run; a 429 never
   * marks a track as missing.
   *
   * @example
   * ```ts
   * const result = await sync.importExport({ id: 'u1', client }, {
   *   source: './my_spotify_data.zip',
   *   onProgress: (p) => console.log(`${p.rows} rows`),
   * });
   * ```
   */
  async importExport(user: SyncUser, options: ImportExportOptions): Promise<ImportResult> {
    return metered(parseUser(user), (u) => importExport(this.#ctx, u, options));
  }

  /**
   * Resolves tracks that imports left on the user's to-resolve list (the catalog did not know
   * them), within `import.resolveBudget` calls, as {@link importExport} does at its end unless
   * `resolveTracks: false` was given. A 404 marks a track as not found; a 429 leaves the rest
   * pending for the next run.
   *
   * @example
   * ```ts
   * await sync.importExport(user, { source, resolveTracks: false }); // plays stored, reported
   * const { resolved, pending } = await sync.resolveImportedTracks(user);
   * ```
   */
  async resolveImportedTracks(
    user: SyncUser,
    options: { readonly signal?: AbortSignal | undefined } = {},
  ): Promise<ResolveTracksResult> {
    return metered(parseUser(user), (u) => resolveImportedTracks(this.#ctx, u, options));
  }

  /**
   * Looks up the user's library tracks (a rotating slice of at most
   * `availability.maxCallsPerRun` per run) and records those that disappeared (404) or are not
   * playable in the user's market, with the time it was first noticed.
   *
   * @example
   * ```ts
   * const result = await sync.checkAvailability({ id: 'u1', client });
   * for (const r of result.changed) console.log(r.trackId, r.status, new Date(r.noticedAt));
   * ```
   */
  async checkAvailability(
    user: SyncUser,
    options: AvailabilityOptions = {},
  ): Promise<AvailabilityResult> {
    return metered(parseUser(user), (u) => checkAvailability(this.#ctx, u, options));
  }

  /**
   * The run log, newest first.
   *
   * @example
   * ```ts
   * for (const run of await sync.runs('u1', { limit: 10 })) console.log(run.kind, run.status, run.added);
   * ```
   */
  runs(
    userId: string,
    options: { readonly limit?: number; readonly kind?: SyncRunKind } = {},
  ): Promise<SyncRun[]> {
    return this.#ctx.state.listRuns(userId, options);
  }

  /**
   * The user's recorded gaps (open and filled), oldest first.
   *
   * @example
   * ```ts
   * const open = (await sync.gaps('u1')).filter((g) => g.filledAt === null);
   * ```
   */
  gaps(userId: string): Promise<SyncGap[]> {
    return this.#ctx.state.listGaps(userId);
  }

  /**
   * The user's play cursor, or null before the first poll.
   *
   * @example
   * ```ts
   * const cursor = await sync.playCursor('u1');
   * ```
   */
  playCursor(userId: string): Promise<PlayCursor | null> {
    return readPlayCursor(this.#ctx, userId);
  }
}

/**
 * Creates a {@link Sync}. Options are validated here (a `SyncError` with code `INVALID_OPTIONS`
 * naming the field otherwise).
 *
 * @example
 * ```ts
 * import { createMemoryStore } from '@spoti/catalog';
 * import { createMemorySyncStateStore, createSync } from '@spoti/sync';
 *
 * const sync = createSync({ store: createMemoryStore(), state: createMemorySyncStateStore() });
 * const result = await sync.syncRecentPlays({ id: 'u1', client });
 * console.log(result.inserted, result.recommendedIntervalMs);
 * ```
 */
export function createSync(options: SyncOptions): Sync {
  return new Sync(options);
}
