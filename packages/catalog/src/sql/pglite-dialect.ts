import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { createMutex } from '../concurrency/mutex.js';
import type { PgliteInstance } from './pglite-instance.js';
import { PgliteStatements } from './pglite-statements.js';

class PgliteConnection implements DatabaseConnection {
  readonly #statements: PgliteStatements | null;

  constructor(private readonly db: PgliteInstance) {
    this.#statements = PgliteStatements.for(db);
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const params = compiled.parameters as unknown[];
    const result =
      this.#statements === null
        ? await this.db.query<R>(compiled.sql, params)
        : await this.#statements.run<R>(compiled.sql, params);
    const base = { rows: result.rows };
    return result.affectedRows === undefined
      ? base
      : { ...base, numAffectedRows: BigInt(result.affectedRows) };
  }

  // biome-ignore lint/correctness/useYield: streaming is not supported by this driver.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported on PGlite');
  }
}

class PgliteDriver implements Driver {
  readonly #mutex = createMutex();
  readonly #connection: PgliteConnection;
  #release: (() => void) | null = null;

  constructor(
    private readonly db: PgliteInstance,
    private readonly ownsInstance: boolean,
  ) {
    this.#connection = new PgliteConnection(db);
  }

  async init(): Promise<void> {
    await this.db.waitReady;
  }

  // One in-process database, one connection: the mutex serialises queries and transactions.
  async acquireConnection(): Promise<DatabaseConnection> {
    this.#release = await this.#mutex.lock();
    return this.#connection;
  }

  async beginTransaction(conn: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    await conn.executeQuery({ sql: 'begin', parameters: [] } as unknown as CompiledQuery);
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery({ sql: 'commit', parameters: [] } as unknown as CompiledQuery);
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery({ sql: 'rollback', parameters: [] } as unknown as CompiledQuery);
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    release?.();
  }

  async destroy(): Promise<void> {
    if (this.ownsInstance) await this.db.close();
  }
}

/**
 * A Kysely dialect that runs queries on an in-process PGlite database (PostgreSQL in
 * WebAssembly). One connection: queries and transactions are serialised. Other packages use it
 * to keep their own tables in the same embedded database as the catalog.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { Kysely } from 'kysely';
 * import { PgliteDialect } from '@spoti/catalog/sql';
 *
 * const pglite = new PGlite();
 * const db = new Kysely<MyTables>({ dialect: new PgliteDialect(pglite) });
 * await db.destroy(); // closes pglite too (pass `false` as the second argument to keep it open)
 * ```
 */
export class PgliteDialect implements Dialect {
  /** @param ownsInstance whether destroying the dialect closes the database. */
  constructor(
    private readonly db: PgliteInstance,
    private readonly ownsInstance = true,
  ) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PgliteDriver(this.db, this.ownsInstance);
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}
