import type { WorldPlay } from '../../world/types.js';
import { ApiError } from '../api-error.js';
import type { Route, RouteContext, ServeState } from '../context.js';
import { marketOf, requireArtist, visibleAlbum, visibleTrack } from '../lookup.js';
import { offsetPage, parseIds, parseLimit, parseOffset, parseUris } from '../paging.js';
import { fullAlbum, fullArtist, fullTrack, iso, privateUser } from '../serialize.js';
import { topOf } from '../../world/top.js';

const RANGES = new Set(['short_term', 'medium_term', 'long_term']);
const EXTENDED = ['extended'] as const;

function base(ctx: RouteContext, path: string): string {
  return `${ctx.state.api}${path}`;
}

function bodyIds(ctx: RouteContext, max: number): string[] {
  if (ctx.query.get('ids') !== null) return parseIds(ctx.query, max);
  const ids = (ctx.body as { ids?: unknown } | undefined)?.ids;
  if (!Array.isArray(ids) || ids.length === 0)
    throw new ApiError(400, 'Missing required parameter: ids');
  if (ids.length > max) throw new ApiError(400, 'Too many ids requested');
  return ids.map(String);
}

/** The request's `market` parameter, validated, for paging links. */
function marketQuery(ctx: RouteContext): URLSearchParams {
  const query = new URLSearchParams();
  const raw = ctx.query.get('market');
  if (marketOf(ctx) !== undefined && raw !== null) query.set('market', raw);
  return query;
}

interface SavedView {
  readonly writes: number;
  readonly size: number;
  readonly nowMs: number;
  readonly state: ServeState;
  readonly revision: number;
  readonly list: readonly [string, number][];
}

/** Writes made through the API per saved-items map (a cached view older than this is stale). */
const writeCounts = new WeakMap<Map<string, number>, number>();
const views = new WeakMap<Map<string, number>, SavedView>();

/** Marks a saved-items map as changed. */
function touch(map: Map<string, number>): void {
  writeCounts.set(map, (writeCounts.get(map) ?? 0) + 1);
}

/**
 * The visible saved items, newest first, computed once and reused while nothing changes (no
 * write, same clock, same removals), so paging through 10k saved tracks stays cheap.
 */
function savedView(
  ctx: RouteContext,
  map: Map<string, number>,
  visible: (id: string) => boolean,
): readonly [string, number][] {
  const writes = writeCounts.get(map) ?? 0;
  const nowMs = ctx.state.now();
  const revision = ctx.state.availability.revision;
  const cached = views.get(map);
  if (
    cached !== undefined &&
    cached.writes === writes &&
    cached.size === map.size &&
    cached.nowMs === nowMs &&
    cached.state === ctx.state &&
    cached.revision === revision
  )
    return cached.list;
  const list = [...map]
    .filter(([id]) => visible(id))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  views.set(map, { writes, size: map.size, nowMs, state: ctx.state, revision, list });
  return list;
}

function savedTracks(ctx: RouteContext): readonly [string, number][] {
  return savedView(ctx, ctx.user.savedTracks, (id) => visibleTrack(ctx.state, id) !== undefined);
}

function savedAlbums(ctx: RouteContext): readonly [string, number][] {
  return savedView(ctx, ctx.user.savedAlbums, (id) => visibleAlbum(ctx.state, id) !== undefined);
}

/** A page of saved tracks or albums (`limit` up to 50), each `{ added_at, track | album }`. */
function savedPage(ctx: RouteContext, kind: 'tracks' | 'albums'): unknown {
  const limit = parseLimit(ctx.query, 20, 50);
  const offset = parseOffset(ctx.query, 100_000);
  const { state } = ctx;
  return offsetPage(kind === 'tracks' ? savedTracks(ctx) : savedAlbums(ctx), {
    base: base(ctx, `/me/${kind}`),
    query: marketQuery(ctx),
    offset,
    limit,
    map: ([id, addedAt]) =>
      kind === 'tracks'
        ? { added_at: iso(addedAt), track: fullTrack(state, state.world.tracks.get(id)!) }
        : { added_at: iso(addedAt), album: fullAlbum(state, state.world.albums.get(id)!) },
  });
}

