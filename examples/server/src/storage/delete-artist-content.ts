import { playKey } from '@spoti/catalog';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from './database.js';
import type { DeletedRows } from './delete-user.js';
import type { ObjectStore } from './object-store.js';

/** Columns that hold the id of a song, in any table of any package. */
const SONG_COLUMNS = ['track_id', 'song_id'] as const;

/** Listening histories: their plays of the songs stay, detached (see {@link detachPlays}). */
const HISTORY_TABLES: readonly string[] = ['catalog_plays'];

/** Plays detached per statement. */
const DETACH_BATCH = 2_000;

/** Tables that name a track, album or artist by `(kind, id)`: counters and all-time trending totals, search, favourites. */
const KIND_TABLES = [
  ['catalog_item_stats', 'id'],
  ['catalog_search_postings', 'id'],
  ['catalog_search_docs', 'id'],
  ['catalog_favourites', 'target_id'],
] as const;

/** What an account published under the artist profiles it owns. */
interface Published {
  readonly artistIds: string[];
  readonly songIds: string[];
  readonly albumIds: string[];
}

const textArray = (ids: readonly string[]): RawBuilder<string[]> => sql`${[...ids]}::text[]`;

async function publishedBy(db: Kysely<unknown>, userId: string): Promise<Published> {
  const artists = await sql<{ id: string }>`
    select id from catalog_artists where owner_user_id = ${userId}
    union
    select artist_id as id from spoti_server_api_accounts
    where user_id = ${userId} and artist_id is not null`.execute(db);
  const artistIds = artists.rows.map((r) => r.id);
  if (artistIds.length === 0) return { artistIds, songIds: [], albumIds: [] };
  const songs = await sql<{ id: string }>`
    select id from catalog_tracks where owner_artist_id = any(${textArray(artistIds)})`.execute(db);
  const albums = await sql<{ id: string }>`
    select id from catalog_albums where artist_ids->>0 = any(${textArray(artistIds)})`.execute(db);
  return {
    artistIds,
    songIds: songs.rows.map((r) => r.id),
    albumIds: albums.rows.map((r) => r.id),
  };
}

/** Object keys of the songs' audio and renditions and of the albums' covers. */
async function objectKeysOf(db: Kysely<unknown>, p: Published): Promise<string[]> {
  const { rows } = await sql<{ object_key: string }>`
    select object_key from spoti_server_media_audio where song_id = any(${textArray(p.songIds)})
    union
    select object_key from spoti_server_media_renditions
    where song_id = any(${textArray(p.songIds)})
    union
    select object_key from spoti_server_media_images
    where kind = 'cover' and owner_id = any(${textArray(p.albumIds)})`.execute(db);
  return rows.map((r) => r.object_key);
}

/** Someone else's songs on the albums: re-stored without the album, search entry included. */
async function detachGuestSongs(database: Database, p: Published): Promise<void> {
  const db = database.db as unknown as Kysely<unknown>;
  const { rows } = await sql<{ id: string }>`
    select id from catalog_tracks where album_id = any(${textArray(p.albumIds)})
      and not (id = any(${textArray(p.songIds)}))`.execute(db);
  for (const { id } of rows) {
    const track = await database.catalog.getTrack(id);
    if (track !== null) await database.catalog.upsertTracks([{ ...track, albumId: null }]);
  }
}

interface PlayRow {
  play_key: string;
  user_id: string;
  track_name: string;
  artist_name: string;
  ended_at: number | string;
  offline: boolean | null;
  offline_timestamp: number | string | null;
}

/**
 * The plays of the songs stay in their listeners' histories as plays of a song the catalog does
 * not know: by name (the song's and the artist's names as they were played), with no song, album
 * or artist id, under the key the catalog gives such a play (`playKey` without a track id), so
 * nothing in them names what was deleted. A play whose new key is already stored (the same
 * name-only play) is dropped as the duplicate it is. Answers how many plays were detached.
 */
async function detachPlays(tx: Kysely<unknown>, songIds: readonly string[]): Promise<number> {
  let detached = 0;
  for (;;) {
    const { rows } = await sql<PlayRow>`
      select play_key, user_id, track_name, artist_name, ended_at, offline, offline_timestamp
      from catalog_plays where track_id = any(${textArray(songIds)})
      order by play_key limit ${DETACH_BATCH}`.execute(tx);
    if (rows.length === 0) return detached;
    const moves = new Map<string, string>(); // new key -> old key
    const duplicates: string[] = [];
    for (const r of rows) {
      const key = playKey({
        userId: r.user_id,
        trackId: null,
        trackName: r.track_name,
        artistName: r.artist_name,
        endedAt: Number(r.ended_at),
        offline: r.offline,
        offlineTimestamp: r.offline_timestamp === null ? null : Number(r.offline_timestamp),
      });
      if (moves.has(key)) duplicates.push(r.play_key);
      else moves.set(key, r.play_key);
    }
    const taken = await sql<{ play_key: string }>`
      select play_key from catalog_plays where play_key = any(${textArray([...moves.keys()])})`.execute(
      tx,
    );
    for (const { play_key: key } of taken.rows) {
      duplicates.push(moves.get(key) as string);
      moves.delete(key);
    }
    await sql`delete from catalog_plays where play_key = any(${textArray(duplicates)})`.execute(tx);
    await sql`update catalog_plays p set play_key = m.new_key, track_id = null,
        artist_ids = '[]'::jsonb, primary_artist_id = null, album_id = null, album_name = null
      from unnest(${textArray([...moves.values()])}, ${textArray([...moves.keys()])})
        as m(old_key, new_key)
      where p.play_key = m.old_key`.execute(tx);
    await sql`update catalog_plays_superseded s set superseded_by = m.new_key
      from unnest(${textArray([...moves.values()])}, ${textArray([...moves.keys()])})
        as m(old_key, new_key)
      where s.superseded_by = m.old_key`.execute(tx);
    detached += moves.size;
  }
}

