import { type Kysely, sql } from 'kysely';
import { freshCachePerDatabase } from '../catalog/fresh-cache.js';

/** The stored original of a song's audio. */
export interface AudioRecord {
  readonly songId: string;
  /** Who uploaded it. */
  readonly userId: string;
  readonly objectKey: string;
  readonly format: string;
  readonly mimeType: string;
  readonly sizeBytes: number;
  readonly durationMs: number;
  /** Bitrate of the original as read from the file, when known. */
  readonly bitrateKbps: number | null;
  readonly etag: string;
  readonly updatedAt: number;
}

/** A transcoded copy of a song at one bitrate. */
export interface RenditionRecord {
  readonly songId: string;
  readonly kbps: 96 | 160 | 320;
  readonly objectKey: string;
  readonly sizeBytes: number;
  readonly etag: string;
  /** ETag of the original it was made from: a new original makes it stale. */
  readonly sourceEtag: string;
}

/** A stored cover or avatar. */
export interface ImageRecord {
  readonly kind: 'cover' | 'avatar';
  /** The album (cover) or user (avatar) it belongs to. */
  readonly ownerId: string;
  readonly userId: string;
  readonly objectKey: string;
  readonly mimeType: string;
  readonly sizeBytes: number;
  readonly width: number;
  readonly height: number;
  readonly etag: string;
  readonly updatedAt: number;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);

/** Rows of the `spoti_server_media_*` tables. */
export interface MediaRepository {
  putAudio(record: AudioRecord): Promise<void>;
  getAudio(songId: string): Promise<AudioRecord | null>;
  putRendition(record: RenditionRecord, userId: string, now: number): Promise<void>;
  /** Renditions made from the current original (stale ones are left out). */
  listRenditions(songId: string): Promise<RenditionRecord[]>;
  /** Every rendition row of a song, current or stale. */
  listAllRenditions(songId: string): Promise<RenditionRecord[]>;
  deleteRendition(songId: string, kbps: number): Promise<void>;
  putImage(record: ImageRecord): Promise<void>;
  getImage(kind: ImageRecord['kind'], ownerId: string): Promise<ImageRecord | null>;
  /** Object keys of every audio file, rendition and image a user uploaded (account deletion). */
  objectKeysOfUser(userId: string): Promise<string[]>;
}

const toAudio = (r: Row): AudioRecord => ({
  songId: String(r.song_id),
  userId: String(r.user_id),
  objectKey: String(r.object_key),
  format: String(r.format),
  mimeType: String(r.mime_type),
  sizeBytes: num(r.size_bytes),
  durationMs: num(r.duration_ms),
  bitrateKbps: r.bitrate_kbps === null ? null : num(r.bitrate_kbps),
  etag: String(r.etag),
  updatedAt: num(r.updated_at),
});

const toRendition = (r: Row): RenditionRecord => ({
  songId: String(r.song_id),
  kbps: num(r.kbps) as RenditionRecord['kbps'],
  objectKey: String(r.object_key),
  sizeBytes: num(r.size_bytes),
  etag: String(r.etag),
  sourceEtag: String(r.source_etag),
});

const toImage = (r: Row): ImageRecord => ({
  kind: r.kind as ImageRecord['kind'],
  ownerId: String(r.owner_id),
  userId: String(r.user_id),
  objectKey: String(r.object_key),
  mimeType: String(r.mime_type),
  sizeBytes: num(r.size_bytes),
  width: num(r.width),
  height: num(r.height),
  etag: String(r.etag),
  updatedAt: num(r.updated_at),
});

/** How long a song's current renditions are served from memory before they are read again. */
export const RENDITIONS_CACHE_MS = 2_000;

/**
 * The current renditions of recently streamed songs, per database (every repository on one
 * database shares them, the renditions job's too): a player sends a request per range, so a
 * song's renditions are read once per {@link RENDITIONS_CACHE_MS}. A write of the song's audio or
 * renditions through any repository forgets them at once; only a write from another process is
 * seen up to that long later (meanwhile the previous file is streamed).
 */
const currentRenditionsOf = freshCachePerDatabase<RenditionRecord[]>(RENDITIONS_CACHE_MS);

