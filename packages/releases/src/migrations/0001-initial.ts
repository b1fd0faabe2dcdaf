import { type Kysely, sql } from 'kysely';

/** Creates the watcher's tables (all prefixed `releases_`, so they can share a catalog database). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `create table releases_subscribers (
      id text primary key,
      unsubscribed_at bigint,
      data jsonb not null
    )`,
    `create table releases_subscriber_artists (
      user_id text not null,
      artist_id text not null,
      primary key (user_id, artist_id)
    )`,
    'create index releases_subscriber_artists_artist on releases_subscriber_artists (artist_id)',
    `create table releases_cursors (
      artist_id text primary key,
      next_scan_at bigint not null,
      failures integer not null,
      data jsonb not null
    )`,
    'create index releases_cursors_due on releases_cursors (next_scan_at)',
    `create table releases_seen (
      artist_id text not null,
      album_id text not null,
      release_id text,
      primary key (artist_id, album_id)
    )`,
    `create table releases_releases (
      id text primary key,
      fold_key text not null,
      discovered_at bigint not null,
      data jsonb not null
    )`,
    'create index releases_releases_fold on releases_releases (fold_key)',
    `create table releases_release_editions (
      album_id text primary key,
      release_id text not null
    )`,
    `create table releases_release_artists (
      release_id text not null,
      artist_id text not null,
      primary key (release_id, artist_id)
    )`,
    'create index releases_release_artists_artist on releases_release_artists (artist_id)',
    `create table releases_digests (
      id text primary key,
      user_id text not null,
      status text not null,
      created_at bigint not null,
      data jsonb not null
    )`,
    'create index releases_digests_user on releases_digests (user_id, created_at)',
    `create table releases_deliveries (
      user_id text not null,
      release_id text not null,
      digest_id text not null,
      primary key (user_id, release_id)
    )`,
    `create table releases_reports (
      seq bigserial primary key,
      id text not null,
      data jsonb not null
    )`,
    `create table releases_meta (
      key text primary key,
      value jsonb not null
    )`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** Drops the watcher's tables. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'releases_meta',
    'releases_reports',
    'releases_deliveries',
    'releases_digests',
    'releases_release_artists',
    'releases_release_editions',
    'releases_releases',
    'releases_seen',
    'releases_cursors',
    'releases_subscriber_artists',
    'releases_subscribers',
  ])
    await sql.raw(`drop table if exists ${table}`).execute(db);
}
