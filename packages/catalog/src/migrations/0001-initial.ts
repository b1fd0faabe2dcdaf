import { type Kysely, sql } from 'kysely';

/** Artists, albums and tracks. */
const ENTITIES = `
    create table catalog_artists (
      id text primary key,
      name text not null,
      genres jsonb not null,
      owner_user_id text,
      image_url text,
      added_at bigint not null
    );
    create table catalog_albums (
      id text primary key,
      name text not null,
      type text not null,
      artist_ids jsonb not null,
      release_date text not null,
      release_date_precision text not null,
      upc text,
      explicit boolean not null,
      variant_of_album_id text,
      genres jsonb not null,
      label text,
      image_url text,
      total_tracks integer not null,
      added_at bigint not null
    );
    create table catalog_tracks (
      id text primary key,
      name text not null,
      album_id text,
      artist_ids jsonb not null,
      primary_artist_id text,
      owner_artist_id text,
      duration_ms integer not null,
      isrc text,
      explicit boolean not null,
      visibility text not null,
      disc_number integer not null,
      track_number integer not null,
      added_at bigint not null
    );
    create index catalog_tracks_primary_artist on catalog_tracks (primary_artist_id);
`;

/** Users and subscriptions (one jsonb document each), playlists and their items. */
const ACCOUNTS_AND_PLAYLISTS = `
    create table catalog_users (id text primary key, data jsonb not null);
    create table catalog_subscriptions (id text primary key, data jsonb not null);
    create table catalog_playlists (
      id text primary key,
      owner_user_id text not null,
      name text not null,
      description text not null,
      public boolean not null,
      collaborative boolean not null,
      snapshot_id text,
      updated_at bigint not null
    );
    create table catalog_playlist_items (
      playlist_id text not null references catalog_playlists (id) on delete cascade,
      position integer not null,
      track_id text not null,
      added_at bigint not null,
      added_by text,
      primary key (playlist_id, position)
    );
`;

/** The play log and its indexes. */
const PLAY_LOG = `
    create table catalog_plays (
      play_key text primary key,
      seq bigserial not null,
      user_id text not null,
      track_id text,
      track_name text not null,
      artist_ids jsonb not null,
      primary_artist_id text,
      artist_name text not null,
      album_id text,
      album_name text,
      ended_at bigint not null,
      ms_played integer not null,
      skipped boolean,
      reason_start text,
      reason_end text,
      shuffle boolean,
      offline boolean,
      offline_timestamp bigint,
      platform text,
      source text not null
    );
    create index catalog_plays_user_time on catalog_plays (user_id, ended_at);
    create index catalog_plays_time_subjects on catalog_plays (ended_at) include (track_id, album_id, primary_artist_id);
`;

/** Likes, favourites and follows. */
const ANNOTATIONS = `
    create table catalog_likes (
      user_id text not null,
      track_id text not null,
      liked_at bigint not null,
      primary key (user_id, track_id)
    );
    create index catalog_likes_time on catalog_likes (liked_at);
    create table catalog_favourites (
      user_id text not null,
      kind text not null,
      target_id text not null,
      added_at bigint not null,
      primary key (user_id, kind, target_id)
    );
    create table catalog_follows (
      user_id text not null,
      artist_id text not null,
      followed_at bigint not null,
      primary key (user_id, artist_id)
    );
`;

/** Per-listener and per-item counters derived from plays and likes. */
const COUNTERS = `
    create table catalog_user_track_stats (
      user_id text not null,
      track_id text not null,
      play_count integer not null,
      last_played_at bigint not null,
      primary key (user_id, track_id)
    );
    create table catalog_item_stats (
      kind text not null,
      id text not null,
      plays integer not null default 0,
      likes integer not null default 0,
      primary key (kind, id)
    );
`;

/** The search index: documents, vocabulary and postings. */
const SEARCH = `
    create table catalog_search_docs (
      kind text not null,
      id text not null,
      name text not null,
      search_text text not null,
      genres jsonb not null,
      artist_ids jsonb not null,
      album_id text,
      released_at bigint,
      added_at bigint not null,
      primary key (kind, id)
    );
    create index catalog_search_docs_genres on catalog_search_docs using gin (genres);
    create table catalog_search_terms (term text primary key, len integer not null);
    create index catalog_search_terms_len on catalog_search_terms (len);
    create table catalog_search_postings (
      term text not null,
      kind text not null,
      id text not null,
      primary key (term, kind, id)
    );
    create index catalog_search_postings_doc on catalog_search_postings (kind, id);
`;

/** Runs each `;`-separated statement of `statements`. */
async function run(db: Kysely<unknown>, statements: string): Promise<void> {
  for (const statement of statements.split(';')) {
    if (statement.trim() !== '') await sql.raw(statement).execute(db);
  }
}

/** Creates the catalog schema: entities, the play log, annotations, counters and search index. */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statements of [
    ENTITIES,
    ACCOUNTS_AND_PLAYLISTS,
    PLAY_LOG,
    ANNOTATIONS,
    COUNTERS,
    SEARCH,
  ])
    await run(db, statements);
}

/** Drops everything {@link up} created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = `
    drop table catalog_search_postings; drop table catalog_search_terms; drop table catalog_search_docs;
    drop table catalog_item_stats; drop table catalog_user_track_stats; drop table catalog_follows; drop table catalog_favourites;
    drop table catalog_likes; drop table catalog_plays; drop table catalog_playlist_items; drop table catalog_playlists;
    drop table catalog_subscriptions; drop table catalog_users; drop table catalog_tracks; drop table catalog_albums; drop table catalog_artists;
  `;
  await run(db, statements);
}
