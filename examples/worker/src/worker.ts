import type { JobDeps } from '@spoti/example-server/src/jobs/deps.js';
import { type JobOutcome, executeJob } from '@spoti/example-server/src/runner/execute-job.js';
import { jobIdFor } from '@spoti/example-server/src/runner/job-id.js';
import { createJobRegistry } from '@spoti/example-server/src/runner/job-modules.js';
import { JOB_DEFAULTS, type JobRegistry } from '@spoti/example-server/src/runner/job-registry.js';
import { SPOTIFY_BLOCK, createJobStore } from '@spoti/example-server/src/runner/job-store.js';
import { schedulePlan } from '@spoti/example-server/src/scheduler/plan.js';
import { Scheduler } from '@spoti/example-server/src/scheduler/scheduler.js';
import { listScheduledUsers } from '@spoti/example-server/src/scheduler/users.js';
import type { Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { PgBossQueue } from './pg-boss-queue.js';

/** The queue pg-boss moves a job to after its last failed try. */
export const DEAD_LETTER_QUEUE = 'spoti-dead-letters';

/** Options of {@link startWorker}. */
export interface StartWorkerOptions {
  /** Everything the jobs need (database, Spotify, clock, logger, signal, ...). */
  readonly deps: JobDeps;
  readonly databaseUrl: string;
  readonly logger: Logger;
  readonly concurrency: number;
  readonly tickMs: number;
  readonly pollingSeconds: number;
  readonly expireSeconds: number;
  readonly maintenanceSeconds: number;
  readonly retryDelaySeconds?: number | undefined;
  readonly pollIntervalMs?: number | undefined;
  readonly registry?: JobRegistry;
  /** Called after each job (tests count executions). */
  readonly onJob?: (name: string, outcome: JobOutcome['kind'] | 'failed') => void;
}

/** A running worker. */
export interface RunningWorker {
  readonly boss: PgBoss;
  readonly scheduler: Scheduler;
  /** Stops taking jobs, lets running ones finish (up to `timeoutMs`), and stops pg-boss. */
  stop(timeoutMs?: number): Promise<void>;
}

interface JobData extends Record<string, unknown> {
  /** The job's name (a dead letter keeps the data, not the name). */
  readonly job?: string;
  /** The id the run is known by (a deferral's copy keeps the original's). */
  readonly runId?: string;
}

/**
 * Starts one worker process's share of the job layer on pg-boss: one pg-boss queue per
 * registered job (retries with exponential backoff, then the dead-letter queue), a scheduler
 * tick every `tickMs` (any number of workers may tick: each run is enqueued once), and a
 * consumer of the dead-letter queue that records dead jobs where the server's sync log shows
 * them.
 */
export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const { deps, logger } = options;
  const registry = options.registry ?? createJobRegistry();
  const db = deps.database.db as unknown as Kysely<unknown>;
  const store = createJobStore(db);
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    application_name: 'spoti-worker',
    max: Math.max(4, options.concurrency + 2),
    schedule: false,
    supervise: true,
    migrate: true,
    maintenanceIntervalSeconds: options.maintenanceSeconds,
    monitorStateIntervalSeconds: 3_600,
  });
  boss.on('error', (err) => logger.warn({ err }, 'job queue error'));
  await boss.start();
  await createQueue(boss, DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE, retryLimit: 0 });
  const queue = new PgBossQueue(boss, deps.clock);
  const scheduler = new Scheduler({
    db,
    plan: schedulePlan({ pollIntervalMs: options.pollIntervalMs }),
    isRegistered: (job) => registry.has(job),
    queue,
    listUsers: () => listScheduledUsers(db),
    clock: deps.clock,
    blocked: {
      jobs: (job) => registry.get(job)?.spotify === true,
      until: (now) => store.blockedUntil(SPOTIFY_BLOCK, now),
    },
  });
  const workerIds: string[] = [];

  /** Runs one job; a failure is returned, to be reported once the whole batch is done. */
  const handle = async (
    name: string,
    job: PgBoss.JobWithMetadata<JobData>,
  ): Promise<{ id: string; message: string } | null> => {
    const runId = job.data.runId ?? job.id;
    let outcome: JobOutcome;
    const started = Date.now();
    try {
      outcome = await executeJob(registry, store, deps, {
        id: runId,
        name,
        input: job.data,
        attempt: job.retryCount + 1,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn({ job: name, id: runId, attempt: job.retryCount + 1, err: error }, 'job failed');
      options.onJob?.(name, 'failed');
      return { id: job.id, message };
    }
    if (outcome.kind === 'deferred') {
      await queue.enqueue([
        {
          id: jobIdFor(`${runId}#deferred@${outcome.until}`),
          name,
          input: { ...job.data, runId },
          runAfter: outcome.until,
        },
      ]);
    } else if (outcome.kind === 'done') {
      const follow = outcome.followUps.filter((f) => registry.has(f.name));
      await queue.enqueue(
        follow.map((f) => ({
          id: jobIdFor(`${runId}>${f.name}`),
          name: f.name,
          input: f.input,
          runAfter: deps.clock.now(),
        })),
      );
    }
    await boss.complete(name, job.id);
    logger.debug(
      { job: name, id: runId, outcome: outcome.kind, ms: Date.now() - started },
      'job finished',
    );
    options.onJob?.(name, outcome.kind);
    return null;
  };

  for (const name of registry.names()) {
    const definition = registry.get(name);
    const attempts = definition?.attempts ?? JOB_DEFAULTS.attempts;
    const backoffMs = definition?.backoffMs ?? JOB_DEFAULTS.backoffMs;
    await createQueue(boss, name, {
      name,
      retryLimit: attempts - 1,
      retryDelay: options.retryDelaySeconds ?? Math.max(1, Math.ceil(backoffMs / 1000)),
      retryBackoff: true,
      expireInSeconds: options.expireSeconds,
      deadLetter: DEAD_LETTER_QUEUE,
    });
    const batchSize = options.concurrency;
    let id = '';
    id = await boss.work<JobData>(
      name,
      { batchSize, includeMetadata: true, pollingIntervalSeconds: options.pollingSeconds },
      async (jobs) => {
        const failures = (await Promise.all(jobs.map((job) => handle(name, job)))).filter(
          (f) => f !== null,
        );
        // Failed tries are reported only now: pg-boss completes the batch's ids when this returns,
        // and a retry fetched while slower jobs of the batch still ran would be completed unrun.
        // Its backoff (at least a second) keeps it from being fetched in between.
        for (const failure of failures)
          await boss.fail(name, failure.id, { message: failure.message });
        // A full batch: more are probably waiting, so fetch again without the polling pause.
        if (jobs.length === batchSize) boss.notifyWorker(id);
      },
    );
    workerIds.push(id);
  }

  await boss.work<JobData>(
    DEAD_LETTER_QUEUE,
    {
      batchSize: 10,
      includeMetadata: true,
      pollingIntervalSeconds: Math.max(options.pollingSeconds, 2),
    },
    async (jobs) => {
      for (const job of jobs) {
        const { job: name, runId, ...input } = job.data;
        const output = job.output as { message?: unknown } | null;
        await store.addDead({
          id: runId ?? job.id,
          name: name ?? 'unknown',
          userId: typeof input.userId === 'string' ? input.userId : null,
          input,
          attempts: job.retryLimit + 1,
          error: typeof output?.message === 'string' ? output.message : 'failed its last try',
          now: deps.clock.now(),
        });
        logger.error({ job: name, id: runId }, 'job dead-lettered');
      }
    },
  );

  let stopped = false;
  let ticking: Promise<void> = Promise.resolve();
  const tick = () => {
    ticking = scheduler
      .tick()
      .then((result) => {
        if (result.enqueued > 0) for (const id of workerIds) boss.notifyWorker(id);
      })
      .catch((err: unknown) => logger.warn({ err }, 'scheduler tick failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.tickMs);
      });
  };
  let timer = setTimeout(tick, 0);

  return {
    boss,
    scheduler,
    async stop(timeoutMs = 10_000) {
      stopped = true;
      clearTimeout(timer);
      await ticking;
      await boss.stop({ graceful: true, timeout: timeoutMs, wait: true });
    },
  };
}

/** Creates a queue; several workers starting at once may race to create the same one. */
async function createQueue(boss: PgBoss, name: string, queue: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if ((await boss.getQueue(name)) === null) await boss.createQueue(name, queue);
      else await boss.updateQueue(name, queue);
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}
