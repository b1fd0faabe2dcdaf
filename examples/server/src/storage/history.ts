import { type Kysely, sql } from 'kysely';
import type { ServerDatabase } from './schema.js';

/** One row of the history page. */
export interface HistoryPlay {
  readonly endedAt: number;
  readonly seq: number;
  readonly trackName: string;
  readonly artistName: string;
  readonly albumName: string | null;
  readonly msPlayed: number;
  readonly source: string;
}

/** Filters and position of a history page. */
export interface HistoryQuery {
  readonly userId: string;
  readonly artist?: string | undefined;
  readonly track?: string | undefined;
  /** Inclusive lower bound on `endedAt`, ms. */
  readonly from?: number | undefined;
  /** Exclusive upper bound on `endedAt`, ms. */
  readonly to?: number | undefined;
  /** Keyset position: plays strictly older than this (endedAt, seq). */
  readonly before?: { readonly endedAt: number; readonly seq: number } | undefined;
  readonly limit: number;
}

const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A page of a listener's plays, newest first, with keyset paging on (ended_at, seq) so deep
 * pages cost the same as the first. Reads the catalog's `plays` table directly (the store's
 * `listPlays` has no descending order, cursor or text filters).
 */
export async function listHistory(
  db: Kysely<ServerDatabase>,
  q: HistoryQuery,
): Promise<{ plays: HistoryPlay[]; hasMore: boolean }> {
  const conditions = [sql`user_id = ${q.userId}`];
  if (q.artist) conditions.push(sql`artist_name ilike ${like(q.artist)}`);
  if (q.track) conditions.push(sql`track_name ilike ${like(q.track)}`);
  if (q.from !== undefined) conditions.push(sql`ended_at >= ${q.from}`);
  if (q.to !== undefined) conditions.push(sql`ended_at < ${q.to}`);
  if (q.before) conditions.push(sql`(ended_at, seq) < (${q.before.endedAt}, ${q.before.seq})`);
  const rows = await sql<{
    ended_at: string | number;
    seq: string | number;
    track_name: string;
    artist_name: string;
    album_name: string | null;
    ms_played: number;
    source: string;
  }>`select ended_at, seq, track_name, artist_name, album_name, ms_played, source from catalog_plays
     where ${sql.join(conditions, sql` and `)}
     order by ended_at desc, seq desc limit ${q.limit + 1}`.execute(db);
  const plays = rows.rows.slice(0, q.limit).map((r) => ({
    endedAt: Number(r.ended_at),
    seq: Number(r.seq),
    trackName: r.track_name,
    artistName: r.artist_name,
    albumName: r.album_name,
    msPlayed: r.ms_played,
    source: r.source,
  }));
  return { plays, hasMore: rows.rows.length > q.limit };
}
