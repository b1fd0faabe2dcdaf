import { type Kysely, sql } from 'kysely';
import { CatalogError } from '../errors/catalog-error.js';
import { CATALOG_MIGRATION_TABLE } from './catalog-migration-table.js';

/** The tables of the unprefixed layout (before 0.1), in the order they are renamed. */
export const LEGACY_TABLES = [
  'artists',
  'albums',
  'tracks',
  'users',
  'subscriptions',
  'playlists',
  'playlist_items',
  'plays',
  'plays_superseded',
  'likes',
  'favourites',
  'follows',
  'user_track_stats',
  'item_stats',
  'search_docs',
  'search_terms',
  'search_postings',
  'trending_meta',
  'trending_daily',
  'trending_totals',
] as const;

/** Migration names the old layout recorded in Kysely's default table. */
const LEGACY_MIGRATIONS = ['0001-initial', '0002-offline-keys-and-trending-aggregates'];
const LEGACY_TABLE = 'kysely_migration';
/** Serialises adoption between processes opening the same database (any constant works). */
const ADOPT_LOCK = 0x5c47a10;

const prefixed = (name: string) => `catalog_${name}`;
const ident = (name: string) => sql.id(name);

/**
 * Adopts a database that an earlier version of the catalog laid out: tables without a prefix
 * (`plays`, `tracks`, ...) with the catalog's migrations recorded in Kysely's default
 * `kysely_migration` table, which an application's own Kysely migrations would then find
 * "corrupted". In one transaction it renames every such table, with its indexes and sequences,
 * to the `catalog_` prefix, and moves the catalog's rows into `catalog_migrations` (dropping
 * `kysely_migration` when nothing else is left in it). Rows are renamed, never copied, so no data
 * moves and nothing is lost. Does nothing on a fresh or an already adopted database, or when the
 * unprefixed tables are not the catalog's (no `plays.play_key` column).
 */
export async function adoptLegacyLayout(db: Kysely<unknown>): Promise<boolean> {
  if (!(await needsAdoption(db))) return false;
  try {
    return await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${ADOPT_LOCK})`.execute(trx);
      if (!(await needsAdoption(trx))) return false;
      for (const table of LEGACY_TABLES) {
        if (!(await exists(trx, table)) || (await exists(trx, prefixed(table)))) continue;
        await sql`alter table ${ident(table)} rename to ${ident(prefixed(table))}`.execute(trx);
        const owned = await sql<{ name: string; kind: string }>`
          select c.relname as name, c.relkind::text as kind from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = current_schema() and c.relkind in ('i', 'S')
            and c.relname like ${`${table}\\_%`}
            and (
              c.oid in (select indexrelid from pg_index where indrelid = ${prefixed(table)}::regclass)
              or c.oid in (select objid from pg_depend where refobjid = ${prefixed(table)}::regclass
                and classid = 'pg_class'::regclass and deptype in ('a', 'i'))
            )`.execute(trx);
        for (const o of owned.rows) {
          const kind = o.kind === 'S' ? sql`sequence` : sql`index`;
          await sql`alter ${kind} ${ident(o.name)} rename to ${ident(prefixed(o.name))}`.execute(
            trx,
          );
        }
      }
      await sql`create table if not exists ${ident(CATALOG_MIGRATION_TABLE)} (
        name varchar(255) not null primary key, timestamp varchar(255) not null)`.execute(trx);
      await sql`create table if not exists ${ident(`${CATALOG_MIGRATION_TABLE}_lock`)} (
        id varchar(255) not null primary key, is_locked integer not null default 0)`.execute(trx);
      await sql`insert into ${ident(CATALOG_MIGRATION_TABLE)} (name, timestamp)
        select name, timestamp from ${ident(LEGACY_TABLE)} where name in (${sql.join(LEGACY_MIGRATIONS)})
        on conflict (name) do nothing`.execute(trx);
      await sql`delete from ${ident(LEGACY_TABLE)} where name in (${sql.join(LEGACY_MIGRATIONS)})`.execute(
        trx,
      );
      const left = await sql<{
        n: string;
      }>`select count(*)::text as n from ${ident(LEGACY_TABLE)}`.execute(trx);
      if (left.rows[0]?.n === '0') {
        await sql`drop table ${ident(LEGACY_TABLE)}`.execute(trx);
        await sql`drop table if exists ${ident(`${LEGACY_TABLE}_lock`)}`.execute(trx);
      }
      return true;
    });
  } catch (cause) {
    throw new CatalogError({
      code: 'STORE_FAILURE',
      message: 'Renaming the catalog tables of an earlier version to the catalog_ prefix failed',
      cause,
    });
  }
}

async function exists(db: Kysely<unknown>, table: string): Promise<boolean> {
  const r = await sql<{ t: string | null }>`select to_regclass(${table})::text as t`.execute(db);
  return r.rows[0]?.t != null;
}

async function needsAdoption(db: Kysely<unknown>): Promise<boolean> {
  if (await exists(db, CATALOG_MIGRATION_TABLE)) return false;
  if (!(await exists(db, LEGACY_TABLE))) return false;
  const recorded = await sql<{ n: string }>`select count(*)::text as n from ${ident(LEGACY_TABLE)}
    where name = ${LEGACY_MIGRATIONS[0]}`.execute(db);
  if (recorded.rows[0]?.n === '0') return false;
  const ours = await sql<{ n: string }>`select count(*)::text as n from information_schema.columns
    where table_schema = current_schema() and table_name = 'plays' and column_name = 'play_key'`.execute(
    db,
  );
  return ours.rows[0]?.n !== '0';
}
