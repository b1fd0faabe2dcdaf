import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { FacePins } from '@spoti/face';
import type { ServerDatabase } from './schema.js';

/** The studio's choices of one user: pins (by parameter letter) and the variation seed. */
export interface FaceChoices {
  readonly pins: FacePins;
  /** Seed of "another variation", or null for the mapped face itself. */
  readonly seed: string | null;
}

/** What the gallery keeps of the profile a face was made from (shown beside it). */
export interface FaceSummary {
  readonly plays: number;
  readonly hours: number;
  readonly topArtists: readonly string[];
  readonly topGenre: string | null;
}

/** A rendered image of a kept face, in object storage. */
export interface FaceImage {
  /** `square` 1024 x 1024 or `banner` 1500 x 500. */
  readonly layout: 'square' | 'banner';
  readonly format: 'png' | 'webp';
  readonly overlay: boolean;
  /** Hash of parameters and overlay data: the file name under `faces/<user id>/`. */
  readonly hash: string;
}

/** A face kept in the gallery. */
export interface StoredFace {
  readonly id: string;
  readonly userId: string;
  /** Hash of the face and its overlay data: the same face generated twice is kept once. */
  readonly contentHash: string;
  /** The period as a query string (`period=year&year=2025`). */
  readonly period: string;
  readonly periodLabel: string;
  /** Notion Faces string (`s2e9m3n3h15a3y0b9`). */
  readonly faceString: string;
  /** The explained face (`Face` of `@spoti/face`) as JSON. */
  readonly face: unknown;
  readonly summary: FaceSummary;
  readonly images: readonly FaceImage[];
  /** Slug of the public page `/f/<slug>`, or null when not shared. */
  readonly shareSlug: string | null;
  readonly sharedAt: number | null;
  readonly createdAt: number;
}

interface FaceRow {
  id: string;
  user_id: string;
  content_hash: string;
  period: string;
  period_label: string;
  face_string: string;
  face: string;
  summary: string;
  images: string;
  share_slug: string | null;
  shared_at: number | string | null;
  created_at: number | string;
}

function toFace(row: FaceRow): StoredFace {
  return {
    id: row.id,
    userId: row.user_id,
    contentHash: row.content_hash,
    period: row.period,
    periodLabel: row.period_label,
    faceString: row.face_string,
    face: JSON.parse(row.face) as unknown,
    summary: JSON.parse(row.summary) as FaceSummary,
    images: JSON.parse(row.images) as FaceImage[],
    shareSlug: row.share_slug,
    sharedAt: row.shared_at === null ? null : Number(row.shared_at),
    createdAt: Number(row.created_at),
  };
}

async function getChoices(db: Kysely<ServerDatabase>, userId: string): Promise<FaceChoices> {
  const { rows } = await sql<{ pins: string; seed: string | null }>`
    select pins, seed from spoti_server_face_pins where user_id = ${userId}`.execute(db);
  const row = rows[0];
  return row === undefined
    ? { pins: {}, seed: null }
    : { pins: JSON.parse(row.pins) as FacePins, seed: row.seed };
}

/** Replaces the user's pins and seed (a repeat writes the same row). */
async function setChoices(
  db: Kysely<ServerDatabase>,
  userId: string,
  choices: FaceChoices,
  now: number,
): Promise<void> {
  await sql`
    insert into spoti_server_face_pins (user_id, pins, seed, updated_at)
    values (${userId}, ${JSON.stringify(choices.pins)}, ${choices.seed}, ${now})
    on conflict (user_id) do update set pins = excluded.pins, seed = excluded.seed,
      updated_at = excluded.updated_at`.execute(db);
}

/**
 * Keeps a face, or returns the one already kept with the same content hash (so a retried
 * request adds nothing); a new image is added to the kept face's list.
 */
