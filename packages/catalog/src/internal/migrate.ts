import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { CatalogError } from '../errors/catalog-error.js';
import * as initial from '../migrations/0001-initial.js';
import * as offlineKeysAndTrending from '../migrations/0002-offline-keys-and-trending-aggregates.js';

const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-offline-keys-and-trending-aggregates': offlineKeysAndTrending,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** Brings the schema up to date (idempotent). */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(),
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new CatalogError({
      code: 'STORE_FAILURE',
      message: `Migration ${failed} failed`,
      cause: error,
    });
  }
}

/** Migrates up (or down) to the named migration; for tests of the migrations themselves. */
export async function migrateTo(db: Kysely<unknown>, target: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new StaticProvider() });
  const { error } = await migrator.migrateTo(target);
  if (error !== undefined) {
    throw new CatalogError({
      code: 'STORE_FAILURE',
      message: `Migration to ${target} failed`,
      cause: error,
    });
  }
}
