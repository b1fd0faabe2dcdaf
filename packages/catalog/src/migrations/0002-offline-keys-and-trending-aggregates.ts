import { type Kysely, sql } from 'kysely';
import {
  DAY_MS,
  MIN_EXPONENT,
  REBASE_AFTER_HALF_LIVES,
  TRENDING_HALF_LIFE_MS,
  TRENDING_INITIAL_REF_MS,
} from '../internal/trending-aggregates.js';

/**
 * The statements that refill the counters derived from the play log (per-listener play counts
 * and last played, per-item play counters), `;`-separated (used here and by the store's
 * `rebuildAggregates`).
 */
export const REBUILD_PLAY_COUNTERS = `    delete from catalog_user_track_stats;
    insert into catalog_user_track_stats (user_id, track_id, play_count, last_played_at)
      select user_id, track_id, count(*), max(ended_at) from catalog_plays
      where track_id is not null group by user_id, track_id;
    update catalog_item_stats set plays = 0 where plays <> 0;
    insert into catalog_item_stats (kind, id, plays, likes)
      select 'track', track_id, count(*), 0 from catalog_plays where track_id is not null group by track_id
      union all
      select 'album', album_id, count(*), 0 from catalog_plays where album_id is not null group by album_id
      union all
      select 'artist', primary_artist_id, count(*), 0 from catalog_plays
      where primary_artist_id is not null group by primary_artist_id
    on conflict (kind, id) do update set plays = excluded.plays;
`;

/**
 * 1. Re-keys offline plays to the `o:<offlineTimestamp in seconds>` rule of `playKey`. Rows that
 *    become duplicates of an earlier row (the same offline play re-synced with another `ts`) move
 *    to `plays_superseded` (kept, never lost), and the counters derived from the log are rebuilt.
 * 2. Indexes joined word pairs for search (see `documentTerms`: "AC/DC" found by `acdc`).
 * 3. Adds the trending aggregates kept in step with the play log: `trending_daily` (plays and
 *    decay sums per UTC day and track, album and primary artist as the plays name them; `''` for
 *    none) and `trending_totals` (all-time per kind and item), filled from the existing log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = `
    create table catalog_plays_superseded (like catalog_plays);
    alter table catalog_plays_superseded add column superseded_by text not null default '';
    create temporary table play_rekey on commit drop as
      select seq, play_key as old_key,
        regexp_replace(play_key, '[|][smo]:-?[0-9]+$', '') || '|o:' || (offline_timestamp / 1000)::text as new_key
      from catalog_plays
      where offline is true and offline_timestamp > 0;
    create temporary table play_rekey_rank on commit drop as
      select seq, old_key, new_key, row_number() over (partition by new_key order by seq) as rn
      from play_rekey where old_key <> new_key
        or new_key in (select new_key from play_rekey group by new_key having count(*) > 1);
    insert into catalog_plays_superseded
      select p.*, r.new_key from catalog_plays p join play_rekey_rank r on r.seq = p.seq where r.rn > 1;
    delete from catalog_plays p using play_rekey_rank r where r.seq = p.seq and r.rn > 1;
    update catalog_plays p set play_key = r.new_key from play_rekey_rank r where r.seq = p.seq and r.rn = 1;
${REBUILD_PLAY_COUNTERS}    create table catalog_trending_meta (
      id integer primary key check (id = 1),
      ref_ms bigint not null,
      half_life_ms bigint not null
    );
    insert into catalog_trending_meta values (1, ${TRENDING_INITIAL_REF_MS}, ${TRENDING_HALF_LIFE_MS});
    create table catalog_trending_daily (
      day integer not null,
      track_id text not null,
      album_id text not null,
      artist_id text not null,
      plays integer not null,
      decay float8 not null,
      primary key (day, track_id, album_id, artist_id)
    );
    create table catalog_trending_totals (
      kind text not null,
      id text not null,
      plays integer not null,
      decay float8 not null,
      primary key (kind, id)
    );
    insert into catalog_search_postings (term, kind, id)
      select distinct w || nw, kind, id from (
        select kind, id, w, lead(w) over (partition by kind, id order by ord) as nw
        from catalog_search_docs, regexp_split_to_table(search_text, ' ') with ordinality as x(w, ord)
        where w <> ''
      ) s
      where nw is not null and (length(w) <= 3 or length(nw) <= 3)
    on conflict do nothing;
    insert into catalog_search_terms (term, len)
      select distinct term, length(term) from catalog_search_postings
    on conflict do nothing
  `;
  for (const statement of statements.split(';')) {
    if (statement.trim() !== '') await sql.raw(statement).execute(db);
  }
  for (const statement of rebuildTrendingStatements()) await sql.raw(statement).execute(db);
}

/** Every play's trending subjects: its track, album and primary artist (plays that name a track). */
export const TRENDING_SUBJECTS = `
    select 'track' as kind, track_id as id, ended_at from catalog_plays where track_id is not null
    union all
    select 'album', album_id, ended_at from catalog_plays where track_id is not null and album_id is not null
    union all
    select 'artist', primary_artist_id, ended_at from catalog_plays
    where track_id is not null and primary_artist_id is not null`;

/**
 * The statements that refill `trending_daily` from the play log (used here and by the store's
 * `rebuildAggregates`). The reference instant moves to the day of the latest play only when that
 * play lies too far after it (as in the incremental path).
 */
export function rebuildTrendingDailyStatements(): string[] {
  const day = DAY_MS;
  const half = '(select half_life_ms from catalog_trending_meta)::float8';
  return [
    'delete from catalog_trending_daily',
    `update catalog_trending_meta set ref_ms = coalesce(
      (select floor(max(ended_at)::float8 / ${day})::bigint * ${day} from catalog_plays
       having max(ended_at) > ref_ms + ${REBASE_AFTER_HALF_LIVES} * half_life_ms), ref_ms)`,
    `insert into catalog_trending_daily (day, track_id, album_id, artist_id, plays, decay)
      select floor(ended_at::float8 / ${day})::integer, track_id, coalesce(album_id, ''),
        coalesce(primary_artist_id, ''), count(*),
        sum(power(2::float8,
          (ended_at - floor(ended_at::float8 / ${day})::bigint * ${day})::float8 / ${half}))
      from catalog_plays where track_id is not null group by 1, 2, 3, 4`,
  ];
}

/**
 * The statements that refill both trending aggregates of this migration's layout from the play
 * log: `trending_daily`, then `trending_totals` against the reference instant the first set.
 */
function rebuildTrendingStatements(): string[] {
  const half = '(select half_life_ms from catalog_trending_meta)::float8';
  return [
    'delete from catalog_trending_totals',
    ...rebuildTrendingDailyStatements(),
    `insert into catalog_trending_totals (kind, id, plays, decay)
      select kind, id, count(*), sum(power(2::float8, greatest(${MIN_EXPONENT}::float8,
        (ended_at - (select ref_ms from catalog_trending_meta))::float8 / ${half})))
      from (${TRENDING_SUBJECTS}) s group by 1, 2`,
  ];
}

/** Drops what {@link up} added (superseded rows stay out of the log). */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'drop table catalog_trending_totals',
    'drop table catalog_trending_daily',
    'drop table catalog_trending_meta',
    'drop table catalog_plays_superseded',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
