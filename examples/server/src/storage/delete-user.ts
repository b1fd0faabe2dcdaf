import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';
import { deletePublishedContent } from './delete-artist-content.js';
import type { ObjectStore } from './object-store.js';
import type { ServerDatabase } from './schema.js';
import { forgetTokenLookups } from '../api/storage/accounts.js';

/** Columns that name the user a row belongs to, in any table of any package. */
const USER_COLUMNS = ['user_id', 'owner_user_id'] as const;

/** Tables keyed by the user id itself. */
const USER_TABLES = ['catalog_users', 'spoti_server_users', 'releases_subscribers'] as const;

/** Columns that link another account to the user: cleared, the other account stays. */
const LINK_COLUMNS = ['web_user_id'] as const;

/** What {@link deleteUserEverywhere} removed, per table. */
export type DeletedRows = Record<string, number>;

/** Options of {@link deleteUserEverywhere}. */
export interface DeleteUserOptions {
  /** Where the audio, renditions and covers of the songs the user published are kept. */
  readonly objects?: ObjectStore;
}

/**
 * Removes every row of a user from every table of the database: the catalog's (plays, likes,
 * favourites, follows, playlists, counters), the sync state's, the server's (sessions, tokens,
 * import jobs, the user) and any table a later package adds with a `user_id` column. The tables
 * are found in the database's own catalog, so a new table cannot be forgotten. An account that
 * publishes loses its artist profiles, songs and albums first (see `deletePublishedContent`); an
 * account linked to the user (a platform account linked to a web sign-in) stays, unlinked. The
 * catalog's derived counters and trending aggregates are then recomputed from what is left.
 * Safe to repeat.
 */
export async function deleteUserEverywhere(
  database: Database,
  userId: string,
  options: DeleteUserOptions = {},
): Promise<DeletedRows> {
  const deleted: DeletedRows = await deletePublishedContent(database, userId, options.objects);
  const db = database.db as Kysely<ServerDatabase>;
  const columns = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema()
      and column_name in (${sql.join([...USER_COLUMNS, ...LINK_COLUMNS].map((c) => sql.lit(c)))})
    order by table_name, column_name`.execute(db);
  await db.transaction().execute(async (tx) => {
    for (const { table_name: table, column_name: column } of columns.rows) {
      const where = sql`${sql.ref(column)} = ${userId}`;
      const result = (LINK_COLUMNS as readonly string[]).includes(column)
        ? await sql`update ${sql.table(table)} set ${sql.ref(column)} = null where ${where}`.execute(
            tx,
          )
        : await sql`delete from ${sql.table(table)} where ${where}`.execute(tx);
      deleted[`${table}.${column}`] = Number(result.numAffectedRows ?? 0n);
    }
    const existing = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema()
        and table_name in (${sql.join(USER_TABLES.map((t) => sql.lit(t)))})`.execute(tx);
    for (const { table_name: table } of existing.rows) {
      const result = await sql`delete from ${sql.table(table)} where id = ${userId}`.execute(tx);
      deleted[`${table}.id`] = Number(result.numAffectedRows ?? 0n);
    }
  });
  // The API keeps recent token lookups in memory: the account's tokens stop working now.
  forgetTokenLookups(database.db);
  await database.catalog.rebuildAggregates?.();
  return deleted;
}
