import { type RawBuilder, sql } from 'kysely';

/** One column of a bulk write: its name, its PostgreSQL array element type, and the values. */
export interface BulkColumn {
  readonly name: string;
  readonly type: 'text' | 'int4' | 'int8' | 'float8' | 'bool' | 'jsonb';
  readonly values: readonly unknown[];
}

/** The arrays of `columns` between rows `from` and `to`, one bound parameter each, for `unnest`. */
export function unnestArrays(
  columns: readonly BulkColumn[],
  from: number,
  to: number,
): RawBuilder<unknown> {
  return sql.join(
    columns.map((c) => {
      const part = c.values.slice(from, to);
      return c.type === 'jsonb'
        ? sql`${part.map((v) => JSON.stringify(v))}::text[]::jsonb[]`
        : sql`${part}::${sql.raw(c.type)}[]`;
    }),
  );
}

/**
 * `insert into table (...) select * from unnest($1::type[], ...) <tail>`: many rows in one
 * statement with one bound parameter per column (instead of one per value), which keeps both the
 * driver's and the server's per-row work small. jsonb values travel as JSON text.
 */
export function unnestInsert(
  table: string,
  columns: readonly BulkColumn[],
  from: number,
  to: number,
  tail: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  const arrays = unnestArrays(columns, from, to);
  return sql`insert into ${sql.table(table)} (${names}) select * from unnest(${arrays}) ${tail}`;
}
