import type { PGlite } from '@electric-sql/pglite';
import { createMutex } from '@spoti/catalog';

const BEGIN = /^\s*(begin|start transaction)\b/i;
const END = /^\s*(commit|rollback|end)\b/i;

/**
 * Lets several Kysely instances (the catalog store's, the sync state's, the server's) share one
 * PGlite database safely. PGlite has a single connection, and each `PgliteDialect` serialises
 * only its own queries, so a transaction of one store would otherwise see the statements of
 * another store run inside it. Every view returned by `view()` takes one lock shared by all views
 * (a `createMutex` of `@spoti/catalog`) for each statement, and holds it from `begin` until
 * `commit` or `rollback`, so transactions of different stores never interleave.
 *
 * @example
 * ```ts
 * const shared = sharePglite(new PGlite());
 * const catalog = await createPgliteStore({ pglite: shared.view() });
 * ```
 */
export function sharePglite(pglite: PGlite): { view(): PGlite } {
  const mutex = createMutex();
  return {
    view() {
      let held: (() => void) | null = null;
      const query = async (sql: string, params?: unknown[], options?: object) => {
        if (held !== null) {
          try {
            return await pglite.query(sql, params, options);
          } finally {
            if (END.test(sql)) {
              const release = held;
              held = null;
              release();
            }
          }
        }
        const release = await mutex.lock();
        let keep = false;
        try {
          const result = await pglite.query(sql, params, options);
          keep = BEGIN.test(sql);
          return result;
        } finally {
          if (keep) held = release;
          else release();
        }
      };
      const exec = async (sql: string, options?: object) => {
        const release = await mutex.lock();
        try {
          return await pglite.exec(sql, options);
        } finally {
          release();
        }
      };
      return new Proxy(pglite, {
        get(target, prop) {
          if (prop === 'query') return query;
          if (prop === 'exec') return exec;
          // Closing goes through the owner of the real instance, never through a view.
          if (prop === 'close') return async () => {};
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}
