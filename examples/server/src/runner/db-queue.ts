import { type Kysely, sql } from 'kysely';
import type { JobsDatabase } from '../storage/jobs-schema.js';
import type { JobQueue, NewJob } from './job-queue.js';
import { JOB_DEFAULTS, type JobRegistry } from './job-registry.js';

/** A job claimed from the embedded queue. */
export interface ClaimedJob {
  readonly id: string;
  readonly name: string;
  readonly input: Record<string, unknown>;
  /** This try, from 1. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

/**
 * The embedded queue in `spoti_server_jobs` (PGlite or PostgreSQL): enqueue is idempotent by job
 * id, a claim locks a job for `lockMs` (a process that dies mid-job leaves a lock that expires,
 * and the job is claimed again), and a finished job leaves the table (the ledger and dead
 * letters keep what happened).
 */
export class DbJobQueue implements JobQueue {
  readonly #db: Kysely<JobsDatabase>;

  constructor(
    db: Kysely<unknown>,
    private readonly registry: JobRegistry,
    private readonly clock: { now(): number },
  ) {
    this.#db = db as Kysely<JobsDatabase>;
  }

  async enqueue(jobs: readonly NewJob[]): Promise<number> {
    if (jobs.length === 0) return 0;
    const now = this.clock.now();
    const result = await this.#db
      .insertInto('spoti_server_jobs')
      .values(
        jobs.map((j) => ({
          id: j.id,
          name: j.name,
          user_id: typeof j.input.userId === 'string' ? j.input.userId : null,
          input: JSON.stringify(j.input),
          status: 'queued' as const,
          attempts: 0,
          max_attempts: this.registry.get(j.name)?.attempts ?? JOB_DEFAULTS.attempts,
          run_after: j.runAfter,
          locked_until: null,
          last_error: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n);
  }

  /** Claims the next due job (or one whose holder's lock expired), or null. */
  async claim(lockMs: number): Promise<ClaimedJob | null> {
    const now = this.clock.now();
    const { rows } = await sql<{
      id: string;
      name: string;
      input: string;
      attempts: number;
      max_attempts: number;
    }>`
      update spoti_server_jobs set status = 'running', attempts = attempts + 1,
        locked_until = ${now + lockMs}, updated_at = ${now}
      where id = (
        select id from spoti_server_jobs
        where (status = 'queued' and run_after <= ${now})
           or (status = 'running' and locked_until < ${now})
        order by run_after, id
        limit 1
        for update skip locked
      )
      returning id, name, input, attempts, max_attempts`.execute(this.#db);
    const row = rows[0];
    if (row === undefined) return null;
    return {
      id: row.id,
      name: row.name,
      input: JSON.parse(row.input) as Record<string, unknown>,
      attempt: Number(row.attempts),
      maxAttempts: Number(row.max_attempts),
    };
  }

  /** Removes a finished (done, already done or dead-lettered) job. */
  async finish(id: string): Promise<void> {
    await this.#db.deleteFrom('spoti_server_jobs').where('id', '=', id).execute();
  }

  /** Puts a failed job back for another try at `at`. */
  async retryAt(id: string, at: number, error: string): Promise<void> {
    await this.#db
      .updateTable('spoti_server_jobs')
      .set({
        status: 'queued',
        run_after: at,
        locked_until: null,
        last_error: error.slice(0, 500),
        updated_at: this.clock.now(),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Puts a job back until `at` without spending the try it was claimed with. */
  async defer(id: string, at: number): Promise<void> {
    await this.#db
      .updateTable('spoti_server_jobs')
      .set((eb) => ({
        status: 'queued',
        run_after: at,
        locked_until: null,
        attempts: eb('attempts', '-', 1),
        updated_at: this.clock.now(),
      }))
      .where('id', '=', id)
      .execute();
  }

  /** Jobs waiting or running (for tests and the health page). */
  async size(): Promise<number> {
    const row = await this.#db
      .selectFrom('spoti_server_jobs')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The earliest `run_after` of a queued job, or null. */
  async nextRunAfter(): Promise<number | null> {
    const row = await this.#db
      .selectFrom('spoti_server_jobs')
      .select((eb) => eb.fn.min('run_after').as('at'))
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }
}
