import type { JobQueue, NewJob } from '@spoti/example-server/src/runner/job-queue.js';
import type PgBoss from 'pg-boss';

/** Jobs inserted per statement. */
const CHUNK = 500;

/**
 * The scheduler's {@link JobQueue} on pg-boss. The job id is the run's deterministic id, and
 * pg-boss inserts with `on conflict do nothing`, so a run enqueued twice (two workers ticking, a
 * crash between enqueue and moving the schedule) is one job. `runAfter` is in the app's clock;
 * pg-boss waits in the database's, so only the difference is handed over. Jobs go in with one
 * statement per {@link CHUNK} (a tick at 1,000 users enqueues 1,000 polls at once); each job
 * still gets its queue's retry, expiry and dead-letter settings.
 */
export class PgBossQueue implements JobQueue {
  constructor(
    private readonly boss: PgBoss,
    private readonly clock: { now(): number },
  ) {}

  async enqueue(jobs: readonly NewJob[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < jobs.length; i += CHUNK) {
      const chunk = jobs.slice(i, i + CHUNK);
      const known = await this.#known(chunk.map((job) => job.id));
      await this.boss.insert(chunk.map((job) => this.#toInsert(job)));
      added += chunk.length - known;
    }
    return added;
  }

  #toInsert(job: NewJob): PgBoss.JobInsert {
    const wait = job.runAfter - this.clock.now();
    return {
      id: job.id,
      name: job.name,
      // The name and run id travel in the data: a dead letter keeps the data, not the name.
      data: { ...job.input, job: job.name, runId: job.input.runId ?? job.id },
      ...(wait > 0 ? { startAfter: new Date(Date.now() + wait) } : {}),
    };
  }

  /** How many of `ids` the queue holds already (for the count of new jobs). */
  async #known(ids: readonly string[]): Promise<number> {
    const { rows } = await this.boss
      .getDb()
      .executeSql('select count(*)::int as n from pgboss.job where id = any($1::uuid[])', [ids]);
    return Number(rows[0]?.n ?? 0);
  }
}
