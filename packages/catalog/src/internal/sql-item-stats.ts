import { type Kysely, sql } from 'kysely';
import type { z } from 'zod';
import type { ItemStats, itemStatsOptionsSchema } from '../logic/item-stats.js';
import type { CatalogDatabase } from './sql-schema.js';
import { visibleTrack } from './sql-listings.js';

type Db = Kysely<CatalogDatabase>;
type Count = number | string | bigint | null;

/**
 * `CatalogStore.itemStats` in SQL: the per-track counters (`catalog_item_stats`) and per-listener
 * rows (`catalog_user_track_stats`) of the tracks of an artist or album that the viewer may see.
 * The artist's and album's own counters are not read: they include private tracks.
 */
export async function sqlItemStats(
  db: Db,
  o: z.output<typeof itemStatsOptionsSchema>,
): Promise<ItemStats> {
  const subject =
    o.kind === 'artist' ? sql`t.primary_artist_id = ${o.id}` : sql`t.album_id = ${o.id}`;
  const where = sql`${subject} and ${visibleTrack('t', o.viewerArtistId)}`;
  const counters = sql`catalog_tracks t
    left join catalog_item_stats s on s.kind = 'track' and s.id = t.id`;
  const totals = await sql<{ tracks: Count; plays: Count; likes: Count }>`
    select count(*) as tracks, coalesce(sum(s.plays), 0) as plays,
      coalesce(sum(s.likes), 0) as likes
    from ${counters} where ${where}`.execute(db);
  const listeners = await sql<{ n: Count }>`
    select count(distinct u.user_id) as n
    from catalog_user_track_stats u join catalog_tracks t on t.id = u.track_id
    where ${where}`.execute(db);
  const top =
    o.top === 0
      ? []
      : (
          await sql<{ id: string; plays: Count; likes: Count }>`
            select t.id, coalesce(s.plays, 0) as plays, coalesce(s.likes, 0) as likes
            from ${counters} where ${where}
            order by 2 desc, 3 desc, t.id collate "C"
            limit ${o.top}`.execute(db)
        ).rows;
  const row = totals.rows[0];
  return {
    tracks: Number(row?.tracks ?? 0),
    plays: Number(row?.plays ?? 0),
    likes: Number(row?.likes ?? 0),
    listeners: Number(listeners.rows[0]?.n ?? 0),
    topTracks: top.map((r) => ({ trackId: r.id, plays: Number(r.plays), likes: Number(r.likes) })),
  };
}
