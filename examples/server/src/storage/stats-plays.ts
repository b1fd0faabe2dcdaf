import type { Play } from '@spoti/catalog';
import { type Kysely, type RawBuilder, sql } from 'kysely';

/**
 * Plays per page read by {@link readStatsPlays}: one round trip and one JSON text (about 250 bytes
 * a play) each.
 */
export const STATS_PLAYS_PAGE_SIZE = 2_000;

/**
 * One play as a page's JSON holds it: `seq, track_id, track_name, primary_artist_id,
 * artist_name, album_id, album_name, ended_at, ms_played, skipped, reason_end, offline,
 * offline_timestamp, source`.
 */
type PlayTuple = [
  number,
  string | null,
  string,
  string | null,
  string,
  string | null,
  string | null,
  number,
  number,
  boolean | null,
  string | null,
  boolean | null,
  number | null,
  string,
];

/**
 * A listener's plays with the fields listening statistics read, page by page in (`endedAt`,
 * storage order): the plays `@spoti/catalog`'s `iteratePlays({ fields: 'stats' })` gives, in the
 * same order and with the same values. Each page comes from the database as one JSON text, which
 * is parsed and turned into plays in one synchronous step, so a page's plays die young: read
 * through the driver's row objects instead, a 500,000-play history left some 150 MiB of them to
 * the old generation (and the process's RSS) before a full collection.
 *
 * @example
 * ```ts
 * for await (const page of readStatsPlays(db, 'u1')) index.addAll(page);
 * ```
 */
export async function* readStatsPlays(
  db: Kysely<unknown>,
  userId: string,
  pageSize = STATS_PLAYS_PAGE_SIZE,
): AsyncGenerator<Play[]> {
  let after: { endedAt: number; seq: number } | undefined;
  for (;;) {
    const where: RawBuilder<unknown>[] = [sql`user_id = ${userId}`];
    if (after !== undefined) {
      where.push(sql`ended_at >= ${after.endedAt}`);
      where.push(sql`(ended_at, seq) > (${after.endedAt}, ${after.seq})`);
    }
    const { rows } = await sql<{ page: string | null }>`
      select json_agg(json_build_array(seq, track_id, track_name, primary_artist_id, artist_name,
        album_id, album_name, ended_at, ms_played, skipped, reason_end, offline, offline_timestamp,
        source) order by ended_at, seq)::text as page
      from (select seq, track_id, track_name, primary_artist_id, artist_name, album_id,
          album_name, ended_at, ms_played, skipped, reason_end, offline, offline_timestamp, source
        from catalog_plays where ${sql.join(where, sql` and `)}
        order by ended_at, seq limit ${pageSize}) p`.execute(db);
    const text = rows[0]?.page ?? null;
    if (text === null) return;
    const tuples = JSON.parse(text) as PlayTuple[];
    const last = tuples[tuples.length - 1];
    if (last === undefined) return;
    yield tuples.map((t) => toStatsPlay(userId, t));
    if (tuples.length < pageSize) return;
    after = { endedAt: last[7], seq: last[0] };
  }
}

function toStatsPlay(userId: string, t: PlayTuple): Play {
  const artist = t[3];
  return {
    userId,
    trackId: t[1],
    trackName: t[2],
    artistIds: artist ? [artist] : [],
    artistName: t[4],
    albumId: t[5],
    albumName: t[6],
    endedAt: t[7],
    msPlayed: t[8],
    skipped: t[9],
    reasonStart: null,
    reasonEnd: t[10],
    shuffle: null,
    offline: t[11],
    offlineTimestamp: t[12],
    platform: null,
    source: t[13] === 'export' ? 'export' : 'api',
  };
}
