import { join } from 'node:path';
import type { Track } from '@spoti/catalog';
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { ApiUser } from '../auth.js';
import { authenticate, requireRole } from '../auth.js';
import type { OpenApiRegistry } from '../openapi.js';
import { isoTime, iso } from '../schemas.js';
import type { ApiServices } from '../services.js';
import { manages } from './api-caller.js';
import { AUDIO_FORM, imageForm, receiveAudio, receiveImage } from './media-intake.js';
import { MediaProblem, mediaProblemHandler } from './media-problem.js';
import { type MediaServices, mediaServicesOf } from './media-services.js';
import { uploadFormDocument } from './multipart-file.js';
import { chooseStream, sendObjectRange } from './stream-audio.js';

/** Ids that can name a folder of object storage. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const idParam = (name: string) =>
  z.object({
    [name]: z.string().regex(ID, 'must be letters, digits, ., _ or - (at most 128)'),
  }) as z.ZodObject;

const audioSchema = z.object({
  songId: z.string(),
  format: z.enum(['mp3', 'wav', 'flac', 'ogg', 'm4a', 'aac']),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  durationMs: z.number().int(),
  bitrateKbps: z.number().int().nullable().describe('Bitrate of the original, when the file says'),
  renditionsKbps: z
    .array(z.number().int())
    .describe('Bitrates ready to stream; empty until the renditions job has run'),
  updatedAt: isoTime,
});

const imageSchema = z.object({
  kind: z.enum(['cover', 'avatar']),
  ownerId: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  url: z.string(),
  updatedAt: isoTime,
});

const binary = (description: string) => z.string().describe(description);

const UPLOAD_HELP =
  'Send `multipart/form-data` with one file part (any field name); an optional `size` field sent before it must equal the file’s byte count (`SIZE_MISMATCH` otherwise). The type is recognised by content, never by name; a declared part type that contradicts the content is refused (`MEDIA_TYPE_MISMATCH`). Nothing is kept from a refused upload. Repeating an upload replaces the file with the same bytes.';

function param(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || !ID.test(value))
    throw new MediaProblem(
      'INVALID_INPUT',
      `${name} must be letters, digits, ., _ or - (at most 128)`,
    );
  return value;
}

function visibleTo(track: Track, user: ApiUser | null): boolean {
  if (track.visibility === 'public') return true;
  return user !== null && track.ownerArtistId !== null && user.artistId === track.ownerArtistId;
}

/** What the media operations share: where they mount, the context and its media services. */
interface MediaRouting {
  readonly router: Router;
  readonly registry: OpenApiRegistry;
  readonly ctx: ApiServices['ctx'];
  readonly media: MediaServices['media'];
  readonly billing: MediaServices['billing'];
  /** Where uploads are spooled before they reach object storage. */
  readonly tempDir: string;
  readonly required: RequestHandler;
  readonly optional: RequestHandler;
}

function user(res: Response): ApiUser {
  return res.locals.apiUser as ApiUser;
}

function userOrNull(res: Response): ApiUser | null {
  return (res.locals.apiUser as ApiUser | null) ?? null;
}

/** The song `id` if `viewer` may see it. */
async function songFor(m: MediaRouting, id: string, viewer: ApiUser | null): Promise<Track> {
  const track = await m.ctx.database.catalog.getTrack(id);
  if (track === null || !visibleTo(track, viewer))
    throw new MediaProblem('NOT_FOUND', `No song with id ${id}`);
  return track;
}

/** The API's view of a song's stored audio and its renditions. */
async function audioBody(m: MediaRouting, songId: string) {
  const audio = await m.media.getAudio(songId);
  if (audio === null) throw new MediaProblem('NO_AUDIO', `Song ${songId} has no audio yet`);
  const renditions = await m.media.listRenditions(songId);
  return {
    songId,
    format: audio.format as z.infer<typeof audioSchema>['format'],
    mimeType: audio.mimeType,
    sizeBytes: audio.sizeBytes,
    durationMs: audio.durationMs,
    bitrateKbps: audio.bitrateKbps,
    renditionsKbps: renditions.map((r) => r.kbps),
    updatedAt: iso(audio.updatedAt),
  };
}

