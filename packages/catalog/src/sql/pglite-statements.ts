import type { PgliteInstance } from './pglite-instance.js';

/** A backend message as PGlite's `execProtocol` returns it (only the fields read here). */
interface BackendMessage {
  readonly name: string;
  readonly fields?: readonly unknown[];
  readonly dataTypeIDs?: readonly number[];
  readonly text?: string;
  readonly code?: string;
}

/** What statement reuse needs of a PGlite database (PGlite 0.2 and later have it). */
type PgliteWithProtocol = PgliteInstance & Required<Pick<PgliteInstance, 'execProtocol'>>;

/** A statement the database keeps prepared under `name`, with its parameters' type OIDs. */
interface Prepared {
  readonly name: string;
  readonly paramTypes: readonly number[];
}

/** One result of {@link PgliteStatements.run}, as PGlite's `query` gives it. */
export interface StatementResult<R> {
  readonly rows: R[];
  readonly affectedRows: number;
}

/** Statements kept prepared per database session, least recently used evicted first. */
const CACHE_SIZE = 200;

/** Command tags whose trailing number counts affected rows (as PGlite's `query` counts them). */
const COUNTED = new Set(['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE']);

/** Command tags after which the cache is emptied: a schema change may change a result type. */
const SCHEMA_CHANGE = /^(CREATE|ALTER|DROP|TRUNCATE|COMMENT|GRANT|REVOKE|DISCARD|DEALLOCATE)\b/;

const encoder = new TextEncoder();

/** A frontend protocol message: a type byte, a length, then `parts`. */
function frame(type: string, parts: readonly Uint8Array[]): Uint8Array {
  const length = 4 + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(1 + length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, length);
  let at = 5;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const cString = (s: string): Uint8Array => encoder.encode(`${s}\u0000`);
const int16 = (n: number): Uint8Array => new Uint8Array([(n >> 8) & 0xff, n & 0xff]);

function int32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, n);
  return out;
}

function concat(messages: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(messages.reduce((n, m) => n + m.length, 0));
  let at = 0;
  for (const m of messages) {
    out.set(m, at);
    at += m.length;
  }
  return out;
}

const sync = (): Uint8Array => frame('S', []);
const parse = (name: string, text: string) => frame('P', [cString(name), cString(text), int16(0)]);
const describe = (kind: 'S' | 'P', name: string) =>
  frame('D', [encoder.encode(kind), cString(name)]);
const execute = (): Uint8Array => frame('E', [cString(''), int32(0)]);
const close = (name: string): Uint8Array => frame('C', [encoder.encode('S'), cString(name)]);

/** Binds text-format parameters (null as SQL NULL) to `statement` in the unnamed portal. */
function bind(statement: string, values: readonly (string | null)[]): Uint8Array {
  const parts: Uint8Array[] = [cString(''), cString(statement), int16(0), int16(values.length)];
  for (const v of values) {
    if (v === null) parts.push(int32(-1));
    else {
      const bytes = encoder.encode(v);
      parts.push(int32(bytes.length), bytes);
    }
  }
  parts.push(int16(0));
  return frame('B', parts);
}

/**
 * Runs statements on one PGlite database through named prepared statements: a statement text is
 * parsed (and its parameter types described) once, then each run binds and executes it in one
 * call into the database, where PGlite's `query` makes six calls and parses and plans the text
 * every time (PostgreSQL may keep a generic plan of a statement it ran five times). Parameters
 * are serialised and rows parsed with the instance's own serializers and parsers, as `query`
 * does, so results are the same. A schema change empties the cache.
 */
export class PgliteStatements {
  readonly #db: PgliteWithProtocol;
  readonly #prefix = `spoti_${Math.random().toString(36).slice(2, 10)}_`;
  readonly #cache = new Map<string, Prepared>();
  #closing: string[] = [];
  #next = 0;

  private constructor(db: PgliteWithProtocol) {
    this.#db = db;
  }

  /** Statement reuse for `db`, or null when it does not speak the wire protocol. */
  static for(db: PgliteInstance): PgliteStatements | null {
    return typeof db.execProtocol === 'function'
      ? new PgliteStatements(db as PgliteWithProtocol)
      : null;
  }

