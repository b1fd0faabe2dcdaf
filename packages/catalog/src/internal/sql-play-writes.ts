import { type Kysely, sql } from 'kysely';
import type { Play } from '../domain/play.js';
import { type BulkColumn, unnestInsert } from './sql-bulk.js';
import { DAY_MS, MIN_EXPONENT } from './trending-aggregates.js';

// biome-ignore lint/suspicious/noExplicitAny: the writers address their tables with raw SQL.
type Db = Kysely<any>;

/** The reference instant and half-life the trending aggregates are kept for. */
export interface TrendingReference {
  readonly ref: number;
  readonly halfLifeMs: number;
}

/**
 * Plays per statement of {@link appendPlayBatch}. Larger than the generic bulk size: each
 * statement upserts every aggregate row its plays touch once, so fewer statements per batch
 * mean fewer updates of the same popular rows (one array parameter per column, whatever the size).
 */
export const PLAY_STATEMENT_ROWS = 100_000;

/** The columns of `catalog_plays` a batch writes, one array per column. */
function playColumns(batch: ReadonlyMap<string, Play>): BulkColumn[] {
  const plays = [...batch.values()];
  const col = <T>(name: string, type: BulkColumn['type'], get: (p: Play) => T): BulkColumn => ({
    name,
    type,
    values: plays.map(get),
  });
  return [
    { name: 'play_key', type: 'text', values: [...batch.keys()] },
    col('user_id', 'text', (p) => p.userId),
    col('track_id', 'text', (p) => p.trackId),
    col('track_name', 'text', (p) => p.trackName),
    col('artist_ids', 'jsonb', (p) => p.artistIds),
    col('primary_artist_id', 'text', (p) => p.artistIds[0] ?? null),
    col('artist_name', 'text', (p) => p.artistName),
    col('album_id', 'text', (p) => p.albumId),
    col('album_name', 'text', (p) => p.albumName),
    col('ended_at', 'int8', (p) => p.endedAt),
    col('ms_played', 'int4', (p) => p.msPlayed),
    col('skipped', 'bool', (p) => p.skipped),
    col('reason_start', 'text', (p) => p.reasonStart),
    col('reason_end', 'text', (p) => p.reasonEnd),
    col('shuffle', 'bool', (p) => p.shuffle),
    col('offline', 'bool', (p) => p.offline),
    col('offline_timestamp', 'int8', (p) => p.offlineTimestamp),
    col('platform', 'text', (p) => p.platform),
    col('source', 'text', (p) => p.source),
  ];
}

/**
 * The data-modifying CTEs that fold the rows of a CTE named `fresh` (columns `user_id`,
 * `track_id`, `album_id`, `primary_artist_id`, `ended_at`: one row per play new to the log) into
 * every aggregate derived from the log: per-listener counters, per-item counters (play counts
 * and all-time trending totals, one row per track, album and artist) and the daily trending
 * aggregate. Each aggregate is grouped once and upserted in key order (`collate "C"`),
 * so concurrent writers lock its rows in the same order and cannot deadlock.
 */
