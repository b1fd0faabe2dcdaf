import { randomUUID } from 'node:crypto';
import type { Album, Artist, ItemStats } from '@spoti/catalog';
import type { Router } from 'express';
import { z } from 'zod';
import { type MountRoute, mountRoutes, route } from '../define-route.js';
import type { OpenApiRegistry } from '../openapi.js';
import { ApiProblem } from '../problem.js';
import { accountBody } from '../accounts/account-routes.js';
import { accountSchema, idParams, iso, pageOf, pageQuery } from '../schemas.js';
import type { ApiServices } from '../services.js';
import { actingArtist, changeableAlbum, existingAlbum, viewerOf } from './access.js';
import { albumSchema, albumView, artistSchema, artistView, songSchema, songView } from './views.js';

const genres = z.array(z.string().trim().min(1).max(60)).max(10);
const imageUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .nullable();

const albumFields = {
  name: z.string().trim().min(1).max(300),
  type: z.enum(['album', 'single', 'compilation']),
  releaseDate: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD'),
  genres,
  label: z.string().trim().min(1).max(200).nullable(),
  totalTracks: z.number().int().min(0).max(1000),
};

const topQuery = z.object({
  top: z.coerce.number().int().min(0).max(50).default(10).describe('How many top songs to list'),
});

/** Totals of an artist or album as the API shows them. */
const statsSchema = z.object({
  songs: z.number().int().describe('Songs counted (those you may see)'),
  plays: z.number().int(),
  listeners: z.number().int().describe('Distinct listeners who played at least one of them'),
  likes: z.number().int(),
  topSongs: z.array(
    z.object({ song: songSchema, plays: z.number().int(), likes: z.number().int() }),
  ),
});

/** How precise a release date is: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
function precisionOf(releaseDate: string): Album['releaseDatePrecision'] {
  return releaseDate.length === 4 ? 'year' : releaseDate.length === 7 ? 'month' : 'day';
}

/** The API's view of `itemStats`, with each top song's details. */
async function statsBody(
  catalog: ApiServices['ctx']['database']['catalog'],
  stats: ItemStats,
): Promise<z.infer<typeof statsSchema>> {
  const topSongs = [];
  for (const s of stats.topTracks) {
    const track = await catalog.getTrack(s.trackId);
    if (track !== null) topSongs.push({ song: songView(track), plays: s.plays, likes: s.likes });
  }
  return {
    songs: stats.tracks,
    plays: stats.plays,
    listeners: stats.listeners,
    likes: stats.likes,
    topSongs,
  };
}

/** `POST /me/artist` */
const becomeArtistRoute = route({
  method: 'post',
  path: '/me/artist',
  operationId: 'becomeArtist',
  summary: "Create the caller's artist profile and make the account an artist",
  description:
    'Self-service: any account may become an artist. Repeating it answers 200 with the same profile (the body is then ignored). Admins keep the admin role and gain the profile.',
  tag: 'Artists',
  auth: 'required',
  body: z.object({
    name: z.string().trim().min(1).max(200),
    genres: genres.default([]),
    imageUrl: imageUrl.default(null),
  }),
  responses: {
    201: {
      description: 'The new profile and the account.',
      schema: z.object({ artist: artistSchema, account: accountSchema }),
    },
    200: {
      description: 'The account already had a profile.',
      schema: z.object({ artist: artistSchema, account: accountSchema }),
    },
  },
  async handler({ user, body, services, catalog, now }) {
    const account = await services.accounts.byId(user.id);
    if (account === null) throw new ApiProblem('UNAUTHENTICATED', 'The account is gone');
    if (account.artistId !== null) {
      const artist = await catalog.getArtist(account.artistId);
      if (artist !== null)
        return {
          status: 200,
          body: {
            artist: artistView(artist, await services.reads.followerCount(artist.id)),
            account: accountBody(account),
          },
        };
    }
    const artist: Artist = {
      id: account.artistId ?? `ar_${randomUUID().replaceAll('-', '')}`,
      name: body.name,
      genres: body.genres,
      ownerUserId: user.id,
      imageUrl: body.imageUrl,
      addedAt: now(),
    };
    await catalog.upsertArtists([artist]);
    const updated = await services.accounts.update(user.id, {
      artistId: artist.id,
      ...(account.role === 'admin' ? {} : { role: 'artist' as const }),
    });
    const catalogUser = await catalog.getUser(user.id);
    if (catalogUser !== null)
      await catalog.upsertUsers([{ ...catalogUser, role: 'artist', artistId: artist.id }]);
    return {
      status: 201,
      body: { artist: artistView(artist, 0), account: accountBody(updated ?? account) },
    };
  },
});

