import { type Kysely, type Migration, sql } from 'kysely';

/** Migration `0006-platform`: accounts, API tokens and skips of the platform API. */
export const platformMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table spoti_server_api_accounts (
        user_id text primary key,
        email text not null unique,
        password_hash text not null,
        role text not null,
        artist_id text unique,
        web_user_id text unique,
        display_name text not null,
        created_at bigint not null,
        updated_at bigint not null
      )`.execute(db);
    await sql`
      create table spoti_server_api_tokens (
        id text primary key,
        user_id text not null,
        token_hash text not null unique,
        name text not null,
        created_at bigint not null,
        last_used_at bigint
      )`.execute(db);
    await sql`create index spoti_server_api_tokens_user on spoti_server_api_tokens (user_id)`.execute(
      db,
    );
    await sql`
      create table spoti_server_api_skips (
        user_id text not null,
        song_id text not null,
        skipped_at bigint not null,
        primary key (user_id, skipped_at, song_id)
      )`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['skips', 'tokens', 'accounts']) {
      await sql`drop table ${sql.table(`spoti_server_api_${table}`)}`.execute(db);
    }
  },
};
