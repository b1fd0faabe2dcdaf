import type { SearchKind, SearchQuery, SearchResult } from '@spoti/catalog';
import type { Router } from 'express';
import { z } from 'zod';
import { type MountRoute, defineRoute, mountRoutes, route } from '../define-route.js';
import type { OpenApiRegistry } from '../openapi.js';
import { iso, pageQuery } from '../schemas.js';
import type { ApiServices } from '../services.js';
import type { ApiUser } from '../auth.js';
import { viewerOf } from './access.js';
import { EncodedJson } from '../encoded-json.js';
import { songSchema, songView } from './views.js';

const KIND_OF = { song: 'track', album: 'album', artist: 'artist', genre: 'genre' } as const;
const NAME_OF: Record<SearchKind, 'song' | 'album' | 'artist' | 'genre'> = {
  track: 'song',
  album: 'album',
  artist: 'artist',
  genre: 'genre',
};

const typeList = z
  .string()
  .regex(
    /^(song|album|artist|genre)(,(song|album|artist|genre))*$/,
    'must be song, album, artist or genre, separated by commas',
  )
  .describe('Kinds of result, e.g. song,album (default: all)');

interface TrendingItem {
  readonly type: 'song' | 'album' | 'artist';
  readonly id: string;
  readonly name: string | null;
  readonly score: number;
  readonly plays: number;
  readonly likes: number;
}

/** The query of `GET /search`. */
const searchQuery = pageQuery.extend({
  q: z
    .string()
    .max(500)
    .default('')
    .describe('The words to find (empty: everything the filters allow)'),
  type: typeList.optional(),
  genre: z.string().min(1).max(100).optional(),
  artist: z.string().min(1).max(200).optional().describe('An artist id'),
  album: z.string().min(1).max(200).optional().describe('An album id'),
  year: z.coerce.number().int().min(1000).max(9999).optional().describe('Release year'),
  sort: z.enum(['relevance', 'plays', 'likes', 'releaseDate', 'addedDate']).default('relevance'),
});

/** What `GET /search` asks the catalog (it also keys the shared answers). */
function searchOptions(query: z.output<typeof searchQuery>, user: ApiUser | null): SearchQuery {
  const kinds = query.type?.split(',').map((t) => KIND_OF[t as keyof typeof KIND_OF]);
  return {
    text: query.q,
    sort: query.sort,
    offset: query.offset,
    limit: query.limit,
    viewerArtistId: viewerOf(user),
    ...(kinds === undefined ? {} : { kinds: [...new Set(kinds)] }),
    ...(query.genre === undefined ? {} : { genre: query.genre }),
    ...(query.artist === undefined ? {} : { artistId: query.artist }),
    ...(query.album === undefined ? {} : { albumId: query.album }),
    ...(query.year === undefined
      ? {}
      : {
          releasedFrom: Date.UTC(query.year, 0, 1),
          releasedTo: Date.UTC(query.year + 1, 0, 1),
        }),
  };
}

/** The body of a `GET /search` answer, serialized once for every caller that shares it. */
function searchBody(result: SearchResult, query: z.output<typeof searchQuery>): EncodedJson {
  return EncodedJson.of({
    items: result.hits.map((h) => ({
      type: NAME_OF[h.kind],
      id: h.id,
      name: h.name,
      score: h.score,
    })),
    total: result.total,
    offset: query.offset,
    limit: query.limit,
  });
}

/** `GET /search` */
function searchRoute(router: Router, registry: OpenApiRegistry, services: ApiServices): void {
  const searchCache = services.shared.search;
  const catalog = services.ctx.database.catalog;
  defineRoute(router, registry, services, {
    method: 'get',
    path: '/search',
    operationId: 'search',
    summary: 'Full-text search over songs, albums, artists and genres',
    description:
      'Accent- and case-insensitive with typo tolerance. Private songs are found only by their artist. Answers are shared between callers asking the same for 2 s (at most 10 s while a refresh runs).',
    tag: 'Discovery',
    auth: 'optional',
    query: searchQuery,
    responses: {
      200: {
        description: 'A page of hits.',
        schema: z.object({
          items: z.array(
            z.object({
              type: z.enum(['song', 'album', 'artist', 'genre']),
              id: z.string(),
              name: z.string(),
              score: z.number(),
            }),
          ),
          total: z.number().int(),
          offset: z.number().int(),
          limit: z.number().int(),
        }),
      },
    },
    async handler({ query, user }) {
      const options = searchOptions(query, user);
      // The options name everything the answer depends on, the viewer's artist profile included.
      const encoded = await searchCache.get(JSON.stringify(options), async () =>
        searchBody(await catalog.search(options), query),
      );
      return { status: 200, encoded };
    },
  });
}

