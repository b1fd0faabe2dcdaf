import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHUNK_BYTES } from '../src/backup/archive-cipher.js';
import { type BackupErrorCode, isBackupError } from '../src/backup/backup-error.js';
import { restoreArchive } from '../src/backup/database-archive.js';
import { listTables, migrationNames } from '../src/backup/schema-tables.js';
import { type CliIo, runCli } from '../src/cli.js';
import { type Database, openDatabase } from '../src/storage/database.js';
import { Agent, BACKENDS, onAdmin } from './helpers.js';
import { type ReleasesTestServer, serverUserId, startReleasesServer } from './releases-helpers.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 }); // a busy shared CI machine

const ADMIN_URL = process.env.SERVER_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Fake keys: obviously not secrets. */
const KEY = '0f'.repeat(32);
const OTHER_KEY = 'f0'.repeat(32);
const S3RVER_KEY = 'S3RVER';

/** Every row of every table, as the database prints it, in a stable order. */
async function snapshot(database: Database): Promise<Record<string, string[]>> {
  const db = database.db as unknown as Kysely<unknown>;
  const out: Record<string, string[]> = {};
  for (const table of await listTables(db)) {
    // Migration tables: each database keeps its own timestamps; the names must agree.
    if (table.migration) {
      out[table.name] = await migrationNames(db, table);
      continue;
    }
    const { rows } = await sql<{ j: string }>`select row_to_json(t)::text as j
      from ${sql.table(table.name)} t order by 1`.execute(db);
    out[table.name] = rows.map((r) => r.j);
  }
  return out;
}

/** Rows outside bookkeeping (migrations, `*_meta`): zero in a fresh database. */
async function dataRows(database: Database): Promise<number> {
  const db = database.db as unknown as Kysely<unknown>;
  let n = 0;
  for (const table of await listTables(db)) {
    if (table.migration || table.name.endsWith('_meta')) continue;
    const { rows } = await sql<{
      n: string;
    }>`select count(*) as n from ${sql.table(table.name)}`.execute(db);
    n += Number(rows[0]?.n ?? 0);
  }
  return n;
}

async function expectBackupError(
  promise: Promise<unknown>,
  code: BackupErrorCode,
): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(isBackupError(error) ? error.code : error).toBe(code);
    return (error as Error).message;
  }
  throw new Error(`expected ${code}`);
}