/** `PUT /songs/:id/audio` */
function uploadSongAudioRoute(m: MediaRouting): void {
  const { router, registry, ctx, media, tempDir, required } = m;
  registry.add({
    method: 'put',
    path: '/songs/:id/audio',
    operationId: 'uploadSongAudio',
    summary: "Upload (or replace) a song's audio",
    description: `The owning artist only. MP3, WAV, FLAC, OGG, M4A or AAC, at most 50 MB (52,428,800 bytes). The duration is read from the file and written to the song. Renditions at 96, 160 and 320 kbps are then made in the background. ${UPLOAD_HELP}`,
    tag: 'Media',
    auth: 'required',
    roles: ['artist', 'admin'],
    params: idParam('id'),
    multipart: uploadFormDocument(AUDIO_FORM),
    responses: { 200: { description: 'The stored audio.', schema: audioSchema } },
    problems: [404, 413, 415],
  });
  router.put('/songs/:id/audio', required, requireRole('artist', 'admin'), async (req, res) => {
    const caller = user(res);
    const songId = param(req, 'id');
    const track = await ctx.database.catalog.getTrack(songId);
    if (track === null || (!visibleTo(track, caller) && caller.role !== 'admin'))
      throw new MediaProblem('NOT_FOUND', `No song with id ${songId}`);
    if (!manages(caller, track.ownerArtistId))
      throw new MediaProblem('FORBIDDEN', 'Only the artist who owns the song can upload its audio');
    const key = `media/audio/${songId}/original`;
    const received = await receiveAudio(req, { objects: ctx.objects, key, tempDir });
    await media.putAudio({
      songId,
      userId: caller.id,
      objectKey: key,
      format: received.format,
      mimeType: received.mimeType,
      sizeBytes: received.object.size,
      durationMs: received.durationMs,
      bitrateKbps: received.bitrateKbps,
      etag: received.object.etag,
      updatedAt: ctx.clock.now(),
    });
    if (track.durationMs !== received.durationMs)
      await ctx.database.catalog.upsertTracks([{ ...track, durationMs: received.durationMs }]);
    ctx.runner.start('media-renditions', { songId }, caller.id);
    res.status(200).json(await audioBody(m, songId));
  });
}

/** `GET /songs/:id/audio` */
function getSongAudioRoute(m: MediaRouting): void {
  const { router, registry, optional } = m;
  registry.add({
    method: 'get',
    path: '/songs/:id/audio',
    operationId: 'getSongAudio',
    summary: "A song's audio: format, duration, renditions ready",
    tag: 'Media',
    auth: 'optional',
    params: idParam('id'),
    responses: { 200: { description: 'The audio.', schema: audioSchema } },
    problems: [404],
  });
  router.get('/songs/:id/audio', optional, async (req, res) => {
    const songId = param(req, 'id');
    await songFor(m, songId, userOrNull(res));
    res.status(200).json(await audioBody(m, songId));
  });
}

/** `GET /songs/:id/stream` */
function streamSongRoute(m: MediaRouting): void {
  const { router, registry, ctx, media, billing, required } = m;
  registry.add({
    method: 'get',
    path: '/songs/:id/stream',
    operationId: 'streamSong',
    summary: 'Stream a song at the quality your plan allows',
    description:
      'Serves the rendition at the best bitrate your plan allows (Free 160 kbps, Premium 320), or at `quality` when lower. Until the renditions exist the uploaded original is served. `X-Audio-Quality` says which: `96`, `160`, `320` or `original`; `X-Audio-Plan` names the plan in effect. HTTP ranges: `Range: bytes=a-b`, `bytes=a-`, `bytes=-n` answer 206 with `Content-Range`; a range past the end answers 416; `If-Range` with a stale ETag or date answers the whole file. HEAD answers the headers.',
    tag: 'Media',
    auth: 'required',
    params: idParam('id'),
    query: z.object({
      quality: z.enum(['96', '160', '320']).optional().describe('Highest bitrate wanted, in kbps'),
    }),
    responses: {
      200: {
        description: 'The whole file.',
        schema: binary('audio bytes'),
        contentType: 'audio/mpeg',
      },
      206: {
        description: 'The range asked for.',
        schema: binary('audio bytes'),
        contentType: 'audio/mpeg',
      },
    },
    problems: [404, 416],
  });
  router.get('/songs/:id/stream', required, async (req, res) => {
    const caller = user(res);
    const songId = param(req, 'id');
    const quality = req.query.quality;
    if (quality !== undefined && quality !== '96' && quality !== '160' && quality !== '320')
      throw new MediaProblem('INVALID_INPUT', 'quality must be 96, 160 or 320');
    // Independent lookups, side by side (a pool serves them at once on PostgreSQL).
    const [, { entitlements }, renditions] = await Promise.all([
      songFor(m, songId, caller),
      billing.entitlements(caller.id),
      media.listRenditions(songId),
    ]);
    const choice = await chooseStream(
      renditions,
      entitlements,
      quality === undefined ? undefined : (Number(quality) as 96 | 160 | 320),
      () => media.getAudio(songId),
    );
    if (choice === null) throw new MediaProblem('NO_AUDIO', `Song ${songId} has no audio yet`);
    await sendObjectRange(req, res, ctx.objects, choice.objectKey, {
      'X-Audio-Quality': choice.quality,
      'X-Audio-Plan': entitlements.effectivePlan,
      'Access-Control-Expose-Headers':
        'Content-Range, Accept-Ranges, ETag, X-Audio-Quality, X-Audio-Plan',
    });
  });
}

