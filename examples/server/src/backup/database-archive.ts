import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../storage/database.js';
import { decryptArchive, encryptArchive } from './archive-cipher.js';
import { BackupError } from './backup-error.js';
import { type TableInfo, listTables, migrationNames } from './schema-tables.js';

/** Rows fetched from a cursor, and inserted, at a time. */
const BATCH_ROWS = 500;
/** An insert batch is also cut at this many bytes of JSON. */
const BATCH_BYTES = 4 * 1024 * 1024;
const FORMAT = 'spoti-backup';
const VERSION = 1;

/** The first line of an archive's plaintext. */
interface ArchiveHeader {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly createdAt: number;
  readonly backend: 'pglite' | 'postgres';
  /** Data tables, in restore order, with their columns. */
  readonly tables: readonly { readonly name: string; readonly columns: readonly string[] }[];
  /** Migrations applied, per migration table: a restore needs the same. */
  readonly migrations: Readonly<Record<string, readonly string[]>>;
}

/** What a backup or a restore moved. */
export interface ArchiveSummary {
  readonly tables: number;
  readonly rows: number;
  /** Rows per table. */
  readonly perTable: Readonly<Record<string, number>>;
}

async function migrationsOf(
  db: Kysely<unknown>,
  tables: readonly TableInfo[],
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tables.filter((t) => t.migration)) {
    const names = await migrationNames(db, table);
    if (names.length > 0) out[table.name] = names;
  }
  return out;
}

/**
 * Writes an encrypted archive of the whole database (every table of the current schema, read in
 * one repeatable-read snapshot through cursors, so the database is never held in memory) into
 * `sink`. Plaintext is one header line, then per table `T\t<name>`, its rows as `R\t<json>` (the
 * database's own `row_to_json`, never parsed here, so no number loses precision) and
 * `E\t<name>\t<count>`, then `Z\t<tables>\t<rows>`.
 */
export async function writeArchive(
  database: Database,
  key: Buffer,
  sink: NodeJS.WritableStream,
  now: number,
): Promise<ArchiveSummary> {
  const perTable: Record<string, number> = {};
  let rows = 0;
  await database.db.transaction().execute(async (trx) => {
    const db = trx as unknown as Kysely<unknown>;
    if (database.backend === 'postgres')
      await sql`set transaction isolation level repeatable read, read only`.execute(db);
    const tables = await listTables(db);
    const data = tables.filter((t) => !t.migration);
    const header: ArchiveHeader = {
      format: FORMAT,
      version: VERSION,
      createdAt: now,
      backend: database.backend,
      tables: data.map((t) => ({ name: t.name, columns: t.columns.map((c) => c.name) })),
      migrations: await migrationsOf(db, tables),
    };
    async function* lines(): AsyncGenerator<Buffer> {
      yield Buffer.from(`${JSON.stringify(header)}\n`);
      for (const table of data) {
        yield Buffer.from(`T\t${table.name}\n`);
        let count = 0;
        await sql`declare spoti_backup no scroll cursor for
          select row_to_json(t)::text as j from ${sql.table(table.name)} t`.execute(db);
        for (;;) {
          const { rows: batch } = await sql<{
            j: string;
          }>`fetch forward ${sql.lit(BATCH_ROWS)} from spoti_backup`.execute(db);
          if (batch.length === 0) break;
          count += batch.length;
          yield Buffer.from(batch.map((r) => `R\t${r.j}\n`).join(''));
        }
        await sql`close spoti_backup`.execute(db);
        perTable[table.name] = count;
        rows += count;
        yield Buffer.from(`E\t${table.name}\t${count}\n`);
      }
      yield Buffer.from(`Z\t${data.length}\t${rows}\n`);
    }
    await pipeline(Readable.from(lines()), encryptArchive(key), sink);
  });
  return { tables: Object.keys(perTable).length, rows, perTable };
}

/** Options of {@link restoreArchive}. */
export interface RestoreOptions {
  /** Replace the rows of a database that is not empty. */
  readonly force?: boolean;
}