/** The renditions of a song made from its current original. */
async function readCurrentRenditions(db: Kysely<unknown>, songId: string) {
  const { rows } = await sql<Row>`
    select r.* from spoti_server_media_renditions r
    join spoti_server_media_audio a on a.song_id = r.song_id and a.etag = r.source_etag
    where r.song_id = ${songId} order by r.kbps`.execute(db);
  return rows.map(toRendition);
}

/**
 * The media tables on the server's database. Every write is an upsert, so a repeated request
 * leaves the same rows.
 */
export function createMediaRepository(database: Kysely<unknown>): MediaRepository {
  const db = database;
  const renditions = currentRenditionsOf(db);
  return {
    async putAudio(a) {
      await sql`
        insert into spoti_server_media_audio
          (song_id, user_id, object_key, format, mime_type, size_bytes, duration_ms, bitrate_kbps,
           etag, created_at, updated_at)
        values (${a.songId}, ${a.userId}, ${a.objectKey}, ${a.format}, ${a.mimeType}, ${a.sizeBytes},
          ${a.durationMs}, ${a.bitrateKbps}, ${a.etag}, ${a.updatedAt}, ${a.updatedAt})
        on conflict (song_id) do update set user_id = excluded.user_id,
          object_key = excluded.object_key, format = excluded.format,
          mime_type = excluded.mime_type, size_bytes = excluded.size_bytes,
          duration_ms = excluded.duration_ms, bitrate_kbps = excluded.bitrate_kbps,
          etag = excluded.etag, updated_at = excluded.updated_at`.execute(db);
      renditions.delete(a.songId);
    },
    async getAudio(songId) {
      const { rows } = await sql<Row>`
        select * from spoti_server_media_audio where song_id = ${songId}`.execute(db);
      return rows[0] === undefined ? null : toAudio(rows[0]);
    },
    async putRendition(r, userId, now) {
      await sql`
        insert into spoti_server_media_renditions
          (song_id, kbps, user_id, object_key, size_bytes, etag, source_etag, created_at)
        values (${r.songId}, ${r.kbps}, ${userId}, ${r.objectKey}, ${r.sizeBytes}, ${r.etag}, ${r.sourceEtag}, ${now})
        on conflict (song_id, kbps) do update set user_id = excluded.user_id, object_key = excluded.object_key,
          size_bytes = excluded.size_bytes, etag = excluded.etag,
          source_etag = excluded.source_etag, created_at = excluded.created_at`.execute(db);
      renditions.delete(r.songId);
    },
    listRenditions(songId) {
      return renditions.get(songId, () => readCurrentRenditions(db, songId));
    },
    async listAllRenditions(songId) {
      const { rows } = await sql<Row>`
        select * from spoti_server_media_renditions where song_id = ${songId} order by kbps`.execute(
        db,
      );
      return rows.map(toRendition);
    },
    async deleteRendition(songId, kbps) {
      await sql`delete from spoti_server_media_renditions
        where song_id = ${songId} and kbps = ${kbps}`.execute(db);
      renditions.delete(songId);
    },
    async putImage(i) {
      await sql`
        insert into spoti_server_media_images
          (kind, owner_id, user_id, object_key, mime_type, size_bytes, width, height, etag, updated_at)
        values (${i.kind}, ${i.ownerId}, ${i.userId}, ${i.objectKey}, ${i.mimeType}, ${i.sizeBytes},
          ${i.width}, ${i.height}, ${i.etag}, ${i.updatedAt})
        on conflict (kind, owner_id) do update set user_id = excluded.user_id,
          object_key = excluded.object_key, mime_type = excluded.mime_type,
          size_bytes = excluded.size_bytes, width = excluded.width, height = excluded.height,
          etag = excluded.etag, updated_at = excluded.updated_at`.execute(db);
    },
    async getImage(kind, ownerId) {
      const { rows } = await sql<Row>`
        select * from spoti_server_media_images where kind = ${kind} and owner_id = ${ownerId}`.execute(
        db,
      );
      return rows[0] === undefined ? null : toImage(rows[0]);
    },
    async objectKeysOfUser(userId) {
      const { rows } = await sql<{ object_key: string }>`
        select object_key from spoti_server_media_audio where user_id = ${userId}
        union all
        select object_key from spoti_server_media_renditions where user_id = ${userId}
        union all
        select object_key from spoti_server_media_images where user_id = ${userId}`.execute(db);
      return rows.map((r) => r.object_key);
    },
  };
}
