import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PgliteDialect } from '@spoti/catalog/sql';
import { Kysely, Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteReleaseStore, isDigestDue } from '../src/index.js';
import * as initial from '../src/migrations/0001-initial.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('migration 0002-subscriptions', () => {
  it('keeps subscribers stored before double opt-in confirmed and due', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'releases-migration-'));
    dirs.push(dir);
    // A database at the first schema, with a subscriber written by the previous version.
    const old = new Kysely<unknown>({ dialect: new PgliteDialect(new PGlite(dir)) });
    const migrator = new Migrator({
      db: old,
      provider: { getMigrations: async () => ({ '0001-initial': initial }) },
      migrationTableName: 'releases_migrations',
      migrationLockTableName: 'releases_migrations_lock',
    });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const legacy = {
      id: 'old-user',
      email: 'old@example.com',
      displayName: null,
      timeZone: 'UTC',
      cadenceDays: 14,
      sources: { followed: true, savedTracks: false, savedAlbums: false },
      include: [],
      exclude: [],
      groups: ['album', 'single'],
      createdAt: 1_000,
      unsubscribedAt: null,
      lastDigestAt: 5_000,
    };
    await sql`insert into releases_subscribers (id, unsubscribed_at, data)
      values ('old-user', null, ${JSON.stringify(legacy)}::jsonb)`.execute(old);
    await old.destroy();

    const store = await createPgliteReleaseStore({ dataDir: dir });
    try {
      const read = await store.getSubscriber('old-user');
      expect(read?.email).toBe('old@example.com');
      expect(read?.confirmedAt ?? 'absent').toBe('absent');
      expect(read !== null && isDigestDue(read, 5_000 + 14 * 86_400_000)).toBe(true);
      // Writing it back fills the new columns.
      await store.putSubscriber({ ...(read as NonNullable<typeof read>), confirmedAt: null });
      expect((await store.getSubscriber('old-user'))?.confirmedAt).toBeNull();
    } finally {
      await store.close();
    }
  }, 180_000);
});
