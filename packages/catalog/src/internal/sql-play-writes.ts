import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Play } from '../domain/play.js';
import { type BulkColumn, unnestArrays, unnestInsert } from './sql-bulk.js';
import { copyRows } from './sql-copy.js';
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

/** How a value column of an aggregate row takes in the rows of a fold. */
type Merge = 'add' | 'greatest';

/** One aggregate table the fold writes: grouped rows of `fresh` merged into it by key. */
interface Aggregate {
  readonly table: string;
  readonly keys: readonly string[];
  readonly values: Readonly<Record<string, Merge>>;
  /** `select <keys>, <values> from ... group by ...` over `fresh`, columns in that order. */
  readonly rows: RawBuilder<unknown>;
  /** The keys in the order rows are written (`collate "C"` on text: one order everywhere). */
  readonly order: RawBuilder<unknown>;
}

/** The aggregates of the play log, each grouped once per fold. */
function aggregates(trending: TrendingReference): Aggregate[] {
  const day = sql.lit(DAY_MS);
  const half = sql`${trending.halfLifeMs}::float8`;
  const dayOf = sql`floor(ended_at::float8 / ${day})`;
  return [
    {
      table: 'catalog_user_track_stats',
      keys: ['user_id', 'track_id'],
      values: { play_count: 'add', last_played_at: 'greatest' },
      rows: sql`select user_id, track_id, count(*), max(ended_at) from fresh
        where track_id is not null group by user_id, track_id`,
      order: sql`user_id collate "C", track_id collate "C"`,
    },
    {
      table: 'catalog_item_stats',
      keys: ['kind', 'id'],
      values: { plays: 'add', trending_plays: 'add', trending_decay: 'add' },
      rows: sql`select kind, id, count(*), count(*) filter (where tracked),
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
        group by kind, id`,
      order: sql`kind collate "C", id collate "C"`,
    },
    {
      table: 'catalog_trending_daily',
      keys: ['day', 'track_id', 'album_id', 'artist_id'],
      values: { plays: 'add', decay: 'add' },
      rows: sql`select day, track_id, album_id, artist_id, count(*),
          sum(power(2::float8, (ended_at - day::bigint * ${day})::float8 / ${half}))
        from (
          select ${dayOf}::integer as day, track_id, coalesce(album_id, '') as album_id,
            coalesce(primary_artist_id, '') as artist_id, ended_at
          from fresh where track_id is not null
        ) s
        group by day, track_id, album_id, artist_id`,
      order: sql`day, track_id collate "C", album_id collate "C", artist_id collate "C"`,
    },
  ];
}

/** `stored <merge> incoming` for one value column. */
function merged(column: string, merge: Merge, stored: string, incoming: string) {
  const [a, b] = [sql.ref(`${stored}.${column}`), sql.ref(`${incoming}.${column}`)];
  return merge === 'add' ? sql`${a} + ${b}` : sql`greatest(${a}, ${b})`;
}

/**
 * The CTEs that merge `agg`'s grouped rows (named `<name>_rows`) into its table, in key order.
 * Shared: `insert ... on conflict do update`, exact beside concurrent writers (a key another
 * transaction inserts first is updated instead). Exclusive (no other writer can run, PGlite's
 * single connection): rows whose key is stored update it, the others are plain inserts, which
 * skips the speculative insertion of `on conflict` (its extra index probe and WAL record). Both
 * read the table as it was before the statement, so each key is written exactly once.
 */
function mergeCtes(name: string, agg: Aggregate, exclusive: boolean) {
  const table = sql.table(agg.table);
  const rows = sql.table(`${name}_rows`);
  const valueNames = Object.keys(agg.values);
  const columns = sql.join([...agg.keys, ...valueNames].map((c) => sql.ref(c)));
  const grouped = sql`${sql.raw(name)}_rows (${columns}) as (${agg.rows})`;
  const matches = sql.join(
    agg.keys.map((k) => sql`${sql.ref(`t.${k}`)} = ${sql.ref(`g.${k}`)}`),
    sql` and `,
  );
  if (!exclusive) {
    const set = sql.join(
      valueNames.map(
        (c) => sql`${sql.ref(c)} = ${merged(c, agg.values[c]!, agg.table, 'excluded')}`,
      ),
    );
    return sql`${grouped}, ${sql.raw(name)} as (
      insert into ${table} (${columns}) select * from ${rows} order by ${agg.order}
      on conflict (${sql.join(agg.keys.map((k) => sql.ref(k)))}) do update set ${set})`;
  }
  const set = sql.join(
    valueNames.map((c) => sql`${sql.ref(c)} = ${merged(c, agg.values[c]!, 't', 'g')}`),
  );
  return sql`${grouped}, ${sql.raw(name)}_update as (
      update ${table} t set ${set} from ${rows} g where ${matches}),
    ${sql.raw(name)} as (
      insert into ${table} (${columns}) select * from ${rows} g
      where not exists (select from ${table} t where ${matches}) order by ${agg.order})`;
}

