import { isSpotifyRateLimitError } from '@spoti/client';
import type { JobDeps } from '../jobs/deps.js';
import { isJobDeferred } from './job-deferred.js';
import type { FollowUp, JobRegistry } from './job-registry.js';
import { SPOTIFY_BLOCK, type JobStore } from './job-store.js';

/** One job as a queue hands it over. */
export interface JobEnvelope {
  /** Unique per run (from the run key); the ledger guards it. */
  readonly id: string;
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** This try, from 1. */
  readonly attempt: number;
}

/** What happened to a job. */
export type JobOutcome =
  | { readonly kind: 'done'; readonly result: unknown; readonly followUps: readonly FollowUp[] }
  /** The id completed before (a retry after a lost acknowledgement): nothing was done again. */
  | { readonly kind: 'already-done' }
  /** Not run: try again at `until` without spending a try. */
  | { readonly kind: 'deferred'; readonly until: number; readonly reason: string };

/** The rate-limit error in `error` or its causes, if any. */
function rateLimitIn(error: unknown): { resumeAt: number; message: string } | null {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (isSpotifyRateLimitError(e)) return { resumeAt: e.resumeAt, message: e.message };
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Runs one job under the rules both queues share: a job id that completed is not run again; a
 * Spotify job waits out an app-wide block (a quota 429 anywhere defers every Spotify job of the
 * app until `resumeAt`) instead of failing; a completed run is recorded in the ledger. Any other
 * error is thrown for the queue to retry with backoff or dead-letter.
 */
export async function executeJob(
  registry: JobRegistry,
  store: JobStore,
  deps: JobDeps,
  job: JobEnvelope,
): Promise<JobOutcome> {
  const definition = registry.get(job.name);
  if (definition === undefined) throw new Error(`No job named ${job.name} is registered`);
  const before = await store.beforeRun(
    job.id,
    definition.spotify === true ? SPOTIFY_BLOCK : null,
    deps.clock.now(),
  );
  if (before.done) return { kind: 'already-done' };
  if (before.blockedUntil !== null) {
    return { kind: 'deferred', until: before.blockedUntil, reason: 'Spotify rate limit or quota' };
  }
  let result: unknown;
  try {
    result = await definition.run(deps, job.input);
  } catch (error) {
    const limit = isJobDeferred(error)
      ? { resumeAt: error.until, message: error.reason }
      : rateLimitIn(error);
    if (limit === null) throw error;
    if (definition.spotify === true) {
      await store.block(SPOTIFY_BLOCK, limit.resumeAt, limit.message, deps.clock.now());
      deps.logger.warn(
        { job: job.name, resumeAt: new Date(limit.resumeAt).toISOString() },
        'spotify rate limit: every spotify job waits until it lifts',
      );
    }
    return { kind: 'deferred', until: limit.resumeAt, reason: limit.message };
  }
  const userId = typeof job.input.userId === 'string' ? job.input.userId : null;
  await store.markDone({
    id: job.id,
    name: job.name,
    userId,
    attempts: job.attempt,
    now: deps.clock.now(),
  });
  return {
    kind: 'done',
    result,
    followUps: definition.followUps?.(result, job.input as never) ?? [],
  };
}

/** The wait before try `attempt + 1` after try `attempt` failed: `backoffMs * 2^(attempt-1)`. */
export function retryDelay(backoffMs: number, attempt: number): number {
  return backoffMs * 2 ** Math.max(0, attempt - 1);
}
