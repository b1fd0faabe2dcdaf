import {
  type ExportImportError,
  type ExportItem,
  type ExportProgress,
  isAnalyticsError,
  readSpotifyExport,
} from '@spoti/analytics';
import type { Play } from '@spoti/catalog';
import { z } from 'zod';
import { SyncError } from '../errors/sync-error.js';
import { type MeteredUser, type SyncContext, startRun } from '../internal/context.js';
import type { RunRecorder } from '../internal/run-recorder.js';
import type { SyncRun, SyncRunStatus } from '../state/sync-state-store.js';
import { parseWith } from './options.js';
import { type TrackResolution, UNRESOLVED_KEY, readIds, resolveTracks } from './resolve-tracks.js';

const checkpointSchema = z.object({
  file: z.string().nullable(),
  row: z.number().int().min(0),
  done: z.boolean(),
  rows: z.number().int().min(0),
  inserted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  minEndedAt: z.number().nullable(),
  maxEndedAt: z.number().nullable(),
});
/** The saved position and totals of one export's import. */
export type ImportCheckpoint = z.infer<typeof checkpointSchema>;

/** Progress of {@link Sync.importExport}: the reader's figures plus what was written. */
export interface ImportProgress extends ExportProgress {
  /** Plays newly stored so far in this run. */
  readonly inserted: number;
  /** Plays already stored (polled earlier, or earlier rows of the export). */
  readonly duplicates: number;
}

/** Options of {@link Sync.importExport}. */
export interface ImportExportOptions {
  /** `my_spotify_data.zip`, the unpacked folder, or one JSON file. */
  readonly source: string;
  /** Names the checkpoint; default: `source`. Use a stable id if the file may move. */
  readonly sourceId?: string | undefined;
  /** Throw on the first malformed row (default true) or skip it and report through `onIssue`. */
  readonly strict?: boolean | undefined;
  /** Start over, ignoring a saved checkpoint (plays already stored are deduplicated anyway). */
  readonly restart?: boolean | undefined;
  /**
   * Resolve the tracks the catalog lacks in this run, within `import.resolveBudget` calls
   * (default true). With false the run ends as soon as the plays are stored and the tracks stay
   * on the user's to-resolve list for {@link Sync.resolveImportedTracks} (or the next import).
   */
  readonly resolveTracks?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
  readonly onIssue?: ((issue: ExportImportError) => void) | undefined;
  /**
   * Called once every play of the export is stored, before the store's aggregates are folded
   * and the import is marked done: reading the user's plays from then on sees all of them (to
   * prepare statistics alongside the fold, say). Not called when the rows were stored by an
   * earlier run.
   */
  readonly onStored?: (() => void) | undefined;
}

const optionsSchema = z.object({
  source: z.string().min(1, 'source must be a path'),
  sourceId: z.string().min(1).optional(),
  strict: z.boolean().optional(),
  restart: z.boolean().optional(),
  resolveTracks: z.boolean().optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  onProgress: z.custom<(p: ImportProgress) => void>((v) => typeof v === 'function').optional(),
  onIssue: z.custom<(e: ExportImportError) => void>((v) => typeof v === 'function').optional(),
  onStored: z.custom<() => void>((v) => typeof v === 'function').optional(),
});

/** What {@link Sync.importExport} did. */
export interface ImportResult {
  /** The run's log entry. */
  readonly run: SyncRun;
  readonly status: SyncRunStatus;
  /** Rows read in this run (music and others). */
  readonly rows: number;
  /** Plays newly stored in this run. */
  readonly inserted: number;
  /** Plays of this run that were already stored. */
  readonly duplicates: number;
  /** Podcast and audiobook rows (not plays of music: not stored). */
  readonly skippedNonMusic: number;
  /** Tracks fetched from Spotify because the catalog did not know them. */
  readonly tracksResolved: number;
  /** Tracks still to resolve (budget spent or rate limited): the next run continues. */
  readonly tracksPending: number;
  /** Tracks Spotify answered 404 for (a 429 is never counted here). */
  readonly tracksNotFound: number;
  /** Gaps of the play poller that the export covered. */
  readonly gapsFilled: number;
  /** Where the import stands. */
  readonly checkpoint: ImportCheckpoint;
}

