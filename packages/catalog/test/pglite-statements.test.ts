import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PgliteDialect, openSqlDatabase } from '../src/sql/index.js';
import { PgliteStatements } from '../src/sql/pglite-statements.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

// The PGlite dialect runs statements as named prepared statements (parsed once, bound and
// executed in one call into the database): what it returns must be what PGlite's `query` returns.

let pg: PGlite;
let statements: PgliteStatements;

const prepared = async () =>
  (await pg.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements')).rows[0]!
    .n;

beforeAll(async () => {
  pg = new PGlite();
  await pg.waitReady;
  statements = PgliteStatements.for(pg)!;
  await pg.exec(`create table t (id text primary key, n bigint, f float8, b boolean, j jsonb,
    a text, d numeric, at timestamptz)`);
});

afterAll(async () => {
  await pg.close();
});

describe('PgliteStatements', () => {
  it('waits for a transaction the application opened on the same instance', async () => {
    await pg.exec('create table shared_instance (id text primary key)');
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let opened!: () => void;
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const theirs = pg
      .transaction(async (tx) => {
        await tx.query("insert into shared_instance values ('uncommitted')");
        opened();
        await held;
        await tx.rollback();
      })
      .catch(() => undefined);
    await open;
    const ours = statements.run<{ n: number }>(
      'select count(*)::int as n from shared_instance',
      [],
    );
    // Ours must not run inside their transaction (it would see the row they roll back).
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await theirs;
    expect((await ours).rows[0]?.n).toBe(0);
  });

  it('returns the rows and counts that PGlite query returns, for every column type', async () => {
    const insert = `insert into t (id, n, f, b, j, a, d, at)
      select * from unnest($1::text[], $2::int8[], $3::float8[], $4::bool[], $5::text[]::jsonb[],
        $6::text[], $7::numeric[], $8::timestamptz[]) as x(id, n, f, b, j, a, d, at)
      returning id`;
    const params = [
      ['a', 'b"q', 'ü ☃ 𝄞', 'n'],
      [1, 9_007_199_254_740_993n, -3, null],
      [1.5, Number.NaN, -0, null],
      [true, false, true, null],
      [JSON.stringify({ k: [1, 'x'] }), '[]', 'null', null],
      ['x', 'y,z', '', null],
      ['1.10', '2', '-3.5', null],
      [new Date(0), new Date(86_400_000), new Date(1), null],
    ];
    const mine = await statements.run<{ id: string }>(insert, params);
    expect(mine.rows.map((r) => r.id)).toEqual(['a', 'b"q', 'ü ☃ 𝄞', 'n']);
    expect(mine.affectedRows).toBe(4);
    const read = 'select * from t where id = any($1::text[]) order by id collate "C"';
    const ids = [['a', 'b"q', 'ü ☃ 𝄞', 'n', 'missing']];
    const theirs = await pg.query(read, ids);
    const ours = await statements.run(read, ids);
    expect(ours.rows).toEqual(theirs.rows);
    expect(ours.rows).toHaveLength(4);
    const update = 'update t set b = not b where id = any($1::text[])';
    expect((await statements.run(update, [['a', 'n']])).affectedRows).toBe(2);
    expect((await statements.run('select 1 as one', [])).affectedRows).toBe(0);
    expect((await statements.run('delete from t where id = $1', ['n'])).affectedRows).toBe(1);
  });

  it('prepares a statement text once and binds it on every later run', async () => {
    const before = await prepared();
    for (let i = 0; i < 5; i++) {
      const { rows } = await statements.run<{ v: number }>('select $1::int4 + 1 as v', [i]);
      expect(rows).toEqual([{ v: i + 1 }]);
    }
    expect(await prepared()).toBe(before + 1);
  });

  it('keeps at most 200 statements prepared', async () => {
    for (let i = 0; i < 260; i++) {
      const { rows } = await statements.run<{ v: number }>(`select $1::int4 + ${i} as v`, [1]);
      expect(rows[0]!.v).toBe(i + 1);
    }
    expect(await prepared()).toBeLessThanOrEqual(201);
  });

  it('sees a schema change made through it: a cached select * returns the new column', async () => {
    const read = "select * from t where id = 'a'";
    expect(Object.keys((await statements.run(read, [])).rows[0]!)).not.toContain('extra');
    await statements.run('alter table t add column extra int default 7', []);
    expect((await statements.run<{ extra: number }>(read, [])).rows[0]!.extra).toBe(7);
  });

  it('throws the database error, with the statement, and stays usable', async () => {
    const dup = 'insert into t (id) values ($1)';
    const error = await statements.run(dup, ['a']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '23505', query: dup, params: ['a'] });
    await expect(statements.run('selec 1', [])).rejects.toMatchObject({ code: '42601' });
    expect((await statements.run<{ v: number }>('select 2 as v', [])).rows).toEqual([{ v: 2 }]);
  });

  it('recovers when the session forgot its statements (deallocate all from elsewhere)', async () => {
    const text = 'select $1::text as v';
    expect((await statements.run(text, ['x'])).rows).toEqual([{ v: 'x' }]);
    await pg.exec('deallocate all');
    await expect(statements.run(text, ['y'])).rejects.toMatchObject({ code: '26000' });
    expect((await statements.run(text, ['z'])).rows).toEqual([{ v: 'z' }]);
  });

  it('is what the dialect uses, and a rolled-back transaction leaves statements usable', async () => {
    const db = new Kysely<unknown>({ dialect: new PgliteDialect(pg, false) });
    const failing = db.transaction().execute(async (tx) => {
      await sql`insert into t (id) values (${'tx'})`.execute(tx);
      await sql`insert into t (id) values (${'tx'})`.execute(tx);
    });
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from t where id = ${'tx'}`.execute(db);
    expect(rows).toEqual([{ n: 0 }]);
    await db.destroy();
  });

  it('is not used for a database without the wire protocol', () => {
    expect(
      PgliteStatements.for({ waitReady: Promise.resolve(), query: pg.query, close: pg.close }),
    ).toBe(null);
  });

  it('runs on an in-memory database that does not zero-fill new WAL segments', async () => {
    const { db, close } = await openSqlDatabase({});
    try {
      const { rows } = await sql<{
        z: string;
      }>`select current_setting('wal_init_zero') as z`.execute(db);
      expect(rows).toEqual([{ z: 'off' }]);
    } finally {
      await close();
    }
  });
});
