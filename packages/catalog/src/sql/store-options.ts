import type { Dialect, Kysely } from 'kysely';
import type { PgliteInstance } from './pglite-instance.js';

// The options of every spoti SQL store (catalog, sync state, releases): one shape per engine,
// written once here; `@spoti/sync` and `@spoti/releases` name them after their own stores.

/**
 * Options of {@link createPgliteStore} (and of the sync-state and release stores on PGlite): at
 * most one of `pglite`, `dataDir`, `db`, `dialect`; with none, a new in-memory database.
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
 * Options of {@link createPostgresStore} (and of the sync-state and release stores on PostgreSQL):
 * exactly one of `connectionString`, `db`, `dialect`.
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
