import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { z } from 'zod';
import type { CachedValue, EnrichmentCache } from '../cache/enrichment-cache.js';
import { EnrichError } from '../errors/enrich-error.js';
import { parseOptions } from '../internal/parse-options.js';

/** Options of {@link createSqlCache}. */
export interface SqlCacheOptions {
  /** A Kysely instance on PostgreSQL or PGlite (e.g. the catalog's database). */
  // biome-ignore lint/suspicious/noExplicitAny: the cache works on any database schema.
  readonly db: Kysely<any>;
  /** Prefix of the cache's tables, its own migration table included (default `enrich_`). */
  readonly tablePrefix?: string;
  /** PostgreSQL schema of the tables (default: the search path's). */
  readonly schema?: string;
}

const optionsSchema = z.object({
  db: z.custom<Kysely<unknown>>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as Kysely<unknown>).selectFrom === 'function',
    { message: 'expected a Kysely instance' },
  ),
  tablePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,30}$/, { message: 'lowercase letters, digits and _' })
    .default('enrich_'),
  schema: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/)
    .optional(),
});

const CHUNK = 500;

function migrations(table: string, schema: string | undefined): Record<string, Migration> {
  return {
    '0001-cache': {
      async up(db: Kysely<unknown>) {
        const s = schema === undefined ? db.schema : db.schema.withSchema(schema);
        if (schema !== undefined) await db.schema.createSchema(schema).ifNotExists().execute();
        await s
          .createTable(table)
          .ifNotExists()
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('value', 'text')
          .addColumn('fetched_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, ['namespace', 'key'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        const s = schema === undefined ? db.schema : db.schema.withSchema(schema);
        await s.dropTable(table).ifExists().execute();
      },
    },
  };
}

interface Row {
  namespace: string;
  key: string;
  value: string | null;
  fetched_at: string | number | bigint;
}

/**
 * An {@link EnrichmentCache} in a SQL database through Kysely (PostgreSQL or PGlite): one table
 * `<prefix>cache` keyed by (namespace, key), migrated on open with its own migration table
 * `<prefix>migrations`, so it lives beside the catalog's tables in the same database.
 *
 * @example
 * ```ts
 * import { createSqlCache } from '@spoti/enrich/sql';
 * const cache = await createSqlCache({ db, tablePrefix: 'enrich_' });
 * ```
 */
export async function createSqlCache(options: SqlCacheOptions): Promise<EnrichmentCache> {
  const opts = parseOptions(optionsSchema, options, 'SQL cache options');
  // biome-ignore lint/suspicious/noExplicitAny: the table name is chosen at run time.
  const db = opts.db as Kysely<any>;
  const table = `${opts.tablePrefix}cache`;
  const provider: MigrationProvider = { getMigrations: async () => migrations(table, opts.schema) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: `${opts.tablePrefix}migrations`,
    migrationLockTableName: `${opts.tablePrefix}migrations_lock`,
    ...(opts.schema === undefined ? {} : { migrationTableSchema: opts.schema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined)
    throw new EnrichError({
      code: 'CACHE_FAILURE',
      message: `Migrating the enrichment cache table ${table} failed`,
      cause: error,
    });
  const from = () => (opts.schema === undefined ? db : db.withSchema(opts.schema));
  const fail = (action: string, cause: unknown) =>
    new EnrichError({
      code: 'CACHE_FAILURE',
      message: `Cannot ${action} the enrichment cache table ${table}`,
      cause,
    });

  return {
    async getMany(namespace, keys) {
      const out = new Map<string, CachedValue>();
      try {
        for (let i = 0; i < keys.length; i += CHUNK) {
          const rows: Omit<Row, 'namespace'>[] = await from()
            .selectFrom(table)
            .select(['key', 'value', 'fetched_at'])
            .where('namespace', '=', namespace)
            .where('key', 'in', keys.slice(i, i + CHUNK))
            .execute();
          for (const row of rows)
            out.set(row.key, {
              value: row.value === null ? null : (JSON.parse(row.value) as unknown),
              fetchedAt: Number(row.fetched_at),
            });
        }
      } catch (cause) {
        throw fail('read', cause);
      }
      return out;
    },
    async setMany(namespace, entries) {
      const rows = [...entries].map(([key, entry]) => ({
        namespace,
        key,
        value: entry.value === null ? null : JSON.stringify(entry.value),
        fetched_at: entry.fetchedAt,
      }));
      try {
        for (let i = 0; i < rows.length; i += CHUNK) {
          await from()
            .insertInto(table)
            .values(rows.slice(i, i + CHUNK))
            .onConflict((oc) =>
              oc.columns(['namespace', 'key']).doUpdateSet({
                value: sql`excluded.value`,
                fetched_at: sql`excluded.fetched_at`,
              }),
            )
            .execute();
        }
      } catch (cause) {
        throw fail('write', cause);
      }
    },
  };
}