/** `GET /artists/:id` */
const getArtistRoute = route({
  method: 'get',
  path: '/artists/:id',
  operationId: 'getArtist',
  summary: 'An artist profile with its follower count',
  tag: 'Artists',
  auth: 'optional',
  params: idParams,
  responses: { 200: { description: 'The artist.', schema: artistSchema } },
  problems: [404],
  async handler({ params, services, catalog }) {
    const artist = await catalog.getArtist(params.id);
    if (artist === null) throw new ApiProblem('NOT_FOUND', `No artist with id ${params.id}`);
    return {
      status: 200,
      body: artistView(artist, await services.reads.followerCount(artist.id)),
    };
  },
});

/** `PATCH /artists/:id` */
const updateArtistRoute = route({
  method: 'patch',
  path: '/artists/:id',
  operationId: 'updateArtist',
  summary: 'Change an artist profile (its account, or an admin)',
  tag: 'Artists',
  auth: 'required',
  params: idParams,
  body: z
    .object({ name: z.string().trim().min(1).max(200), genres, imageUrl })
    .partial()
    .refine((v) => Object.keys(v).length > 0, 'name at least one field to change'),
  responses: { 200: { description: 'The artist.', schema: artistSchema } },
  problems: [403, 404],
  async handler({ params, body, user, services, catalog }) {
    const artist = await catalog.getArtist(params.id);
    if (artist === null) throw new ApiProblem('NOT_FOUND', `No artist with id ${params.id}`);
    if (user.role !== 'admin' && user.artistId !== artist.id)
      throw new ApiProblem('FORBIDDEN', "Only the artist's own account may change its profile");
    const next: Artist = {
      ...artist,
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.genres === undefined ? {} : { genres: body.genres }),
      ...(body.imageUrl === undefined ? {} : { imageUrl: body.imageUrl }),
    };
    await catalog.upsertArtists([next]);
    return { status: 200, body: artistView(next, await services.reads.followerCount(next.id)) };
  },
});

/** `GET /artists/:id/followers` */
const listFollowersRoute = route({
  method: 'get',
  path: '/artists/:id/followers',
  operationId: 'listFollowers',
  summary: "An artist's followers, newest first",
  tag: 'Artists',
  auth: 'optional',
  params: idParams,
  query: pageQuery,
  responses: {
    200: {
      description: 'A page of followers.',
      schema: pageOf(
        z.object({ userId: z.string(), displayName: z.string(), followedAt: z.string() }),
      ),
    },
  },
  problems: [404],
  async handler({ params, query, services, catalog }) {
    if ((await catalog.getArtist(params.id)) === null)
      throw new ApiProblem('NOT_FOUND', `No artist with id ${params.id}`);
    const page = await services.reads.followers(params.id, query.offset, query.limit);
    return {
      status: 200,
      body: {
        items: page.items.map((f) => ({ ...f, followedAt: iso(f.followedAt) })),
        total: page.total,
        offset: query.offset,
        limit: query.limit,
      },
    };
  },
});

/** `GET /artists/:id/stats` */
const artistStatsRoute = route({
  method: 'get',
  path: '/artists/:id/stats',
  operationId: 'artistStats',
  summary: "An artist's plays, listeners, likes, followers and top songs",
  description:
    'Counted over the songs of which the artist is the primary artist and that you may see: a private song counts for its artist only.',
  tag: 'Artists',
  auth: 'optional',
  params: idParams,
  query: topQuery,
  responses: {
    200: {
      description: 'Statistics over every play of the artist (as primary artist).',
      schema: statsSchema.extend({ followers: z.number().int() }),
    },
  },
  problems: [404],
  async handler({ params, query, user, services, catalog }) {
    if ((await catalog.getArtist(params.id)) === null)
      throw new ApiProblem('NOT_FOUND', `No artist with id ${params.id}`);
    const stats = await catalog.itemStats({
      kind: 'artist',
      id: params.id,
      viewerArtistId: viewerOf(user),
      top: query.top,
    });
    return {
      status: 200,
      body: {
        ...(await statsBody(catalog, stats)),
        followers: await services.reads.followerCount(params.id),
      },
    };
  },
});