  /** Runs one statement with bound parameters. */
  run<R>(text: string, params: readonly unknown[]): Promise<StatementResult<R>> {
    const db = this.#db;
    const go = () => this.#run<R>(text, params);
    const alone = db.runExclusive === undefined ? go : () => db.runExclusive!(go);
    // As PGlite's own `query`: also wait while a `transaction()` of the instance is open, so a
    // statement never lands inside an application's transaction on a shared instance.
    return db._runExclusiveTransaction === undefined ? alone() : db._runExclusiveTransaction(alone);
  }

  async #run<R>(text: string, params: readonly unknown[]): Promise<StatementResult<R>> {
    const prepared = this.#cache.get(text) ?? (await this.#prepare(text));
    this.#cache.delete(text);
    this.#cache.set(text, prepared);
    const values = params.map((p, i) => this.#serialize(p, prepared.paramTypes[i]));
    const before = this.#closing.map(close);
    this.#closing = [];
    let messages: readonly BackendMessage[];
    try {
      ({ messages } = await this.#db.execProtocol(
        concat([...before, bind(prepared.name, values), describe('P', ''), execute(), sync()]),
      ));
    } catch (error) {
      // A statement the session no longer knows, or whose result type a schema change altered.
      const code = (error as BackendMessage | null)?.code;
      if (code === '26000' || code === '0A000') this.#forgetAll();
      // As PGlite's `query` reports it: the statement and its parameters on the error.
      if (typeof error === 'object' && error !== null)
        Object.assign(error, { query: text, params });
      throw error;
    }
    return this.#result<R>(messages);
  }

  /** Prepares `text` under a new name and reads its parameter types; evicts the oldest. */
  async #prepare(text: string): Promise<Prepared> {
    const name = `${this.#prefix}${this.#next++}`;
    const { messages } = await this.#db.execProtocol(
      concat([parse(name, text), describe('S', name), sync()]),
      { syncToFs: false },
    );
    const described = messages.find((m) => m.name === 'parameterDescription');
    const prepared = { name, paramTypes: described?.dataTypeIDs ?? [] };
    if (this.#cache.size >= CACHE_SIZE) {
      const [oldest] = this.#cache;
      if (oldest !== undefined) {
        this.#cache.delete(oldest[0]);
        this.#closing.push(oldest[1].name);
      }
    }
    return prepared;
  }

  /** Forgets every statement (the session's are closed before the next run). */
  #forgetAll(): void {
    for (const p of this.#cache.values()) this.#closing.push(p.name);
    this.#cache.clear();
  }

  #serialize(value: unknown, type: number | undefined): string | null {
    if (value === null || value === undefined) return null;
    const serializer = type === undefined ? undefined : this.#db.serializers?.[type];
    return serializer === undefined ? String(value) : serializer(value);
  }

  #result<R>(messages: readonly BackendMessage[]): StatementResult<R> {
    const parsers = this.#db.parsers ?? {};
    let fields: { name: string; dataTypeID: number }[] = [];
    const rows: R[] = [];
    let affectedRows = 0;
    for (const m of messages) {
      if (m.name === 'rowDescription') {
        fields = (m.fields ?? []) as { name: string; dataTypeID: number }[];
      } else if (m.name === 'dataRow') {
        const row: Record<string, unknown> = {};
        (m.fields as readonly (string | null)[]).forEach((x, i) => {
          const field = fields[i]!;
          const parser = parsers[field.dataTypeID];
          row[field.name] =
            x === null ? null : parser === undefined ? x : parser(x, field.dataTypeID);
        });
        rows.push(row as R);
      } else if (m.name === 'commandComplete') {
        const parts = (m.text ?? '').split(' ');
        if (COUNTED.has(parts[0] ?? '')) affectedRows += Number.parseInt(parts.at(-1) ?? '', 10);
        if (SCHEMA_CHANGE.test(m.text ?? '')) this.#forgetAll();
      }
    }
    return { rows, affectedRows };
  }
}