/** One import run. See {@link Sync.importExport}. */
export async function importExport(
  ctx: SyncContext,
  user: MeteredUser,
  input: ImportExportOptions,
): Promise<ImportResult> {
  const options = parseWith(optionsSchema, input, 'import options');
  const key = `import:${options.sourceId ?? options.source}`;
  const { run, deferred } = await startRun(ctx, user, 'import');
  // Reading the export needs no Spotify call: only track resolution waits for `resumeAt`.
  if (deferred) run.status = 'ok';
  const state: ImportState = {
    key,
    checkpoint: await loadCheckpoint(ctx, user.id, key, options.restart === true),
    totals: { rows: 0, inserted: 0, duplicates: 0, music: 0, other: 0 },
  };
  let resolve: TrackResolution = { resolved: 0, pending: 0, notFound: 0 };
  let gapsFilled = 0;
  const { checkpoint } = state;
  if (checkpoint.file !== null) run.details.resumedAt = `${checkpoint.file}#${checkpoint.row}`;

  try {
    if (!checkpoint.done) gapsFilled = await importRows(ctx, user.id, options, state);
    resolve =
      options.resolveTracks === false
        ? { ...resolve, pending: (await readIds(ctx, user.id, UNRESOLVED_KEY)).length }
        : await resolveTracks(ctx, user, run, options.signal, deferred);
    if (resolve.pending > 0 && run.status === 'ok') run.status = 'partial';
  } catch (error) {
    // What the failed run stored is counted now, not only when the import resumes (best
    // effort: the fold at the end of the resumed import counts it otherwise).
    await ctx.store.foldDeferredAggregates?.().catch(() => undefined);
    await run.fail(importFailure(error, options.source));
  }
  return finishImport(run, state, resolve, gapsFilled);
}

/** Where one import run stands: the saved checkpoint as it advances, and this run's totals. */
interface ImportState {
  /** The sync-state key of the checkpoint. */
  readonly key: string;
  checkpoint: ImportCheckpoint;
  readonly totals: {
    rows: number;
    inserted: number;
    duplicates: number;
    music: number;
    other: number;
  };
}

/** Plays read from the export and the rows they came from, up to where the reader stood. */
interface PlayBatch {
  readonly plays: Play[];
  /** Rows read for this batch (music and others). */
  readonly rows: number;
  readonly last: { file: string; row: number };
}

/** The saved checkpoint of `key`, or a fresh one when there is none or `restart` is asked. */
async function loadCheckpoint(
  ctx: SyncContext,
  userId: string,
  key: string,
  restart: boolean,
): Promise<ImportCheckpoint> {
  const saved = checkpointSchema.safeParse(await ctx.state.getValue(userId, key));
  if (saved.success && !restart) return saved.data;
  return {
    file: null,
    row: 0,
    done: false,
    rows: 0,
    inserted: 0,
    duplicates: 0,
    minEndedAt: null,
    maxEndedAt: null,
  };
}

/**
 * Reads the export from the checkpoint on and stores its plays batch by batch, saving the
 * checkpoint after each batch; marks the import done and returns the poller gaps it covered.
 */
async function importRows(
  ctx: SyncContext,
  userId: string,
  options: z.infer<typeof optionsSchema>,
  state: ImportState,
): Promise<number> {
  const { totals } = state;
  const book = await openTrackBook(ctx, userId);
  const reader = readSpotifyExport(options.source, readerOptions(userId, options, state));
  // The next batch is read (and parsed) while the one before it is being stored: at most one
  // batch in flight, so memory stays at two batches and checkpoints stay in order.
  let writing: Promise<void> = Promise.resolve();
  const write = async (batch: PlayBatch) => {
    await writing;
    writing = flushPlays(ctx, userId, state, batch, book);
    // Rejections are seen at the next `await writing`; none goes unhandled meanwhile.
    writing.catch(() => undefined);
  };
  let plays: Play[] = [];
  let flushedRows = 0;
  let last: PlayBatch['last'] | null = null;
  try {
    for await (const item of reader as AsyncIterable<ExportItem>) {
      totals.rows += 1;
      last = { file: item.file, row: item.row };
      if (item.kind === 'music') {
        totals.music += 1;
        plays.push(item.play);
      } else totals.other += 1;
      if (plays.length >= ctx.options.import.batchSize) {
        await write({ plays, rows: totals.rows - flushedRows, last });
        plays = [];
        flushedRows = totals.rows;
      }
    }
    if (last !== null && totals.rows > flushedRows) {
      await write({ plays, rows: totals.rows - flushedRows, last });
    }
  } finally {
    // Never leave a write running behind a failure (the caller folds what was stored).
    await writing.catch(() => undefined);
  }
  await writing;
  options.onStored?.();
  return finishRows(ctx, userId, options, state);
}

