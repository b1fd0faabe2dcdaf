import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { JobDeps } from '../jobs/deps.js';
import type { ScheduleSpec } from '../scheduler/plan.js';
import { type ScheduledUser, Scheduler } from '../scheduler/scheduler.js';
import { DbJobQueue, type ClaimedJob } from './db-queue.js';
import { executeJob, retryDelay } from './execute-job.js';
import { jobIdFor } from './job-id.js';
import { JOB_DEFAULTS, type JobRegistry } from './job-registry.js';
import { type JobStore, SPOTIFY_BLOCK, createJobStore } from './job-store.js';

/** Options of {@link EmbeddedJobs}. */
export interface EmbeddedJobsOptions {
  readonly deps: JobDeps;
  readonly registry: JobRegistry;
  readonly plan: readonly ScheduleSpec[];
  readonly listUsers: () => Promise<readonly ScheduledUser[]>;
  readonly logger: Logger;
  /** Wall-clock pause between scheduler ticks (default 5 s). */
  readonly tickMs?: number;
  /** Jobs run at once (default 2). */
  readonly concurrency?: number;
  /** How long a claimed job stays locked before another process may take it (default 10 min). */
  readonly lockMs?: number;
}

/**
 * The job layer inside the server (`pnpm start`): the scheduler and a queue in the server's own
 * database (PGlite by default), worked by this process. State lives in the database, so a
 * restart resumes queued jobs and runs each scheduled slot once.
 */
export class EmbeddedJobs {
  readonly queue: DbJobQueue;
  readonly scheduler: Scheduler;
  readonly store: JobStore;
  #timer: NodeJS.Timeout | null = null;
  #cycle: Promise<void> | null = null;
  #stopped = false;

  constructor(private readonly options: EmbeddedJobsOptions) {
    const { deps, registry } = options;
    const db = deps.database.db as unknown as Kysely<unknown>;
    this.store = createJobStore(db);
    this.queue = new DbJobQueue(db, registry, deps.clock);
    this.scheduler = new Scheduler({
      db,
      plan: options.plan,
      isRegistered: (job) => registry.has(job),
      queue: this.queue,
      listUsers: options.listUsers,
      clock: deps.clock,
      blocked: {
        jobs: (job) => registry.get(job)?.spotify === true,
        until: (now) => this.store.blockedUntil(SPOTIFY_BLOCK, now),
      },
    });
  }

  /** Starts ticking in the background. */
  start(): void {
    if (this.#timer !== null || this.#stopped) return;
    const loop = () => {
      this.#cycle = this.runOnce()
        .then(() => undefined)
        .catch((err: unknown) => this.options.logger.error({ err }, 'job cycle failed'))
        .finally(() => {
          this.#cycle = null;
          if (!this.#stopped) this.#timer = setTimeout(loop, this.options.tickMs ?? 5_000);
        });
    };
    this.#timer = setTimeout(loop, 0);
  }

  /** One scheduler tick, then every due job, until none is due. Resolves to the jobs run. */
  async runOnce(): Promise<number> {
    await this.scheduler.tick();
    let ran = 0;
    const worker = async () => {
      while (!this.#stopped && !this.options.deps.signal.aborted) {
        const job = await this.queue.claim(this.options.lockMs ?? 600_000);
        if (job === null) return;
        await this.#process(job);
        ran += 1;
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 2 }, worker));
    return ran;
  }

  async #process(job: ClaimedJob): Promise<void> {
    const { deps, registry, logger } = this.options;
    try {
      const outcome = await executeJob(registry, this.store, deps, job);
      if (outcome.kind === 'deferred') {
        await this.queue.defer(job.id, outcome.until);
        return;
      }
      if (outcome.kind === 'done') {
        const follow = outcome.followUps.filter((f) => registry.has(f.name));
        await this.queue.enqueue(
          follow.map((f) => ({
            id: jobIdFor(`${job.id}>${f.name}`),
            name: f.name,
            input: f.input,
            runAfter: deps.clock.now(),
          })),
        );
      }
      await this.queue.finish(job.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (job.attempt >= job.maxAttempts) {
        await this.store.addDead({
          id: job.id,
          name: job.name,
          userId: typeof job.input.userId === 'string' ? job.input.userId : null,
          input: job.input,
          attempts: job.attempt,
          error: message,
          now: deps.clock.now(),
        });
        await this.queue.finish(job.id);
        logger.error({ job: job.name, id: job.id, err: error }, 'job dead-lettered');
        return;
      }
      const backoff = registry.get(job.name)?.backoffMs ?? JOB_DEFAULTS.backoffMs;
      await this.queue.retryAt(
        job.id,
        deps.clock.now() + retryDelay(backoff, job.attempt),
        message,
      );
      logger.warn(
        { job: job.name, id: job.id, attempt: job.attempt, err: error },
        'job failed, will retry',
      );
    }
  }

  /** Stops ticking and waits for the running cycle (jobs stop at their next checkpoint). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#cycle;
  }
}