/** The `following` endpoints serve artists only (`type=artist`). */
function requireArtistType(ctx: RouteContext): void {
  if (ctx.query.get('type') !== 'artist')
    throw new ApiError(400, 'Bad request: type must be artist');
}

function followed(ctx: RouteContext): string[] {
  return [...ctx.user.followedArtists.keys()]
    .filter((id) => ctx.state.world.artists.has(id))
    .sort();
}

function followingPage(ctx: RouteContext): unknown {
  requireArtistType(ctx);
  const limit = parseLimit(ctx.query, 20, 50);
  const after = ctx.query.get('after');
  const all = followed(ctx);
  const start = after === null ? 0 : all.findIndex((id) => id > after);
  const slice = start < 0 ? [] : all.slice(start, start + limit);
  const last = slice.at(-1);
  const more = start >= 0 && start + limit < all.length && last !== undefined;
  const next = more
    ? `${base(ctx, '/me/following')}?type=artist&after=${last}&limit=${limit}`
    : null;
  return {
    artists: {
      href: `${ctx.state.api.replace(/\/v1$/, '')}${ctx.href}`,
      items: slice.map((id) => fullArtist(ctx.state, requireArtist(ctx.state, id))),
      limit,
      next,
      cursors: { after: more ? last : null },
      total: all.length,
    },
  };
}

function recentlyPlayed(ctx: RouteContext): unknown {
  const limit = parseLimit(ctx.query, 20, 50);
  const afterRaw = ctx.query.get('after');
  const beforeRaw = ctx.query.get('before');
  if (afterRaw !== null && beforeRaw !== null) {
    throw new ApiError(400, 'Only one of after or before may be specified');
  }
  const cursor = (raw: string) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new ApiError(400, 'Invalid cursor');
    return value;
  };
  // Only the last 50 plays of at least 30 s are ever served: walk back from the newest.
  // Plays of a track removed (or restricted away from the user's country) before they started
  // never happened; plays from before such a change stay, with the track as it is now.
  const { availability, world } = ctx.state;
  const history = world.playsOf(ctx.user.id, ctx.state.now());
  const last50: WorldPlay[] = [];
  for (let i = history.length - 1; i >= 0 && last50.length < 50; i--) {
    const play = history[i] as WorldPlay;
    if (play.msPlayed < 30_000 || !availability.heard(play, ctx.user.country)) continue;
    const track = world.tracks.get(play.trackId);
    if (track !== undefined && visibleAlbum(ctx.state, track.albumId) !== undefined)
      last50.push(play);
  }
  last50.reverse();
  let chosen: typeof last50;
  if (afterRaw !== null) {
    const after = cursor(afterRaw);
    chosen = last50.filter((play) => play.endedAtMs > after).slice(0, limit);
  } else if (beforeRaw !== null) {
    const before = cursor(beforeRaw);
    chosen = last50.filter((play) => play.endedAtMs < before).slice(-limit);
  } else {
    chosen = last50.slice(-limit);
  }
  const items = [...chosen].reverse().map((play) => {
    const track = ctx.state.world.tracks.get(play.trackId);
    const albumId = track?.albumId ?? '';
    return {
      track: track === undefined ? null : fullTrack(ctx.state, track),
      played_at: new Date(play.endedAtMs).toISOString(),
      context: {
        type: 'album',
        href: `${ctx.state.api}/albums/${albumId}`,
        external_urls: { spotify: `https://open.spotify.com/album/${albumId}` },
        uri: `spotify:album:${albumId}`,
      },
    };
  });
  const newest = chosen.at(-1);
  const oldest = chosen[0];
  return {
    href: `${ctx.state.api.replace(/\/v1$/, '')}${ctx.href}`,
    items,
    limit,
    next:
      oldest === undefined
        ? null
        : `${base(ctx, '/me/player/recently-played')}?before=${oldest.endedAtMs}&limit=${limit}`,
    cursors:
      oldest === undefined || newest === undefined
        ? null
        : { after: String(newest.endedAtMs), before: String(oldest.endedAtMs) },
  };
}

