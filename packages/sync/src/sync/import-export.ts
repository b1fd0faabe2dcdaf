import { setMaxListeners } from 'node:events';
import {
  type ExportImportError,
  type ExportItem,
  type ExportProgress,
  isAnalyticsError,
  readSpotifyExport,
} from '@spoti/analytics';
import type { Play } from '@spoti/catalog';
import { isSpotifyError, isSpotifyRateLimitError } from '@spoti/client';
import { z } from 'zod';
import { SyncError } from '../errors/sync-error.js';
import { type MeteredUser, type SyncContext, startRun } from '../internal/context.js';
import { addFullTrack, batchWrite, entityBatch, writeEntities } from '../internal/entities.js';
import type { RunRecorder } from '../internal/run-recorder.js';
import type { SyncRun, SyncRunStatus } from '../state/sync-state-store.js';
import { parseWith } from './options.js';

/** Key of the track ids imported plays refer to that the catalog does not hold yet. */
export const UNRESOLVED_KEY = 'import.unresolved';
/** Key of the track ids Spotify answered 404 for. */
export const NOT_FOUND_KEY = 'import.notFound';

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
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
  readonly onIssue?: ((issue: ExportImportError) => void) | undefined;
}

const optionsSchema = z.object({
  source: z.string().min(1, 'source must be a path'),
  sourceId: z.string().min(1).optional(),
  strict: z.boolean().optional(),
  restart: z.boolean().optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  onProgress: z.custom<(p: ImportProgress) => void>((v) => typeof v === 'function').optional(),
  onIssue: z.custom<(e: ExportImportError) => void>((v) => typeof v === 'function').optional(),
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
  const resolve = { resolved: 0, pending: 0, notFound: 0 };
  let gapsFilled = 0;
  const { checkpoint } = state;
  if (checkpoint.file !== null) run.details.resumedAt = `${checkpoint.file}#${checkpoint.row}`;

  try {
    if (!checkpoint.done) gapsFilled = await importRows(ctx, user.id, options, state);
    Object.assign(resolve, await resolveTracks(ctx, user, run, options.signal, deferred));
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

/** The plays read since the last flush, and where the reader stood. */
interface PendingPlays {
  plays: Play[];
  last: { file: string; row: number } | null;
  /** `totals.rows` at the last flush. */
  flushedRows: number;
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
  const pending: PendingPlays = { plays: [], last: null, flushedRows: 0 };
  const book = await openTrackBook(ctx, userId);
  const reader = readSpotifyExport(options.source, readerOptions(userId, options, state));
  for await (const item of reader as AsyncIterable<ExportItem>) {
    totals.rows += 1;
    pending.last = { file: item.file, row: item.row };
    if (item.kind === 'music') {
      totals.music += 1;
      pending.plays.push(item.play);
    } else totals.other += 1;
    if (pending.plays.length >= ctx.options.import.batchSize) {
      await flushPlays(ctx, userId, state, pending, book);
    }
  }
  await flushPlays(ctx, userId, state, pending, book);
  // Before the checkpoint reads "done": a restart after a crash here folds on its way out.
  await ctx.store.foldDeferredAggregates?.();
  if (state.checkpoint.rows + totals.rows === 0 && state.checkpoint.file === null) {
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

/** Stores the pending plays and then saves the checkpoint past them. */
async function flushPlays(
  ctx: SyncContext,
  userId: string,
  state: ImportState,
  pending: PendingPlays,
  book: TrackBook,
): Promise<void> {
  const { last } = pending;
  if (last === null || state.totals.rows === pending.flushedRows) return;
  const plays = pending.plays;
  pending.plays = [];
  const result = await storePlays(ctx, plays);
  state.totals.inserted += result.inserted;
  state.totals.duplicates += result.duplicates;
  await rememberUnresolved(ctx, userId, plays, book);
  const rows = state.totals.rows - pending.flushedRows;
  state.checkpoint = advanceCheckpoint(state.checkpoint, last, rows, result, plays);
  pending.flushedRows = state.totals.rows;
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
  resolve: { resolved: number; pending: number; notFound: number },
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

async function readIds(ctx: SyncContext, userId: string, key: string): Promise<string[]> {
  const value = await ctx.state.getValue(userId, key);
  return Array.isArray(value) ? value.map(String) : [];
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

/** Single-track calls in flight at once while resolving tracks (the client's default concurrency). */
const RESOLVE_CONCURRENCY = 8;

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

/**
 * Fetches tracks the catalog lacks, within the budget. A 404 is "not found"; a rate limit or
 * another failure leaves the rest pending for the next run.
 */
async function resolveTracks(
  ctx: SyncContext,
  user: MeteredUser,
  run: RunRecorder,
  signal: AbortSignal | undefined,
  deferred: boolean,
): Promise<{ resolved: number; pending: number; notFound: number }> {
  let pending = await readIds(ctx, user.id, UNRESOLVED_KEY);
  if (pending.length === 0 || deferred)
    return { resolved: 0, pending: pending.length, notFound: 0 };
  const round: ResolveRound = {
    batch: entityBatch(),
    done: new Set<string>(),
    notFound: [],
    resolved: 0,
  };
  const { done, notFound } = round;
  let calls = 0;
  const budget = ctx.options.import.resolveBudget;
  const batchMode = user.client.hasCapability('batch-tracks');
  try {
    while (done.size < pending.length && calls < budget) {
      const todo = pending.filter((id) => !done.has(id));
      const ids = batchMode
        ? todo.slice(0, 50)
        : todo.slice(0, Math.min(RESOLVE_CONCURRENCY, budget - calls));
      const now = ctx.now();
      calls += batchMode ? 1 : ids.length;
      if (batchMode) await resolveBatch(user, ids, signal, now, round);
      else await resolveEach(user, ids, signal, now, round);
    }
  } catch (error) {
    // A 429 or a failure never marks a track as missing: it stays pending.
    if (isSpotifyRateLimitError(error)) await run.fail(error);
    else run.errors.push(error instanceof Error ? error.message : String(error));
  }
  if (done.size > 0) {
    const markKnown = await batchWrite(ctx.store, (tx) =>
      writeEntities(tx, round.batch, ctx.known),
    );
    markKnown();
    pending = pending.filter((id) => !done.has(id));
    await ctx.state.setValue(user.id, UNRESOLVED_KEY, pending);
    if (notFound.length > 0) {
      const before = await readIds(ctx, user.id, NOT_FOUND_KEY);
      await ctx.state.setValue(user.id, NOT_FOUND_KEY, [...new Set([...before, ...notFound])]);
    }
  }
  return { resolved: round.resolved, pending: pending.length, notFound: notFound.length };
}

/** What the resolution of one run has gathered so far. */
interface ResolveRound {
  /** Tracks fetched, to write at the end. */
  readonly batch: ReturnType<typeof entityBatch>;
  /** Ids answered (found or not found). */
  readonly done: Set<string>;
  readonly notFound: string[];
  resolved: number;
}

/** Resolves up to 50 tracks in one call. */
async function resolveBatch(
  user: MeteredUser,
  ids: readonly string[],
  signal: AbortSignal | undefined,
  now: number,
  round: ResolveRound,
): Promise<void> {
  const tracks = await user.client.getTracks(ids, { signal });
  tracks.forEach((track, i) => {
    const id = ids[i] as string;
    round.done.add(id);
    if (track === null) round.notFound.push(id);
    else {
      addFullTrack(round.batch, track, now, true);
      round.resolved += 1;
    }
  });
}

/**
 * Resolves one track per call, a few calls at once (the client paces them). A round with a
 * failure (a 429 above all) counts for nothing: its tracks all stay pending.
 */
async function resolveEach(
  user: MeteredUser,
  ids: readonly string[],
  signal: AbortSignal | undefined,
  now: number,
  round: ResolveRound,
): Promise<void> {
  const settled = await settleWithSignal(signal, (child) =>
    ids.map((id) => user.client.getTrack(id, child === undefined ? {} : { signal: child })),
  );
  const failed = settled.find(
    (o) => o.status === 'rejected' && !(isSpotifyError(o.reason) && o.reason.code === 'NOT_FOUND'),
  );
  if (failed?.status === 'rejected') throw failed.reason;
  settled.forEach((outcome, i) => {
    const id = ids[i] as string;
    round.done.add(id);
    if (outcome.status === 'rejected') round.notFound.push(id);
    else {
      addFullTrack(round.batch, outcome.value, now, true);
      round.resolved += 1;
    }
  });
}

/**
 * Settles calls made at once under one child signal of `signal`, so the calls add their abort
 * listeners to the child (freed with the round) and the long-lived parent gets only one.
 */
async function settleWithSignal<T>(
  signal: AbortSignal | undefined,
  start: (round: AbortSignal | undefined) => Promise<T>[],
): Promise<PromiseSettledResult<T>[]> {
  if (signal === undefined) return Promise.allSettled(start(undefined));
  const round = new AbortController();
  // The client adds a few listeners per call; a round holds RESOLVE_CONCURRENCY calls.
  setMaxListeners(RESOLVE_CONCURRENCY * 4, round.signal);
  const forward = () => round.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  try {
    return await Promise.allSettled(start(round.signal));
  } finally {
    signal.removeEventListener('abort', forward);
  }
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
