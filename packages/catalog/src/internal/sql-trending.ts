import { type RawBuilder, sql } from 'kysely';
import {
  type ResolvedTrendingOptions,
  type TrendingEntry,
  compareTrending,
  roundScore,
  trendingRange,
} from '../logic/trending.js';
import { type Db, num } from './sql-common.js';
import { visibleTrack } from './sql-listings.js';
import { trendingMeta } from './sql-plays.js';
import { DAY_MS, MIN_EXPONENT, planWindow } from './trending-aggregates.js';

// Trending in SQL: the events of the window (plays from the aggregates or the log, likes), then
// the ranking with the visibility check on the best rows.

type Range = { readonly from: number; readonly to: number };

interface RankedRow {
  id: string;
  score: number;
  plays: number | string;
  likes: number | string;
  visible: boolean;
}

/** 2^(−max(0, now − at) / H), the exponent clamped where float8 would underflow. */
function decay(o: ResolvedTrendingOptions, at: RawBuilder<unknown>) {
  return sql`power(2::float8, greatest(${MIN_EXPONENT}::float8, -(greatest(0, ${o.now}::bigint - ${at})::float8) / ${o.halfLifeMs}::float8))`;
}

/** Play events read from the play log, one row per play within `ranges`. */
function rawPlays(o: ResolvedTrendingOptions, ranges: readonly Range[]) {
  const subject =
    o.kind === 'track' ? 'track_id' : o.kind === 'album' ? 'album_id' : 'primary_artist_id';
  return sql`select ${sql.ref(subject)} as id, 1 as plays, 0 as likes, ${decay(o, sql.ref('ended_at'))} as pw, 0::float8 as lw
        from catalog_plays
        where track_id is not null and ${sql.ref(subject)} is not null and (${sql.join(
          ranges.map((r) => sql`(ended_at >= ${r.from}::bigint and ended_at < ${r.to}::bigint)`),
          sql` or `,
        )})`;
}

/** Like events within the window, one row per like. */
function likeEvents(o: ResolvedTrendingOptions, { from, to }: Range) {
  const subject =
    o.kind === 'track'
      ? sql`l.track_id`
      : o.kind === 'album'
        ? sql`t.album_id`
        : sql`t.primary_artist_id`;
  return sql`select ${subject} as id, 0 as plays, 1 as likes, 0::float8 as pw, ${decay(o, sql`l.liked_at`)} as lw
      from catalog_likes l left join catalog_tracks t on t.id = l.track_id
      where l.liked_at >= ${from}::bigint and l.liked_at < ${to}::bigint and ${subject} is not null`;
}

/** Play events from the daily aggregates for the whole days, the log for the edges; or null. */
function windowPlays(o: ResolvedTrendingOptions, { from, to }: Range) {
  const plan = planWindow(from, to, o.now);
  if (plan.dayTo <= plan.dayFrom) return null;
  const subject = o.kind === 'track' ? 'track_id' : o.kind === 'album' ? 'album_id' : 'artist_id';
  const days = sql`select ${sql.ref(subject)} as id, plays, 0 as likes,
              decay * power(2::float8, greatest(${MIN_EXPONENT}::float8,
                -(${o.now}::bigint - day::bigint * ${DAY_MS}::bigint)::float8 / ${o.halfLifeMs}::float8)) as pw,
              0::float8 as lw
            from catalog_trending_daily
            where day >= ${plan.dayFrom}::integer and day < ${plan.dayTo}::integer
              and ${sql.ref(subject)} <> ''`;
  return plan.raw.length === 0 ? days : sql`${days} union all ${rawPlays(o, plan.raw)}`;
}

/**
 * The play events of the window. With the default half-life they come from the aggregates:
 * `trending_totals` when the window holds every play (the all-time case), else `trending_daily`
 * for the whole days that are over by `now` plus the log for the partial days at the edges. Any
 * other half-life reads the play log.
 */
async function playEvents(db: Db, o: ResolvedTrendingOptions, range: Range) {
  const meta = await trendingMeta(db, null);
  if (meta.halfLifeMs !== o.halfLifeMs) return rawPlays(o, [range]);
  const span = await db
    .selectFrom('catalog_plays')
    .select((eb) => [eb.fn.min('ended_at').as('lo'), eb.fn.max('ended_at').as('hi')])
    .executeTakeFirstOrThrow();
  const lo = span.lo === null ? null : num(span.lo);
  const hi = span.hi === null ? null : num(span.hi);
  const end = Math.min(range.to, o.now + 1);
  const holdsEverything = lo === null || hi === null || (lo >= range.from && hi < end);
  if (holdsEverything && (o.now - meta.ref) / meta.halfLifeMs <= -MIN_EXPONENT) {
    // All-time: decay is Σ 2^((at − ref)/H); times 2^(−(now − ref)/H) gives the score.
    const factor = sql`power(2::float8, greatest(${MIN_EXPONENT}::float8, -(${o.now}::bigint - ${meta.ref}::bigint)::float8 / ${o.halfLifeMs}::float8))`;
    return sql`select id, plays, 0 as likes, decay * ${factor} as pw, 0::float8 as lw
          from catalog_trending_totals where kind = ${o.kind}`;
  }
  return windowPlays(o, range) ?? rawPlays(o, [range]);
}

/** The best `n` items of the events, each with whether the viewer may see it. */
function rankEvents(
  db: Db,
  o: ResolvedTrendingOptions,
  events: RawBuilder<unknown>,
  n: number,
): Promise<{ rows: RankedRow[] }> {
  return sql<RankedRow>`
      with ev as (${events}),
      ranked as (
        select id,
          ${o.playWeight}::float8 * sum(pw) + ${o.likeWeight}::float8 * sum(lw) as score,
          sum(plays) as plays,
          sum(likes) as likes
        from ev group by id
        order by score desc, plays desc, likes desc, id collate "C"
        limit ${n}
      )
      select r.*, ${
        o.kind === 'track'
          ? sql`not exists (select 1 from catalog_tracks vt where vt.id = r.id and not ${visibleTrack('vt', o.viewerArtistId)})`
          : sql`true`
      } as visible
      from ranked r
      order by score desc, plays desc, likes desc, id collate "C"
    `.execute(db);
}

/**
 * Trending in SQL, computing the formula of `rankTrending` exactly (up to floating-point
 * rounding) on whichever events `playEvents` picks.
 */
export async function trendingSql(db: Db, o: ResolvedTrendingOptions): Promise<TrendingEntry[]> {
  const range = trendingRange(o.window, o.now);
  const events = sql`${await playEvents(db, o, range)} union all ${likeEvents(o, range)}`;
  const fetch = o.limit * 2 + 10;
  // Private tracks rank only for their owner. The check runs on the best rows only (not on
  // every item in the window): fetch more until enough visible ones remain or none are left.
  // Twice what is needed: private tracks are few, so one query is the rule.
  let n = fetch * 2;
  let rows = (await rankEvents(db, o, events, n)).rows;
  while (rows.length === n && rows.filter((r) => r.visible).length < fetch) {
    n *= 4;
    rows = (await rankEvents(db, o, events, n)).rows;
  }
  const entries: TrendingEntry[] = rows
    .filter((r) => r.visible)
    .map((r) => ({
      kind: o.kind,
      id: r.id,
      score: roundScore(Number(r.score)),
      plays: Number(r.plays),
      likes: Number(r.likes),
    }));
  return entries.sort(compareTrending).slice(0, o.limit);
}
