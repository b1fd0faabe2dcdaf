import type { JobQueue, NewJob } from '@spoti/example-server/src/runner/job-queue.js';
import type PgBoss from 'pg-boss';

/**
 * The scheduler's {@link JobQueue} on pg-boss. The job id is the run's deterministic id, and
 * pg-boss inserts with `on conflict do nothing`, so a run enqueued twice (two workers ticking, a
 * crash between enqueue and moving the schedule) is one job. `runAfter` is in the app's clock;
 * pg-boss waits in the database's, so only the difference is handed over.
 */
export class PgBossQueue implements JobQueue {
  constructor(
    private readonly boss: PgBoss,
    private readonly clock: { now(): number },
  ) {}

  async enqueue(jobs: readonly NewJob[]): Promise<number> {
    let added = 0;
    for (const job of jobs) {
      const wait = job.runAfter - this.clock.now();
      // The name and run id travel in the data: a dead letter keeps the data, not the name.
      const data = { ...job.input, job: job.name, runId: job.input.runId ?? job.id };
      const id = await this.boss.send(job.name, data, {
        id: job.id,
        ...(wait > 0 ? { startAfter: new Date(Date.now() + wait) } : {}),
      });
      if (id !== null) added += 1;
    }
    return added;
  }
}
