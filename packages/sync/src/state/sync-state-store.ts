/** Kinds of library items the sync mirrors. */
export type LibraryKind = 'track' | 'album' | 'artist';

/** One item of a user's Spotify library as last seen by a library sync. */
export interface LibraryEntry {
  readonly userId: string;
  readonly kind: LibraryKind;
  /** Spotify id of the track, album or artist. */
  readonly id: string;
  /** When the user saved or followed it (Unix ms; the sync time for follows, which carry no date). */
  readonly addedAt: number;
  /** When a sync last saw it in the library (Unix ms). */
  readonly seenAt: number;
}

/**
 * A stretch of time in which more plays may have happened than the recently-played endpoint
 * keeps (50): those plays can only come back through a data-export import.
 */
export interface SyncGap {
  readonly id: string;
  readonly userId: string;
  /** The newest play stored before the gap (Unix ms). */
  readonly from: number;
  /** The oldest play the poll still received (Unix ms). */
  readonly to: number;
  /** Plays probably missed, estimated from the play rate around the gap. */
  readonly estimatedMissed: number;
  /** When the poll noticed it (Unix ms). */
  readonly detectedAt: number;
  /** When an export import covering the gap was completed, or null while the gap is open. */
  readonly filledAt: number | null;
}

/** Why a track is not available to a user. */
export type AvailabilityStatus = 'removed' | 'unplayable' | 'available';

/** What an availability check found about one track for one user. */
export interface AvailabilityRecord {
  readonly userId: string;
  readonly trackId: string;
  /** `removed`: the track answers 404; `unplayable`: not playable in the market; `available` again. */
  readonly status: AvailabilityStatus;
  /** Spotify's `restrictions.reason` (e.g. `market`) or `not_found`; null when available. */
  readonly reason: string | null;
  /** The market checked (`from_token` resolves to the user's country), or null. */
  readonly market: string | null;
  /** When the current status was first noticed (Unix ms). */
  readonly noticedAt: number;
  /** When the track was last checked (Unix ms). */
  readonly checkedAt: number;
}

/**
 * What a sync run was. `releases` is an application's release-mail run (digests and
 * confirmations sent to the user), logged beside the sync runs so one log shows both.
 */
export type SyncRunKind = 'plays' | 'library' | 'import' | 'availability' | 'releases';

/**
 * How a run ended: `ok`; `partial` (stopped early by its call budget, resumes next run);
 * `rate_limited` (stopped cleanly, `resumeAt` set); `deferred` (not started: a previous run set
 * `resumeAt` in the future); `failed` (an error; everything written before it stays).
 */
export type SyncRunStatus = 'ok' | 'partial' | 'rate_limited' | 'deferred' | 'failed';

/** The log entry of one run, kept in the state store for a UI to show. */
export interface SyncRun {
  readonly id: string;
  readonly userId: string;
  readonly kind: SyncRunKind;
  readonly status: SyncRunStatus;
  /** Unix ms. */
  readonly startedAt: number;
  /** Unix ms. */
  readonly finishedAt: number;
  /** Items written (plays inserted, library items added, records made). */
  readonly added: number;
  /** Items removed from the library mirror (plays are never removed). */
  readonly removed: number;
  /** Web API calls made (attempts included). */
  readonly calls: number;
  /** Attempts the client retried. */
  readonly retries: number;
  /** 429 answers met (waited out or not). */
  readonly rateLimitWaits: number;
  /** Error messages, redacted, at most a few. */
  readonly errors: readonly string[];
  /** When the next run may call Spotify again (Unix ms), or null. */
  readonly resumeAt: number | null;
  /** Run-specific counters (e.g. `duplicates`, `gaps`, `pages`). */
  readonly details: Readonly<Record<string, number | string | boolean | null>>;
}

/**
 * Where the sync keeps what the catalog store has no place for: cursors and checkpoints (as small
 * JSON values), gaps, the library mirror, album track lists, track references, availability
 * records and the run log. Implementations: {@link MemorySyncStateStore} and the SQL one
 * (`createPgliteSyncStateStore`, `createPostgresSyncStateStore`).
 *
 * Every method is atomic on its own; writes are idempotent.
 *
 * @example
 * ```ts
 * const state: SyncStateStore = createMemorySyncStateStore();
 * await state.setValue('u1', 'plays.cursor', { newestEndedAt: Date.now() });
 * const runs = await state.listRuns('u1', { limit: 10 });
 * ```
 */
export interface SyncStateStore {
  /** Which backend this is. */
  readonly backend: 'memory' | 'pglite' | 'postgres';

  /** A JSON value (cursor, checkpoint, schedule) or null. */
  getValue(userId: string, key: string): Promise<unknown>;
  /** Sets a JSON value. */
  setValue(userId: string, key: string, value: unknown): Promise<void>;
  /** Deletes a value (no-op when absent). */
  deleteValue(userId: string, key: string): Promise<void>;

  /** Records a gap (idempotent by id). */
  addGap(gap: SyncGap): Promise<void>;
  /** A user's gaps, oldest first. */
  listGaps(userId: string): Promise<SyncGap[]>;
  /** Marks gaps filled. */
  fillGaps(userId: string, ids: readonly string[], filledAt: number): Promise<void>;

  /** A user's library entries of one kind. */
  listLibrary(userId: string, kind: LibraryKind): Promise<LibraryEntry[]>;
  /** Inserts or replaces library entries. */
  putLibrary(entries: readonly LibraryEntry[]): Promise<void>;
  /** Removes library entries (no-op for absent ones). */
  removeLibrary(userId: string, kind: LibraryKind, ids: readonly string[]): Promise<void>;

  /** Track ids of albums whose track list was fetched (albums never fetched are absent). */
  getAlbumTracks(albumIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Stores albums' track lists. */
  putAlbumTracks(albums: ReadonlyMap<string, readonly string[]>): Promise<void>;

  /** Adds references that keep a track in the catalog (`saved`, `played`, `album:<id>`). */
  addTrackRefs(refs: readonly TrackRef[]): Promise<void>;
  /** Removes references. */
  removeTrackRefs(refs: readonly TrackRef[]): Promise<void>;
  /** Of `trackIds`, those that no user references any more. */
  unreferencedTracks(trackIds: readonly string[]): Promise<string[]>;

  /** Inserts or replaces availability records by (user, track). */
  putAvailability(records: readonly AvailabilityRecord[]): Promise<void>;
  /** A user's availability records by track id. */
  listAvailability(userId: string): Promise<AvailabilityRecord[]>;

  /** Appends a run to the log. */
  appendRun(run: SyncRun): Promise<void>;
  /** A user's latest runs, newest first. */
  listRuns(
    userId: string,
    options?: { readonly limit?: number; readonly kind?: SyncRunKind },
  ): Promise<SyncRun[]>;

  /** Releases resources. */
  close(): Promise<void>;
}

/** A reason a track stays in the catalog: saved, played, or part of a saved album. */
export interface TrackRef {
  readonly userId: string;
  readonly trackId: string;
  /** `saved`, `played` or `album:<albumId>`. */
  readonly ref: string;
}
