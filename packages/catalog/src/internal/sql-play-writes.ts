import { type Kysely, sql } from 'kysely';
import type { Play } from '../domain/play.js';
import { type BulkColumn, bulkInsert } from './sql-bulk.js';
import type { AggregateDeltas } from './trending-aggregates.js';

// biome-ignore lint/suspicious/noExplicitAny: the writers address their tables with raw SQL.
type Db = Kysely<any>;

/** Per-listener and per-item play counters of a batch, folded so each key is written once. */
export interface FoldedCounters {
  readonly userTrack: { userId: string[]; trackId: string[]; n: number[]; last: number[] };
  readonly items: { kind: string[]; id: string[]; n: number[] };
}

/**
 * Writes the plays of a batch (already unique by play key) with `on conflict do nothing`, in
 * unnest statements; returns the plays that were new, in batch order.
 */
export async function insertPlays(db: Db, batch: ReadonlyMap<string, Play>): Promise<Play[]> {
  const plays = [...batch.values()];
  const col = <T>(name: string, type: BulkColumn['type'], get: (p: Play) => T): BulkColumn => ({
    name,
    type,
    values: plays.map(get),
  });
  const columns: BulkColumn[] = [
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
  const rows = await bulkInsert<{ play_key: string }>(
    db,
    'catalog_plays',
    columns,
    sql`on conflict (play_key) do nothing returning play_key`,
  );
  const fresh = new Set(rows.map((r) => r.play_key));
  const out: Play[] = [];
  for (const [key, p] of batch) if (fresh.has(key)) out.push(p);
  return out;
}

/** Folds the counters of newly stored plays: one entry per listener and track, per item. */
export function foldCounters(plays: readonly Play[]): FoldedCounters {
  const userTrack = new Map<string, { userId: string; trackId: string; n: number; last: number }>();
  const items = new Map<string, { kind: string; id: string; n: number }>();
  const bump = (kind: string, id: string | null) => {
    if (id === null) return;
    const k = `${kind}\u0000${id}`;
    const e = items.get(k);
    if (e === undefined) items.set(k, { kind, id, n: 1 });
    else e.n += 1;
  };
  for (const p of plays) {
    if (p.trackId !== null) {
      const k = `${p.userId}\u0000${p.trackId}`;
      const e = userTrack.get(k);
      if (e === undefined)
        userTrack.set(k, { userId: p.userId, trackId: p.trackId, n: 1, last: p.endedAt });
      else {
        e.n += 1;
        if (p.endedAt > e.last) e.last = p.endedAt;
      }
      bump('track', p.trackId);
    }
    bump('album', p.albumId);
    bump('artist', p.artistIds[0] ?? null);
  }
  // Sorted keys: concurrent writers lock rows in one order and cannot deadlock.
  const ut = [...userTrack.entries()].sort(byKey).map(([, v]) => v);
  const it = [...items.entries()].sort(byKey).map(([, v]) => v);
  return {
    userTrack: {
      userId: ut.map((e) => e.userId),
      trackId: ut.map((e) => e.trackId),
      n: ut.map((e) => e.n),
      last: ut.map((e) => e.last),
    },
    items: { kind: it.map((e) => e.kind), id: it.map((e) => e.id), n: it.map((e) => e.n) },
  };
}

const byKey = (a: [string, unknown], b: [string, unknown]) =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

/** Adds folded per-listener counts (play count, last played) in unnest statements. */
export async function upsertUserTrackStats(db: Db, c: FoldedCounters['userTrack']): Promise<void> {
  if (c.userId.length === 0) return;
  await bulkInsert(
    db,
    'catalog_user_track_stats',
    [
      { name: 'user_id', type: 'text', values: c.userId },
      { name: 'track_id', type: 'text', values: c.trackId },
      { name: 'play_count', type: 'int4', values: c.n },
      { name: 'last_played_at', type: 'int8', values: c.last },
    ],
    sql`on conflict (user_id, track_id) do update set
      play_count = catalog_user_track_stats.play_count + excluded.play_count,
      last_played_at = greatest(catalog_user_track_stats.last_played_at, excluded.last_played_at)`,
  );
}

/** Adds folded per-item play counts in unnest statements. */
export async function upsertItemPlays(db: Db, c: FoldedCounters['items']): Promise<void> {
  if (c.id.length === 0) return;
  await bulkInsert(
    db,
    'catalog_item_stats',
    [
      { name: 'kind', type: 'text', values: c.kind },
      { name: 'id', type: 'text', values: c.id },
      { name: 'plays', type: 'int4', values: c.n },
      { name: 'likes', type: 'int4', values: c.n.map(() => 0) },
    ],
    sql`on conflict (kind, id) do update set plays = catalog_item_stats.plays + excluded.plays`,
  );
}

/** Adds the trending deltas of a batch to both aggregates in unnest statements. */
export async function upsertTrendingDeltas(db: Db, deltas: AggregateDeltas): Promise<void> {
  // Sorted keys: concurrent writers lock rows in one order and cannot deadlock.
  const daily = sortedBy(
    deltas.daily,
    (d) => `${d.day}\u0000${d.track_id}\u0000${d.album_id}\u0000${d.artist_id}`,
  );
  if (daily.length > 0) {
    await bulkInsert(
      db,
      'catalog_trending_daily',
      [
        { name: 'day', type: 'int4', values: daily.map((d) => d.day) },
        { name: 'track_id', type: 'text', values: daily.map((d) => d.track_id) },
        { name: 'album_id', type: 'text', values: daily.map((d) => d.album_id) },
        { name: 'artist_id', type: 'text', values: daily.map((d) => d.artist_id) },
        { name: 'plays', type: 'int4', values: daily.map((d) => d.plays) },
        { name: 'decay', type: 'float8', values: daily.map((d) => d.decay) },
      ],
      sql`on conflict (day, track_id, album_id, artist_id) do update set
        plays = catalog_trending_daily.plays + excluded.plays,
        decay = catalog_trending_daily.decay + excluded.decay`,
    );
  }
  const totals = sortedBy(deltas.totals, (t) => `${t.kind}\u0000${t.id}`);
  if (totals.length > 0) {
    await bulkInsert(
      db,
      'catalog_trending_totals',
      [
        { name: 'kind', type: 'text', values: totals.map((t) => t.kind) },
        { name: 'id', type: 'text', values: totals.map((t) => t.id) },
        { name: 'plays', type: 'int4', values: totals.map((t) => t.plays) },
        { name: 'decay', type: 'float8', values: totals.map((t) => t.decay) },
      ],
      sql`on conflict (kind, id) do update set
        plays = catalog_trending_totals.plays + excluded.plays,
        decay = catalog_trending_totals.decay + excluded.decay`,
    );
  }
}

/** The items ordered by a string key computed once per item. */
function sortedBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return items
    .map((item) => [key(item), item] as [string, T])
    .sort(byKey)
    .map(([, item]) => item);
}
