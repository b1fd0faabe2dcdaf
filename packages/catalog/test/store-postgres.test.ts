import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { createPostgresStore } from '../src/index.js';
import { storeSuite } from './store-suite.js';

const url = process.env.CATALOG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `catalog_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
let n = 0;
const schemas: string[] = [];

storeSuite('postgres', async () => {
  const schema = `${run}_${n++}`;
  schemas.push(schema);
  return createPostgresStore({ connectionString: url, schema, maxConnections: 2 });
});

afterAll(async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`drop schema if exists "${s}" cascade`);
  } finally {
    await client.end();
  }
});
