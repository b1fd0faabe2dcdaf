import { randomUUID } from 'node:crypto';
import { type Play, type Track, canSkip } from '@spoti/catalog';
import type { Router } from 'express';
import { z } from 'zod';
import { type MountRoute, mountRoutes, route } from '../define-route.js';
import type { OpenApiRegistry } from '../openapi.js';
import { ApiProblem } from '../problem.js';
import { idParams, iso } from '../schemas.js';
import type { ApiServices } from '../services.js';
import { actingArtist, changeableSong, existingAlbum, viewerOf, visibleSong } from './access.js';
import { entitlementsOf } from './plan-of.js';
import { songSchema, songView } from './views.js';

const clientId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, _ or -')
  .describe('Optional id chosen by the client, so a retried create does not make a second song');

const songFields = {
  name: z.string().trim().min(1).max(300),
  albumId: z.string().min(1).max(200).nullable(),
  featuredArtistIds: z.array(z.string().min(1).max(200)).max(20),
  durationMs: z.number().int().min(0).max(86_400_000),
  explicit: z.boolean(),
  visibility: z.enum(['public', 'private']),
  discNumber: z.number().int().min(1).max(99),
  trackNumber: z.number().int().min(0).max(9_999),
  isrc: z
    .string()
    .regex(/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/, 'must be an ISRC such as USRC17607839')
    .nullable(),
};

const createSong = z.object({
  id: clientId.optional(),
  name: songFields.name,
  albumId: songFields.albumId.default(null),
  featuredArtistIds: songFields.featuredArtistIds.default([]),
  durationMs: songFields.durationMs.default(0),
  explicit: songFields.explicit.default(false),
  visibility: songFields.visibility.default('public'),
  discNumber: songFields.discNumber.default(1),
  trackNumber: songFields.trackNumber.default(0),
  isrc: songFields.isrc.default(null),
});

const updateSong = z
  .object(songFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');

const playBody = z.object({
  endedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe(
      'When listening ended (default now). Send it on retries: a play is recorded once per (listener, song, endedAt).',
    ),
  msPlayed: z.number().int().min(0).max(86_400_000).optional(),
});

const skipBody = z.object({
  at: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('When the skip happened (default now). Send it on retries: a skip counts once.'),
});

async function checkArtists(services: ApiServices, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    if ((await services.ctx.database.catalog.getArtist(id)) === null)
      throw new ApiProblem(
        'INVALID_INPUT',
        `Invalid body: body.featuredArtistIds: no artist ${id}`,
        {
          fields: [{ path: 'body.featuredArtistIds', message: `no artist ${id}` }],
        },
      );
  }
}

async function checkAlbum(
  services: ApiServices,
  albumId: string | null,
  artistId: string,
  admin: boolean,
) {
  if (albumId === null) return;
  const album = await existingAlbum(services, albumId).catch(() => {
    throw new ApiProblem('INVALID_INPUT', `Invalid body: body.albumId: no album ${albumId}`, {
      fields: [{ path: 'body.albumId', message: `no album ${albumId}` }],
    });
  });
  if (!admin && album.artistIds[0] !== artistId)
    throw new ApiProblem('FORBIDDEN', 'Songs go only on albums of their own artist');
}

/** `GET /songs/random` */
// Before /songs/:id, so "random" is not taken for an id.
const randomSongsRoute = route({
  method: 'get',
  path: '/songs/random',
  operationId: 'randomSongs',
  summary: 'Songs drawn at random, optionally of one genre',
  tag: 'Songs',
  auth: 'optional',
  query: z.object({
    count: z.coerce.number().int().min(1).max(50).default(10),
    genre: z.string().min(1).max(100).optional(),
  }),
  responses: {
    200: {
      description: 'Up to `count` songs, no repeats.',
      schema: z.object({ items: z.array(songSchema) }),
    },
  },
  async handler({ query, user, catalog }) {
    const tracks = await catalog.randomTracks({
      count: query.count,
      viewerArtistId: viewerOf(user),
      ...(query.genre === undefined ? {} : { genre: query.genre }),
    });
    return { status: 200, body: { items: tracks.map(songView) } };
  },
});

