import { type Kysely, sql } from 'kysely';

/** Creates the catalog schema: entities, the play log, annotations, counters and search index. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = `
    create table artists (
      id text primary key,
      name text not null,
      genres jsonb not null,
      owner_user_id text,
      image_url text,
      added_at bigint not null
    );
    create table albums (
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
    create table tracks (
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
    create index tracks_primary_artist on tracks (primary_artist_id);
    create table users (id text primary key, data jsonb not null);
    create table subscriptions (id text primary key, data jsonb not null);
    create table playlists (
      id text primary key,
      owner_user_id text not null,
      name text not null,
      description text not null,
      public boolean not null,
      collaborative boolean not null,
      snapshot_id text,
      updated_at bigint not null
    );
    create table playlist_items (
      playlist_id text not null references playlists (id) on delete cascade,
      position integer not null,
      track_id text not null,
      added_at bigint not null,
      added_by text,
      primary key (playlist_id, position)
    );
    create table plays (
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
    create index plays_user_time on plays (user_id, ended_at);
    create index plays_time_subjects on plays (ended_at) include (track_id, album_id, primary_artist_id);
    create table likes (
      user_id text not null,
      track_id text not null,
      liked_at bigint not null,
      primary key (user_id, track_id)
    );
    create index likes_time on likes (liked_at);
    create table favourites (
      user_id text not null,
      kind text not null,
      target_id text not null,
      added_at bigint not null,
      primary key (user_id, kind, target_id)
    );
    create table follows (
      user_id text not null,
      artist_id text not null,
      followed_at bigint not null,
      primary key (user_id, artist_id)
    );
    create table user_track_stats (
      user_id text not null,
      track_id text not null,
      play_count integer not null,
      last_played_at bigint not null,
      primary key (user_id, track_id)
    );
    create table item_stats (
      kind text not null,
      id text not null,
      plays integer not null default 0,
      likes integer not null default 0,
      primary key (kind, id)
    );
    create table search_docs (
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
    create index search_docs_genres on search_docs using gin (genres);
    create table search_terms (term text primary key, len integer not null);
    create index search_terms_len on search_terms (len);
    create table search_postings (
      term text not null,
      kind text not null,
      id text not null,
      primary key (term, kind, id)
    );
    create index search_postings_doc on search_postings (kind, id);
  `;
  for (const statement of statements.split(';')) {
    if (statement.trim() !== '') await sql.raw(statement).execute(db);
  }
}

/** Drops everything {@link up} created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const statements = `
    drop table search_postings; drop table search_terms; drop table search_docs;
    drop table item_stats; drop table user_track_stats; drop table follows; drop table favourites;
    drop table likes; drop table plays; drop table playlist_items; drop table playlists;
    drop table subscriptions; drop table users; drop table tracks; drop table albums; drop table artists;
  `;
  for (const statement of statements.split(';')) {
    if (statement.trim() !== '') await sql.raw(statement).execute(db);
  }
}
