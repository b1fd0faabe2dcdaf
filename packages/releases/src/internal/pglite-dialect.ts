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

/** Kysely on an in-process PGlite: one connection, queries and transactions serialised. */
export class PgliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    const pglite = this.pglite;
    const mutex = new Mutex();
    let release: (() => void) | null = null;
    const connection: DatabaseConnection = {
      async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
        const result = await pglite.query<R>(compiled.sql, compiled.parameters as unknown[]);
        return result.affectedRows === undefined
          ? { rows: result.rows }
          : { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) };
      },
      // biome-ignore lint/correctness/useYield: PGlite does not stream.
      async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
        throw new Error('streamQuery is not supported on PGlite');
      },
    };
    const run = (text: string) =>
      connection.executeQuery({ sql: text, parameters: [] } as unknown as CompiledQuery);
    return {
      init: async () => {
        await pglite.waitReady;
      },
      acquireConnection: () =>
        new Promise<DatabaseConnection>((resolve) => {
          void mutex.run(
            () =>
              new Promise<void>((done) => {
                release = done;
                resolve(connection);
              }),
          );
        }),
      beginTransaction: async () => {
        await run('begin');
      },
      commitTransaction: async () => {
        await run('commit');
      },
      rollbackTransaction: async () => {
        await run('rollback');
      },
      releaseConnection: async () => {
        const done = release;
        release = null;
        done?.();
      },
      destroy: async () => {
        await pglite.close();
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
