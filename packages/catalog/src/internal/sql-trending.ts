import { type RawBuilder, sql } from 'kysely';
import {
  type ResolvedTrendingOptions,
  type TrendingEntry,
  compareTrending,
  roundScore,
  trendingRange,
} from '../logic/trending.js';
import { type Db, num } from './sql-common.js';
import { hiddenTrack, hiddenTrackIds } from './sql-listings.js';
import { trendingMeta } from './sql-plays.js';
import { DAY_MS, MIN_EXPONENT, planWindow } from './trending-aggregates.js';

// Trending in SQL: the events of the window (plays from the aggregates or the log, likes) of the
// tracks the viewer may see, then the ranking.

type Range = { readonly from: number; readonly to: number };

interface RankedRow {
  id: string;
  score: number;
  plays: number | string;
  likes: number | string;
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
        )}) and track_id not in (${hiddenTrackIds(o.viewerArtistId)})`;
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
      where l.liked_at >= ${from}::bigint and l.liked_at < ${to}::bigint and ${subject} is not null
        and l.track_id not in (${hiddenTrackIds(o.viewerArtistId)})`;
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
              and ${sql.ref(subject)} <> '' and track_id not in (${hiddenTrackIds(o.viewerArtistId)})`;
  return plan.raw.length === 0 ? days : sql`${days} union all ${rawPlays(o, plan.raw)}`;
}

/**
 * All-time play events from the trending totals of `item_stats`, without the tracks the viewer may not see: left out
 * of a track ranking; for albums and artists, their totals are taken off the album and primary
 * artist each names now (negative rows; private tracks are few).
 */
function allTimePlays(o: ResolvedTrendingOptions, factor: RawBuilder<unknown>) {
  const hidden = hiddenTrackIds(o.viewerArtistId);
  if (o.kind === 'track') {
    return sql`select id, trending_plays as plays, 0 as likes, trending_decay * ${factor} as pw,
            0::float8 as lw
          from catalog_item_stats
          where kind = 'track' and trending_plays > 0 and id not in (${hidden})`;
  }
  const subject = sql.ref(o.kind === 'album' ? 'h.album_id' : 'h.primary_artist_id');
  return sql`select id, trending_plays as plays, 0 as likes, trending_decay * ${factor} as pw,
            0::float8 as lw
          from catalog_item_stats where kind = ${o.kind} and trending_plays > 0
        union all
        select ${subject}, -tt.trending_plays, 0, -(tt.trending_decay * ${factor}), 0::float8
          from catalog_tracks h join catalog_item_stats tt on tt.kind = 'track' and tt.id = h.id
          where ${hiddenTrack('h', o.viewerArtistId)} and ${subject} is not null
            and tt.trending_plays > 0`;
}

/**
 * The play events of the window. With the default half-life they come from the aggregates:
 * the totals of `item_stats` when the window holds every play (the all-time case), else `trending_daily`
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
    return allTimePlays(o, factor);
  }
  return windowPlays(o, range) ?? rawPlays(o, [range]);
}

/** The best `n` items of the events (an item whose events all cancel out is none). */
function rankEvents(
  db: Db,
  o: ResolvedTrendingOptions,
  events: RawBuilder<unknown>,
  n: number,
): Promise<{ rows: RankedRow[] }> {
  return sql<RankedRow>`
      with ev as (${events})
      select id,
        ${o.playWeight}::float8 * sum(pw) + ${o.likeWeight}::float8 * sum(lw) as score,
        sum(plays) as plays,
        sum(likes) as likes
      from ev group by id
      having sum(plays) > 0 or sum(likes) > 0
      order by score desc, plays desc, likes desc, id collate "C"
      limit ${n}
    `.execute(db);
}

/**
 * Trending in SQL, computing the formula of `rankTrending` exactly (up to floating-point
 * rounding) on whichever events `playEvents` picks.
 */
export async function trendingSql(db: Db, o: ResolvedTrendingOptions): Promise<TrendingEntry[]> {
  const range = trendingRange(o.window, o.now);
  const events = sql`${await playEvents(db, o, range)} union all ${likeEvents(o, range)}`;
  // A margin of rows: the store's order is decided again in JavaScript on rounded scores.
  const { rows } = await rankEvents(db, o, events, o.limit * 2 + 10);
  const entries: TrendingEntry[] = rows.map((r) => ({
    kind: o.kind,
    id: r.id,
    score: roundScore(Number(r.score)),
    plays: Number(r.plays),
    likes: Number(r.likes),
  }));
  return entries.sort(compareTrending).slice(0, o.limit);
}
