import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Play, createMemoryStore, createPostgresStore } from '../src/index.js';
import { T0, byId, play } from './fixtures.js';
import { storeDeferredSuite } from './store-deferred-suite.js';
import { storeStatsSuite } from './store-stats-suite.js';
import { storeSuite } from './store-suite.js';

// A database of its own: other packages' tests create and drop schemas in theirs, and a schema
// dropped in the same database while a migration lists tables makes that migration fail.
const admin = process.env.CATALOG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `catalog_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const url = Object.assign(new URL(admin), { pathname: `/${run}` }).toString();
let n = 0;

async function onAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(() => onAdmin(`create database "${run}"`));
afterAll(() => onAdmin(`drop database if exists "${run}" with (force)`));

storeSuite('postgres', async () => {
  const schema = `${run}_${n++}`;
  return createPostgresStore({ connectionString: url, schema, maxConnections: 2 });
});
storeStatsSuite('postgres', async () => {
  const schema = `${run}_${n++}`;
  return createPostgresStore({ connectionString: url, schema, maxConnections: 2 });
});

storeDeferredSuite('postgres', async () => {
  const schema = `${run}_${n++}`;
  return createPostgresStore({ connectionString: url, schema, maxConnections: 2 });
});

describe('PostgreSQL connection loss', () => {
  it('survives the server ending idle connections, and reconnects on the next query', async () => {
    const schema = `${run}_${n++}`;
    const store = await createPostgresStore({ connectionString: url, schema, maxConnections: 2 });
    try {
      expect(await store.countPlays()).toBe(0); // leaves an idle pooled connection
      await onAdmin(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${run}' and pid <> pg_backend_pid()`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200)); // the pool notices the loss
      expect(await store.countPlays()).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('PostgreSQL plays by COPY', () => {
  /** Names and ids with every character COPY's text format escapes, and some it must not. */
  const hostile: Play[] = [
    play('me', byId('t01'), T0 - 5000, { trackName: 'tab\there', artistName: 'back\\slash' }),
    play('me', byId('t02'), T0 - 4000, { trackName: 'line\nfeed\rreturn', albumName: '\\N' }),
    play('me', byId('t03'), T0 - 3000, { trackName: '\\.', artistIds: ['a"1\\', 'a\t2'] }),
    play('me', byId('t04'), T0 - 2000, { trackName: 'lone \ud800 surrogate 😀', platform: null }),
    play('me', byId('t05'), T0 - 1000, { trackName: '', artistName: ' ', skipped: null }),
  ];

  it('stores hostile text as the memory store does, through the staging table', async () => {
    const schema = `${run}_${n++}`;
    const store = await createPostgresStore({ connectionString: url, schema, maxConnections: 2 });
    const memory = createMemoryStore();
    try {
      expect(await store.appendPlays(hostile)).toEqual({ inserted: 5, duplicates: 0 });
      await memory.appendPlays(hostile);
      const stored = await store.listPlays({ userId: 'me' });
      expect(stored).toEqual(await memory.listPlays({ userId: 'me' }));
      expect(stored.map((p) => p.trackName)).toEqual([
        'tab\there',
        'line\nfeed\rreturn',
        '\\.',
        'lone \ufffd surrogate 😀',
        '',
      ]);
      expect(stored[2]?.artistIds).toEqual(['a"1\\', 'a\t2']);
      // The plays went through COPY: the pooled connection holds the temporary staging table.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const found = await client.query(
          "select count(*)::int as n from pg_class where relname = 'spoti_catalog_plays_copy' and relpersistence = 't'",
        );
        expect(found.rows[0].n).toBeGreaterThan(0);
      } finally {
        await client.end();
      }
    } finally {
      await store.close();
      await memory.close();
    }
  });

  it('keeps batch order among plays that end together, and counts a batch resent in the same transaction once', async () => {
    const schema = `${run}_${n++}`;
    const store = await createPostgresStore({ connectionString: url, schema, maxConnections: 2 });
    try {
      const ids = ['t06', 't02', 't05', 't01', 't04', 't03'];
      const same = ids.map((id) => play('me', byId(id), T0));
      const result = await store.transaction(async (tx) => [
        await tx.appendPlays(same.slice(0, 4), { deferAggregates: true }),
        await tx.appendPlays(same, { deferAggregates: true }),
      ]);
      expect(result).toEqual([
        { inserted: 4, duplicates: 0 },
        { inserted: 2, duplicates: 4 },
      ]);
      expect(await store.foldDeferredAggregates?.()).toEqual({ folded: 6 });
      const page = await store.listRecentPlays({ userId: 'me', limit: 10 });
      // Newest first: the last stored first.
      expect(page.plays.map((p) => p.trackId)).toEqual(['t03', 't04', 't01', 't05', 't02', 't06']);
    } finally {
      await store.close();
    }
  });

  it('fails a batch the server refuses in COPY, and the next batch goes through', async () => {
    const schema = `${run}_${n++}`;
    const store = await createPostgresStore({ connectionString: url, schema, maxConnections: 1 });
    try {
      // 3,000,000,000 ms does not fit the column's integer: the server refuses the row in COPY.
      const tooLong = play('me', byId('t01'), T0, { msPlayed: 3_000_000_000 });
      await expect(store.appendPlays([tooLong])).rejects.toThrow();
      expect(await store.appendPlays([play('me', byId('t02'), T0)])).toEqual({
        inserted: 1,
        duplicates: 0,
      });
      expect(await store.countPlays()).toBe(1);
    } finally {
      await store.close();
    }
  });
});
