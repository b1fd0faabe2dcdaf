import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { CatalogError } from '../errors/catalog-error.js';

/**
 * Options of {@link migrateSqlSchema}.
 *
 * @example
 * ```ts
 * const options: MigrateSqlSchemaOptions = { db, migrations: { '0001-initial': initial }, table: 'myapp_migrations' };
 * ```
 */
export interface MigrateSqlSchemaOptions {
  /** The database to migrate. */
  readonly db: Kysely<unknown>;
  /** Every migration of the package, by name (applied in name order). */
  readonly migrations: Readonly<Record<string, Migration>>;
  /**
   * The package's own bookkeeping table (its lock table is this name plus `_lock`), so packages
   * and applications sharing one schema never read each other's migrations.
   */
  readonly table: string;
  /** The schema holding the bookkeeping tables; the connection's current schema when omitted. */
  readonly schema?: string;
  /** Migrate up or down to this migration instead of the latest (for tests of migrations). */
  readonly target?: string;
}

/**
 * Brings a package's tables up to date with Kysely's migrator, recorded in the package's own
 * migration table. Idempotent; concurrent callers wait on the migrator's lock. A failure throws a
 * {@link CatalogError} (`STORE_FAILURE`) naming the migration, with the database error as cause.
 *
 * @example
 * ```ts
 * await migrateSqlSchema({ db, migrations: { '0001-initial': initial }, table: 'myapp_migrations' });
 * ```
 */
export async function migrateSqlSchema(options: MigrateSqlSchemaOptions): Promise<void> {
  // Always name the schema: Kysely looks for its tables in every schema, so without one a
  // migration table of another schema (say, a second app on the same database) would be taken
  // for this one's.
  const schema = options.schema ?? (await currentSchema(options.db));
  const provider: MigrationProvider = { getMigrations: async () => ({ ...options.migrations }) };
  const migrator = new Migrator({
    db: options.db,
    provider,
    migrationTableName: options.table,
    migrationLockTableName: `${options.table}_lock`,
    migrationTableSchema: schema,
  });
  const { error, results } =
    options.target === undefined
      ? await migrator.migrateToLatest()
      : await migrator.migrateTo(options.target);
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new CatalogError({
      code: 'STORE_FAILURE',
      message:
        failed === undefined
          ? `Migrating ${options.table} failed`
          : `Migration ${failed} (${options.table}) failed`,
      cause: error,
    });
  }
}

async function currentSchema(db: Kysely<unknown>): Promise<string> {
  try {
    const r = await sql<{ s: string }>`select current_schema() as s`.execute(db);
    return r.rows[0]?.s ?? 'public';
  } catch (cause) {
    throw new CatalogError({
      code: 'STORE_FAILURE',
      message: 'The database is unreachable',
      cause,
    });
  }
}