/** `GET /artists/:id/songs` */
const listArtistSongsRoute = route({
  method: 'get',
  path: '/artists/:id/songs',
  operationId: 'listArtistSongs',
  summary: "An artist's songs, newest first (private ones only for the artist)",
  tag: 'Artists',
  auth: 'optional',
  params: idParams,
  query: pageQuery,
  responses: { 200: { description: 'A page of songs.', schema: pageOf(songSchema) } },
  problems: [404],
  async handler({ params, query, user, catalog }) {
    if ((await catalog.getArtist(params.id)) === null)
      throw new ApiProblem('NOT_FOUND', `No artist with id ${params.id}`);
    const page = await catalog.listTracks({
      artistId: params.id,
      viewerArtistId: viewerOf(user),
      ...query,
    });
    return {
      status: 200,
      body: { items: page.tracks.map(songView), total: page.total, ...query },
    };
  },
});

/** `GET /artists/:id/albums` */
const listArtistAlbumsRoute = route({
  method: 'get',
  path: '/artists/:id/albums',
  operationId: 'listArtistAlbums',
  summary: "An artist's albums, newest release first",
  tag: 'Artists',
  auth: 'optional',
  params: idParams,
  query: pageQuery,
  responses: { 200: { description: 'A page of albums.', schema: pageOf(albumSchema) } },
  problems: [404],
  async handler({ params, query, services, catalog }) {
    if ((await catalog.getArtist(params.id)) === null)
      throw new ApiProblem('NOT_FOUND', `No artist with id ${params.id}`);
    const { total, ids } = await services.reads.albumIdsOf(params.id, query.offset, query.limit);
    const items = [];
    for (const id of ids) {
      const album = await catalog.getAlbum(id);
      if (album !== null) items.push(albumView(album));
    }
    return { status: 200, body: { items, total, ...query } };
  },
});

/** `POST /albums` */
const createAlbumRoute = route({
  method: 'post',
  path: '/albums',
  operationId: 'createAlbum',
  summary: "Create an album of the caller's artist profile",
  description: 'With a client `id`, repeating the request answers 200 with the same album.',
  tag: 'Albums',
  auth: 'required',
  roles: ['artist', 'admin'],
  body: z.object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, _ or -')
      .optional(),
    name: albumFields.name,
    type: albumFields.type.default('album'),
    releaseDate: albumFields.releaseDate,
    genres: albumFields.genres.default([]),
    label: albumFields.label.default(null),
    totalTracks: albumFields.totalTracks.default(0),
  }),
  responses: {
    201: { description: 'Created.', schema: albumSchema },
    200: { description: 'Already created by an earlier identical request.', schema: albumSchema },
  },
  problems: [409],
  async handler({ body, user, catalog, now }) {
    const artistId = actingArtist(user);
    if (body.id !== undefined) {
      const existing = await catalog.getAlbum(body.id);
      if (existing !== null) {
        if (existing.artistIds[0] !== artistId)
          throw new ApiProblem('CONFLICT', `The id ${body.id} is taken`);
        return { status: 200, body: albumView(existing) };
      }
    }
    const album: Album = {
      id: body.id ?? `al_${randomUUID().replaceAll('-', '')}`,
      name: body.name,
      type: body.type,
      artistIds: [artistId],
      releaseDate: body.releaseDate,
      releaseDatePrecision: precisionOf(body.releaseDate),
      upc: null,
      explicit: false,
      variantOfAlbumId: null,
      genres: body.genres,
      label: body.label,
      imageUrl: null,
      totalTracks: body.totalTracks,
      addedAt: now(),
    };
    await catalog.upsertAlbums([album]);
    return {
      status: 201,
      body: albumView(album),
      headers: { Location: `/api/v1/albums/${album.id}` },
    };
  },
});