describe.each(BACKENDS)('backup and restore on %s', (backend) => {
  let t: ReleasesTestServer;
  let dir: string;
  const created: string[] = [];
  const lines: string[] = [];

  /** A new, empty, migrated target database and the environment that opens it. */
  async function target(): Promise<{ env: Record<string, string>; open: () => Promise<Database> }> {
    if (backend === 'pglite') {
      const dataDir = await mkdtemp(join(dir, 'target-'));
      return {
        env: { DATA_DIR: dataDir },
        open: () => openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'db') }),
      };
    }
    const name = `backup_target_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await onAdmin(`create database "${name}"`);
    created.push(name);
    const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
    return { env: { DATABASE_URL: url }, open: () => openDatabase({ kind: 'postgres', url }) };
  }
  const io = (env: Record<string, string>): CliIo => ({
    env: { LOG_LEVEL: 'silent', ...env },
    cwd: dir,
    baseDir: dir,
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spoti-backup-test-'));
    t = await startReleasesServer(backend);
    // Populate every part: plays and library (catalog, sync), a session and tokens (server),
    // a confirmed subscription with swept releases and a digest (releases), the run log.
    const listener = [...t.mock.world.users.values()].find((u) => u.followedArtists.size > 0)?.id;
    const agent = new Agent(t.url);
    await agent.signIn(listener);
    await t.server.context.runner.idle();
    const csrf = await agent.csrf('/releases');
    await agent.post('/releases/subscribe', { _csrf: csrf, email: 'backup@example.com' });
    await t.server.context.runner.idle();
    const userId = await serverUserId(t, listener ?? '');
    await t.server.context.database.db
      .insertInto('spoti_server_import_jobs' as never)
      .values({
        id: 'job-1',
        user_id: userId,
        status: 'done',
        files: '[]',
        source: 'test',
        bytes: 9_007_199_254_740_993n.toString(), // beyond 2^53: must survive unchanged
        progress: '{}',
        result: null,
        error: null,
        created_at: 1,
        updated_at: 2,
      } as never)
      .execute();
  });
  afterAll(async () => {
    await t?.close();
    for (const name of created) await onAdmin(`drop database if exists "${name}" with (force)`);
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips the whole database through an encrypted file, every table row by row', async () => {
    const source = t.server.context.database;
    const before = await snapshot(source);
    expect(Object.keys(before).length).toBeGreaterThan(40);
    for (const table of [
      'catalog_plays',
      'spoti_sync_runs',
      'releases_subscribers',
      'releases_releases',
      'spoti_server_users',
      'spoti_server_release_runs',
    ])
      expect(before[table]?.length, table).toBeGreaterThan(0);

    // The CLI's backup reads the running server's database (PostgreSQL), or the library call
    // does it on the open PGlite (the folder is the server's while it runs).
    const file = join(dir, 'first.spotibak');
    if (backend === 'postgres') {
      expect(
        await runCli(
          ['backup', '--out', 'first.spotibak'],
          io({ BACKUP_KEY: KEY, DATABASE_URL: t.databaseUrl ?? '' }),
        ),
      ).toBe(0);
    } else {
      const { writeArchive } = await import('../src/backup/database-archive.js');
      const { createWriteStream } = await import('node:fs');
      await writeArchive(source, Buffer.from(KEY, 'hex'), createWriteStream(file), 1);
    }
    const bytes = await readFile(file);
    expect(bytes.includes(Buffer.from('backup@example.com'))).toBe(false); // encrypted

    const into = await target();
    expect(await runCli(['restore', '--in', file], io({ BACKUP_KEY: KEY, ...into.env }))).toBe(0);
    const restored = await into.open();
    try {
      expect(await snapshot(restored)).toEqual(before);
      const { rows } = await sql<{
        bytes: string;
      }>`select bytes::text as bytes from spoti_server_import_jobs where id = 'job-1'`.execute(
        restored.db,
      );
      expect(rows[0]?.bytes).toBe('9007199254740993');
      // Sequences moved past the restored rows: a new row gets a new seq.
      await sql`insert into spoti_sync_runs (id, user_id, kind, data) values ('after', 'u', 'plays', '{}'::jsonb)`.execute(
        restored.db,
      );
    } finally {
      await restored.close();
    }

    // A second restore into it is refused; --force replaces everything.
    const again = await runCli(['restore', '--in', file], io({ BACKUP_KEY: KEY, ...into.env }));
    expect(again).toBe(1);
    expect(lines.at(-1)).toContain('not empty');
    expect(
      await runCli(['restore', '--in', file, '--force'], io({ BACKUP_KEY: KEY, ...into.env })),
    ).toBe(0);
    const forced = await into.open();
    try {
      expect(await snapshot(forced)).toEqual(before);
    } finally {
      await forced.close();
    }
  });

  it('refuses a wrong key, a truncated and an altered archive before writing anything', async () => {
    const file = join(dir, 'faults.spotibak');
    const { writeArchive } = await import('../src/backup/database-archive.js');
    const { createWriteStream } = await import('node:fs');
    await writeArchive(
      t.server.context.database,
      Buffer.from(KEY, 'hex'),
      createWriteStream(file),
      1,
    );
    const bytes = await readFile(file);
    expect(bytes.length).toBeGreaterThan(CHUNK_BYTES); // several chunks
    const into = await target();
    const database = await into.open();
    try {
      const open = (b: Buffer) => async () => (await import('node:stream')).Readable.from([b]);
      const wrong = await expectBackupError(
        restoreArchive(database, Buffer.from(OTHER_KEY, 'hex'), open(bytes)),
        'WRONG_KEY',
      );
      expect(wrong).toContain('BACKUP_KEY does not match');
      await expectBackupError(
        restoreArchive(
          database,
          Buffer.from(KEY, 'hex'),
          open(bytes.subarray(0, bytes.length - 100)),
        ),
        'TRUNCATED',
      );
      // Cut exactly at a chunk boundary: still detected (the last chunk is marked).
      await expectBackupError(
        restoreArchive(
          database,
          Buffer.from(KEY, 'hex'),
          open(bytes.subarray(0, 40 + CHUNK_BYTES + 21)),
        ),
        'TRUNCATED',
      );
      const altered = Buffer.from(bytes);
      const at = Math.floor(altered.length * 0.75);
      altered.writeUInt8((altered.readUInt8(at) ^ 0x01) & 0xff, at);
      await expectBackupError(
        restoreArchive(database, Buffer.from(KEY, 'hex'), open(altered)),
        'DAMAGED',
      );
      expect(await dataRows(database)).toBe(0);
    } finally {
      await database.close();
    }
    // The CLI says it plainly.
    await writeFile(join(dir, 'short.spotibak'), bytes.subarray(0, 1000));
    expect(
      await runCli(['restore', '--in', 'short.spotibak'], io({ BACKUP_KEY: KEY, ...into.env })),
    ).toBe(1);
    expect(lines.at(-1)).toMatch(/restore failed: The archive is truncated/);
    expect(
      await runCli(['restore', '--in', 'faults.spotibak'], io({ BACKUP_KEY: 'abc', ...into.env })),
    ).toBe(1);
    expect(lines.at(-1)).toContain('BACKUP_KEY must be set to 64 hex characters');
    expect(await runCli(['restore'], io({ BACKUP_KEY: KEY }))).toBe(2);
  });
});

describe('backup to S3-compatible storage (s3rver)', () => {
  it('streams the archive as a multipart upload and restores from it', async () => {
    const s3Dir = await mkdtemp(join(tmpdir(), 'spoti-backup-s3-'));
    const s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: s3Dir,
      configureBuckets: [{ name: 'spoti-backups', configs: [] }],
    });
    const { port } = await s3rver.run();
    const t = await startReleasesServer('postgres');
    const lines: string[] = [];
    const s3 = {
      S3_BUCKET: 'spoti-backups',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_ACCESS_KEY_ID: S3RVER_KEY,
      S3_SECRET_ACCESS_KEY: S3RVER_KEY,
      S3_FORCE_PATH_STYLE: '1',
      S3_PREFIX: 'spoti/',
      BACKUP_KEY: KEY,
      LOG_LEVEL: 'silent',
    };
    const name = `backup_s3_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await onAdmin(`create database "${name}"`);
    const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
    const io = (env: Record<string, string>): CliIo => ({
      env: { ...s3, ...env },
      cwd: s3Dir,
      baseDir: s3Dir,
      out: (line) => lines.push(line),
      err: (line) => lines.push(line),
    });
    try {
      const agent = new Agent(t.url);
      await agent.signIn([...t.mock.world.users.keys()][0]);
      await t.server.context.runner.idle();
      const before = await snapshot(t.server.context.database);
      expect(
        await runCli(
          ['backup', '--out', 's3://backups/nightly.spotibak'],
          io({ DATABASE_URL: t.databaseUrl ?? '' }),
        ),
      ).toBe(0);
      expect(
        await runCli(
          ['restore', '--in', 's3://backups/nightly.spotibak'],
          io({ DATABASE_URL: url }),
        ),
      ).toBe(0);
      const restored = await openDatabase({ kind: 'postgres', url });
      try {
        expect(await snapshot(restored)).toEqual(before);
      } finally {
        await restored.close();
      }
      expect(
        await runCli(
          ['restore', '--in', 's3://backups/missing.spotibak', '--force'],
          io({ DATABASE_URL: url }),
        ),
      ).toBe(1);
      expect(lines.at(-1)).toContain('No archive at s3://backups/missing.spotibak');
      const noS3 = await runCli(['backup', '--out', 's3://backups/x'], {
        ...io({ DATABASE_URL: url }),
        env: { BACKUP_KEY: KEY, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      });
      expect(noS3).toBe(1);
      expect(lines.at(-1)).toContain('s3:// needs S3-compatible storage');
    } finally {
      await t.close();
      await onAdmin(`drop database if exists "${name}" with (force)`);
      await s3rver.close();
      await rm(s3Dir, { recursive: true, force: true });
    }
  });
});