/** Splits decrypted plaintext into lines, yielding each (without its newline). */
async function* linesOf(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of source) {
    const text = rest + chunk.toString('utf8');
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) yield line;
  }
  if (rest !== '') yield rest;
}

function invalid(message: string): BackupError {
  return new BackupError('INVALID_ARCHIVE', `Not a valid backup: ${message}`);
}

/** Pass 1: decrypts and authenticates the whole archive, writing nothing; gives its header. */
async function readHeader(
  key: Buffer,
  open: () => Promise<NodeJS.ReadableStream>,
): Promise<ArchiveHeader> {
  let header: ArchiveHeader | null = null;
  let firstLine = '';
  await pipeline(
    await open(),
    decryptArchive(key),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (header === null && firstLine.length < 16 * 1024 * 1024) {
          firstLine += chunk.toString('utf8');
          const end = firstLine.indexOf('\n');
          if (end >= 0) {
            try {
              header = JSON.parse(firstLine.slice(0, end)) as ArchiveHeader;
            } catch {
              return callback(invalid('the header is not JSON'));
            }
          }
        }
        callback();
      },
    }),
  );
  const h = header as ArchiveHeader | null;
  if (h === null || h.format !== FORMAT || h.version !== VERSION) {
    throw invalid(`expected ${FORMAT} version ${VERSION}`);
  }
  return h;
}

/**
 * The target's tables by name, after checking it has the archive's tables with the same columns
 * and the same migrations, and (unless `force`) no rows outside the bookkeeping tables.
 */
async function checkTarget(
  db: Kysely<unknown>,
  h: ArchiveHeader,
  force: boolean,
): Promise<Map<string, TableInfo>> {
  const targetTables = await listTables(db);
  const target = new Map(targetTables.map((t) => [t.name, t]));
  for (const table of h.tables) {
    const there = target.get(table.name);
    const want = [...table.columns].sort().join(',');
    if (
      there === undefined ||
      there.columns
        .map((c) => c.name)
        .sort()
        .join(',') !== want
    ) {
      throw new BackupError(
        'SCHEMA_MISMATCH',
        `The target database has no table ${table.name} with the archive's columns: restore into a database migrated by the same version of the server`,
      );
    }
  }
  const targetMigrations = await migrationsOf(db, targetTables);
  if (JSON.stringify(sortKeys(targetMigrations)) !== JSON.stringify(sortKeys(h.migrations))) {
    throw new BackupError(
      'SCHEMA_MISMATCH',
      'The archive was written at other migrations than the target database has: restore with the same version of the server',
    );
  }
  if (!force) await checkEmpty(db, targetTables);
  return target;
}

async function checkEmpty(db: Kysely<unknown>, tables: readonly TableInfo[]): Promise<void> {
  for (const table of tables) {
    if (table.migration || table.name.endsWith('_meta')) continue;
    const { rows } = await sql<{ has_rows: boolean }>`select exists (select 1 from ${sql.table(
      table.name,
    )}) as has_rows`.execute(db);
    if (rows[0]?.has_rows === true) {
      throw new BackupError(
        'NOT_EMPTY',
        `The target database is not empty (${table.name} has rows): restore into a new database, or pass --force to replace everything`,
      );
    }
  }
}

/**
 * Writes the rows of pass 2 into one transaction: a table at a time, in batches, checking each
 * table's row count and the archive's totals, and moving sequences past the restored rows.
 */
class RowLoader {
  readonly perTable: Record<string, number> = {};
  total = 0;
  ended = false;
  #current: TableInfo | null = null;
  #batch: string[] = [];
  #bytes = 0;
  #count = 0;

  constructor(
    private readonly tx: Kysely<unknown>,
    private readonly target: ReadonlyMap<string, TableInfo>,
  ) {}

