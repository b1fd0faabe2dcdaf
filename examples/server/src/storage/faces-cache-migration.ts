import { type Kysely, type Migration, sql } from 'kysely';

/**
 * `0009-face-cache`: the studio's caches and limit in the database, so every server process and
 * worker shares them and a restart keeps them. Every table has a `user_id` column, so account
 * deletion finds them.
 */
export const faceCacheMigration: Migration = {
  async up(db: Kysely<unknown>) {
    // The profile cache is the last profile per period: it is fresh while younger than the TTL,
    // collected in the user's current time zone, and of the user's current cache generation.
    await sql`alter table spoti_server_face_profiles
      add column time_zone text not null default ''`.execute(db);
    await sql`alter table spoti_server_face_profiles
      add column generation bigint not null default 0`.execute(db);
    // The user's cache generation (0 without a row): a sync or an import that brought new plays
    // moves it on, which makes every profile collected before (or while) it stale.
    await sql`
      create table spoti_server_face_cache_marks (
        user_id text primary key,
        generation bigint not null
      )`.execute(db);
    // The Web API part of a profile (`ProfileSources` of @spoti/sync) per user.
    await sql`
      create table spoti_server_face_sources (
        user_id text primary key,
        sources text not null,
        fetched_at bigint not null
      )`.execute(db);
    // One row per regeneration; rows older than the limit's window are pruned as new ones come.
    await sql`
      create table spoti_server_face_regenerations (
        id bigserial primary key,
        user_id text not null,
        at bigint not null
      )`.execute(db);
    await sql`create index spoti_server_face_regenerations_user
      on spoti_server_face_regenerations (user_id, at)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['face_regenerations', 'face_sources', 'face_cache_marks']) {
      await sql`drop table ${sql.table(`spoti_server_${table}`)}`.execute(db);
    }
    await sql`alter table spoti_server_face_profiles drop column time_zone`.execute(db);
    await sql`alter table spoti_server_face_profiles drop column generation`.execute(db);
  },
};
