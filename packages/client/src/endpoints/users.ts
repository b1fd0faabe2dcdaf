import { z } from 'zod';
import type { ClientCore } from '../internal/client-core.js';
import { args } from '../internal/args.js';
import { SCOPES_BY_METHOD } from '../scopes.js';
import { artistSchema, type SpotifyArtist } from '../schemas/artist.js';
import {
  cursorPagingSchema,
  pagingSchema,
  type SpotifyCursorPaging,
  type SpotifyPaging,
} from '../schemas/paging.js';
import { type SpotifyTrack, trackSchema } from '../schemas/track.js';
import { type SpotifyUser, userSchema } from '../schemas/user.js';
import { type CallOptions, clampLimit, type OffsetParams } from './params.js';

/** `short_term` (~4 weeks), `medium_term` (~6 months), `long_term` (~1 year). */
export type TimeRange = 'short_term' | 'medium_term' | 'long_term';

/** Parameters of the top-items reads. */
export type TopParams = OffsetParams & { timeRange?: TimeRange | undefined };

export async function getMe(core: ClientCore, options: CallOptions): Promise<SpotifyUser> {
  return core.request({
    method: 'GET',
    endpoint: 'GET /me',
    path: '/me',
    schema: userSchema,
    signal: args.params(options).signal,
  });
}

export async function getTopArtists(
  core: ClientCore,
  params: TopParams,
): Promise<SpotifyPaging<SpotifyArtist>> {
  args.params(params);
  return core.request({
    method: 'GET',
    endpoint: 'GET /me/top/artists',
    scopes: SCOPES_BY_METHOD.getTopArtists.anyOf,
    path: '/me/top/artists',
    query: topQuery(params),
    schema: pagingSchema(artistSchema),
    signal: params.signal,
  });
}

export async function getTopTracks(
  core: ClientCore,
  params: TopParams,
): Promise<SpotifyPaging<SpotifyTrack>> {
  args.params(params);
  return core.request({
    method: 'GET',
    endpoint: 'GET /me/top/tracks',
    scopes: SCOPES_BY_METHOD.getTopTracks.anyOf,
    path: '/me/top/tracks',
    query: topQuery(params),
    schema: pagingSchema(trackSchema),
    signal: params.signal,
  });
}

function topQuery(params: TopParams) {
  return {
    time_range: params.timeRange,
    limit: clampLimit(params.limit, 50),
    offset: params.offset,
  };
}

/** Parameters of {@link getFollowedArtists}. */
export type FollowedParams = CallOptions & {
  limit?: number | undefined;
  after?: string | number | undefined;
};

export async function getFollowedArtists(
  core: ClientCore,
  params: FollowedParams,
): Promise<SpotifyCursorPaging<SpotifyArtist>> {
  args.params(params);
  const body = await core.request({
    scopes: SCOPES_BY_METHOD.getFollowedArtists.anyOf,
    method: 'GET',
    endpoint: 'GET /me/following',
    path: '/me/following',
    query: { type: 'artist', limit: clampLimit(params.limit, 50), after: params.after },
    schema: z.object({ artists: cursorPagingSchema(artistSchema) }),
    signal: params.signal,
  });
  return body.artists;
}
