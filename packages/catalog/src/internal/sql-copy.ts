import { CompiledQuery, type Kysely } from 'kysely';
import type { BulkColumn } from './sql-bulk.js';

// biome-ignore lint/suspicious/noExplicitAny: the staging table is addressed with raw SQL.
type Db = Kysely<any>;

/**
 * Kysely instances whose connections are `pg` clients (opened from a connection string by
 * `openSqlDatabase`): the ones {@link copyRows} can send `COPY ... FROM STDIN` through. A store
 * on an application's own Kysely instance or dialect writes with bound arrays instead.
 */
const copyCapable = new WeakSet<object>();

/** Marks `db` as running on `pg` clients (see {@link canCopy}). */
export function enableCopy(db: object): void {
  copyCapable.add(db);
}

/** Whether `db` was opened on `pg` clients, so that {@link copyRows} can use it. */
export function canCopy(db: object): boolean {
  return copyCapable.has(db);
}

// Text that needs escaping in COPY's text format: backslash, tab, newline, carriage return.
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

/** `s` as one field of COPY's text format. */
function escapeText(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIALS, (c) => ESCAPES[c]!) : s;
}

/** One value of `type` as a field of COPY's text format (`\N` for null; jsonb as JSON text). */
function field(type: BulkColumn['type'], value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  switch (type) {
    case 'text':
      return escapeText(value as string);
    case 'jsonb':
      return escapeText(JSON.stringify(value));
    case 'bool':
      return value ? 't' : 'f';
    default:
      return String(value);
  }
}

/**
 * Rows `from` to `to` of `columns` in COPY's text format, each led by its position in the batch
 * (the staging table's `ord`): tab between fields, a newline after each row.
 */
export function copyText(columns: readonly BulkColumn[], from: number, to: number): string {
  const lines: string[] = [];
  const fields: string[] = new Array(columns.length + 1);
  for (let row = from; row < to; row++) {
    fields[0] = String(row - from);
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      fields[c + 1] = field(column.type, column.values[row]);
    }
    lines.push(fields.join('\t'));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

type CopyFrom = (text: string) => NodeJS.WritableStream & { submit(connection: unknown): void };

let copyFrom: Promise<CopyFrom> | undefined;

/** `pg-copy-streams`' COPY FROM query, loaded on the first COPY (only the `pg` path needs it). */
function loadCopyFrom(): Promise<CopyFrom> {
  copyFrom ??= import('pg-copy-streams').then((m) => {
    const mod = m as { from?: CopyFrom; default?: { from: CopyFrom } };
    return (mod.from ?? mod.default?.from) as CopyFrom;
  });
  return copyFrom;
}

/**
 * Sends `data` (COPY text format) to `statement` (`copy ... from stdin`, after other statements
 * if need be: a simple query, without parameters) on the connection of the
 * transaction `db`. `pg`'s `client.query` takes a query object with `submit()` in place of the
 * text, and Kysely hands its text to the client as it is: so the COPY runs on the connection the
 * transaction holds, queued like any other statement of it.
 */
async function copyIn(db: Db, statement: string, data: string): Promise<void> {
  const from = await loadCopyFrom();
  const stream = from(statement);
  const done = new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', reject);
  });
  stream.end(data);
  const query = { ...CompiledQuery.raw(''), sql: stream as unknown as string };
  await Promise.all([db.executeQuery(query), done]);
}

/** The staging table of {@link copyRows} (the play log's columns): temporary, emptied at each commit. */
export const STAGING_TABLE = 'spoti_catalog_plays_copy';

/**
 * Empties the session's staging table (creating it on the connection's first COPY, with an `ord`
 * column and one column per entry of `columns`, of the same types) and copies rows `from` to `to`
 * of `columns` into it. Inside a transaction only: the rows stay until its commit, and the
 * statements that read them must run on the same connection. Returns the table's name.
 */
export async function copyRows(
  db: Db,
  columns: readonly BulkColumn[],
  from: number,
  to: number,
): Promise<string> {
  if (!db.isTransaction) throw new Error('copyRows runs inside a transaction');
  const table = `pg_temp.${STAGING_TABLE}`;
  const definitions = columns.map((c) => `"${c.name}" ${c.type}`).join(', ');
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  // One simple query, one round trip: the statements before the COPY run first.
  const statements = [
    `create temp table if not exists ${STAGING_TABLE} (ord integer, ${definitions}) on commit delete rows`,
    `truncate ${table}`,
    `copy ${table} (ord, ${names}) from stdin`,
  ];
  await copyIn(db, statements.join('; '), copyText(columns, from, to));
  return table;
}
