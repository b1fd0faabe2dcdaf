import { type Kysely, sql } from 'kysely';

/** Creates the sync-state tables (all prefixed `spoti_sync_`, beside the catalog's own). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = `
    create table spoti_sync_values (
      user_id text not null,
      key text not null,
      value jsonb not null,
      primary key (user_id, key)
    );
    create table spoti_sync_gaps (
      id text primary key,
      user_id text not null,
      from_ms bigint not null,
      to_ms bigint not null,
      estimated_missed integer not null,
      detected_at bigint not null,
      filled_at bigint
    );
    create index spoti_sync_gaps_user on spoti_sync_gaps (user_id, from_ms);
    create table spoti_sync_library (
      user_id text not null,
      kind text not null,
      item_id text not null,
      added_at bigint not null,
      seen_at bigint not null,
      primary key (user_id, kind, item_id)
    );
    create table spoti_sync_album_tracks (
      album_id text primary key,
      track_ids jsonb not null
    );
    create table spoti_sync_track_refs (
      track_id text not null,
      user_id text not null,
      ref text not null,
      primary key (track_id, user_id, ref)
    );
    create table spoti_sync_availability (
      user_id text not null,
      track_id text not null,
      status text not null,
      reason text,
      market text,
      noticed_at bigint not null,
      checked_at bigint not null,
      primary key (user_id, track_id)
    );
    create table spoti_sync_runs (
      seq bigserial primary key,
      id text not null unique,
      user_id text not null,
      kind text not null,
      data jsonb not null
    );
    create index spoti_sync_runs_user on spoti_sync_runs (user_id, seq);
  `;
  for (const statement of statements.split(';')) {
    if (statement.trim() !== '') await sql.raw(statement).execute(db);
  }
}
