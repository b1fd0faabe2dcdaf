import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/index.js';
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
