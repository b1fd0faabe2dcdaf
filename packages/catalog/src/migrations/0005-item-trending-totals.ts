import { type Kysely, sql } from 'kysely';
import { MIN_EXPONENT } from '../internal/trending-aggregates.js';
import { TRENDING_SUBJECTS } from './0002-offline-keys-and-trending-aggregates.js';

/**
 * The all-time trending totals move into the per-item counters: `catalog_item_stats` gains
 * `trending_plays` and `trending_decay` (the plays of the item that name a track, and their
 * Σ 2^((t − ref)/H)), so a play upserts one row per track, album and artist instead of two. The
 * totals are moved as they are (no recount), and `catalog_trending_totals` stays readable as a
 * view of the same columns it had (rows with a trending play), for SQL written against it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    sql`alter table catalog_item_stats
      add column trending_plays integer not null default 0,
      add column trending_decay float8 not null default 0`,
    sql`insert into catalog_item_stats (kind, id, plays, likes, trending_plays, trending_decay)
      select kind, id, 0, 0, plays, decay from catalog_trending_totals
      order by kind collate "C", id collate "C"
      on conflict (kind, id) do update set
        trending_plays = excluded.trending_plays, trending_decay = excluded.trending_decay`,
    sql`drop table catalog_trending_totals`,
    sql`create view catalog_trending_totals as
      select kind, id, trending_plays as plays, trending_decay as decay from catalog_item_stats
      where trending_plays > 0`,
  ]) {
    await statement.execute(db);
  }
}

/** Moves the totals back into a table of their own. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    sql`drop view catalog_trending_totals`,
    sql`create table catalog_trending_totals (
      kind text not null,
      id text not null,
      plays integer not null,
      decay float8 not null,
      primary key (kind, id)
    )`,
    sql`insert into catalog_trending_totals (kind, id, plays, decay)
      select kind, id, trending_plays, trending_decay from catalog_item_stats
      where trending_plays > 0`,
    sql`alter table catalog_item_stats drop column trending_plays, drop column trending_decay`,
  ]) {
    await statement.execute(db);
  }
}

/**
 * The statements that refill the trending columns of `catalog_item_stats` from the play log
 * against the reference instant of `catalog_trending_meta` (run after it is set), for the store's
 * `rebuildAggregates`.
 */
export function rebuildItemTrendingStatements(): string[] {
  const half = '(select half_life_ms from catalog_trending_meta)::float8';
  return [
    'update catalog_item_stats set trending_plays = 0, trending_decay = 0 where trending_plays <> 0',
    `insert into catalog_item_stats (kind, id, plays, likes, trending_plays, trending_decay)
      select kind, id, 0, 0, count(*), sum(power(2::float8, greatest(${MIN_EXPONENT}::float8,
        (ended_at - (select ref_ms from catalog_trending_meta))::float8 / ${half})))
      from (${TRENDING_SUBJECTS}) s group by 1, 2
    on conflict (kind, id) do update set
      trending_plays = excluded.trending_plays, trending_decay = excluded.trending_decay`,
  ];
}
