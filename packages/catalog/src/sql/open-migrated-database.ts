import type { Migration } from 'kysely';
import { migrateSqlSchema } from './migrate.js';
import { type SqlDatabase, type SqlTarget, openSqlDatabase } from './open-database.js';

/**
 * A package's tables: its migrations by name and its own bookkeeping table.
 *
 * @example
 * ```ts
 * const tables: PackageTables = { migrations: { '0001-initial': initial }, table: 'myapp_migrations' };
 * ```
 */
export interface PackageTables {
  /** Every migration of the package, by name (applied in name order). */
  readonly migrations: Readonly<Record<string, Migration>>;
  /** The package's own migration table (see {@link migrateSqlSchema}). */
  readonly table: string;
}

/**
 * Opens (or adopts) a database with {@link openSqlDatabase} and migrates a package's tables in
 * it, in the target's schema when it names one. When the migration fails, what was opened is
 * closed before the error is thrown, so a failed open leaves no pool or PGlite instance behind.
 * Errors are those of `openSqlDatabase` and `migrateSqlSchema` (a `CatalogError`).
 *
 * @example
 * ```ts
 * const database = await openMigratedDatabase({ dataDir: './data' }, { migrations, table: 'myapp_migrations' });
 * await database.close();
 * ```
 */
export async function openMigratedDatabase(
  target: SqlTarget,
  tables: PackageTables,
): Promise<SqlDatabase> {
  const database = await openSqlDatabase(target);
  try {
    await migrateSqlSchema({
      db: database.db,
      migrations: tables.migrations,
      table: tables.table,
      ...(database.schema === undefined ? {} : { schema: database.schema }),
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
