import { type Selectable, sql } from 'kysely';
import type { Album } from '../domain/album.js';
import type { Artist } from '../domain/artist.js';
import type { Playlist } from '../domain/playlist.js';
import type { Track } from '../domain/track.js';
import { albumDoc, artistDoc, genreDocs, trackDoc } from './search-docs.js';
import type { SharedRowWrites } from './shared-row-writes.js';
import { type BulkColumn, unnestInsert } from './sql-bulk.js';
import { type Db, chunks, fromExcluded, jsonb, num, strings, upsertTail } from './sql-common.js';
import type { AlbumsTable, ArtistsTable, DataTable, PlaylistsTable } from './sql-schema.js';
import { writeDocs } from './sql-search-writes.js';

// Library rows: artists, albums, tracks with their search documents; users, subscriptions and
// playlists. Writers take rows already folded by `lastById`.

/** Entities by id, read in parts of at most one parameter per id by `read`. */
async function byIds<E extends { readonly id: string }>(
  ids: Iterable<string>,
  read: (part: string[]) => Promise<E[]>,
): Promise<Map<string, E>> {
  const out = new Map<string, E>();
  for (const part of chunks([...new Set(ids)], 1)) {
    for (const entity of await read(part)) out.set(entity.id, entity);
  }
  return out;
}

function toArtist(r: Selectable<ArtistsTable>): Artist {
  return {
    id: r.id,
    name: r.name,
    genres: strings(r.genres),
    ownerUserId: r.owner_user_id,
    imageUrl: r.image_url,
    addedAt: num(r.added_at),
  };
}

function toAlbum(r: Selectable<AlbumsTable>): Album {
  return {
    id: r.id,
    name: r.name,
    type: r.type === 'single' || r.type === 'compilation' ? r.type : 'album',
    artistIds: strings(r.artist_ids),
    releaseDate: r.release_date,
    releaseDatePrecision:
      r.release_date_precision === 'year' || r.release_date_precision === 'month'
        ? r.release_date_precision
        : 'day',
    upc: r.upc,
    explicit: r.explicit,
    variantOfAlbumId: r.variant_of_album_id,
    genres: strings(r.genres),
    label: r.label,
    imageUrl: r.image_url,
    totalTracks: r.total_tracks,
    addedAt: num(r.added_at),
  };
}

export function artistsById(db: Db, ids: Iterable<string>): Promise<Map<string, Artist>> {
  return byIds(ids, async (part) =>
    (await db.selectFrom('catalog_artists').selectAll().where('id', 'in', part).execute()).map(
      toArtist,
    ),
  );
}

export function albumsById(db: Db, ids: Iterable<string>): Promise<Map<string, Album>> {
  return byIds(ids, async (part) =>
    (await db.selectFrom('catalog_albums').selectAll().where('id', 'in', part).execute()).map(
      toAlbum,
    ),
  );
}

/** The artists and albums of the given ids, as one query (one array parameter each). */
function artistsAndAlbumsQuery(artistIds: readonly string[], albumIds: readonly string[]) {
  return sql<{ album: boolean; row: unknown }>`
    select false as album, to_jsonb(a) as row from catalog_artists a
    where a.id = any(${[...new Set(artistIds)]}::text[])
    union all
    select true, to_jsonb(al) from catalog_albums al where al.id = any(${[...new Set(albumIds)]}::text[])`;
}

/** The rows of {@link artistsAndAlbumsQuery} as entities by id. */
function toArtistsAndAlbums(rows: readonly { album: boolean; row: unknown }[]): {
  artists: Map<string, Artist>;
  albums: Map<string, Album>;
} {
  const artists = new Map<string, Artist>();
  const albums = new Map<string, Album>();
  for (const r of rows) {
    if (r.album) {
      const album = toAlbum(r.row as Selectable<AlbumsTable>);
      albums.set(album.id, album);
    } else {
      const artist = toArtist(r.row as Selectable<ArtistsTable>);
      artists.set(artist.id, artist);
    }
  }
  return { artists, albums };
}