/** `POST /songs` */
const createSongRoute = route({
  method: 'post',
  path: '/songs',
  operationId: 'createSong',
  summary: "Create a song's metadata (the audio is uploaded apart)",
  description:
    "The caller's artist profile owns the song and is its first artist. With a client `id`, repeating the request answers 200 with the same song instead of creating another.",
  tag: 'Songs',
  auth: 'required',
  roles: ['artist', 'admin'],
  body: createSong,
  responses: {
    201: { description: 'Created.', schema: songSchema },
    200: { description: 'Already created by an earlier identical request.', schema: songSchema },
  },
  problems: [409],
  async handler({ body, user, services, catalog, now }) {
    const artistId = actingArtist(user);
    if (body.id !== undefined) {
      const existing = await catalog.getTrack(body.id);
      if (existing !== null) {
        if (existing.ownerArtistId !== artistId)
          throw new ApiProblem('CONFLICT', `The id ${body.id} is taken`);
        return { status: 200, body: songView(existing) };
      }
    }
    await checkAlbum(services, body.albumId, artistId, false);
    const featured = body.featuredArtistIds.filter((id) => id !== artistId);
    await checkArtists(services, featured);
    const track: Track = {
      id: body.id ?? `s_${randomUUID().replaceAll('-', '')}`,
      name: body.name,
      albumId: body.albumId,
      artistIds: [artistId, ...new Set(featured)],
      ownerArtistId: artistId,
      durationMs: body.durationMs,
      isrc: body.isrc,
      explicit: body.explicit,
      visibility: body.visibility,
      discNumber: body.discNumber,
      trackNumber: body.trackNumber,
      addedAt: now(),
    };
    await catalog.upsertTracks([track]);
    return {
      status: 201,
      body: songView(track),
      headers: { Location: `/api/v1/songs/${track.id}` },
    };
  },
});

/** `GET /songs/:id` */
const getSongRoute = route({
  method: 'get',
  path: '/songs/:id',
  operationId: 'getSong',
  summary: 'A song (a private song only for its artist)',
  tag: 'Songs',
  auth: 'optional',
  params: idParams,
  responses: { 200: { description: 'The song.', schema: songSchema } },
  problems: [404],
  async handler({ params, user, services }) {
    return { status: 200, body: songView(await visibleSong(services, params.id, user)) };
  },
});

/** `PATCH /songs/:id` */
const updateSongRoute = route({
  method: 'patch',
  path: '/songs/:id',
  operationId: 'updateSong',
  summary: "Change a song's metadata (its artist, or an admin)",
  tag: 'Songs',
  auth: 'required',
  roles: ['artist', 'admin'],
  params: idParams,
  body: updateSong,
  responses: { 200: { description: 'The song.', schema: songSchema } },
  problems: [404],
  async handler({ params, body, user, services, catalog }) {
    const track = await changeableSong(services, params.id, user);
    const owner = track.ownerArtistId ?? track.artistIds[0] ?? '';
    if (body.albumId !== undefined)
      await checkAlbum(services, body.albumId, owner, user.role === 'admin');
    const featured = body.featuredArtistIds?.filter((id) => id !== owner);
    if (featured !== undefined) await checkArtists(services, featured);
    const { featuredArtistIds: _, ...rest } = body;
    const next: Track = {
      ...track,
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
      ...(featured === undefined ? {} : { artistIds: [owner, ...new Set(featured)] }),
    };
    await catalog.upsertTracks([next]);
    // A song made private leaves the answers shared with others at once (and a public one joins).
    if (next.visibility !== track.visibility) services.shared.forget();
    return { status: 200, body: songView(next) };
  },
});

/** `DELETE /songs/:id` */
const deleteSongRoute = route({
  method: 'delete',
  path: '/songs/:id',
  operationId: 'deleteSong',
  summary: 'Delete a song nobody has played, liked or saved (its artist, or an admin)',
  description:
    'A song with plays, likes, favourites or playlist entries is kept (409 SONG_HAS_PLAYS): make it private instead. Deleting a song that is already gone answers 204.',
  tag: 'Songs',
  auth: 'required',
  roles: ['artist', 'admin'],
  params: idParams,
  responses: { 204: { description: 'Deleted (or already gone).' } },
  problems: [404, 409],
  async handler({ params, user, services, catalog }) {
    if ((await catalog.getTrack(params.id)) === null) return { status: 204 };
    await changeableSong(services, params.id, user);
    const { kept } = await catalog.deleteTracks([params.id]);
    const reason = kept[0]?.reason;
    if (reason !== undefined)
      throw new ApiProblem(
        'SONG_HAS_PLAYS',
        `The song is kept because it is ${reason === 'in-playlist' ? 'in a playlist' : reason}: make it private instead`,
      );
    services.shared.forget();
    return { status: 204 };
  },
});

