import { createPgliteStore } from '@spoti/catalog';
import { openSqlDatabase } from '@spoti/catalog/sql';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createPgliteSyncStateStore, isSyncError } from '../src/index.js';

describe('sync state on a database shared with the catalog', () => {
  it('keeps its tables beside the catalog on one Kysely instance, which both leave open', async () => {
    const database = await openSqlDatabase({});
    try {
      const catalog = await createPgliteStore({ db: database.db });
      const state = await createPgliteSyncStateStore({ db: database.db });
      await state.setValue('u1', 'cursor', { after: 42 });
      await catalog.upsertUsers([
        {
          id: 'u1',
          displayName: 'u1',
          role: 'listener',
          artistId: null,
          country: null,
          imageUrl: null,
          preferences: { audioQuality: 'high', offlineMode: false, explicitContent: true },
          createdAt: 0,
        },
      ]);
      await state.close();
      await catalog.close();
      const tables = await sql<{ name: string }>`select tablename as name from pg_tables
        where schemaname = current_schema() and tablename like '%migration%' order by 1`.execute(
        database.db,
      );
      expect(tables.rows.map((r) => r.name)).toEqual([
        'catalog_migrations',
        'catalog_migrations_lock',
        'spoti_sync_migration',
        'spoti_sync_migration_lock',
      ]);
      const again = await createPgliteSyncStateStore({ db: database.db });
      expect(await again.getValue('u1', 'cursor')).toEqual({ after: 42 });
    } finally {
      await database.close();
    }
  });

  it('names a wrong option with a typed error', async () => {
    const error = await createPgliteSyncStateStore({ dataDir: '' }).catch((e: unknown) => e);
    expect(isSyncError(error) && error.code).toBe('INVALID_OPTIONS');
    expect((error as Error).message).toContain('dataDir');
  });
});