  /** One plaintext line after the header: `T` table, `R` row, `E` table end, `Z` totals. */
  async line(line: string): Promise<void> {
    const tab = line.indexOf('\t');
    const kind = line.slice(0, tab);
    const rest = line.slice(tab + 1);
    if (kind === 'R') await this.#row(rest);
    else if (kind === 'T') {
      this.#current = this.target.get(rest) ?? null;
      if (this.#current === null) throw invalid(`unknown table ${rest}`);
      this.#count = 0;
    } else if (kind === 'E') await this.#endTable(rest);
    else if (kind === 'Z') {
      const [tables, rows] = rest.split('\t');
      if (Number(tables) !== Object.keys(this.perTable).length || Number(rows) !== this.total) {
        throw invalid('the totals do not match the rows');
      }
      this.ended = true;
    } else throw invalid(`unexpected line "${kind}"`);
  }

  async #row(json: string): Promise<void> {
    if (this.#current === null) throw invalid('a row outside a table');
    this.#batch.push(json);
    this.#bytes += json.length;
    this.#count += 1;
    if (this.#batch.length >= BATCH_ROWS || this.#bytes >= BATCH_BYTES) await this.#flush();
  }

  async #flush(): Promise<void> {
    const current = this.#current;
    if (this.#batch.length === 0 || current === null) return;
    const cols = current.columns.filter((c) => !c.generated).map((c) => sql.ref(c.name));
    const json = `[${this.#batch.join(',')}]`;
    await sql`insert into ${sql.table(current.name)} (${sql.join(cols)}) overriding system value
        select ${sql.join(cols)} from json_populate_recordset(null::${sql.table(current.name)}, ${json}::json)`.execute(
      this.tx,
    );
    this.#batch = [];
    this.#bytes = 0;
  }

  async #endTable(rest: string): Promise<void> {
    await this.#flush();
    const [name, n] = rest.split('\t');
    const current = this.#current;
    if (current === null || name !== current.name || Number(n) !== this.#count) {
      throw invalid(`table ${name} should have ${n} rows, found ${this.#count}`);
    }
    this.perTable[current.name] = this.#count;
    this.total += this.#count;
    for (const column of current.serialColumns) {
      await sql`select setval(pg_get_serial_sequence(${current.name}, ${column}),
            coalesce((select max(${sql.ref(column)}) from ${sql.table(current.name)}), 0) + 1, false)`.execute(
        this.tx,
      );
    }
    this.#current = null;
  }
}

/**
 * Restores an archive written by {@link writeArchive} into `database`, which must be migrated to
 * the same migrations and empty (bookkeeping `*_meta` rows aside) unless `force`. The archive is
 * read twice: first only decrypted and authenticated to the end (a wrong key, an altered or a
 * truncated archive is refused before anything is written), then restored in one transaction
 * (all or nothing), with sequences moved past the restored rows. `open` gives a fresh stream of
 * the archive's bytes each time.
 *
 * @throws BackupError `WRONG_KEY`, `DAMAGED`, `TRUNCATED`, `INVALID_ARCHIVE`, `SCHEMA_MISMATCH`,
 * `NOT_EMPTY`.
 */
export async function restoreArchive(
  database: Database,
  key: Buffer,
  open: () => Promise<NodeJS.ReadableStream>,
  options: RestoreOptions = {},
): Promise<ArchiveSummary> {
  const h = await readHeader(key, open);
  const target = await checkTarget(
    database.db as unknown as Kysely<unknown>,
    h,
    options.force === true,
  );
  // Pass 2: one transaction.
  const { perTable, total } = await database.db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Kysely<unknown>;
    const names = h.tables.map((t) => sql.table(t.name));
    if (names.length > 0)
      await sql`truncate table ${sql.join(names)} restart identity cascade`.execute(tx);
    const loader = new RowLoader(tx, target);
    let first = true;
    const plain = (await open()).pipe(decryptArchive(key));
    for await (const line of linesOf(plain as AsyncIterable<Buffer>)) {
      if (first) first = false;
      else await loader.line(line);
    }
    if (!loader.ended) throw invalid('it has no end record');
    return loader;
  });
  return { tables: Object.keys(perTable).length, rows: total, perTable };
}

function sortKeys(record: Record<string, readonly string[]>): [string, readonly string[]][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
