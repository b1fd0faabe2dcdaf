import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Play } from '../domain/play.js';
import {
  type IteratePlaysQuery,
  type PlayPosition,
  type RecentPlaysPage,
  type RecentPlaysQuery,
  encodePlayCursor,
} from '../store/play-reads.js';

// biome-ignore lint/suspicious/noExplicitAny: the readers address their tables with raw SQL.
type Db = Kysely<any>;

type Num = number | string | bigint;

interface PlayRow {
  seq: Num;
  track_id: string | null;
  track_name: string;
  artist_ids?: unknown;
  primary_artist_id?: string | null;
  artist_name: string;
  album_id: string | null;
  album_name: string | null;
  ended_at: Num;
  ms_played: number;
  skipped: boolean | null;
  reason_start?: string | null;
  reason_end: string | null;
  shuffle?: boolean | null;
  offline: boolean | null;
  offline_timestamp: Num | null;
  platform?: string | null;
  source: string;
}

const STATS_COLUMNS = sql.raw(
  'seq, track_id, track_name, primary_artist_id, artist_name, album_id, album_name, ended_at, ms_played, skipped, reason_end, offline, offline_timestamp, source',
);
const ALL_COLUMNS = sql.raw(
  'seq, track_id, track_name, artist_ids, artist_name, album_id, album_name, ended_at, ms_played, skipped, reason_start, reason_end, shuffle, offline, offline_timestamp, platform, source',
);

function artistIds(r: PlayRow): string[] {
  if (r.artist_ids === undefined) return r.primary_artist_id ? [r.primary_artist_id] : [];
  const list = typeof r.artist_ids === 'string' ? JSON.parse(r.artist_ids) : r.artist_ids;
  return Array.isArray(list) ? list.map(String) : [];
}

function toPlay(userId: string, r: PlayRow): Play {
  return {
    userId,
    trackId: r.track_id,
    trackName: r.track_name,
    artistIds: artistIds(r),
    artistName: r.artist_name,
    albumId: r.album_id,
    albumName: r.album_name,
    endedAt: Number(r.ended_at),
    msPlayed: r.ms_played,
    skipped: r.skipped,
    reasonStart: r.reason_start ?? null,
    reasonEnd: r.reason_end,
    shuffle: r.shuffle ?? null,
    offline: r.offline,
    offlineTimestamp: r.offline_timestamp === null ? null : Number(r.offline_timestamp),
    platform: r.platform ?? null,
    source: r.source === 'export' ? 'export' : 'api',
  };
}

/**
 * A listener's plays by (`endedAt`, storage order) ascending, one page per query: each page
 * starts after the last row of the one before (keyset on the `(user_id, ended_at)` index), so a
 * long history is never held in memory at once and a deep page costs what the first does.
 */
export async function* iterateSqlPlays(db: Db, q: IteratePlaysQuery): AsyncGenerator<Play[]> {
  const columns = q.fields === 'stats' ? STATS_COLUMNS : ALL_COLUMNS;
  let after: PlayPosition | undefined;
  for (;;) {
    const where: RawBuilder<unknown>[] = [sql`user_id = ${q.userId}`];
    if (q.from !== undefined) where.push(sql`ended_at >= ${q.from}`);
    if (q.to !== undefined) where.push(sql`ended_at < ${q.to}`);
    if (after !== undefined) {
      where.push(sql`ended_at >= ${after.endedAt}`);
      where.push(sql`(ended_at, seq) > (${after.endedAt}, ${after.seq})`);
    }
    const { rows } = await sql<PlayRow>`select ${columns} from catalog_plays
      where ${sql.join(where, sql` and `)}
      order by ended_at, seq limit ${q.pageSize}`.execute(db);
    const last = rows.at(-1);
    if (last === undefined) return;
    yield rows.map((r) => toPlay(q.userId, r));
    if (rows.length < q.pageSize) return;
    after = { endedAt: Number(last.ended_at), seq: Number(last.seq) };
  }
}

const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A page of a listener's plays newest first, keyset on (`ended_at`, `seq`) descending. */
export async function listSqlRecentPlays(db: Db, q: RecentPlaysQuery): Promise<RecentPlaysPage> {
  const where: RawBuilder<unknown>[] = [sql`user_id = ${q.userId}`];
  if (q.artist) where.push(sql`artist_name ilike ${like(q.artist)}`);
  if (q.track) where.push(sql`track_name ilike ${like(q.track)}`);
  if (q.from !== undefined) where.push(sql`ended_at >= ${q.from}`);
  if (q.to !== undefined) where.push(sql`ended_at < ${q.to}`);
  if (q.before !== undefined) {
    where.push(sql`ended_at <= ${q.before.endedAt}`);
    where.push(sql`(ended_at, seq) < (${q.before.endedAt}, ${q.before.seq})`);
  }
  const { rows } = await sql<PlayRow>`select ${ALL_COLUMNS} from catalog_plays
    where ${sql.join(where, sql` and `)}
    order by ended_at desc, seq desc limit ${q.limit + 1}`.execute(db);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    plays: page.map((r) => toPlay(q.userId, r)),
    next:
      rows.length > q.limit && last !== undefined
        ? encodePlayCursor({ endedAt: Number(last.ended_at), seq: Number(last.seq) })
        : null,
  };
}
