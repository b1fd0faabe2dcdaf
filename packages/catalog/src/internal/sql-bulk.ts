import { type Kysely, type RawBuilder, sql } from 'kysely';

/** One column of a bulk write: its name, its PostgreSQL array element type, and the values. */
export interface BulkColumn {
  readonly name: string;
  readonly type: 'text' | 'int4' | 'int8' | 'float8' | 'bool' | 'jsonb';
  readonly values: readonly unknown[];
}

/**
 * Rows per statement of a bulk write: one array parameter per column, whatever the row count, so
 * this only bounds the size of one message.
 */
export const BULK_ROWS = 20_000;

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
  const arrays = sql.join(
    columns.map((c) => {
      const part = c.values.slice(from, to);
      return c.type === 'jsonb'
        ? sql`${part.map((v) => JSON.stringify(v))}::text[]::jsonb[]`
        : sql`${part}::${sql.raw(c.type)}[]`;
    }),
  );
  return sql`insert into ${sql.table(table)} (${names}) select * from unnest(${arrays}) ${tail}`;
}

/** Runs {@link unnestInsert} in slices of {@link BULK_ROWS}; returns the rows of every slice. */
export async function bulkInsert<R>(
  db: Kysely<unknown>,
  table: string,
  columns: readonly BulkColumn[],
  tail: RawBuilder<unknown>,
): Promise<R[]> {
  const count = columns[0]?.values.length ?? 0;
  const out: R[] = [];
  for (let from = 0; from < count; from += BULK_ROWS) {
    const result = await unnestInsert(
      table,
      columns,
      from,
      Math.min(count, from + BULK_ROWS),
      tail,
    ).execute(db);
    for (const row of result.rows) out.push(row as R);
  }
  return out;
}
