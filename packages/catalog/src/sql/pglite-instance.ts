/**
 * What the catalog needs of an open PGlite database (`new PGlite()` from `@electric-sql/pglite`
 * satisfies it). Declared here, structurally, so the package's type declarations never name the
 * driver: a project that does not install PGlite still type-checks with `skipLibCheck: false`.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * const instance: PgliteInstance = new PGlite();
 * ```
 */
export interface PgliteInstance {
  /** Resolves once the database has started. */
  readonly waitReady: Promise<void>;
  /** Runs one statement with bound parameters. */
  query<R>(
    query: string,
    params?: unknown[],
  ): Promise<{ readonly rows: R[]; readonly affectedRows?: number }>;
  /** Shuts the database down. */
  close(): Promise<void>;
}