/** After the last batch: folds the deferred aggregates, marks the import done, fills gaps. */
async function finishRows(
  ctx: SyncContext,
  userId: string,
  options: z.infer<typeof optionsSchema>,
  state: ImportState,
): Promise<number> {
  // Before the checkpoint reads "done": a restart after a crash here folds on its way out.
  await ctx.store.foldDeferredAggregates?.();
  if (state.checkpoint.rows + state.totals.rows === 0 && state.checkpoint.file === null) {
    throw new SyncError({
      code: 'IMPORT_FAILED',
      message: `The export ${options.source} holds no listening history rows: nothing was imported`,
    });
  }
  state.checkpoint = { ...state.checkpoint, done: true };
  await ctx.state.setValue(userId, state.key, state.checkpoint);
  return fillCoveredGaps(ctx, userId, state.checkpoint);
}

/** The export reader's options: resume at the checkpoint, report progress with the write totals. */
function readerOptions(
  userId: string,
  options: z.infer<typeof optionsSchema>,
  state: ImportState,
): Parameters<typeof readSpotifyExport>[1] {
  const { checkpoint, totals } = state;
  return {
    userId,
    ...(options.strict === undefined ? {} : { strict: options.strict }),
    ...(checkpoint.file === null ? {} : { from: { file: checkpoint.file, row: checkpoint.row } }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onIssue ? { onIssue: options.onIssue } : {}),
    onProgress: (p) =>
      options.onProgress?.({
        ...p,
        inserted: totals.inserted,
        duplicates: totals.duplicates,
      }),
  };
}

/**
 * Stores a batch of plays and references its tracks (both at once), then saves the checkpoint
 * past the batch.
 */
async function flushPlays(
  ctx: SyncContext,
  userId: string,
  state: ImportState,
  batch: PlayBatch,
  book: TrackBook,
): Promise<void> {
  const { plays } = batch;
  const [stored, referenced] = await Promise.allSettled([
    storePlays(ctx, plays),
    rememberUnresolved(ctx, userId, plays, book),
  ]);
  if (stored.status === 'rejected') throw stored.reason;
  if (referenced.status === 'rejected') throw referenced.reason;
  const result = stored.value;
  state.totals.inserted += result.inserted;
  state.totals.duplicates += result.duplicates;
  state.checkpoint = advanceCheckpoint(state.checkpoint, batch.last, batch.rows, result, plays);
  // Saved only after the plays committed: a crash before this line re-reads the batch.
  await ctx.state.setValue(userId, state.key, state.checkpoint);
}

/**
 * Appends `plays`, checking that the store accounted for each of them. Their counters and
 * aggregates are deferred to one fold at the end of the import (`foldDeferredAggregates`).
 */
async function storePlays(
  ctx: SyncContext,
  plays: readonly Play[],
): Promise<{ inserted: number; duplicates: number }> {
  const result =
    plays.length > 0
      ? await ctx.store.appendPlays(plays, { deferAggregates: true })
      : { inserted: 0, duplicates: 0 };
  if (result.inserted + result.duplicates !== plays.length) {
    throw new SyncError({
      code: 'STORE_FAILURE',
      message: `The store accounted for ${result.inserted + result.duplicates} of ${plays.length} plays`,
    });
  }
  return result;
}

/** The checkpoint after a stored batch of `rows` rows ending at `last`. */
function advanceCheckpoint(
  checkpoint: ImportCheckpoint,
  last: { file: string; row: number },
  rows: number,
  result: { inserted: number; duplicates: number },
  plays: readonly Play[],
): ImportCheckpoint {
  let min = checkpoint.minEndedAt;
  let max = checkpoint.maxEndedAt;
  for (const p of plays) {
    min = min === null ? p.endedAt : Math.min(min, p.endedAt);
    max = max === null ? p.endedAt : Math.max(max, p.endedAt);
  }
  return {
    ...checkpoint,
    file: last.file,
    row: last.row + 1,
    rows: checkpoint.rows + rows,
    inserted: checkpoint.inserted + result.inserted,
    duplicates: checkpoint.duplicates + result.duplicates,
    minEndedAt: min,
    maxEndedAt: max,
  };
}

