import { type Dialect, Kysely, PostgresDialect } from 'kysely';
import { z } from 'zod';
import { CatalogError } from '../errors/catalog-error.js';
import { parseOptions } from '../internal/parse-options.js';
import { enableCopy } from '../internal/sql-copy.js';
import { PgliteDialect } from './pglite-dialect.js';
import type { PgliteInstance } from './pglite-instance.js';

/** Pool size of a PostgreSQL database opened from a connection string. */
export const DEFAULT_MAX_CONNECTIONS = 10;

/**
 * Where a SQL store keeps its tables: exactly one of
 * - `db`: a Kysely instance the application already opened (PostgreSQL or {@link PgliteDialect});
 *   the store uses it and leaves it open on `close()`;
 * - `dialect`: a Kysely dialect; the store opens its own Kysely on it and destroys it on `close()`;
 * - `pglite` / `dataDir`: PGlite (an open instance, left open; or a data folder; or, with
 *   neither, a new in-memory database);
 * - `connectionString`: a PostgreSQL server, with an optional `schema` (created if missing and set
 *   as the pool's `search_path`) and `maxConnections` (default 10).
 *
 * @example
 * ```ts
 * const target: SqlTarget = { connectionString: 'postgres://localhost/app', schema: 'spoti' };
 * ```
 */
export interface SqlTarget {
  /** An open Kysely instance to share (its owner closes it). */
  // biome-ignore lint/suspicious/noExplicitAny: any table map: each store addresses its own tables.
  readonly db?: Kysely<any>;
  /** A dialect to open a Kysely instance on. */
  readonly dialect?: Dialect;
  /** Which engine `db` or `dialect` talks to (default: `pglite` for a PgliteDialect, else `postgres`). */
  readonly backend?: 'pglite' | 'postgres';
  /** An open PGlite instance to use (left open on `close()`). */
  readonly pglite?: PgliteInstance;
  /** A PGlite data folder (created if missing). */
  readonly dataDir?: string;
  /** A `postgres://` URL, e.g. `DATABASE_URL`. */
  readonly connectionString?: string;
  /** With `connectionString`: a schema to create and use instead of `public` (letters, digits, `_`). */
  readonly schema?: string;
  /** With `connectionString`: pool size (default 10). */
  readonly maxConnections?: number;
}

/**
 * An opened database: the Kysely instance, which engine it is, the schema (when one was asked
 * for) and how to release what was opened for it.
 *
 * @example
 * ```ts
 * const database: SqlDatabase = await openSqlDatabase({ dataDir: './data' });
 * await database.close();
 * ```
 */
export interface SqlDatabase {
  /** The Kysely instance (untyped: each store brings its table map). */
  readonly db: Kysely<unknown>;
  /** The engine. */
  readonly backend: 'pglite' | 'postgres';
  /** The schema the tables live in, when one was given. */
  readonly schema: string | undefined;
  /** Releases what {@link openSqlDatabase} opened (a shared `db` or `pglite` stays open). */
  close(): Promise<void>;
}

const targetSchema = z
  .object({
    db: z
      .custom<Kysely<unknown>>(
        (v) => typeof v === 'object' && v !== null && 'selectFrom' in v && 'transaction' in v,
        'expected a Kysely instance',
      )
      .optional(),
    dialect: z
      .custom<Dialect>(
        (v) => typeof v === 'object' && v !== null && 'createDriver' in v,
        'expected a Kysely dialect',
      )
      .optional(),
    backend: z.enum(['pglite', 'postgres']).optional(),
    pglite: z
      .custom<PgliteInstance>(
        (v) => typeof v === 'object' && v !== null && 'query' in v && 'waitReady' in v,
        'expected a PGlite instance',
      )
      .optional(),
    dataDir: z.string().min(1).optional(),
    connectionString: z.string().min(1).optional(),
    schema: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'letters, digits and _ only (at most 63)')
      .optional(),
    maxConnections: z.number().int().min(1).max(1000).optional(),
  })
  .superRefine((t, ctx) => {
    const chosen = (['db', 'dialect', 'pglite', 'connectionString'] as const).filter(
      (k) => t[k] !== undefined,
    );
    if (chosen.length > 1) {
      ctx.addIssue({ code: 'custom', message: `give only one of ${chosen.join(', ')}` });
    }
    if (t.dataDir !== undefined && chosen.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['dataDir'],
        message: 'only for a new PGlite database',
      });
    }
    const pgOnly = (['schema', 'maxConnections'] as const).filter((k) => t[k] !== undefined);
    if (pgOnly.length > 0 && t.connectionString === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [pgOnly[0]!],
        message: 'only with connectionString',
      });
    }
  });