/** `GET /albums/:id` */
const getAlbumRoute = route({
  method: 'get',
  path: '/albums/:id',
  operationId: 'getAlbum',
  summary: 'An album with its songs in order (private songs only for their artist)',
  tag: 'Albums',
  auth: 'optional',
  params: idParams,
  responses: {
    200: {
      description: 'The album.',
      schema: albumSchema.extend({ songs: z.array(songSchema) }),
    },
  },
  problems: [404],
  async handler({ params, user, services, catalog }) {
    const album = await existingAlbum(services, params.id);
    const { tracks } = await catalog.listTracks({
      albumId: album.id,
      viewerArtistId: viewerOf(user),
      limit: 500,
    });
    return { status: 200, body: { ...albumView(album), songs: tracks.map(songView) } };
  },
});

/** `GET /albums/:id/stats` */
const albumStatsRoute = route({
  method: 'get',
  path: '/albums/:id/stats',
  operationId: 'albumStats',
  summary: "An album's plays, listeners, likes and most played songs",
  description:
    'Counted over the songs of the album that you may see: a private song counts for its artist only.',
  tag: 'Albums',
  auth: 'optional',
  params: idParams,
  query: topQuery,
  responses: { 200: { description: 'Statistics of the album.', schema: statsSchema } },
  problems: [404],
  async handler({ params, query, user, services, catalog }) {
    const album = await existingAlbum(services, params.id);
    const stats = await catalog.itemStats({
      kind: 'album',
      id: album.id,
      viewerArtistId: viewerOf(user),
      top: query.top,
    });
    return { status: 200, body: await statsBody(catalog, stats) };
  },
});

/** `PATCH /albums/:id` */
const updateAlbumRoute = route({
  method: 'patch',
  path: '/albums/:id',
  operationId: 'updateAlbum',
  summary: 'Change an album (its artist, or an admin)',
  tag: 'Albums',
  auth: 'required',
  roles: ['artist', 'admin'],
  params: idParams,
  body: z
    .object(albumFields)
    .partial()
    .refine((v) => Object.keys(v).length > 0, 'name at least one field to change'),
  responses: { 200: { description: 'The album.', schema: albumSchema } },
  problems: [404],
  async handler({ params, body, user, services, catalog }) {
    const album = await changeableAlbum(services, params.id, user);
    const next: Album = {
      ...album,
      ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
      ...(body.releaseDate === undefined
        ? {}
        : { releaseDatePrecision: precisionOf(body.releaseDate) }),
    };
    await catalog.upsertAlbums([next]);
    return { status: 200, body: albumView(next) };
  },
});

/** `GET /genres` */
const listGenresRoute = route({
  method: 'get',
  path: '/genres',
  operationId: 'listGenres',
  summary: 'Every genre named by an artist or album (they appear as artists and albums use them)',
  tag: 'Discovery',
  auth: 'optional',
  responses: {
    200: {
      description: 'Sorted by id.',
      schema: z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) }),
    },
  },
  async handler({ catalog }) {
    const items = (await catalog.listGenres()).map((g) => ({ id: g.id, name: g.name }));
    return { status: 200, body: { items } };
  },
});

/** The operations of albumArtistRoutes, in the order they are documented and matched. */
const ALBUM_ARTIST_ROUTES: readonly MountRoute[] = [
  becomeArtistRoute,
  getArtistRoute,
  updateArtistRoute,
  listFollowersRoute,
  artistStatsRoute,
  listArtistSongsRoute,
  listArtistAlbumsRoute,
  createAlbumRoute,
  getAlbumRoute,
  albumStatsRoute,
  updateAlbumRoute,
  listGenresRoute,
];

/** Albums, artist profiles (with followers and statistics), and becoming an artist. */
export function albumArtistRoutes(
  router: Router,
  registry: OpenApiRegistry,
  services: ApiServices,
): void {
  mountRoutes(ALBUM_ARTIST_ROUTES, router, registry, services);
}
