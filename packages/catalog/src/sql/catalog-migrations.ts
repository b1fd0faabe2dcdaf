import type { Kysely, Migration } from 'kysely';
import * as initial from '../migrations/0001-initial.js';
import * as offlineKeysAndTrending from '../migrations/0002-offline-keys-and-trending-aggregates.js';
import * as searchAndVisibilityIndexes from '../migrations/0003-search-and-visibility-indexes.js';
import * as deferredPlayAggregates from '../migrations/0004-deferred-play-aggregates.js';
import * as itemTrendingTotals from '../migrations/0005-item-trending-totals.js';
import { CATALOG_MIGRATION_TABLE } from './catalog-migration-table.js';
import { adoptLegacyLayout } from './legacy-layout.js';
import { migrateSqlSchema } from './migrate.js';

/** The catalog's migrations, by name. */
export const CATALOG_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-offline-keys-and-trending-aggregates': offlineKeysAndTrending,
  '0003-search-and-visibility-indexes': searchAndVisibilityIndexes,
  '0004-deferred-play-aggregates': deferredPlayAggregates,
  '0005-item-trending-totals': itemTrendingTotals,
};

/**
 * Brings the catalog's tables up to date: first adopts a database laid out by an earlier version
 * (unprefixed tables recorded in Kysely's default migration table), then runs what is pending.
 */
export async function migrateCatalog(
  db: Kysely<unknown>,
  options: { readonly schema?: string; readonly target?: string } = {},
): Promise<void> {
  await adoptLegacyLayout(db);
  await migrateSqlSchema({
    db,
    migrations: CATALOG_MIGRATIONS,
    table: CATALOG_MIGRATION_TABLE,
    ...options,
  });
}
