import type { PGlite } from '@electric-sql/pglite';
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
} from 'kysely';
import { Mutex } from './mutex.js';

const raw = (text: string) => ({ sql: text, parameters: [] }) as unknown as CompiledQuery;

/** Kysely on an in-process PGlite: one connection, queries and transactions serialised. */
export class PgliteDialect implements Dialect {
  constructor(
    private readonly db: PGlite,
    private readonly ownsDb: boolean,
  ) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    const db = this.db;
    const ownsDb = this.ownsDb;
    const mutex = new Mutex();
    let release: (() => void) | null = null;
    const connection: DatabaseConnection = {
      async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
        const result = await db.query<R>(compiled.sql, compiled.parameters as unknown[]);
        return result.affectedRows === undefined
          ? { rows: result.rows }
          : { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) };
      },
      // biome-ignore lint/correctness/useYield: streaming is not supported by this driver.
      async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
        throw new Error('streamQuery is not supported on PGlite');
      },
    };
    return {
      init: async () => {
        await db.waitReady;
      },
      acquireConnection: async () => {
        release = await mutex.lock();
        return connection;
      },
      beginTransaction: async (conn) => {
        await conn.executeQuery(raw('begin'));
      },
      commitTransaction: async (conn) => {
        await conn.executeQuery(raw('commit'));
      },
      rollbackTransaction: async (conn) => {
        await conn.executeQuery(raw('rollback'));
      },
      releaseConnection: async () => {
        const r = release;
        release = null;
        r?.();
      },
      destroy: async () => {
        if (ownsDb) await db.close();
      },
    };
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}
