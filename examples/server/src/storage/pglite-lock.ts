import type { PGlite } from '@electric-sql/pglite';

/** A first-come lock; `acquire` resolves with the function that releases it. */
class Lock {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => {
      release = r;
    });
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

const BEGIN = /^\s*(begin|start transaction)\b/i;
const END = /^\s*(commit|rollback|end)\b/i;

/**
 * Lets several Kysely instances (the catalog store's, the sync state's, the server's) share one
 * PGlite database safely. PGlite has a single connection, and each `PgliteDialect` serialises
 * only its own queries, so a transaction of one store would otherwise see the statements of
 * another store run inside it. Every view returned by `view()` takes a lock shared by all views
 * for each statement, and holds it from `begin` until `commit` or `rollback`, so transactions
 * of different stores never interleave.
 *
 * @example
 * ```ts
 * const shared = sharePglite(new PGlite());
 * const catalog = await createPgliteStore({ pglite: shared.view() });
 * ```
 */
export function sharePglite(pglite: PGlite): { view(): PGlite } {
  const lock = new Lock();
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
        const release = await lock.acquire();
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
        const release = await lock.acquire();
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
