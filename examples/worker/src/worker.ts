import type { JobDeps } from '@spoti/example-server/src/jobs/deps.js';
import type { JobOutcome } from '@spoti/example-server/src/runner/execute-job.js';
import { createJobRegistry } from '@spoti/example-server/src/runner/job-modules.js';
import { JOB_DEFAULTS, type JobRegistry } from '@spoti/example-server/src/runner/job-registry.js';
import {
  type JobStore,
  SPOTIFY_BLOCK,
  createJobStore,
} from '@spoti/example-server/src/runner/job-store.js';
import { schedulePlan } from '@spoti/example-server/src/scheduler/plan.js';
import { Scheduler } from '@spoti/example-server/src/scheduler/scheduler.js';
import { listScheduledUsers } from '@spoti/example-server/src/scheduler/users.js';
import type { Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { type JobData, jobRunner } from './job-runner.js';
import { PgBossQueue } from './pg-boss-queue.js';
import { QueueConsumer } from './queue-consumer.js';

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
  /**
   * Called when running jobs did not end within the stop timeout: it should abort the jobs'
   * signal (`deps.signal`), so that they stop at their next checkpoint.
   */
  readonly interrupt?: () => void;
}

/** A running worker. */
export interface RunningWorker {
  readonly boss: PgBoss;
  readonly scheduler: Scheduler;
  /**
   * Stops taking jobs, lets running ones finish (up to `timeoutMs`, then interrupts them), and
   * only then stops pg-boss: the caller may close the database once this resolves.
   */
  stop(timeoutMs?: number): Promise<void>;
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
  const boss = await startBoss(options);
  await createQueue(boss, DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE, retryLimit: 0 });
  await createJobQueues(boss, registry, options);
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
  const consumers: QueueConsumer<JobData>[] = [];
  const wakeAll = () => {
    for (const consumer of consumers) consumer.wake();
  };
  const run = jobRunner({ ...options, registry, store, boss, queue, onEnqueued: wakeAll });
  const onError = (err: unknown) => logger.warn({ err }, 'job queue error');
  for (const name of registry.names()) {
    consumers.push(
      new QueueConsumer<JobData>({
        boss,
        name,
        concurrency: options.concurrency,
        pollingMs: options.pollingSeconds * 1000,
        handle: (job) => run(name, job),
        onError,
      }),
    );
  }
  consumers.push(
    new QueueConsumer<JobData>({
      boss,
      name: DEAD_LETTER_QUEUE,
      concurrency: 1,
      pollingMs: Math.max(options.pollingSeconds, 2) * 1000,
      handle: (job) => recordDead(boss, store, deps, job),
      onError,
    }),
  );
  for (const consumer of consumers) consumer.start();
  const ticker = startTicking(scheduler, options, wakeAll);
  return {
    boss,
    scheduler,
    async stop(timeoutMs = 10_000) {
      await ticker.stop();
      await Promise.all(consumers.map((c) => c.stopFetching()));
      await finishRunning(consumers, timeoutMs, options);
      // Only now the queue closes (and after this resolves, the caller closes the database):
      // no job of this process runs any more.
      await boss.stop({ graceful: false, close: true, wait: true });
    },
  };
}

/** Starts pg-boss (creating or migrating its schema). */
async function startBoss(options: StartWorkerOptions): Promise<PgBoss> {
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
  boss.on('error', (err) => options.logger.warn({ err }, 'job queue error'));
  await boss.start();
  return boss;
}

/** One pg-boss queue per registered job: its retries, backoff, expiry and dead letters. */
async function createJobQueues(
  boss: PgBoss,
  registry: JobRegistry,
  options: StartWorkerOptions,
): Promise<void> {
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
  }
}

/**
 * Waits for the running jobs; past `timeoutMs` it interrupts them (`options.interrupt`, which
 * aborts the jobs' signal) and gives them a moment to end at their next checkpoint.
 */
async function finishRunning(
  consumers: readonly QueueConsumer<JobData>[],
  timeoutMs: number,
  options: StartWorkerOptions,
): Promise<void> {
  const idle = Promise.all(consumers.map((c) => c.idle()));
  if (await settlesWithin(idle, timeoutMs)) return;
  options.interrupt?.();
  if (await settlesWithin(idle, INTERRUPT_GRACE_MS)) return;
  const running = consumers.reduce((n, c) => n + c.running, 0);
  options.logger.warn(
    { running },
    'jobs still running at shutdown: they expire and are retried by another worker',
  );
}

/** How long interrupted jobs get to reach a checkpoint before the queue closes anyway. */
const INTERRUPT_GRACE_MS = 2_000;

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return settled;
}

/** The scheduler's tick every `tickMs`, waking the consumers when it enqueued runs. */
function startTicking(
  scheduler: Scheduler,
  options: StartWorkerOptions,
  onEnqueued: () => void,
): { stop(): Promise<void> } {
  let stopped = false;
  let ticking: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const tick = () => {
    ticking = scheduler
      .tick()
      .then((result) => {
        if (result.enqueued > 0) onEnqueued();
      })
      .catch((err: unknown) => options.logger.warn({ err }, 'scheduler tick failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.tickMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await ticking;
    },
  };
}

/** Records a dead-lettered job where the server's sync log shows it. */
async function recordDead(
  boss: PgBoss,
  store: JobStore,
  deps: JobDeps,
  job: PgBoss.JobWithMetadata<JobData>,
): Promise<void> {
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
  await boss.complete(DEAD_LETTER_QUEUE, job.id);
  deps.logger.error({ job: name, id: runId }, 'job dead-lettered');
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
