import type { Dialect, Kysely } from 'kysely';
import { CatalogError } from '../errors/catalog-error.js';
import type { CatalogStore } from '../store/catalog-store.js';
import { GuardedStore } from '../store/guarded-store.js';
import { SqlCatalogStore } from '../store/sql-store.js';
import type { CatalogDatabase } from '../internal/sql-schema.js';
import { migrateCatalog } from './catalog-migrations.js';
import { type SqlTarget, openSqlDatabase } from './open-database.js';
import type { PgliteInstance } from './pglite-instance.js';

/**
 * Options of {@link createPgliteStore}: at most one of `pglite`, `dataDir`, `db`, `dialect`; with
 * none, a new in-memory database.
 *
 * @example
 * ```ts
 * await createPgliteStore({ dataDir: './data/catalog' } satisfies PgliteStoreOptions);
 * ```
 */
export interface PgliteStoreOptions {
  /** A data folder to persist to; in memory when omitted. */
  readonly dataDir?: string;
  /**
   * An open PGlite instance to use instead of creating one (e.g. to share it with the sync and
   * releases stores, or one instance across many tests). The store migrates it to the latest
   * schema; `close()` leaves an instance passed here open. Use one store per instance at a time:
   * transactions of two stores on the same instance are not isolated from each other.
   */
  readonly pglite?: PgliteInstance;
  /** An open Kysely instance on PGlite (a `PgliteDialect` from `@spoti/catalog/sql`); left open by `close()`. */
  // biome-ignore lint/suspicious/noExplicitAny: any table map; the store addresses its own tables.
  readonly db?: Kysely<any>;
  /** A dialect to open the store's own Kysely instance on (destroyed by `close()`). */
  readonly dialect?: Dialect;
}

/**
 * Options of {@link createPostgresStore}: exactly one of `connectionString`, `db`, `dialect`.
 *
 * @example
 * ```ts
 * await createPostgresStore({ connectionString: process.env.DATABASE_URL ?? '', schema: 'catalog' } satisfies PostgresStoreOptions);
 * ```
 */
export interface PostgresStoreOptions {
  /** A `postgres://` URL (e.g. `DATABASE_URL`). */
  readonly connectionString?: string;
  /** With `connectionString`: a schema to create and use instead of `public` (letters, digits, `_`). */
  readonly schema?: string;
  /** With `connectionString`: pool size (default 10). */
  readonly maxConnections?: number;
  /** An open Kysely instance on PostgreSQL, shared with the application; left open by `close()`. */
  // biome-ignore lint/suspicious/noExplicitAny: any table map; the store addresses its own tables.
  readonly db?: Kysely<any>;
  /** A dialect (e.g. Kysely's `PostgresDialect` on your pool) for the store's own Kysely instance. */
  readonly dialect?: Dialect;
}

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