/** `POST /songs/:id/plays` */
const recordPlayRoute = route({
  method: 'post',
  path: '/songs/:id/plays',
  operationId: 'recordPlay',
  summary: 'Record that the caller played a song',
  tag: 'Listening',
  auth: 'required',
  params: idParams,
  body: playBody,
  responses: {
    201: {
      description: 'Recorded.',
      schema: z.object({ recorded: z.boolean(), endedAt: z.string() }),
    },
    200: {
      description: 'This play was recorded before (a retry).',
      schema: z.object({ recorded: z.boolean(), endedAt: z.string() }),
    },
  },
  problems: [404],
  async handler({ params, body, user, services, catalog, now }) {
    const track = await visibleSong(services, params.id, user);
    const endedAt = body.endedAt === undefined ? now() : Date.parse(body.endedAt);
    const artistId = track.artistIds[0];
    const artist = artistId === undefined ? null : await catalog.getArtist(artistId);
    const album = track.albumId === null ? null : await catalog.getAlbum(track.albumId);
    const play: Play = {
      userId: user.id,
      trackId: track.id,
      trackName: track.name,
      artistIds: track.artistIds,
      artistName: artist?.name ?? '',
      albumId: track.albumId,
      albumName: album?.name ?? null,
      endedAt,
      msPlayed: body.msPlayed ?? track.durationMs,
      skipped: null,
      reasonStart: null,
      reasonEnd: null,
      shuffle: null,
      offline: null,
      offlineTimestamp: null,
      platform: 'api',
      source: 'api',
    };
    const { inserted } = await catalog.appendPlays([play]);
    return {
      status: inserted > 0 ? 201 : 200,
      body: { recorded: inserted > 0, endedAt: iso(endedAt) },
    };
  },
});

/** `POST /songs/:id/skip` */
const skipSongRoute = route({
  method: 'post',
  path: '/songs/:id/skip',
  operationId: 'skipSong',
  summary: 'Skip a song; the Free plan allows 6 skips in any hour',
  description:
    "When the plan's limit is reached the answer is 429 SKIP_LIMIT with `retryAt`, the moment the next skip is allowed.",
  tag: 'Listening',
  auth: 'required',
  params: idParams,
  body: skipBody,
  responses: {
    200: {
      description: 'Skipped; `remaining` is null for unlimited plans.',
      schema: z.object({
        skipped: z.boolean(),
        remaining: z.number().int().nullable(),
        plan: z.string(),
      }),
    },
  },
  problems: [404],
  async handler({ params, body, user, services, now }) {
    await visibleSong(services, params.id, user);
    const at = body.at === undefined ? now() : Date.parse(body.at);
    const rights = await entitlementsOf(services, user.id);
    const hourMs = 3_600_000;
    const history = await services.skips.since(user.id, at - hourMs);
    if (await services.skips.has(user.id, params.id, at)) {
      // A retry: answer as the first time (the skip itself not counted against it).
      const earlier = history.filter((t) => t < at);
      const first = canSkip(earlier, at, { limit: rights.skipsPerHour, windowMs: hourMs });
      const remaining = first.allowed ? first.remaining : 0;
      return { status: 200, body: { skipped: true, remaining, plan: rights.effectivePlan } };
    }
    const decision = canSkip(history, at, { limit: rights.skipsPerHour, windowMs: hourMs });
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil((decision.retryAt - now()) / 1000));
      throw new ApiProblem(
        'SKIP_LIMIT',
        `The ${rights.effectivePlan} plan allows ${rights.skipsPerHour} skips an hour: the next one at ${iso(decision.retryAt)}`,
        {
          retryAfterSeconds: seconds,
          extra: { retryAt: iso(decision.retryAt), retryAfterSeconds: seconds },
        },
      );
    }
    await services.skips.record(user.id, params.id, at);
    return {
      status: 200,
      body: { skipped: true, remaining: decision.remaining, plan: rights.effectivePlan },
    };
  },
});

/** The operations of songRoutes, in the order they are documented and matched. */
const SONG_ROUTES: readonly MountRoute[] = [
  randomSongsRoute,
  createSongRoute,
  getSongRoute,
  updateSongRoute,
  deleteSongRoute,
  recordPlayRoute,
  skipSongRoute,
];

/** Songs: metadata create/read/update/delete, random songs, plays and skips. */
export function songRoutes(router: Router, registry: OpenApiRegistry, services: ApiServices): void {
  mountRoutes(SONG_ROUTES, router, registry, services);
}