/**
 * The one PostgreSQL/PGlite set-up of spoti's SQL stores (catalog, sync state, releases): opens
 * (or adopts) a database as {@link SqlTarget} describes, creating the schema and the pool with its
 * `search_path` for a server. The drivers (`pg`, `@electric-sql/pglite`) are loaded only when a
 * target needs them. Bad options throw a {@link CatalogError} (`INVALID_INPUT`) naming the field;
 * an unreachable server or a failed schema creation throws `STORE_FAILURE`.
 *
 * @example
 * ```ts
 * const { db, close } = await openSqlDatabase({ connectionString: process.env.DATABASE_URL ?? '', schema: 'spoti' });
 * await migrateSqlSchema({ db, migrations, table: 'myapp_migrations', schema: 'spoti' });
 * await close();
 * ```
 */
export async function openSqlDatabase(target: SqlTarget = {}): Promise<SqlDatabase> {
  const t = parseOptions(targetSchema, target, 'database options');
  if (target.db !== undefined) {
    return {
      db: target.db as Kysely<unknown>,
      backend: t.backend ?? 'postgres',
      schema: undefined,
      close: async () => {},
    };
  }
  if (target.dialect !== undefined) {
    const db = new Kysely<unknown>({ dialect: target.dialect });
    const backend = t.backend ?? (target.dialect instanceof PgliteDialect ? 'pglite' : 'postgres');
    return { db, backend, schema: undefined, close: () => db.destroy() };
  }
  if (t.connectionString !== undefined) {
    return openPostgres(t.connectionString, t.schema, t.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
  }
  const owned = target.pglite === undefined;
  const pglite = target.pglite ?? (await newPglite(t.dataDir));
  const db = new Kysely<unknown>({ dialect: new PgliteDialect(pglite, owned) });
  return { db, backend: 'pglite', schema: undefined, close: () => db.destroy() };
}

async function newPglite(dataDir: string | undefined): Promise<PgliteInstance> {
  const { PGlite } = await loadDriver('@electric-sql/pglite', () => import('@electric-sql/pglite'));
  if (dataDir !== undefined) return new PGlite(dataDir);
  // In memory, zero-filling each new 16 MB WAL segment only costs time: 50 to 70 ms on the
  // commit that crosses into it (every hundred or so 50-play polls).
  const pglite = new PGlite();
  await pglite.query('set wal_init_zero = off');
  return pglite;
}

async function openPostgres(
  connectionString: string,
  schema: string | undefined,
  max: number,
): Promise<SqlDatabase> {
  const { default: pg } = await loadDriver('pg', () => import('pg'));
  if (schema !== undefined) {
    const client = new pg.Client({ connectionString });
    try {
      await client.connect();
      await client.query(`create schema if not exists "${schema}"`);
    } catch (cause) {
      throw new CatalogError({
        code: 'STORE_FAILURE',
        message: `Could not create the schema "${schema}"`,
        cause,
      });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const pool = new pg.Pool({
    connectionString,
    max,
    ...(schema === undefined ? {} : { options: `-c search_path="${schema}"` }),
  });
  // A connection the server ends or loses (restart, failover, a dropped database, a network cut)
  // makes its client emit 'error'; unhandled, that would end the process. An idle client's error
  // reaches the pool's 'error' (the pool has discarded the client). A client checked out (Kysely
  // holds one through a transaction) has no listener of the pool's: its own listener keeps the
  // process alive, its running query fails with the connection's error, its next one fails as
  // not queryable, and the pool discards it when it comes back. Either way the next query opens
  // a new connection or fails with its own error.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  enableCopy(db);
  return { db, backend: 'postgres', schema, close: () => db.destroy() };
}

/** Imports an optional peer dependency, or says which package to install. */
async function loadDriver<M>(name: string, load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (cause) {
    throw new CatalogError({
      code: 'STORE_FAILURE',
      message: `This store needs the package "${name}": install it beside @spoti/catalog (npm install ${name})`,
      cause,
    });
  }
}
