import { type Kysely, sql } from 'kysely';

/** A table of the current schema as a backup sees it. */
export interface TableInfo {
  readonly name: string;
  /** Columns in their order, with whether the database computes them (never restored). */
  readonly columns: readonly { readonly name: string; readonly generated: boolean }[];
  /** Columns fed by a sequence (`serial`, `bigserial`): their sequence is moved past the rows. */
  readonly serialColumns: readonly string[];
  /** Kysely migration bookkeeping: compared, never copied. */
  readonly migration: boolean;
  /** Tables this one references (foreign keys), restored before it. */
  readonly references: readonly string[];
}

const MIGRATION_TABLE = /_migrations?(_lock)?$/;
const MIGRATION_LOCK = /_lock$/;

/**
 * Every base table of the current schema (the catalog's, the sync state's, the releases', the
 * server's and any a later package adds), ordered so referenced tables come first.
 */
export async function listTables(db: Kysely<unknown>): Promise<TableInfo[]> {
  const columns = await sql<{
    table_name: string;
    column_name: string;
    is_generated: string;
    column_default: string | null;
  }>`select c.table_name, c.column_name, c.is_generated, c.column_default
      from information_schema.columns c
      join information_schema.tables t
        on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
      order by c.table_name, c.ordinal_position`.execute(db);
  const references = await sql<{ child: string; parent: string }>`
    select cl.relname as child, pl.relname as parent
    from pg_constraint k
    join pg_class cl on cl.oid = k.conrelid
    join pg_class pl on pl.oid = k.confrelid
    join pg_namespace n on n.oid = cl.relnamespace
    where k.contype = 'f' and n.nspname = current_schema()`.execute(db);
  const byName = new Map<string, TableInfo>();
  for (const row of columns.rows) {
    let table = byName.get(row.table_name);
    if (table === undefined) {
      table = {
        name: row.table_name,
        columns: [],
        serialColumns: [],
        migration: MIGRATION_TABLE.test(row.table_name),
        references: [],
      };
      byName.set(row.table_name, table);
    }
    (table.columns as { name: string; generated: boolean }[]).push({
      name: row.column_name,
      generated: row.is_generated !== 'NEVER',
    });
    if (row.column_default?.startsWith('nextval(') === true)
      (table.serialColumns as string[]).push(row.column_name);
  }
  for (const { child, parent } of references.rows) {
    const table = byName.get(child);
    if (table !== undefined && parent !== child) (table.references as string[]).push(parent);
  }
  // Referenced tables first; names break ties, so the order is stable.
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  const visit = (table: TableInfo, path: Set<string>) => {
    if (placed.has(table.name) || path.has(table.name)) return;
    path.add(table.name);
    for (const parent of [...table.references].sort()) {
      const p = byName.get(parent);
      if (p !== undefined) visit(p, path);
    }
    placed.add(table.name);
    ordered.push(table);
  };
  for (const name of [...byName.keys()].sort()) visit(byName.get(name) as TableInfo, new Set());
  return ordered;
}

/** The names recorded in a migration table (its lock table records none). */
export async function migrationNames(db: Kysely<unknown>, table: TableInfo): Promise<string[]> {
  if (MIGRATION_LOCK.test(table.name) || !table.columns.some((c) => c.name === 'name')) return [];
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(table.name)}
    order by name`.execute(db);
  return rows.map((r) => r.name);
}