/**
 * The data-modifying CTEs that fold the rows of a CTE named `fresh` (columns `user_id`,
 * `track_id`, `album_id`, `primary_artist_id`, `ended_at`: one row per play new to the log) into
 * every aggregate derived from the log: per-listener counters, per-item counters (play counts
 * and all-time trending totals, one row per track, album and artist) and the daily trending
 * aggregate. Each aggregate is grouped once and written in key order (`collate "C"`), so
 * concurrent writers lock its rows in the same order and cannot deadlock.
 */
function foldCtes(trending: TrendingReference, exclusive: boolean) {
  const names = ['user_track', 'items', 'daily'];
  return sql.join(aggregates(trending).map((agg, i) => mergeCtes(names[i]!, agg, exclusive)));
}

/** The columns of a new play that its aggregates are folded from. */
const FOLD_COLUMNS = sql`user_id, track_id, album_id, primary_artist_id, ended_at`;

/**
 * Inserts the plays of rows `from` to `to` whose key is not stored yet, in the batch's order
 * (their `seq` orders plays that end at the same instant), returning {@link FOLD_COLUMNS}. For a
 * store whose statements run one at a time (see {@link mergeCtes}): the lookup in the
 * statement's snapshot replaces the speculative insertion of `on conflict`.
 */
function insertNewPlays(columns: readonly BulkColumn[], from: number, to: number) {
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  return sql`insert into catalog_plays (${names})
    select ${names} from unnest(${unnestArrays(columns, from, to)}) with ordinality as u (${names}, ord)
    where not exists (select from catalog_plays p where p.play_key = u.play_key)
    order by ord
    returning ${FOLD_COLUMNS}`;
}

/**
 * Inserts the plays copied to the staging table `staged` (see {@link copyRows}) in their batch
 * order, as {@link unnestInsert} does from bound arrays, with `tail`.
 */
function insertStagedPlays(
  columns: readonly BulkColumn[],
  staged: string,
  tail: RawBuilder<unknown>,
) {
  const names = sql.join(columns.map((c) => sql.ref(c.name)));
  return sql`insert into catalog_plays (${names})
    select ${names} from ${sql.table(staged)} order by ord ${tail}`;
}

/**
 * Writes a batch of plays (already unique by play key) with `on conflict (play_key) do nothing
 * ... returning` (`exclusive`: leaving out the keys already stored, for a store whose statements
 * run one at a time), so a play already stored (a retried batch, a re-imported file) counts
 * nowhere. With `copy` (a `pg` connection, not `exclusive`), the plays travel by
 * `COPY ... FROM STDIN` into a temporary staging table first and are inserted from there: the
 * client writes COPY's text format instead of one array parameter per column, and the server
 * parses rows instead of arrays.
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
  exclusive = false,
  copy = false,
): Promise<number> {
  const columns = playColumns(batch);
  const tail = sql`on conflict (play_key) do nothing returning ${FOLD_COLUMNS}`;
  const then = defer
    ? sql`unfolded as (insert into catalog_plays_unfolded (${FOLD_COLUMNS})
        select ${FOLD_COLUMNS} from fresh)`
    : foldCtes(trending, exclusive);
  let inserted = 0;
  for (let from = 0; from < batch.size; from += PLAY_STATEMENT_ROWS) {
    const to = Math.min(batch.size, from + PLAY_STATEMENT_ROWS);
    const insert = exclusive
      ? insertNewPlays(columns, from, to)
      : copy
        ? insertStagedPlays(columns, await copyRows(db, columns, from, to), tail)
        : unnestInsert('catalog_plays', columns, from, to, tail);
    const result = await sql<{ n: number }>`with fresh as (${insert}), ${then}
      select count(*)::integer as n from fresh`.execute(db);
    inserted += Number(result.rows[0]?.n ?? 0);
  }
  return inserted;
}

/**
 * Folds every play recorded in `catalog_plays_unfolded` into the aggregates and empties it, in
 * one statement: the rows it deletes are exactly the rows it folds, so a fold that runs twice,
 * or beside another fold, counts each play once. `exclusive` when no other transaction can write
 * the aggregates meanwhile ({@link mergeCtes}). Returns how many plays were folded.
 */
export async function foldUnfoldedPlays(
  db: Db,
  trending: TrendingReference,
  options: { readonly exclusive: boolean },
): Promise<number> {
  const result = await sql<{ n: number }>`with fresh as (
      delete from catalog_plays_unfolded returning ${FOLD_COLUMNS}
    ), ${foldCtes(trending, options.exclusive)}
    select count(*)::integer as n from fresh`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}
