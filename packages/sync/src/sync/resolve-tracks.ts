import { setMaxListeners } from 'node:events';
import { isSpotifyError, isSpotifyRateLimitError } from '@spoti/client';
import { z } from 'zod';
import { type MeteredUser, type SyncContext, startRun } from '../internal/context.js';
import { addFullTrack, batchWrite, entityBatch, writeEntities } from '../internal/entities.js';
import type { RunRecorder } from '../internal/run-recorder.js';
import type { SyncRun, SyncRunStatus } from '../state/sync-state-store.js';
import { parseWith } from './options.js';

/** Key of the track ids imported plays refer to that the catalog does not hold yet. */
export const UNRESOLVED_KEY = 'import.unresolved';
/** Key of the track ids Spotify answered 404 for. */
export const NOT_FOUND_KEY = 'import.notFound';

/** Single-track calls in flight at once while resolving tracks (the client's default concurrency). */
const RESOLVE_CONCURRENCY = 8;

/** What one resolution of imported tracks did. */
export interface TrackResolution {
  /** Tracks fetched from Spotify and stored in the catalog. */
  readonly resolved: number;
  /** Tracks still to resolve (budget spent or rate limited): the next run continues. */
  readonly pending: number;
  /** Tracks Spotify answered 404 for (a 429 is never counted here). */
  readonly notFound: number;
}

/** What {@link Sync.resolveImportedTracks} did: the run's log entry and the figures. */
export interface ResolveTracksResult extends TrackResolution {
  readonly run: SyncRun;
  readonly status: SyncRunStatus;
}

/** The ids stored under `key` of the user's sync state (none when unset). */
export async function readIds(ctx: SyncContext, userId: string, key: string): Promise<string[]> {
  const value = await ctx.state.getValue(userId, key);
  return Array.isArray(value) ? value.map(String) : [];
}

const resolveOptionsSchema = z.object({
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
});

/**
 * One run that resolves the tracks imports left on the user's to-resolve list, within
 * `import.resolveBudget` calls (logged as an `import` run with `resolveOnly`). See
 * {@link Sync.resolveImportedTracks}.
 */
export async function resolveImportedTracks(
  ctx: SyncContext,
  user: MeteredUser,
  input: { readonly signal?: AbortSignal | undefined },
): Promise<ResolveTracksResult> {
  const options = parseWith(resolveOptionsSchema, input, 'resolve options');
  const { run, deferred } = await startRun(ctx, user, 'import');
  run.details.resolveOnly = true;
  let result: TrackResolution = { resolved: 0, pending: 0, notFound: 0 };
  try {
    result = await resolveTracks(ctx, user, run, options.signal, deferred);
    if (result.pending > 0 && run.status === 'ok') run.status = 'partial';
  } catch (error) {
    await run.fail(error);
  }
  Object.assign(run.details, {
    tracksResolved: result.resolved,
    tracksPending: result.pending,
    tracksNotFound: result.notFound,
  });
  const finished = await run.finish();
  return { run: finished, status: finished.status, ...result };
}

/**
 * Fetches tracks the catalog lacks, within the budget. A 404 is "not found"; a rate limit or
 * another failure leaves the rest pending for the next run.
 */
export async function resolveTracks(
  ctx: SyncContext,
  user: MeteredUser,
  run: RunRecorder,
  signal: AbortSignal | undefined,
  deferred: boolean,
): Promise<TrackResolution> {
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
