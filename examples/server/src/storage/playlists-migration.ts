import { type Kysely, type Migration, sql } from 'kysely';

/**
 * `0004-playlists`: the smart playlists of each user (the built-ins they touched and their own
 * rules) and the Spotify playlist each one owns. A row exists before anything is written to
 * Spotify; the lease columns keep two saves of the same rule from running at once.
 */
export const playlistsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table spoti_server_playlists (
        user_id text not null,
        slug text not null,
        kind text not null,
        name text not null,
        query text,
        auto_refresh boolean not null default false,
        spotify_playlist_id text,
        lease_token text,
        lease_until bigint,
        last_synced_at bigint,
        last_track_count integer,
        last_write_calls integer,
        last_error text,
        created_at bigint not null,
        updated_at bigint not null,
        primary key (user_id, slug)
      )`.execute(db);
    await sql`create index spoti_server_playlists_auto on spoti_server_playlists (user_id) where auto_refresh`.execute(
      db,
    );
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table spoti_server_playlists`.execute(db);
  },
};
