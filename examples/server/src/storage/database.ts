import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { type CatalogStore, createPgliteStore, createPostgresStore } from '@spoti/catalog';
import { PgliteDialect, openSqlDatabase } from '@spoti/catalog/sql';
import { type SyncStateStore, createSqlSyncStateStore } from '@spoti/sync';
import {
  type ReleaseStore,
  createPgliteReleaseStore,
  createPostgresReleaseStore,
} from '@spoti/releases';
import { Kysely, sql } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import { ServerError } from '../server-error.js';
import { migrateServerTables } from './migrations.js';
import { sharePglite } from './pglite-lock.js';
import type { ServerDatabase } from './schema.js';

/** The one database: the catalog store, the sync state and the server's tables. */
export interface Database {
  readonly backend: 'pglite' | 'postgres';
  /** The server's tables (and raw SQL over the packages' tables for reads they lack). */
  readonly db: Kysely<ServerDatabase>;
  readonly catalog: CatalogStore;
  readonly syncState: SyncStateStore;
  /** The release watcher's state (`releases_*` tables): subscribers, releases, digests. */
  readonly releases: ReleaseStore;
  /** True when a trivial query answers. */
  ping(): Promise<boolean>;
  /** Closes every store, then the database. */
  close(): Promise<void>;
}

/**
 * Opens the database and migrates every part of it (catalog, sync state, server tables). On
 * PGlite all three share one instance through {@link sharePglite}; on PostgreSQL the catalog
 * has its own pool and the sync state shares the server's.
 *
 * @example
 * ```ts
 * const database = await openDatabase({ kind: 'pglite', dataDir: undefined });
 * ```
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  try {
    return config.kind === 'pglite' ? await openPglite(config.dataDir) : await openPostgres(config);
  } catch (cause) {
    if (cause instanceof ServerError) throw cause;
    throw new ServerError(
      'STORE_FAILURE',
      `Could not open the ${config.kind === 'pglite' ? 'embedded' : 'PostgreSQL'} database: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const pglite = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
  await pglite.waitReady;
  const shared = sharePglite(pglite);
  const catalog = await createPgliteStore({ pglite: shared.view() });
  const db = new Kysely<ServerDatabase>({ dialect: new PgliteDialect(shared.view(), false) });
  await migrateServerTables(db as unknown as Kysely<unknown>);
  const syncState = await createSqlSyncStateStore({
    db: db as unknown as Kysely<unknown>,
    backend: 'pglite',
  });
  const releases = await createPgliteReleaseStore({ db: db as unknown as Kysely<unknown> });
  let closed = false;
  return {
    backend: 'pglite',
    db,
    catalog,
    syncState,
    releases,
    ping: async () => !closed && (await ping(db)),
    async close() {
      if (closed) return;
      closed = true;
      await catalog.close();
      await syncState.close();
      await releases.close();
      await db.destroy();
      await pglite.close();
    },
  };
}

async function openPostgres(
  config: Extract<DatabaseConfig, { kind: 'postgres' }>,
): Promise<Database> {
  // One pool for every store and the server's tables, opened by the catalog's SQL helper (schema
  // created and set as the pool's search_path; an idle connection the server drops is no crash).
  const opened = await openSqlDatabase({
    connectionString: config.url,
    ...(config.schema === undefined ? {} : { schema: config.schema }),
  });
  const db = opened.db as Kysely<ServerDatabase>;
  const catalog = await createPostgresStore({ db: opened.db });
  await migrateServerTables(opened.db, opened.schema);
  const syncState = await createSqlSyncStateStore({ db: opened.db, backend: 'postgres' });
  const releases = await createPostgresReleaseStore({ db: opened.db });
  let closed = false;
  return {
    backend: 'postgres',
    db,
    catalog,
    syncState,
    releases,
    ping: async () => !closed && (await ping(db)),
    async close() {
      if (closed) return;
      closed = true;
      await catalog.close();
      await syncState.close();
      await releases.close();
      await opened.close();
    },
  };
}

async function ping(db: Kysely<ServerDatabase>): Promise<boolean> {
  try {
    await Promise.race([
      sql`select 1`.execute(db),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}