function top(ctx: RouteContext): unknown {
  const type = ctx.params.type;
  if (type !== 'artists' && type !== 'tracks') throw new ApiError(404, 'Service not found');
  const range = ctx.query.get('time_range') ?? 'medium_term';
  if (!RANGES.has(range)) throw new ApiError(400, 'Invalid time range');
  const limit = parseLimit(ctx.query, 20, 50);
  const offset = parseOffset(ctx.query);
  const ranked = topOf(
    ctx.state.world,
    ctx.user.id,
    ctx.state.now(),
    range as 'short_term' | 'medium_term' | 'long_term',
  );
  const link = base(ctx, `/me/top/${type}`);
  const query = new URLSearchParams({ time_range: range });
  if (type === 'artists') {
    const ids = ranked.artistIds.filter((id) => ctx.state.world.artists.has(id));
    return offsetPage(ids, {
      base: link,
      query,
      offset,
      limit,
      map: (id) => fullArtist(ctx.state, requireArtist(ctx.state, id)),
    });
  }
  const tracks = ranked.trackIds.flatMap((id) => {
    const track = visibleTrack(ctx.state, id);
    return track === undefined ? [] : [track];
  });
  return offsetPage(tracks, {
    base: link,
    query,
    offset,
    limit,
    map: (t) => fullTrack(ctx.state, t),
  });
}

/**
 * Saves `id` at `now` when it is not saved yet and `exists()`, or removes it (`save` false).
 * True when the map changed.
 */
function setSaved(
  map: Map<string, number>,
  id: string,
  save: boolean,
  now: number | (() => number),
  exists: () => boolean,
): boolean {
  if (!save) return map.delete(id);
  if (map.has(id) || !exists()) return false;
  map.set(id, typeof now === 'number' ? now : now());
  return true;
}

function libraryChange(ctx: RouteContext, save: boolean): void {
  const uris = parseUris(ctx.query.get('uris'), 40);
  const now = ctx.state.now();
  const user = ctx.user;
  for (const { type, id } of uris) {
    switch (type) {
      case 'track':
        if (setSaved(user.savedTracks, id, save, now, () => !!visibleTrack(ctx.state, id)))
          touch(user.savedTracks);
        break;
      case 'album':
        if (setSaved(user.savedAlbums, id, save, now, () => !!visibleAlbum(ctx.state, id)))
          touch(user.savedAlbums);
        break;
      case 'artist':
        setSaved(user.followedArtists, id, save, now, () => ctx.state.world.artists.has(id));
        break;
      case 'playlist': {
        const index = user.playlistIds.indexOf(id);
        if (save && index < 0 && ctx.state.world.playlists.has(id)) user.playlistIds.push(id);
        if (!save && index >= 0) user.playlistIds.splice(index, 1);
        break;
      }
      case 'user':
      case 'episode':
      case 'show':
      case 'audiobook':
        break;
      default:
        throw new ApiError(400, `Unsupported URI type: ${type}`);
    }
  }
}