async function keep(
  db: Kysely<ServerDatabase>,
  face: Omit<StoredFace, 'id' | 'shareSlug' | 'sharedAt' | 'images'>,
  image: FaceImage,
): Promise<StoredFace> {
  await sql`
    insert into spoti_server_faces (id, user_id, content_hash, period, period_label,
      face_string, face, summary, images, created_at)
    values (${randomUUID()}, ${face.userId}, ${face.contentHash}, ${face.period},
      ${face.periodLabel}, ${face.faceString}, ${JSON.stringify(face.face)},
      ${JSON.stringify(face.summary)}, ${'[]'}, ${face.createdAt})
    on conflict (user_id, content_hash) do nothing`.execute(db);
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<FaceRow>`
      select * from spoti_server_faces where user_id = ${face.userId}
        and content_hash = ${face.contentHash} for update`.execute(tx);
    const row = rows[0];
    if (row === undefined) throw new Error('the kept face vanished');
    const kept = toFace(row);
    if (kept.images.some((i) => i.hash === image.hash)) return kept;
    const images = [...kept.images, image];
    await sql`update spoti_server_faces set images = ${JSON.stringify(images)}
      where id = ${kept.id}`.execute(tx);
    return { ...kept, images };
  });
}

/** A face of the user; null for an unknown id or another user's face (no difference). */
async function get(
  db: Kysely<ServerDatabase>,
  userId: string,
  id: string,
): Promise<StoredFace | null> {
  const { rows } = await sql<FaceRow>`
    select * from spoti_server_faces where id = ${id} and user_id = ${userId}`.execute(db);
  return rows[0] === undefined ? null : toFace(rows[0]);
}

/** The user's faces, newest first. */
async function list(
  db: Kysely<ServerDatabase>,
  userId: string,
  limit = 200,
): Promise<StoredFace[]> {
  const { rows } = await sql<FaceRow>`
    select * from spoti_server_faces where user_id = ${userId}
    order by seq desc limit ${limit}`.execute(db);
  return rows.map(toFace);
}

async function deleteFace(
  db: Kysely<ServerDatabase>,
  userId: string,
  id: string,
): Promise<StoredFace | null> {
  const { rows } = await sql<FaceRow>`
    delete from spoti_server_faces where id = ${id} and user_id = ${userId}
    returning *`.execute(db);
  return rows[0] === undefined ? null : toFace(rows[0]);
}

/** Shares the face under `slug` (kept when already shared, so a repeat changes nothing). */
async function share(
  db: Kysely<ServerDatabase>,
  userId: string,
  id: string,
  slug: string,
  now: number,
): Promise<StoredFace | null> {
  await sql`update spoti_server_faces set share_slug = ${slug}, shared_at = ${now}
    where id = ${id} and user_id = ${userId} and share_slug is null`.execute(db);
  return get(db, userId, id);
}

async function unshare(
  db: Kysely<ServerDatabase>,
  userId: string,
  id: string,
): Promise<StoredFace | null> {
  await sql`update spoti_server_faces set share_slug = null, shared_at = null
    where id = ${id} and user_id = ${userId}`.execute(db);
  return get(db, userId, id);
}

async function bySlug(db: Kysely<ServerDatabase>, slug: string): Promise<StoredFace | null> {
  const { rows } = await sql<FaceRow>`
    select * from spoti_server_faces where share_slug = ${slug}`.execute(db);
  return rows[0] === undefined ? null : toFace(rows[0]);
}

/** The studio's tables: pins and the gallery (the caches are in `faces-cache.ts`). */
export function createFaceRepository(db: Kysely<ServerDatabase>) {
  return {
    getChoices: getChoices.bind(null, db),
    setChoices: setChoices.bind(null, db),
    keep: keep.bind(null, db),
    get: get.bind(null, db),
    list: list.bind(null, db),
    delete: deleteFace.bind(null, db),
    share: share.bind(null, db),
    unshare: unshare.bind(null, db),
    bySlug: bySlug.bind(null, db),
  };
}

/** The repository of {@link createFaceRepository}. */
export type FaceRepository = ReturnType<typeof createFaceRepository>;
