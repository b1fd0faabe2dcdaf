import type { JobDeps } from '@spoti/example-server/src/jobs/deps.js';
import { type JobOutcome, executeJob } from '@spoti/example-server/src/runner/execute-job.js';
import { jobIdFor } from '@spoti/example-server/src/runner/job-id.js';
import type { JobRegistry } from '@spoti/example-server/src/runner/job-registry.js';
import type { JobStore } from '@spoti/example-server/src/runner/job-store.js';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { PgBossQueue } from './pg-boss-queue.js';

/** A job's data on pg-boss. */
export interface JobData extends Record<string, unknown> {
  /** The job's name (a dead letter keeps the data, not the name). */
  readonly job?: string;
  /** The id the run is known by (a deferral's copy keeps the original's). */
  readonly runId?: string;
}

/** What {@link jobRunner} needs. */
export interface JobRunnerContext {
  readonly deps: JobDeps;
  readonly logger: Logger;
  readonly registry: JobRegistry;
  readonly store: JobStore;
  readonly boss: PgBoss;
  readonly queue: PgBossQueue;
  /** Called after jobs were enqueued (follow-ups, deferrals): wakes the consumers. */
  readonly onEnqueued: () => void;
  /** Called after each job (tests count executions). */
  readonly onJob?: ((name: string, outcome: JobOutcome['kind'] | 'failed') => void) | undefined;
}

/**
 * Runs one pg-boss job through the job layer and settles it on the queue: completed (after its
 * follow-ups or its deferred copy are enqueued), or failed (pg-boss retries it with backoff, then
 * dead-letters it). A job that ends in error because the worker is shutting down (its signal was
 * aborted) is deferred instead: a copy runs again at once elsewhere, without spending a try.
 */
export function jobRunner(context: JobRunnerContext) {
  const { deps, logger, registry, store, boss, queue } = context;
  return async (name: string, job: PgBoss.JobWithMetadata<JobData>): Promise<void> => {
    const runId = job.data.runId ?? job.id;
    const attempt = job.retryCount + 1;
    const started = Date.now();
    let outcome: JobOutcome;
    try {
      outcome = await executeJob(registry, store, deps, {
        id: runId,
        name,
        input: job.data,
        attempt,
      });
    } catch (error) {
      if (!deps.signal.aborted) {
        logger.warn({ job: name, id: runId, attempt, err: error }, 'job failed');
        context.onJob?.(name, 'failed');
        const message = error instanceof Error ? error.message : String(error);
        await boss.fail(name, job.id, { message });
        return;
      }
      outcome = { kind: 'deferred', until: deps.clock.now(), reason: 'the worker shut down' };
    }
    const next = nextJobs(registry, name, runId, job, outcome, deps.clock.now());
    if (next.length > 0) {
      await queue.enqueue(next);
      context.onEnqueued();
    }
    await boss.complete(name, job.id);
    logger.debug(
      { job: name, id: runId, outcome: outcome.kind, ms: Date.now() - started },
      'job finished',
    );
    context.onJob?.(name, outcome.kind);
  };
}

/** The jobs an outcome leads to: the deferred copy, or the registered follow-ups. */
function nextJobs(
  registry: JobRegistry,
  name: string,
  runId: string,
  job: PgBoss.JobWithMetadata<JobData>,
  outcome: JobOutcome,
  now: number,
) {
  if (outcome.kind === 'deferred') {
    // Named after this pg-boss job: each deferral of a run gets its own copy, and handling the
    // same job twice enqueues that copy once.
    return [
      {
        id: jobIdFor(`${runId}#deferred@${outcome.until}#${job.id}`),
        name,
        input: { ...job.data, runId },
        runAfter: outcome.until,
      },
    ];
  }
  if (outcome.kind !== 'done') return [];
  return outcome.followUps
    .filter((f) => registry.has(f.name))
    .map((f) => ({
      id: jobIdFor(`${runId}>${f.name}`),
      name: f.name,
      input: f.input,
      runAfter: now,
    }));
}
