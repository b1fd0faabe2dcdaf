import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Migration `0003-jobs`: the schedule (next run per job and user), the embedded job queue, the
 * ledger of completed runs (each run key done once), dead letters and app-wide blocks (a daily
 * quota hit defers every Spotify job until it lifts).
 */
export const jobsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table spoti_server_schedules (
        key text primary key,
        job text not null,
        user_id text,
        next_run_at bigint not null,
        updated_at bigint not null
      )`.execute(db);
    await sql`create index spoti_server_schedules_due on spoti_server_schedules (next_run_at)`.execute(
      db,
    );
    await sql`create index spoti_server_schedules_user on spoti_server_schedules (user_id)`.execute(
      db,
    );
    await sql`
      create table spoti_server_jobs (
        id text primary key,
        name text not null,
        user_id text,
        input text not null,
        status text not null,
        attempts integer not null default 0,
        max_attempts integer not null,
        run_after bigint not null,
        locked_until bigint,
        last_error text,
        created_at bigint not null,
        updated_at bigint not null
      )`.execute(db);
    await sql`create index spoti_server_jobs_ready on spoti_server_jobs (status, run_after)`.execute(
      db,
    );
    await sql`create index spoti_server_jobs_user on spoti_server_jobs (user_id)`.execute(db);
    await sql`
      create table spoti_server_job_runs (
        id text primary key,
        name text not null,
        user_id text,
        attempts integer not null,
        completed_at bigint not null
      )`.execute(db);
    await sql`create index spoti_server_job_runs_done on spoti_server_job_runs (completed_at)`.execute(
      db,
    );
    await sql`create index spoti_server_job_runs_user on spoti_server_job_runs (user_id)`.execute(
      db,
    );
    await sql`
      create table spoti_server_dead_jobs (
        id text primary key,
        name text not null,
        user_id text,
        input text not null,
        attempts integer not null,
        error text not null,
        dead_at bigint not null
      )`.execute(db);
    await sql`create index spoti_server_dead_jobs_user on spoti_server_dead_jobs (user_id, dead_at)`.execute(
      db,
    );
    await sql`
      create table spoti_server_app_blocks (
        scope text primary key,
        until_at bigint not null,
        reason text not null,
        updated_at bigint not null
      )`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['app_blocks', 'dead_jobs', 'job_runs', 'jobs', 'schedules']) {
      await sql`drop table ${sql.table(`spoti_server_${table}`)}`.execute(db);
    }
  },
};
