import { type Kysely, sql } from 'kysely';
import type { JobsDatabase } from '../storage/jobs-schema.js';

/** A job that failed its last try. */
export interface DeadJob {
  readonly id: string;
  readonly name: string;
  readonly userId: string | null;
  readonly input: Readonly<Record<string, unknown>>;
  readonly attempts: number;
  readonly error: string;
  readonly deadAt: number;
}

/** The scope of the app-wide block a Spotify rate limit or daily quota sets. */
export const SPOTIFY_BLOCK = 'spotify';

/**
 * The job layer's shared records, the same for the embedded queue and the worker's: the ledger
 * of completed runs, dead letters and app-wide blocks.
 */
export function createJobStore(database: Kysely<unknown>) {
  const db = database as Kysely<JobsDatabase>;
  return { ...ledger(db), ...deadLetters(db), ...blocks(db) };
}

/** The ledger of completed runs. */
function ledger(db: Kysely<JobsDatabase>) {
  return {
    /** True when the job id already completed (its effect must not happen again). */
    async isDone(id: string): Promise<boolean> {
      const row = await db
        .selectFrom('spoti_server_job_runs')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      return row !== undefined;
    },
    /**
     * What a job checks before it runs, in one query: whether its id already completed, and the
     * end of the block of `scope` (null: none, or no scope given) if it lies after `now`.
     */
    async beforeRun(
      id: string,
      scope: string | null,
      now: number,
    ): Promise<{ done: boolean; blockedUntil: number | null }> {
      const { rows } = await sql<{ done: boolean; until_at: string | number | null }>`select
        exists (select 1 from spoti_server_job_runs where id = ${id}) as done,
        (select until_at from spoti_server_app_blocks where scope = ${scope ?? ''}) as until_at`.execute(
        db,
      );
      const until = scope === null ? 0 : Number(rows[0]?.until_at ?? 0);
      return { done: rows[0]?.done === true, blockedUntil: until > now ? until : null };
    },
    /** Records a completion; false when it was already recorded. */
    async markDone(job: {
      id: string;
      name: string;
      userId: string | null;
      attempts: number;
      now: number;
    }): Promise<boolean> {
      const result = await db
        .insertInto('spoti_server_job_runs')
        .values({
          id: job.id,
          name: job.name,
          user_id: job.userId,
          attempts: job.attempts,
          completed_at: job.now,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    /** Forgets completions older than `before` (their run keys are never enqueued again). */
    async pruneLedger(before: number): Promise<number> {
      const result = await db
        .deleteFrom('spoti_server_job_runs')
        .where('completed_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** Jobs that failed their last try, where the sync log shows them. */
function deadLetters(db: Kysely<JobsDatabase>) {
  return {
    /** Dead-letters a job (a repeated call keeps the first record). */
    async addDead(job: Omit<DeadJob, 'deadAt'> & { now: number }): Promise<void> {
      await db
        .insertInto('spoti_server_dead_jobs')
        .values({
          id: job.id,
          name: job.name,
          user_id: job.userId,
          input: JSON.stringify(job.input),
          attempts: job.attempts,
          error: job.error.slice(0, 500),
          dead_at: job.now,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    /** The user's dead letters, newest first. */
    async listDead(userId: string, limit = 20): Promise<DeadJob[]> {
      const rows = await db
        .selectFrom('spoti_server_dead_jobs')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('dead_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        userId: r.user_id,
        input: JSON.parse(r.input) as Record<string, unknown>,
        attempts: r.attempts,
        error: r.error,
        deadAt: Number(r.dead_at),
      }));
    },
  };
}

/** App-wide blocks (Spotify's rate limit or daily quota). */
function blocks(db: Kysely<JobsDatabase>) {
  return {
    /** The end of the block of `scope` if it lies after `now`, else null. */
    async blockedUntil(scope: string, now: number): Promise<number | null> {
      const row = await db
        .selectFrom('spoti_server_app_blocks')
        .select('until_at')
        .where('scope', '=', scope)
        .executeTakeFirst();
      const until = row === undefined ? 0 : Number(row.until_at);
      return until > now ? until : null;
    },
    /** Blocks `scope` until `until` (extends, never shortens, a block). */
    async block(scope: string, until: number, reason: string, now: number): Promise<void> {
      await db
        .insertInto('spoti_server_app_blocks')
        .values({ scope, until_at: until, reason: reason.slice(0, 200), updated_at: now })
        .onConflict((oc) =>
          oc
            .column('scope')
            .doUpdateSet({ until_at: until, reason: reason.slice(0, 200), updated_at: now })
            .where('spoti_server_app_blocks.until_at', '<', until),
        )
        .execute();
    },
  };
}

/** The store {@link createJobStore} returns. */
export type JobStore = ReturnType<typeof createJobStore>;
