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
  /**
   * Runs wire-protocol messages (PGlite has it): when present, the catalog keeps its statements
   * prepared instead of parsing and planning each one again.
   */
  execProtocol?(
    message: Uint8Array,
    options?: { syncToFs?: boolean },
  ): Promise<{
    readonly messages: readonly {
      readonly name: string;
      readonly fields?: readonly unknown[];
      readonly dataTypeIDs?: readonly number[];
      readonly text?: string;
    }[];
  }>;
  /** Runs `fn` while no other query of the database runs (PGlite has it). */
  runExclusive?<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while no `transaction()` of the instance is open (PGlite's own `query` waits for
   * it this way; used with `execProtocol` so a statement never runs inside one).
   */
  _runExclusiveTransaction?<T>(fn: () => Promise<T>): Promise<T>;
  /** Parameter serialisers by type OID (PGlite's, used with `execProtocol`). */
  readonly serializers?: Readonly<Record<number, (value: unknown) => string>>;
  /** Result parsers by type OID (PGlite's, used with `execProtocol`). */
  readonly parsers?: Readonly<Record<number, (text: string, typeId: number) => unknown>>;
}