function foldCtes(trending: TrendingReference) {
  const day = sql.lit(DAY_MS);
  const half = sql`${trending.halfLifeMs}::float8`;
  const dayOf = sql`floor(ended_at::float8 / ${day})`;
  return sql`user_track as (
        insert into catalog_user_track_stats (user_id, track_id, play_count, last_played_at)
        select user_id, track_id, count(*), max(ended_at) from fresh where track_id is not null
        group by user_id, track_id order by user_id collate "C", track_id collate "C"
        on conflict (user_id, track_id) do update set
          play_count = catalog_user_track_stats.play_count + excluded.play_count,
          last_played_at = greatest(catalog_user_track_stats.last_played_at, excluded.last_played_at)
      ),
      items as (
        insert into catalog_item_stats (kind, id, plays, likes, trending_plays, trending_decay)
        select kind, id, count(*), 0, count(*) filter (where tracked),
          coalesce(sum(power(2::float8, greatest(${sql.lit(MIN_EXPONENT)}::float8,
            (ended_at - ${trending.ref}::bigint)::float8 / ${half}))) filter (where tracked), 0)
        from (
          select 'track' as kind, track_id as id, ended_at, true as tracked
            from fresh where track_id is not null
          union all select 'album', album_id, ended_at, track_id is not null
            from fresh where album_id is not null
          union all select 'artist', primary_artist_id, ended_at, track_id is not null
            from fresh where primary_artist_id is not null
        ) s
        group by kind, id order by kind collate "C", id collate "C"
        on conflict (kind, id) do update set
          plays = catalog_item_stats.plays + excluded.plays,
          trending_plays = catalog_item_stats.trending_plays + excluded.trending_plays,
          trending_decay = catalog_item_stats.trending_decay + excluded.trending_decay
      ),
      daily as (
        insert into catalog_trending_daily (day, track_id, album_id, artist_id, plays, decay)
        select day, track_id, album_id, artist_id, count(*),
          sum(power(2::float8, (ended_at - day::bigint * ${day})::float8 / ${half}))
        from (
          select ${dayOf}::integer as day, track_id, coalesce(album_id, '') as album_id,
            coalesce(primary_artist_id, '') as artist_id, ended_at
          from fresh where track_id is not null
        ) s
        group by day, track_id, album_id, artist_id
        order by day, track_id collate "C", album_id collate "C", artist_id collate "C"
        on conflict (day, track_id, album_id, artist_id) do update set
          plays = catalog_trending_daily.plays + excluded.plays,
          decay = catalog_trending_daily.decay + excluded.decay
      )`;
}

/** The columns of a new play that its aggregates are folded from. */
const FOLD_COLUMNS = sql`user_id, track_id, album_id, primary_artist_id, ended_at`;

/**
 * Writes a batch of plays (already unique by play key) with `on conflict (play_key) do nothing
 * ... returning`, so a play already stored (a retried batch, a re-imported file) counts nowhere.
 * In the same statement, the plays it inserted are either folded into every aggregate
 * ({@link foldCtes}) or, with `defer`, recorded in `catalog_plays_unfolded` for
 * {@link foldUnfoldedPlays}. One statement per {@link PLAY_STATEMENT_ROWS} plays: one round trip,
 * and the server groups each aggregate once. Returns how many plays were new.
 */
export async function appendPlayBatch(
  db: Db,
  batch: ReadonlyMap<string, Play>,
  trending: TrendingReference,
  defer = false,
): Promise<number> {
  const columns = playColumns(batch);
  const tail = sql`on conflict (play_key) do nothing returning ${FOLD_COLUMNS}`;
  const then = defer
    ? sql`unfolded as (insert into catalog_plays_unfolded (${FOLD_COLUMNS})
        select ${FOLD_COLUMNS} from fresh)`
    : foldCtes(trending);
  let inserted = 0;
  for (let from = 0; from < batch.size; from += PLAY_STATEMENT_ROWS) {
    const to = Math.min(batch.size, from + PLAY_STATEMENT_ROWS);
    const insert = unnestInsert('catalog_plays', columns, from, to, tail);
    const result = await sql<{ n: number }>`with fresh as (${insert}), ${then}
      select count(*)::integer as n from fresh`.execute(db);
    inserted += Number(result.rows[0]?.n ?? 0);
  }
  return inserted;
}

/**
 * Folds every play recorded in `catalog_plays_unfolded` into the aggregates and empties it, in
 * one statement: the rows it deletes are exactly the rows it folds, so a fold that runs twice,
 * or beside another fold, counts each play once. Returns how many plays were folded.
 */
export async function foldUnfoldedPlays(db: Db, trending: TrendingReference): Promise<number> {
  const result = await sql<{ n: number }>`with fresh as (
      delete from catalog_plays_unfolded returning ${FOLD_COLUMNS}
    ), ${foldCtes(trending)}
    select count(*)::integer as n from fresh`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}