async function deleteRows(tx: Kysely<unknown>, p: Published, deleted: DeletedRows): Promise<void> {
  const count = async (key: string, query: RawBuilder<unknown>) => {
    const result = await query.execute(tx);
    deleted[key] = (deleted[key] ?? 0) + Number(result.numAffectedRows ?? 0n);
  };
  deleted['catalog_plays.detached'] = await detachPlays(tx, p.songIds);
  const songs = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema()
      and column_name in (${sql.join(SONG_COLUMNS.map((c) => sql.lit(c)))})
    order by table_name, column_name`.execute(tx);
  // Likes, playlist items, counters, skips and media rows of the songs, by anyone.
  for (const { table_name: table, column_name: column } of songs.rows) {
    if (HISTORY_TABLES.includes(table)) continue;
    await count(
      `${table}.${column}`,
      sql`delete from ${sql.table(table)} where ${sql.ref(column)} = any(${textArray(p.songIds)})`,
    );
  }
  const terms = await sql<{ term: string }>`
    select distinct term from catalog_search_postings
    where (kind = 'track' and id = any(${textArray(p.songIds)}))
       or (kind = 'album' and id = any(${textArray(p.albumIds)}))
       or (kind = 'artist' and id = any(${textArray(p.artistIds)}))`.execute(tx);
  for (const [table, column] of KIND_TABLES) {
    await count(
      `${table}.${column}`,
      sql`delete from ${sql.table(table)} where
        (kind = 'track' and ${sql.ref(column)} = any(${textArray(p.songIds)}))
        or (kind = 'album' and ${sql.ref(column)} = any(${textArray(p.albumIds)}))
        or (kind = 'artist' and ${sql.ref(column)} = any(${textArray(p.artistIds)}))`,
    );
  }
  await count(
    'catalog_search_terms.term',
    sql`delete from catalog_search_terms t where t.term = any(${textArray(terms.rows.map((r) => r.term))})
      and not exists (select 1 from catalog_search_postings p where p.term = t.term)`,
  );
  await count(
    'catalog_follows.artist_id',
    sql`delete from catalog_follows where artist_id = any(${textArray(p.artistIds)})`,
  );
  await count(
    'spoti_server_media_images.owner_id',
    sql`delete from spoti_server_media_images
      where kind = 'cover' and owner_id = any(${textArray(p.albumIds)})`,
  );
  // Plays of someone else's song on a deleted album stay, without the album.
  for (const table of ['catalog_plays', 'catalog_plays_superseded']) {
    await count(
      `${table}.album_id`,
      sql`update ${sql.table(table)} set album_id = null, album_name = null
        where album_id = any(${textArray(p.albumIds)})`,
    );
  }
  for (const [table, ids] of [
    ['catalog_tracks', p.songIds],
    ['catalog_albums', p.albumIds],
    ['catalog_artists', p.artistIds],
  ] as const) {
    await count(
      `${table}.id`,
      sql`delete from ${sql.table(table)} where id = any(${textArray(ids)})`,
    );
  }
}

/**
 * Account deletion, for an account that publishes: removes the artist profiles it owns and
 * everything published under them. Its songs go with their audio, renditions and every row that
 * names them, whoever wrote it (likes, favourites, playlist items, skips, counters, search
 * entries). Other listeners' plays of them stay in their histories, by name only (see
 * `detachPlays`): their listening is theirs, and no id of what was deleted is left. Its albums (those
 * whose first artist it is) go with their covers and favourites; the profiles with their
 * followers. Objects are removed before the rows, so a failure part way is finished by repeating
 * the deletion. The caller recomputes the catalog's counters afterwards (see
 * `deleteUserEverywhere`).
 */
export async function deletePublishedContent(
  database: Database,
  userId: string,
  objects: ObjectStore | undefined,
): Promise<DeletedRows> {
  const db = database.db as unknown as Kysely<unknown>;
  const published = await publishedBy(db, userId);
  const deleted: DeletedRows = {};
  if (published.artistIds.length === 0) return deleted;
  // Hidden first: nobody else can play, like or save a song while it is being removed.
  await sql`update catalog_tracks set visibility = 'private'
    where id = any(${textArray(published.songIds)})`.execute(db);
  if (objects !== undefined)
    for (const key of await objectKeysOf(db, published)) await objects.delete(key);
  // Someone else's song on a deleted album stays, without the album (its search entry too).
  await detachGuestSongs(database, published);
  await db.transaction().execute((tx) => deleteRows(tx, published, deleted));
  return deleted;
}