export async function writeArtists(
  db: Db,
  artists: readonly Artist[],
  vocabulary: SharedRowWrites,
): Promise<void> {
  for (const part of chunks(artists, 6)) {
    await db
      .insertInto('catalog_artists')
      .values(
        part.map((a) => ({
          id: a.id,
          name: a.name,
          genres: jsonb(a.genres),
          owner_user_id: a.ownerUserId,
          image_url: a.imageUrl,
          added_at: a.addedAt,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet(
            fromExcluded<ArtistsTable>([
              'name',
              'genres',
              'owner_user_id',
              'image_url',
              'added_at',
            ]),
          ),
      )
      .execute();
  }
  await writeDocs(db, artists.map(artistDoc), vocabulary);
  vocabulary.addGenres(artists.flatMap((a) => genreDocs(a.genres, a.addedAt)));
}

const ALBUM_UPDATES = [
  'name',
  'type',
  'artist_ids',
  'release_date',
  'release_date_precision',
  'upc',
  'explicit',
  'variant_of_album_id',
  'genres',
  'label',
  'image_url',
  'total_tracks',
  'added_at',
] as const;

export async function writeAlbums(
  db: Db,
  albums: readonly Album[],
  vocabulary: SharedRowWrites,
): Promise<void> {
  for (const part of chunks(albums, 14)) {
    await db
      .insertInto('catalog_albums')
      .values(
        part.map((a) => ({
          id: a.id,
          name: a.name,
          type: a.type,
          artist_ids: jsonb(a.artistIds),
          release_date: a.releaseDate,
          release_date_precision: a.releaseDatePrecision,
          upc: a.upc,
          explicit: a.explicit,
          variant_of_album_id: a.variantOfAlbumId,
          genres: jsonb(a.genres),
          label: a.label,
          image_url: a.imageUrl,
          total_tracks: a.totalTracks,
          added_at: a.addedAt,
        })),
      )
      .onConflict((oc) => oc.column('id').doUpdateSet(fromExcluded<AlbumsTable>(ALBUM_UPDATES)))
      .execute();
  }
  const artists = await artistsById(
    db,
    albums.flatMap((a) => a.artistIds),
  );
  const docs = albums.map((al) =>
    albumDoc(
      al,
      al.artistIds.map((id) => artists.get(id)),
    ),
  );
  await writeDocs(db, docs, vocabulary);
  vocabulary.addGenres(albums.flatMap((a) => genreDocs(a.genres, a.addedAt)));
}

/** Tracks per statement of {@link upsertTrackRows}. */
const TRACK_STATEMENT_ROWS = 10_000;

const TRACK_UPDATES = [
  'name',
  'album_id',
  'artist_ids',
  'primary_artist_id',
  'owner_artist_id',
  'duration_ms',
  'isrc',
  'explicit',
  'visibility',
  'disc_number',
  'track_number',
  'added_at',
] as const;

/** The columns of `catalog_tracks` a track is written to, one array per column. */
function trackColumns(tracks: readonly Track[]): BulkColumn[] {
  const col = (name: string, type: BulkColumn['type'], get: (t: Track) => unknown) => ({
    name,
    type,
    values: tracks.map(get),
  });
  return [
    col('id', 'text', (t) => t.id),
    col('name', 'text', (t) => t.name),
    col('album_id', 'text', (t) => t.albumId),
    col('artist_ids', 'jsonb', (t) => t.artistIds),
    col('primary_artist_id', 'text', (t) => t.artistIds[0] ?? null),
    col('owner_artist_id', 'text', (t) => t.ownerArtistId),
    col('duration_ms', 'int4', (t) => t.durationMs),
    col('isrc', 'text', (t) => t.isrc),
    col('explicit', 'bool', (t) => t.explicit),
    col('visibility', 'text', (t) => t.visibility),
    col('disc_number', 'int4', (t) => t.discNumber),
    col('track_number', 'int4', (t) => t.trackNumber),
    col('added_at', 'int8', (t) => t.addedAt),
  ];
}

/** Built once: it has no parameters. */
const TRACK_UPSERT_TAIL = upsertTail('id', 'catalog_tracks', TRACK_UPDATES);

/**
 * Upserts track rows with one array parameter per column (a track equal to the stored row is left
 * as it is: locked, but no new row version), and reads the artists and albums they name in the
 * statement of the first {@link TRACK_STATEMENT_ROWS} tracks: one round trip for 50 tracks.
 */
async function upsertTrackRows(
  db: Db,
  tracks: readonly Track[],
): Promise<{ artists: Map<string, Artist>; albums: Map<string, Album> }> {
  const columns = trackColumns(tracks);
  const names = artistsAndAlbumsQuery(
    tracks.flatMap((t) => t.artistIds),
    tracks.flatMap((t) => (t.albumId === null ? [] : [t.albumId])),
  );
  let read: { album: boolean; row: unknown }[] = [];
  for (let from = 0; from < tracks.length; from += TRACK_STATEMENT_ROWS) {
    const to = Math.min(tracks.length, from + TRACK_STATEMENT_ROWS);
    const upsert = unnestInsert('catalog_tracks', columns, from, to, TRACK_UPSERT_TAIL);
    if (from > 0) await upsert.execute(db);
    else
      read = (
        await sql<{ album: boolean; row: unknown }>`with up as (${upsert}) ${names}`.execute(db)
      ).rows;
  }
  return toArtistsAndAlbums(read);
}

export async function writeTracks(
  db: Db,
  tracks: readonly Track[],
  vocabulary: SharedRowWrites,
): Promise<void> {
  const { artists, albums } = await upsertTrackRows(db, tracks);
  const docs = tracks.map((t) =>
    trackDoc(
      t,
      t.artistIds.map((id) => artists.get(id)),
      t.albumId === null ? undefined : albums.get(t.albumId),
    ),
  );
  await writeDocs(db, docs, vocabulary);
}

/** Upserts rows kept whole as one jsonb document (users, subscriptions). */
export async function writeDataRows(
  db: Db,
  table: 'catalog_users' | 'catalog_subscriptions',
  items: readonly { readonly id: string }[],
): Promise<void> {
  for (const part of chunks(items, 2)) {
    await db
      .insertInto(table)
      .values(part.map((x) => ({ id: x.id, data: jsonb(x) })))
      .onConflict((oc) => oc.column('id').doUpdateSet(fromExcluded<DataTable>(['data'])))
      .execute();
  }
}

/** Reads a row kept whole as one jsonb document. */
export async function readDataRow<T>(
  db: Db,
  table: 'catalog_users' | 'catalog_subscriptions',
  id: string,
): Promise<T | null> {
  const row = await db.selectFrom(table).select('data').where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : (row.data as T);
}

const PLAYLIST_UPDATES = [
  'owner_user_id',
  'name',
  'description',
  'public',
  'collaborative',
  'snapshot_id',
  'updated_at',
] as const;

/** Upserts playlists (one by one) and replaces their items. */
export async function writePlaylists(db: Db, playlists: readonly Playlist[]): Promise<void> {
  for (const p of playlists) {
    await db
      .insertInto('catalog_playlists')
      .values({
        id: p.id,
        owner_user_id: p.ownerUserId,
        name: p.name,
        description: p.description,
        public: p.public,
        collaborative: p.collaborative,
        snapshot_id: p.snapshotId,
        updated_at: p.updatedAt,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet(fromExcluded<PlaylistsTable>(PLAYLIST_UPDATES)),
      )
      .execute();
    await db.deleteFrom('catalog_playlist_items').where('playlist_id', '=', p.id).execute();
    const items = p.items.map((item, position) => ({
      playlist_id: p.id,
      position,
      track_id: item.trackId,
      added_at: item.addedAt,
      added_by: item.addedBy,
    }));
    for (const part of chunks(items, 5)) {
      await db.insertInto('catalog_playlist_items').values(part).execute();
    }
  }
}

export async function readPlaylist(db: Db, id: string): Promise<Playlist | null> {
  const p = await db
    .selectFrom('catalog_playlists')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (p === undefined) return null;
  const items = await db
    .selectFrom('catalog_playlist_items')
    .selectAll()
    .where('playlist_id', '=', id)
    .orderBy('position')
    .execute();
  return {
    id: p.id,
    ownerUserId: p.owner_user_id,
    name: p.name,
    description: p.description,
    public: p.public,
    collaborative: p.collaborative,
    snapshotId: p.snapshot_id,
    items: items.map((i) => ({
      trackId: i.track_id,
      addedAt: num(i.added_at),
      addedBy: i.added_by,
    })),
    updatedAt: num(p.updated_at),
  };
}