/** `GET /albums/:id/cover` or `GET /users/:id/avatar` */
function imageReadRoute(m: MediaRouting, kind: 'cover' | 'avatar'): void {
  const { router, registry, ctx, media } = m;
  const path = kind === 'cover' ? '/albums/:id/cover' : '/users/:id/avatar';
  const readBody = async (ownerId: string) => {
    const image = await media.getImage(kind, ownerId);
    if (image === null) throw new MediaProblem('NOT_FOUND', `No ${kind} for ${ownerId}`);
    return image;
  };
  registry.add({
    method: 'get',
    path,
    operationId: kind === 'cover' ? 'getAlbumCover' : 'getAvatar',
    summary: kind === 'cover' ? "An album's cover image" : "An account's avatar",
    tag: 'Media',
    auth: 'none',
    params: idParam('id'),
    responses: {
      200: {
        description: 'The image (JPEG, PNG or WebP).',
        schema: binary('image bytes'),
        contentType: 'image/jpeg',
      },
    },
    problems: [404],
  });
  router.get(path, async (req, res) => {
    const image = await readBody(param(req, 'id'));
    await sendObjectRange(req, res, ctx.objects, image.objectKey, {
      'Cache-Control': 'public, max-age=300',
    });
  });
}

/** `PUT /albums/:id/cover` or `PUT /me/avatar` */
function imageUploadRoute(m: MediaRouting, kind: 'cover' | 'avatar'): void {
  const { router, registry, ctx, media, tempDir, required } = m;
  const uploadPath = kind === 'cover' ? '/albums/:id/cover' : '/me/avatar';
  registry.add({
    method: 'put',
    path: uploadPath,
    operationId: kind === 'cover' ? 'uploadAlbumCover' : 'uploadAvatar',
    summary:
      kind === 'cover' ? "Upload (or replace) an album's cover" : 'Upload (or replace) your avatar',
    description: `${kind === 'cover' ? 'An artist of the album only. At most 10 MB and 10,000 pixels a side.' : 'At most 4 MB and 4,096 pixels a side.'} JPEG, PNG or WebP; the dimensions are read from the header. ${UPLOAD_HELP}`,
    tag: 'Media',
    auth: 'required',
    ...(kind === 'cover' ? { roles: ['artist', 'admin'], params: idParam('id') } : {}),
    multipart: uploadFormDocument(imageForm(kind)),
    responses: { 200: { description: 'The stored image.', schema: imageSchema } },
    problems: [404, 413, 415, 422],
  });
  const guards = kind === 'cover' ? [required, requireRole('artist', 'admin')] : [required];
  router.put(uploadPath, ...guards, async (req, res) => {
    const caller = user(res);
    let ownerId = caller.id;
    if (kind === 'cover') {
      ownerId = param(req, 'id');
      const album = await ctx.database.catalog.getAlbum(ownerId);
      if (album === null) throw new MediaProblem('NOT_FOUND', `No album with id ${ownerId}`);
      if (caller.role !== 'admin' && !album.artistIds.includes(caller.artistId ?? ''))
        throw new MediaProblem('FORBIDDEN', 'Only an artist of the album can upload its cover');
    } else if (!ID.test(ownerId)) {
      throw new MediaProblem('INVALID_INPUT', 'This account id cannot name an avatar');
    }
    const key = `media/${kind}s/${ownerId}`;
    const received = await receiveImage(req, {
      objects: ctx.objects,
      key,
      tempDir,
      purpose: kind,
    });
    const updatedAt = ctx.clock.now();
    await media.putImage({
      kind,
      ownerId,
      userId: caller.id,
      objectKey: key,
      mimeType: received.mimeType,
      sizeBytes: received.object.size,
      width: received.width,
      height: received.height,
      etag: received.object.etag,
      updatedAt,
    });
    const url = `${ctx.publicUrl()}/api/v1${kind === 'cover' ? `/albums/${ownerId}/cover` : `/users/${ownerId}/avatar`}`;
    if (kind === 'cover') {
      const album = await ctx.database.catalog.getAlbum(ownerId);
      if (album !== null && album.imageUrl !== url)
        await ctx.database.catalog.upsertAlbums([{ ...album, imageUrl: url }]);
    }
    res.status(200).json({
      kind,
      ownerId,
      mimeType: received.mimeType,
      sizeBytes: received.object.size,
      width: received.width,
      height: received.height,
      url,
      updatedAt: iso(updatedAt),
    });
  });
}

/** The media operations, in the order they are documented and matched. */
const MEDIA_ROUTES: readonly ((m: MediaRouting) => void)[] = [
  uploadSongAudioRoute,
  getSongAudioRoute,
  streamSongRoute,
  (m) => imageReadRoute(m, 'cover'),
  (m) => imageUploadRoute(m, 'cover'),
  (m) => imageReadRoute(m, 'avatar'),
  (m) => imageUploadRoute(m, 'avatar'),
];

/**
 * Media: audio upload (≤ 50 MB, type by content, duration read from the file), streaming with
 * HTTP ranges at the quality the listener's plan allows, covers and avatars.
 */
export function mediaRoutes(
  router: Router,
  registry: OpenApiRegistry,
  services: ApiServices,
): void {
  const ctx = services.ctx;
  const { media, billing } = mediaServicesOf(ctx);
  const m: MediaRouting = {
    router,
    registry,
    ctx,
    media,
    billing,
    tempDir: join(ctx.uploadDir, 'media'),
    required: authenticate(services, 'required'),
    optional: authenticate(services, 'optional'),
  };
  for (const mount of MEDIA_ROUTES) mount(m);
  router.use(['/songs', '/albums', '/users', '/me/avatar'], mediaProblemHandler);
}
