import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createPostgresStore } from '../src/index.js';
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