/** The error a failed import records: the export reader's errors become `SyncError`s. */
function importFailure(error: unknown, source: string): unknown {
  if (!isAnalyticsError(error)) return error;
  return new SyncError({
    code: error.code === 'ABORTED' ? 'ABORTED' : 'IMPORT_FAILED',
    message: `Import of ${source} stopped: ${error.message}`,
    cause: error,
  });
}

/** Writes the run's figures to its log entry, closes it and returns the result. */
async function finishImport(
  run: RunRecorder,
  state: ImportState,
  resolve: TrackResolution,
  gapsFilled: number,
): Promise<ImportResult> {
  const { totals, checkpoint } = state;
  run.added = totals.inserted;
  Object.assign(run.details, {
    rows: totals.rows,
    duplicates: totals.duplicates,
    skippedNonMusic: totals.other,
    tracksResolved: resolve.resolved,
    tracksPending: resolve.pending,
    tracksNotFound: resolve.notFound,
    gapsFilled,
    done: checkpoint.done,
  });
  const finished = await run.finish();
  return {
    run: finished,
    status: finished.status,
    rows: totals.rows,
    inserted: totals.inserted,
    duplicates: totals.duplicates,
    skippedNonMusic: totals.other,
    tracksResolved: resolve.resolved,
    tracksPending: resolve.pending,
    tracksNotFound: resolve.notFound,
    gapsFilled,
    checkpoint,
  };
}

/**
 * What one import run has learnt about the tracks its plays refer to, so that each track is
 * looked up in the catalog and referenced in the sync state once per run instead of once per
 * batch (an export repeats the same tracks in every batch).
 */
interface TrackBook {
  /** Track ids this run has stored a `played` reference for. */
  readonly referenced: Set<string>;
  /** Track ids on the user's to-resolve list (read once when the run starts). */
  readonly unresolved: Set<string>;
}

/** Catalog lookups in flight at once while checking which tracks a batch refers to. */
const LOOKUP_CONCURRENCY = 8;

async function openTrackBook(ctx: SyncContext, userId: string): Promise<TrackBook> {
  return {
    referenced: new Set(),
    unresolved: new Set(await readIds(ctx, userId, UNRESOLVED_KEY)),
  };
}

/**
 * References the batch's tracks that this run has not referenced yet, and adds those the catalog
 * does not hold to the user's to-resolve list.
 */
async function rememberUnresolved(
  ctx: SyncContext,
  userId: string,
  plays: readonly Play[],
  book: TrackBook,
): Promise<void> {
  const fresh = new Set<string>();
  for (const p of plays) {
    if (p.trackId !== null && !book.referenced.has(p.trackId)) fresh.add(p.trackId);
  }
  if (fresh.size === 0) return;
  const unknown = await unknownTracks(ctx, [...fresh], book);
  await ctx.state.addTrackRefs([...fresh].map((trackId) => ({ userId, trackId, ref: 'played' })));
  for (const id of fresh) book.referenced.add(id);
  if (unknown.length === 0) return;
  const before = await readIds(ctx, userId, UNRESOLVED_KEY);
  await ctx.state.setValue(userId, UNRESOLVED_KEY, [...new Set([...before, ...unknown])]);
  for (const id of unknown) book.unresolved.add(id);
}

/** The ids among `ids` that the catalog does not hold and that are not on the list yet. */
async function unknownTracks(
  ctx: SyncContext,
  ids: readonly string[],
  book: TrackBook,
): Promise<string[]> {
  const toCheck = ids.filter((id) => !ctx.known.tracks.has(id) && !book.unresolved.has(id));
  const unknown: string[] = [];
  for (let i = 0; i < toCheck.length; i += LOOKUP_CONCURRENCY) {
    const part = toCheck.slice(i, i + LOOKUP_CONCURRENCY);
    const found = await Promise.all(part.map((id) => ctx.store.getTrack(id)));
    part.forEach((id, j) => {
      if (found[j] !== null) ctx.known.tracks.add(id);
      else unknown.push(id);
    });
  }
  return unknown;
}

async function fillCoveredGaps(
  ctx: SyncContext,
  userId: string,
  cp: ImportCheckpoint,
): Promise<number> {
  if (cp.minEndedAt === null || cp.maxEndedAt === null) return 0;
  const min = cp.minEndedAt;
  const max = cp.maxEndedAt;
  const covered = (await ctx.state.listGaps(userId)).filter(
    (g) => g.filledAt === null && g.from >= min && g.to <= max,
  );
  await ctx.state.fillGaps(
    userId,
    covered.map((g) => g.id),
    ctx.now(),
  );
  return covered.length;
}
