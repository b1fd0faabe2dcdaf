import type { Router } from 'express';
import { z } from 'zod';
import { type MountRoute, mountRoutes, route } from '../define-route.js';
import type { OpenApiRegistry } from '../openapi.js';
import { ApiProblem } from '../problem.js';
import { idParams, iso } from '../schemas.js';
import type { ApiServices } from '../services.js';
import { existingAlbum, visibleSong } from './access.js';

const done = { 204: { description: 'Done (repeating it changes nothing).' } } as const;

const favouriteParams = z.object({ kind: z.enum(['songs', 'albums']), id: idParams.shape.id });

/** `PUT /me/likes/:id` */
const likeSongRoute = route({
  method: 'put',
  path: '/me/likes/:id',
  operationId: 'likeSong',
  summary: 'Like a song',
  tag: 'Library',
  auth: 'required',
  params: idParams,
  responses: done,
  problems: [404],
  async handler({ params, user, services, catalog, now }) {
    await visibleSong(services, params.id, user);
    await catalog.like({ userId: user.id, trackId: params.id, likedAt: now() });
    return { status: 204 };
  },
});

/** `DELETE /me/likes/:id` */
const unlikeSongRoute = route({
  method: 'delete',
  path: '/me/likes/:id',
  operationId: 'unlikeSong',
  summary: 'Remove a like',
  tag: 'Library',
  auth: 'required',
  params: idParams,
  responses: done,
  async handler({ params, user, catalog }) {
    await catalog.unlike(user.id, params.id);
    return { status: 204 };
  },
});

/** `GET /me/likes` */
const listLikesRoute = route({
  method: 'get',
  path: '/me/likes',
  operationId: 'listLikes',
  summary: "The caller's liked songs, newest first",
  tag: 'Library',
  auth: 'required',
  responses: {
    200: {
      description: 'Newest first.',
      schema: z.object({ items: z.array(z.object({ songId: z.string(), likedAt: z.string() })) }),
    },
  },
  async handler({ user, catalog }) {
    const likes = await catalog.listLikes(user.id);
    return {
      status: 200,
      body: { items: likes.map((l) => ({ songId: l.trackId, likedAt: iso(l.likedAt) })) },
    };
  },
});

/** `PUT /me/favourites/:kind/:id` */
const addFavouriteRoute = route({
  method: 'put',
  path: '/me/favourites/:kind/:id',
  operationId: 'addFavourite',
  summary: 'Mark a song or an album as a favourite',
  tag: 'Library',
  auth: 'required',
  params: favouriteParams,
  responses: done,
  problems: [404],
  async handler({ params, user, services, catalog, now }) {
    if (params.kind === 'songs') await visibleSong(services, params.id, user);
    else await existingAlbum(services, params.id);
    await catalog.addFavourite({
      userId: user.id,
      kind: params.kind === 'songs' ? 'track' : 'album',
      targetId: params.id,
      addedAt: now(),
    });
    return { status: 204 };
  },
});

/** `DELETE /me/favourites/:kind/:id` */
const removeFavouriteRoute = route({
  method: 'delete',
  path: '/me/favourites/:kind/:id',
  operationId: 'removeFavourite',
  summary: 'Remove a favourite',
  tag: 'Library',
  auth: 'required',
  params: favouriteParams,
  responses: done,
  async handler({ params, user, catalog }) {
    await catalog.removeFavourite(user.id, params.kind === 'songs' ? 'track' : 'album', params.id);
    return { status: 204 };
  },
});

/** `GET /me/favourites` */
const listFavouritesRoute = route({
  method: 'get',
  path: '/me/favourites',
  operationId: 'listFavourites',
  summary: "The caller's favourite songs and albums",
  tag: 'Library',
  auth: 'required',
  responses: {
    200: {
      description: 'Albums, then songs, each by id.',
      schema: z.object({
        items: z.array(
          z.object({ type: z.enum(['song', 'album']), id: z.string(), addedAt: z.string() }),
        ),
      }),
    },
  },
  async handler({ user, catalog }) {
    const list = await catalog.listFavourites(user.id);
    return {
      status: 200,
      body: {
        items: list.map((f) => ({
          type: f.kind === 'track' ? ('song' as const) : ('album' as const),
          id: f.targetId,
          addedAt: iso(f.addedAt),
        })),
      },
    };
  },
});

/** `PUT /me/follows/:id` */
const followArtistRoute = route({
  method: 'put',
  path: '/me/follows/:id',
  operationId: 'followArtist',
  summary: 'Follow an artist',
  tag: 'Library',
  auth: 'required',
  params: idParams,
  responses: done,
  problems: [404],
  async handler({ params, user, catalog, now }) {
    if ((await catalog.getArtist(params.id)) === null)
      throw new ApiProblem('NOT_FOUND', `No artist with id ${params.id}`);
    await catalog.follow({ userId: user.id, artistId: params.id, followedAt: now() });
    return { status: 204 };
  },
});

/** `DELETE /me/follows/:id` */
const unfollowArtistRoute = route({
  method: 'delete',
  path: '/me/follows/:id',
  operationId: 'unfollowArtist',
  summary: 'Unfollow an artist',
  tag: 'Library',
  auth: 'required',
  params: idParams,
  responses: done,
  async handler({ params, user, catalog }) {
    await catalog.unfollow(user.id, params.id);
    return { status: 204 };
  },
});

/** `GET /me/follows` */
const listFollowsRoute = route({
  method: 'get',
  path: '/me/follows',
  operationId: 'listFollows',
  summary: 'The artists the caller follows',
  tag: 'Library',
  auth: 'required',
  responses: {
    200: {
      description: 'By artist id.',
      schema: z.object({
        items: z.array(z.object({ artistId: z.string(), followedAt: z.string() })),
      }),
    },
  },
  async handler({ user, catalog }) {
    const list = await catalog.listFollows(user.id);
    return {
      status: 200,
      body: { items: list.map((f) => ({ artistId: f.artistId, followedAt: iso(f.followedAt) })) },
    };
  },
});

/** The operations of libraryRoutes, in the order they are documented and matched. */
const LIBRARY_ROUTES: readonly MountRoute[] = [
  likeSongRoute,
  unlikeSongRoute,
  listLikesRoute,
  addFavouriteRoute,
  removeFavouriteRoute,
  listFavouritesRoute,
  followArtistRoute,
  unfollowArtistRoute,
  listFollowsRoute,
];

/** Likes, favourites (songs and albums) and follows of the caller: every write is idempotent. */
export function libraryRoutes(
  router: Router,
  registry: OpenApiRegistry,
  services: ApiServices,
): void {
  mountRoutes(LIBRARY_ROUTES, router, registry, services);
}