/** `/me`, top items, recently played, saved items, following and `/me/library`. */
export const meRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: '/v1/me',
    auth: 'user',
    handler: (ctx) => ({ body: privateUser(ctx.state, ctx.user, ctx.token?.scopes ?? []) }),
  },
  {
    method: 'GET',
    pattern: '/v1/me/top/{type}',
    auth: 'user',
    scopes: ['user-top-read'],
    handler: (ctx) => ({ body: top(ctx) }),
  },
  {
    method: 'GET',
    pattern: '/v1/me/player/recently-played',
    auth: 'user',
    scopes: ['user-read-recently-played'],
    handler: (ctx) => ({ body: recentlyPlayed(ctx) }),
  },
  ...(['tracks', 'albums'] as const).map(
    (kind): Route => ({
      method: 'GET',
      pattern: `/v1/me/${kind}`,
      auth: 'user',
      scopes: ['user-library-read'],
      handler: (ctx) => ({ body: savedPage(ctx, kind) }),
    }),
  ),
  {
    method: 'GET',
    pattern: '/v1/me/following',
    auth: 'user',
    scopes: ['user-follow-read'],
    handler: (ctx) => ({ body: followingPage(ctx) }),
  },
  ...(
    [
      ['PUT', true],
      ['DELETE', false],
    ] as const
  ).map(
    ([method, save]): Route => ({
      method,
      pattern: '/v1/me/library',
      auth: 'user',
      scopes: ['user-library-modify', 'user-follow-modify', 'playlist-modify-public'],
      handler: (ctx) => {
        libraryChange(ctx, save);
        return {};
      },
    }),
  ),
  {
    method: 'GET',
    pattern: '/v1/me/library/contains',
    auth: 'user',
    scopes: ['user-library-read', 'user-follow-read', 'playlist-read-private'],
    handler: (ctx) => {
      const user = ctx.user;
      const body = parseUris(ctx.query.get('uris'), 40).map(({ type, id }) => {
        switch (type) {
          case 'track':
            return user.savedTracks.has(id) && !ctx.state.availability.isRemoved(id);
          case 'album':
            return user.savedAlbums.has(id);
          case 'artist':
            return user.followedArtists.has(id);
          case 'playlist':
            return user.playlistIds.includes(id);
          case 'user':
          case 'episode':
          case 'show':
          case 'audiobook':
            return false;
          default:
            throw new ApiError(400, `Unsupported URI type: ${type}`);
        }
      });
      return { body };
    },
  },
  // The per-type save/remove/contains endpoints Development Mode lost in 2026.
  ...(['tracks', 'albums'] as const).flatMap((kind): Route[] => {
    const map = (ctx: RouteContext) =>
      kind === 'tracks' ? ctx.user.savedTracks : ctx.user.savedAlbums;
    const exists = (ctx: RouteContext, id: string) =>
      kind === 'tracks'
        ? visibleTrack(ctx.state, id) !== undefined
        : visibleAlbum(ctx.state, id) !== undefined;
    const max = kind === 'tracks' ? 50 : 20;
    return [
      {
        method: 'PUT',
        pattern: `/v1/me/${kind}`,
        auth: 'user',
        scopes: ['user-library-modify'],
        profiles: EXTENDED,
        handler: (ctx) => {
          for (const id of bodyIds(ctx, max))
            if (
              setSaved(
                map(ctx),
                id,
                true,
                () => ctx.state.now(),
                () => exists(ctx, id),
              )
            )
              touch(map(ctx));
          return {};
        },
      },
      {
        method: 'DELETE',
        pattern: `/v1/me/${kind}`,
        auth: 'user',
        scopes: ['user-library-modify'],
        profiles: EXTENDED,
        handler: (ctx) => {
          for (const id of bodyIds(ctx, max)) if (map(ctx).delete(id)) touch(map(ctx));
          return {};
        },
      },
      {
        method: 'GET',
        pattern: `/v1/me/${kind}/contains`,
        auth: 'user',
        scopes: ['user-library-read'],
        profiles: EXTENDED,
        handler: (ctx) => ({
          body: parseIds(ctx.query, max).map(
            (id) =>
              map(ctx).has(id) && !(kind === 'tracks' && ctx.state.availability.isRemoved(id)),
          ),
        }),
      },
    ];
  }),
  {
    method: 'PUT',
    pattern: '/v1/me/following',
    auth: 'user',
    scopes: ['user-follow-modify'],
    profiles: EXTENDED,
    handler: (ctx) => {
      requireArtistType(ctx);
      for (const id of bodyIds(ctx, 50)) {
        if (ctx.state.world.artists.has(id) && !ctx.user.followedArtists.has(id)) {
          ctx.user.followedArtists.set(id, ctx.state.now());
        }
      }
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    pattern: '/v1/me/following',
    auth: 'user',
    scopes: ['user-follow-modify'],
    profiles: EXTENDED,
    handler: (ctx) => {
      requireArtistType(ctx);
      for (const id of bodyIds(ctx, 50)) ctx.user.followedArtists.delete(id);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/me/following/contains',
    auth: 'user',
    scopes: ['user-follow-read'],
    profiles: EXTENDED,
    handler: (ctx) => {
      requireArtistType(ctx);
      return { body: parseIds(ctx.query, 50).map((id) => ctx.user.followedArtists.has(id)) };
    },
  },
];
