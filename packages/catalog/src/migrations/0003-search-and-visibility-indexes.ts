import { type Kysely, sql } from 'kysely';

/**
 * An index of the tracks that are not public (a few in a catalog): the private-track rule of
 * search, trending and random draws becomes a probe of this small index instead of a read of each
 * track's row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index catalog_tracks_not_public on catalog_tracks (id) where visibility <> 'public'`.execute(
    db,
  );
}

/** Drops what {@link up} added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index catalog_tracks_not_public`.execute(db);
}
