import { type Kysely, sql } from 'kysely';

/**
 * Plays written with `appendPlays(plays, { deferAggregates: true })` whose counters and trending
 * aggregates are not folded yet: what the fold reads, one row per new play, written in the same
 * statement as the play. No index: the fold deletes the whole table, and a bulk import writes it
 * fastest as a bare heap. `user_id` lets account deletion find a listener's rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table catalog_plays_unfolded (
    user_id text not null,
    track_id text,
    album_id text,
    primary_artist_id text,
    ended_at bigint not null
  )`.execute(db);
}

/** Drops what {@link up} added (fold first: unfolded plays would be left out of the aggregates). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table catalog_plays_unfolded`.execute(db);
}
