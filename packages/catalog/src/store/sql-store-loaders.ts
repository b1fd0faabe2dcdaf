import type { PgliteStoreOptions, PostgresStoreOptions } from '../sql/store-options.js';
import type { CatalogStore } from './catalog-store.js';

/**
 * Opens the embedded PGlite store (in memory, in a data folder, or on an open PGlite instance,
 * Kysely instance or dialect), migrated to the latest schema. The SQL code, Kysely and the
 * driver load on the first call: importing `@spoti/catalog` loads none of them. The same function
 * as `createPgliteStore` of `@spoti/catalog/sql`; needs `@electric-sql/pglite` installed.
 *
 * @example
 * ```ts
 * const store = await createPgliteStore({ dataDir: './catalog-data' });
 * ```
 */
export async function createPgliteStore(options: PgliteStoreOptions = {}): Promise<CatalogStore> {
  const sql = await import('../sql/create-stores.js');
  return sql.createPgliteStore(options);
}

/**
 * Opens the store on a PostgreSQL server (from a connection string, or on an application's
 * Kysely instance or dialect), migrated to the latest schema. The SQL code, Kysely and `pg` load
 * on the first call. The same function as `createPostgresStore` of `@spoti/catalog/sql`; needs
 * `pg` installed for `connectionString`.
 *
 * @example
 * ```ts
 * const store = await createPostgresStore({ connectionString: process.env.DATABASE_URL! });
 * ```
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<CatalogStore> {
  const sql = await import('../sql/create-stores.js');
  return sql.createPostgresStore(options);
}
