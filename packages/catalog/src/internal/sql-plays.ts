import { sql } from 'kysely';
import type { Play } from '../domain/play.js';
import { playKey } from '../logic/play-key.js';
import {
  REBUILD_PLAY_COUNTERS,
  rebuildTrendingDailyStatements,
} from '../migrations/0002-offline-keys-and-trending-aggregates.js';
import { rebuildItemTrendingStatements } from '../migrations/0005-item-trending-totals.js';
import type {
  AppendPlaysResult,
  FoldPlaysResult,
  ListPlaysOptions,
  RebuildAggregatesResult,
} from '../store/catalog-store.js';
import { type Db, num, numOrNull, strings } from './sql-common.js';
import { type TrendingReference, appendPlayBatch, foldUnfoldedPlays } from './sql-play-writes.js';
import { DAY_MS, MIN_EXPONENT, REBASE_AFTER_HALF_LIVES, dayOf } from './trending-aggregates.js';

// The play log and the aggregates derived from it (per-listener and per-item counters, the
// trending aggregates with their reference instant).

/** Reads the reference instant and half-life of the trending aggregates. */
export async function trendingMeta(
  db: Db,
  lock: 'share' | 'update' | null,
): Promise<TrendingReference> {
  let q = db
    .selectFrom('catalog_trending_meta')
    .select(['ref_ms', 'half_life_ms'])
    .where('id', '=', 1);
  if (lock === 'share') q = q.forShare();
  if (lock === 'update') q = q.forUpdate();
  const row = await q.executeTakeFirstOrThrow();
  return { ref: num(row.ref_ms), halfLifeMs: num(row.half_life_ms) };
}

/**
 * The trending reference a batch whose latest play ends at `latest` is aggregated against
 * (same transaction as the plays). Moves the reference instant forward first when that play
 * lies too far after it; a play of the batch already stored lies within reach of the current
 * reference, so deciding on the whole batch rebases exactly when its new plays need it.
 */
async function trendingReference(db: Db, latest: number): Promise<TrendingReference> {
  let meta = await trendingMeta(db, 'share');
  if ((latest - meta.ref) / meta.halfLifeMs > REBASE_AFTER_HALF_LIVES) {
    meta = await trendingMeta(db, 'update');
    const ref = dayOf(latest) * DAY_MS;
    const shift = (ref - meta.ref) / meta.halfLifeMs;
    await db
      .updateTable('catalog_item_stats')
      .set({
        trending_decay: sql<number>`power(2::float8, greatest(${MIN_EXPONENT}::float8, ln(trending_decay) / ln(2::float8) - ${shift}::float8))`,
      })
      .where('trending_plays', '>', 0)
      .execute();
    await db
      .updateTable('catalog_trending_meta')
      .set({ ref_ms: ref })
      .where('id', '=', 1)
      .execute();
    meta = { ...meta, ref };
  }
  return meta;
}

/** The plays of a call keyed by `playKey` (first one wins), and the latest end among them. */
export function playBatch(plays: readonly Play[]): { batch: Map<string, Play>; latest: number } {
  const batch = new Map<string, Play>();
  let latest = Number.NEGATIVE_INFINITY;
  for (const p of plays) {
    const key = playKey(p);
    if (!batch.has(key)) batch.set(key, p);
    if (p.endedAt > latest) latest = p.endedAt;
  }
  return { batch, latest };
}

/**
 * Appends a batch of plays and maintains their aggregates, or with `defer` records them for
 * {@link foldPlays} (run inside a transaction). The trending reference is moved forward here
 * either way, so a later fold finds every unfolded play within its reach.
 */
export async function writePlays(
  db: Db,
  plays: readonly Play[],
  batch: ReadonlyMap<string, Play>,
  latest: number,
  defer: boolean,
  exclusive = false,
  copy = false,
): Promise<AppendPlaysResult> {
  const trending = await trendingReference(db, latest);
  const inserted = await appendPlayBatch(db, batch, trending, defer, exclusive, copy);
  return { inserted, duplicates: plays.length - inserted };
}

/** How a fold writes: see {@link foldUnfoldedPlays}. */
export interface FoldOptions {
  /** No other transaction can write the aggregates meanwhile (PGlite). */
  readonly exclusive: boolean;
}

/** Folds the plays written with deferred aggregates into them (run inside a transaction). */
export async function foldPlays(
  db: Db,
  options: FoldOptions = { exclusive: false },
): Promise<FoldPlaysResult> {
  const row = await sql<{ latest: string | number | null }>`
    select max(ended_at) as latest from catalog_plays_unfolded`.execute(db);
  const latest = row.rows[0]?.latest;
  if (latest === null || latest === undefined) return { folded: 0 };
  const trending = await trendingReference(db, Number(latest));
  return { folded: await foldUnfoldedPlays(db, trending, options) };
}

/** Recomputes every aggregate derived from the play log (run inside a transaction). */
export async function rebuildPlayAggregates(db: Db): Promise<RebuildAggregatesResult> {
  // The log holds the unfolded plays too, so the rebuild counts them; the lock waits for deferred
  // writers in flight and holds back new ones until the rebuild commits.
  await sql`lock table catalog_plays_unfolded in exclusive mode`.execute(db);
  await sql`delete from catalog_plays_unfolded`.execute(db);
  for (const statement of REBUILD_PLAY_COUNTERS.split(';')) {
    if (statement.trim() !== '') await sql.raw(statement).execute(db);
  }
  await trendingMeta(db, 'update');
  for (const statement of [
    ...rebuildTrendingDailyStatements(),
    ...rebuildItemTrendingStatements(),
  ]) {
    await sql.raw(statement).execute(db);
  }
  return { plays: await countAllPlays(db) };
}

export async function countAllPlays(db: Db): Promise<number> {
  const row = await db
    .selectFrom('catalog_plays')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function readPlays(db: Db, options: ListPlaysOptions): Promise<Play[]> {
  let q = db.selectFrom('catalog_plays').selectAll().where('user_id', '=', options.userId);
  if (options.from !== undefined) q = q.where('ended_at', '>=', options.from);
  if (options.to !== undefined) q = q.where('ended_at', '<', options.to);
  q = q.orderBy('ended_at').orderBy(sql`coalesce(track_id, '') collate "C"`);
  if (options.limit !== undefined) q = q.limit(options.limit);
  const rows = await q.execute();
  return rows.map((r) => ({
    userId: r.user_id,
    trackId: r.track_id,
    trackName: r.track_name,
    artistIds: strings(r.artist_ids),
    artistName: r.artist_name,
    albumId: r.album_id,
    albumName: r.album_name,
    endedAt: num(r.ended_at),
    msPlayed: r.ms_played,
    skipped: r.skipped,
    reasonStart: r.reason_start,
    reasonEnd: r.reason_end,
    shuffle: r.shuffle,
    offline: r.offline,
    offlineTimestamp: numOrNull(r.offline_timestamp),
    platform: r.platform,
    source: r.source === 'export' ? 'export' : 'api',
  }));
}