/** `GET /trending` */
function trendingRoute(router: Router, registry: OpenApiRegistry, services: ApiServices): void {
  const trendingCache = services.shared.trending;
  const catalog = services.ctx.database.catalog;
  defineRoute(router, registry, services, {
    method: 'get',
    path: '/trending',
    operationId: 'trending',
    summary: 'Trending songs, albums or artists over the last week, month or all time',
    description:
      'Plays and likes with a one-week half-life. Private songs rank only for their artist. Answers are shared between callers for 5 s (at most 30 s while a refresh runs), so a new play or like shows within seconds.',
    tag: 'Discovery',
    auth: 'optional',
    query: z.object({
      window: z.enum(['week', 'month', 'all']).default('week'),
      type: z.enum(['song', 'album', 'artist']).default('song'),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
    responses: {
      200: {
        description: 'Best first.',
        schema: z.object({
          window: z.enum(['week', 'month', 'all']),
          items: z.array(
            z.object({
              type: z.enum(['song', 'album', 'artist']),
              id: z.string(),
              name: z.string().nullable(),
              score: z.number(),
              plays: z.number().int(),
              likes: z.number().int(),
            }),
          ),
        }),
      },
    },
    async handler({ query, user }) {
      const kind = KIND_OF[query.type];
      // Private songs rank only for their artist: listeners share one entry per request shape,
      // an artist asking for songs gets one of its own.
      const viewer = kind === 'track' ? viewerOf(user) : null;
      const key = `${kind}|${query.window}|${query.limit}|${viewer ?? ''}`;
      const encoded = await trendingCache.get(key, async () => {
        const entries = await catalog.trending({
          kind,
          window: query.window,
          now: services.ctx.clock.now(),
          limit: query.limit,
          viewerArtistId: viewer,
        });
        const names = await services.reads.names(
          kind,
          entries.map((e) => e.id),
        );
        const items: TrendingItem[] = entries.map((e) => ({
          type: query.type,
          id: e.id,
          name: names.get(e.id) ?? null,
          score: e.score,
          plays: e.plays,
          likes: e.likes,
        }));
        return EncodedJson.of({ window: query.window, items });
      });
      return { status: 200, encoded };
    },
  });
}

/** `GET /me/recommendations` */
const recommendationsRoute = route({
  method: 'get',
  path: '/me/recommendations',
  operationId: 'recommendations',
  summary: 'Songs for the caller from its history, likes and favourite genres',
  description:
    "Favourite genres are the genres of the caller's favourite albums and songs. Never a private song.",
  tag: 'Discovery',
  auth: 'required',
  query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
  responses: {
    200: {
      description: 'Best first, each with why.',
      schema: z.object({
        items: z.array(
          z.object({
            song: songSchema,
            score: z.number(),
            reasons: z.array(
              z.object({
                type: z.enum(['artist', 'genre', 'popular']),
                ref: z.string().nullable(),
                text: z.string(),
              }),
            ),
          }),
        ),
      }),
    },
  },
  async handler({ query, user, catalog }) {
    const favourites = await catalog.listFavourites(user.id);
    const genres = new Set<string>();
    for (const f of favourites) {
      if (f.kind === 'album')
        for (const g of (await catalog.getAlbum(f.targetId))?.genres ?? []) genres.add(g);
    }
    const recs = await catalog.recommend({
      userId: user.id,
      favouriteGenres: [...genres],
      limit: query.limit,
    });
    const items = [];
    for (const r of recs) {
      const track = await catalog.getTrack(r.trackId);
      if (track !== null)
        items.push({
          song: songView(track),
          score: r.score,
          reasons: r.reasons.map((x) => ({ ...x })),
        });
    }
    return { status: 200, body: { items } };
  },
});

/** `GET /me/recent` */
const recentlyPlayedRoute = route({
  method: 'get',
  path: '/me/recent',
  operationId: 'recentlyPlayed',
  summary: "The caller's recently played songs, newest first",
  tag: 'Listening',
  auth: 'required',
  query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
  responses: {
    200: {
      description: 'Newest first.',
      schema: z.object({
        items: z.array(
          z.object({
            songId: z.string().nullable(),
            name: z.string(),
            endedAt: z.string(),
            msPlayed: z.number().int(),
          }),
        ),
      }),
    },
  },
  async handler({ query, user, services }) {
    const plays = await services.reads.recentPlays(user.id, query.limit);
    return {
      status: 200,
      body: {
        items: plays.map((p) => ({
          songId: p.trackId,
          name: p.trackName,
          endedAt: iso(p.endedAt),
          msPlayed: p.msPlayed,
        })),
      },
    };
  },
});

/** The operations of discoveryRoutes, in the order they are documented and matched. */
const DISCOVERY_ROUTES: readonly MountRoute[] = [
  searchRoute,
  trendingRoute,
  recommendationsRoute,
  recentlyPlayedRoute,
];

/** Search, trending, recommendations and recently played. */
export function discoveryRoutes(
  router: Router,
  registry: OpenApiRegistry,
  services: ApiServices,
): void {
  mountRoutes(DISCOVERY_ROUTES, router, registry, services);
}
