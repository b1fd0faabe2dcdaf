import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PgliteDialect } from '@spoti/catalog/sql';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFileCache,
  createMemoryCache,
  type EnrichmentCache,
  isEnrichError,
} from '../src/index.js';
import { createSqlCache } from '../src/sql/index.js';

/** The behaviour every cache shares. */
function cacheSuite(name: string, open: () => Promise<EnrichmentCache>) {
  describe(`${name} cache`, () => {
    it('returns what was stored, misses included, and replaces older answers', async () => {
      const cache = await open();
      await cache.setMany(
        'features:X',
        new Map([
          ['a', { value: { energy: 0.5 }, fetchedAt: 1 }],
          ['b', { value: null, fetchedAt: 2 }],
        ]),
      );
      await cache.setMany('features:X', new Map([['a', { value: { energy: 0.7 }, fetchedAt: 3 }]]));
      const got = await cache.getMany('features:X', ['a', 'b', 'c']);
      expect(got.get('a')).toEqual({ value: { energy: 0.7 }, fetchedAt: 3 });
      expect(got.get('b')).toEqual({ value: null, fetchedAt: 2 });
      expect(got.has('c')).toBe(false);
      expect((await cache.getMany('genres:X', ['a'])).size).toBe(0);
    });

    it('handles many keys and awkward ones', async () => {
      const cache = await open();
      const keys = Array.from({ length: 1_234 }, (_, i) => `k'${i}"; drop table x; --`);
      await cache.setMany(
        'genres:Y',
        new Map(keys.map((k, i) => [k, { value: { genres: [`g${i}`] }, fetchedAt: i }])),
      );
      const got = await cache.getMany('genres:Y', keys);
      expect(got.size).toBe(1_234);
      expect(got.get(keys[1_000] as string)?.value).toEqual({ genres: ['g1000'] });
    });
  });
}

cacheSuite('memory', async () => createMemoryCache());

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
cacheSuite('file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'enrich-cache-'));
  dirs.push(dir);
  return createFileCache({ dir });
});

describe('file cache on disk', () => {
  it('is read back by a new instance and survives a torn last line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'enrich-cache-'));
    dirs.push(dir);
    await createFileCache({ dir }).setMany(
      'features:ReccoBeats',
      new Map([['t1', { value: { energy: 0.3 }, fetchedAt: 5 }]]),
    );
    await appendFile(join(dir, 'features_ReccoBeats.jsonl'), '{"k":"t2","v":{"ene');
    const again = await createFileCache({ dir }).getMany('features:ReccoBeats', ['t1', 't2']);
    expect(again.get('t1')?.value).toEqual({ energy: 0.3 });
    expect(again.has('t2')).toBe(false);
  });

  it('reports an unusable folder as CACHE_FAILURE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'enrich-cache-'));
    dirs.push(dir);
    await appendFile(join(dir, 'file'), 'x');
    const cache = createFileCache({ dir: join(dir, 'file') });
    const error = await cache
      .setMany('a', new Map([['k', { value: 1, fetchedAt: 1 }]]))
      .catch((e) => e);
    expect(isEnrichError(error) && error.code).toBe('CACHE_FAILURE');
  });
});

describe('SQL cache on PGlite', () => {
  const pglite = new PGlite();
  const db = new Kysely<unknown>({ dialect: new PgliteDialect(pglite) });
  afterAll(() => db.destroy());
  let prefix = 0;
  cacheSuite('pglite', () => createSqlCache({ db, tablePrefix: `enrich${prefix++}_` }));

  it('keeps its own table and migration table, and migrates idempotently', async () => {
    await createSqlCache({ db, tablePrefix: 'mine_' });
    await createSqlCache({ db, tablePrefix: 'mine_' });
    const tables = await pglite.query<{ tablename: string }>(
      "select tablename from pg_tables where tablename like 'mine_%' order by 1",
    );
    expect(tables.rows.map((r) => r.tablename)).toEqual([
      'mine_cache',
      'mine_migrations',
      'mine_migrations_lock',
    ]);
  });

  it('rejects a bad prefix and a non-database', async () => {
    await expect(createSqlCache({ db, tablePrefix: 'Bad-Prefix' })).rejects.toThrow(/tablePrefix/);
    await expect(createSqlCache({ db: {} as never })).rejects.toThrow(/Kysely/);
  });
});

describe('SQL cache on PostgreSQL', () => {
  const admin = process.env.ENRICH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const run = `enrich_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const url = Object.assign(new URL(admin), { pathname: `/${run}` }).toString();
  const onAdmin = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  let db: Kysely<unknown>;
  beforeAll(async () => {
    await onAdmin(`create database "${run}"`);
    db = new Kysely({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
    });
  });
  afterAll(async () => {
    await db.destroy();
    await onAdmin(`drop database if exists "${run}" with (force)`);
  });
  let n = 0;
  cacheSuite('postgres', () => createSqlCache({ db, schema: `s${n++}` }));
});
