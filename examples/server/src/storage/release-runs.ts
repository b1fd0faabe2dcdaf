import { randomUUID } from 'node:crypto';
import { type Kysely, type Migration, sql } from 'kysely';
import type { Database } from './database.js';

/** Migration `0005-releases`: the log of release sweeps (not per user: no `user_id`). */
export const releasesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table spoti_server_release_runs (
        id text primary key,
        status text not null,
        trigger text not null,
        created_at bigint not null,
        started_at bigint,
        finished_at bigint,
        result text
      )`.execute(db);
    await sql`create index spoti_server_release_runs_created on spoti_server_release_runs (created_at)`.execute(
      db,
    );
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table spoti_server_release_runs`.execute(db);
  },
};

/** Where a sweep run stands. */
export type ReleaseRunStatus = 'queued' | 'running' | 'done' | 'failed' | 'skipped' | 'abandoned';

/** One sweep run (scheduled, triggered by the API, or after a confirmation). */
export interface ReleaseRun {
  readonly id: string;
  readonly status: ReleaseRunStatus;
  readonly trigger: string;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly result: unknown;
}

interface Row {
  id: string;
  status: string;
  trigger: string;
  created_at: string | number;
  started_at: string | number | null;
  finished_at: string | number | null;
  result: string | null;
}

const num = (v: string | number | null) => (v === null ? null : Number(v));

function toRun(row: Row): ReleaseRun {
  return {
    id: row.id,
    status: row.status as ReleaseRunStatus,
    trigger: row.trigger,
    createdAt: Number(row.created_at),
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
    result: row.result === null ? null : JSON.parse(row.result),
  };
}

/** The sweep-run log in `spoti_server_release_runs`. */
export class ReleaseRunLog {
  constructor(private readonly db: Kysely<unknown>) {}

  /** Records a queued run (idempotent by id) and returns its id. */
  async queue(trigger: string, now: number, id: string = randomUUID()): Promise<string> {
    await sql`insert into spoti_server_release_runs (id, status, trigger, created_at)
      values (${id}, 'queued', ${trigger}, ${now}) on conflict (id) do nothing`.execute(this.db);
    return id;
  }

  async mark(
    id: string,
    status: ReleaseRunStatus,
    now: number,
    result: unknown = null,
  ): Promise<void> {
    const json = result === null ? null : JSON.stringify(result);
    if (status === 'running') {
      await sql`update spoti_server_release_runs set status = 'running', started_at = ${now}
        where id = ${id}`.execute(this.db);
    } else {
      await sql`update spoti_server_release_runs set status = ${status}, finished_at = ${now},
        result = ${json} where id = ${id}`.execute(this.db);
    }
  }

  async get(id: string): Promise<ReleaseRun | null> {
    const { rows } =
      await sql<Row>`select * from spoti_server_release_runs where id = ${id}`.execute(this.db);
    return rows[0] === undefined ? null : toRun(rows[0]);
  }

  /** The newest run marked running, if any. */
  async running(): Promise<ReleaseRun | null> {
    const { rows } = await sql<Row>`select * from spoti_server_release_runs
      where status = 'running' order by started_at desc limit 1`.execute(this.db);
    return rows[0] === undefined ? null : toRun(rows[0]);
  }

  /** The newest run still queued (not yet started) created at or after `since`. */
  async queuedSince(since: number): Promise<ReleaseRun | null> {
    const { rows } = await sql<Row>`select * from spoti_server_release_runs
      where status = 'queued' and created_at >= ${since} order by created_at desc limit 1`.execute(
      this.db,
    );
    return rows[0] === undefined ? null : toRun(rows[0]);
  }

  /** Runs left `running` by a process that died (their lock is gone) become `abandoned`. */
  async abandonRunning(now: number): Promise<void> {
    await sql`update spoti_server_release_runs set status = 'abandoned', finished_at = ${now}
      where status = 'running'`.execute(this.db);
  }

  async latest(limit = 10): Promise<ReleaseRun[]> {
    const { rows } = await sql<Row>`select * from spoti_server_release_runs
      order by created_at desc, id limit ${limit}`.execute(this.db);
    return rows.map(toRun);
  }
}

/** In-process holders of the PGlite sweep lock, per database. */
const pgliteHolders = new WeakMap<Database, { held: boolean; waiters: (() => void)[] }>();

/**
 * Runs `fn` holding the release-sweep lock of the database, so one sweep runs at a time. On
 * PostgreSQL it is a session advisory lock (keyed by the schema), which every process on the
 * database shares and which the server drops when a process dies; on PGlite (one process owns the
 * folder) it is held in this process. `wait: false` answers `{ acquired: false }` at once when the
 * lock is taken; `wait: true` queues behind the holder.
 */
export async function withReleaseSweepLock<T>(
  database: Database,
  wait: boolean,
  fn: () => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  if (database.backend === 'postgres') {
    return database.db.connection().execute(async (conn) => {
      const key = sql`hashtext('spoti:release-sweep'), hashtext(current_schema())`;
      if (wait) {
        await sql`select pg_advisory_lock(${key})`.execute(conn);
      } else {
        const { rows } = await sql<{
          ok: boolean;
        }>`select pg_try_advisory_lock(${key}) as ok`.execute(conn);
        if (rows[0]?.ok !== true) return { acquired: false as const };
      }
      try {
        return { acquired: true as const, value: await fn() };
      } finally {
        await sql`select pg_advisory_unlock(${key})`.execute(conn);
      }
    });
  }
  let state = pgliteHolders.get(database);
  if (state === undefined) {
    state = { held: false, waiters: [] };
    pgliteHolders.set(database, state);
  }
  const s = state;
  if (s.held) {
    if (!wait) return { acquired: false };
    while (s.held) await new Promise<void>((resolve) => s.waiters.push(resolve));
  }
  s.held = true;
  try {
    return { acquired: true, value: await fn() };
  } finally {
    s.held = false;
    s.waiters.shift()?.();
  }
}

/** True while some process holds the release-sweep lock of the database. */
export async function releaseSweepRunning(database: Database): Promise<boolean> {
  const probe = await withReleaseSweepLock(database, false, async () => undefined);
  return !probe.acquired;
}
