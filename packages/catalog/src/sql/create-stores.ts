import type { Kysely } from 'kysely';
import { CatalogError } from '../errors/catalog-error.js';
import type { CatalogStore } from '../store/catalog-store.js';
import { GuardedStore } from '../store/guarded-store.js';
import { SqlCatalogStore } from '../store/sql-store.js';
import type { CatalogDatabase } from '../internal/sql-schema.js';
import { migrateCatalog } from './catalog-migrations.js';
import { type SqlTarget, openSqlDatabase } from './open-database.js';
import type { PgliteStoreOptions, PostgresStoreOptions } from './store-options.js';

async function openStore(backend: 'pglite' | 'postgres', target: SqlTarget): Promise<CatalogStore> {
  const given = (['connectionString', 'db', 'dialect'] as const).filter(
    (k) => target[k] !== undefined,
  );
  if (backend === 'postgres' && given.length === 0) {
    throw new CatalogError({
      code: 'INVALID_INPUT',
      message: 'Invalid PostgreSQL store options: connectionString (or db, or dialect) is required',
    });
  }
  if (backend === 'pglite' && target.connectionString !== undefined) {
    throw new CatalogError({
      code: 'INVALID_INPUT',
      message: 'Invalid PGlite store options: connectionString: use createPostgresStore',
    });
  }
  const database = await openSqlDatabase({ ...target, backend });
  try {
    await migrateCatalog(
      database.db,
      database.schema === undefined ? {} : { schema: database.schema },
    );
  } catch (error) {
    await database.close();
    throw error;
  }
  return new GuardedStore(
    new SqlCatalogStore(backend, database.db as unknown as Kysely<CatalogDatabase>, {
      destroy: () => database.close(),
      growth: new Map(),
    }),
  );
}

/**
 * Opens the embedded store: PostgreSQL compiled to WebAssembly (PGlite), in memory, in a data
 * folder, or on a PGlite database the application already opened; migrated to the latest schema.
 * Needs the `@electric-sql/pglite` package (an optional peer dependency) unless `db` or `dialect`
 * is given.
 *
 * @example
 * ```ts
 * const store = await createPgliteStore({ dataDir: './catalog-data' });
 * ```
 */
export async function createPgliteStore(options: PgliteStoreOptions = {}): Promise<CatalogStore> {
  return openStore('pglite', options);
}

/**
 * Opens the store on a PostgreSQL server (from a connection string, or on the application's own
 * Kysely instance or dialect), migrated to the latest schema. The queries are the same as on
 * PGlite. Needs the `pg` package (an optional peer dependency) for `connectionString`.
 *
 * @example
 * ```ts
 * const store = await createPostgresStore({ connectionString: process.env.DATABASE_URL! });
 * ```
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<CatalogStore> {
  return openStore('postgres', { ...options });
}
