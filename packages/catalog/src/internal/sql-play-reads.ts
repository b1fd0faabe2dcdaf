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

/** The columns a play is read from (`all`, or the statistics fields), in tuple order. */
const TUPLE_COLUMNS = {
  stats: [
    'seq',
    'track_id',
    'track_name',
    'primary_artist_id',
    'artist_name',
    'album_id',
    'album_name',
    'ended_at',
    'ms_played',
    'skipped',
    'reason_end',
    'offline',
    'offline_timestamp',
    'source',
  ],
  all: [
    'seq',
    'track_id',
    'track_name',
    'artist_ids',
    'artist_name',
    'album_id',
    'album_name',
    'ended_at',
    'ms_played',
    'skipped',
    'reason_start',
    'reason_end',
    'shuffle',
    'offline',
    'offline_timestamp',
    'platform',
    'source',
  ],
} as const satisfies Record<string, readonly (keyof PlayRow)[]>;

const ALL_COLUMNS = sql.raw(TUPLE_COLUMNS.all.join(', '));

/** A play row of a page's JSON: the values of {@link TUPLE_COLUMNS}, in order. */
type PlayTuple = readonly unknown[];

/** The play row a tuple of `columns` holds. */
function tupleRow(columns: readonly (keyof PlayRow)[], tuple: PlayTuple): PlayRow {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) row[columns[i]!] = tuple[i];
  return row as unknown as PlayRow;
}

/**
 * A listener's plays by (`endedAt`, storage order) ascending, one page per query: each page
 * starts after the last row of the one before (keyset on the `(user_id, ended_at)` index), so a
 * long history is never held in memory at once and a deep page costs what the first does. A page
 * comes from the database as one JSON text (an array of value arrays), parsed and turned into
 * plays in one synchronous step: the driver's row object per play and its parsed values are never
 * made, and what is made dies young (a 500,000-play history read through row objects left some
 * 150 MiB of them to the old generation, and to the process's RSS, before a full collection).
 */
export async function* iterateSqlPlays(db: Db, q: IteratePlaysQuery): AsyncGenerator<Play[]> {
  const names = TUPLE_COLUMNS[q.fields === 'stats' ? 'stats' : 'all'];
  const columns = sql.raw(names.join(', '));
  let after: PlayPosition | undefined;
  for (;;) {
    const where: RawBuilder<unknown>[] = [sql`user_id = ${q.userId}`];
    if (q.from !== undefined) where.push(sql`ended_at >= ${q.from}`);
    if (q.to !== undefined) where.push(sql`ended_at < ${q.to}`);
    if (after !== undefined) {
      where.push(sql`ended_at >= ${after.endedAt}`);
      where.push(sql`(ended_at, seq) > (${after.endedAt}, ${after.seq})`);
    }
    const { rows } = await sql<{ page: string | null }>`
      select json_agg(json_build_array(${columns}) order by ended_at, seq)::text as page
      from (select ${columns} from catalog_plays where ${sql.join(where, sql` and `)}
        order by ended_at, seq limit ${q.pageSize}) p`.execute(db);
    const text = rows[0]?.page ?? null;
    if (text === null) return;
    const tuples = JSON.parse(text) as PlayTuple[];
    const last = tuples.at(-1);
    if (last === undefined) return;
    yield tuples.map((t) => toPlay(q.userId, tupleRow(names, t)));
    if (tuples.length < q.pageSize) return;
    const position = tupleRow(names, last);
    after = { endedAt: Number(position.ended_at), seq: Number(position.seq) };
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
