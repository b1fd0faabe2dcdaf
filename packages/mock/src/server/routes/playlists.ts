import { randomBytes } from 'node:crypto';
import type { WorldPlaylist, WorldPlaylistItem } from '../../world/types.js';
import { ApiError } from '../api-error.js';
import type { Route, RouteContext, RouteResult } from '../context.js';
import { requirePlaylist, visibleTrack } from '../lookup.js';
import { offsetPage, parseLimit, parseOffset, parseUris } from '../paging.js';
import {
  canReadContents,
  playlistItem,
  simplifiedPlaylist,
  snapshotId,
  snapshotVersion,
} from '../serialize.js';

const EXTENDED = ['extended'] as const;
const READ = ['playlist-read-private', 'playlist-read-collaborative'];
const MODIFY = ['playlist-modify-public', 'playlist-modify-private'];
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function newId(): string {
  const bytes = randomBytes(22);
  let id = '';
  for (const byte of bytes) id += BASE62[byte % 62];
  return id;
}

function fullPlaylist(ctx: RouteContext, playlist: WorldPlaylist): unknown {
  const simple = simplifiedPlaylist(ctx.state, playlist) as Record<string, unknown>;
  const { items: _items, tracks: _tracks, ...rest } = simple;
  const full: Record<string, unknown> = { ...rest, followers: { href: null, total: 0 } };
  if (canReadContents(ctx.state, playlist, ctx.token?.userId)) {
    for (const path of ['items', 'tracks'] as const) {
      full[path] = offsetPage(playlist.items, {
        base: `${ctx.state.api}/playlists/${playlist.id}/${path}`,
        query: new URLSearchParams(),
        offset: 0,
        limit: 100,
        map: (item) => playlistItem(ctx.state, item),
      });
    }
  }
  return full;
}

function listPlaylists(ctx: RouteContext, userId: string, path: string): unknown {
  const user = ctx.state.world.users.get(userId);
  if (user === undefined) throw new ApiError(404, 'Resource not found');
  const limit = parseLimit(ctx.query, 20, 50);
  const offset = parseOffset(ctx.query, 100_000);
  const own = userId === ctx.token?.userId;
  const playlists = user.playlistIds.flatMap((id) => {
    const playlist = ctx.state.world.playlists.get(id);
    if (playlist === undefined) return [];
    if (playlist.editorial && ctx.state.profile === 'development-2026') return [];
    if (!own && !playlist.public) return [];
    return [playlist];
  });
  return offsetPage(playlists, {
    base: `${ctx.state.api}${path}`,
    query: new URLSearchParams(),
    offset,
    limit,
    map: (p) => simplifiedPlaylist(ctx.state, p),
  });
}

function create(ctx: RouteContext, ownerId: string): unknown {
  if (ownerId !== ctx.user.id)
    throw new ApiError(403, 'You cannot create a playlist for another user');
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  if (typeof body.name !== 'string' || body.name === '')
    throw new ApiError(400, 'Missing required field: name');
  const playlist: WorldPlaylist = {
    id: newId(),
    name: body.name,
    description: typeof body.description === 'string' ? body.description : '',
    ownerId,
    public: typeof body.public === 'boolean' ? body.public : true,
    collaborative: body.collaborative === true,
    items: [],
    version: 1,
    editorial: false,
  };
  ctx.state.world.playlists.set(playlist.id, playlist);
  ctx.user.playlistIds.unshift(playlist.id);
  return fullPlaylist(ctx, playlist);
}

/** The playlist, writable by its owner or (when collaborative) by a user who follows it. */
function writable(ctx: RouteContext): WorldPlaylist {
  const playlist = requirePlaylist(ctx.state, ctx.params.id ?? '');
  const member = playlist.collaborative && ctx.user.playlistIds.includes(playlist.id);
  if (playlist.ownerId !== ctx.user.id && !member) throw new ApiError(403, 'Forbidden');
  return playlist;
}

function readable(ctx: RouteContext): WorldPlaylist {
  const playlist = requirePlaylist(ctx.state, ctx.params.id ?? '');
  if (!canReadContents(ctx.state, playlist, ctx.token?.userId))
    throw new ApiError(403, 'Forbidden');
  return playlist;
}

/** How many earlier versions of each playlist the mock remembers for `snapshot_id`. */
const KEPT_VERSIONS = 100;

/**
 * Earlier versions of playlists (version -> items), shared by every mock of the process so that
 * mocks serving one world agree. Item objects are never mutated, so identity tells one entry
 * from another (two entries of the same track are different objects).
 */
const history = new WeakMap<WorldPlaylist, Map<number, readonly WorldPlaylistItem[]>>();

/** Remembers the current version before a change. */
function remember(playlist: WorldPlaylist): void {
  let versions = history.get(playlist);
  if (versions === undefined) {
    versions = new Map();
    history.set(playlist, versions);
  }
  versions.set(playlist.version, playlist.items);
  if (versions.size > KEPT_VERSIONS) {
    const oldest = versions.keys().next().value;
    if (oldest !== undefined) versions.delete(oldest);
  }
}

/**
 * The items of the version `snapshot` names (the current items without one). A snapshot id that
 * is not one of this playlist's known versions is a 400, as on Spotify.
 */
function itemsAt(playlist: WorldPlaylist, snapshot: unknown): readonly WorldPlaylistItem[] {
  if (snapshot === undefined || snapshot === null) return playlist.items;
  const version = typeof snapshot === 'string' ? snapshotVersion(playlist, snapshot) : undefined;
  if (version === playlist.version) return playlist.items;
  const items = version === undefined ? undefined : history.get(playlist)?.get(version);
  if (items === undefined) throw new ApiError(400, 'Invalid snapshot id');
  return items;
}

/**
 * Moves `moved` (entries of an earlier version `base`) in front of the entry that stood at
 * `before` in `base`, applied to the current items: entries added since keep their place next to
 * their neighbours, entries removed since stay removed.
 */
function moveAgainst(
  current: readonly WorldPlaylistItem[],
  base: readonly WorldPlaylistItem[],
  moved: readonly WorldPlaylistItem[],
  before: number,
): WorldPlaylistItem[] {
  const movedSet = new Set(moved);
  const present = new Set(current);
  const rest = current.filter((item) => !movedSet.has(item));
  const stillMoved = moved.filter((item) => present.has(item));
  let insertAt = -1;
  for (let i = before; i < base.length && insertAt < 0; i++) {
    const anchor = base[i] as WorldPlaylistItem;
    if (!movedSet.has(anchor)) insertAt = rest.indexOf(anchor);
  }
  if (insertAt < 0) {
    // Nothing of the version stands after the target: go after its last entry still present
    // (entries added since stay after), or at the end.
    const inBase = new Set(base);
    let last = rest.length - 1;
    while (last >= 0 && !inBase.has(rest[last] as WorldPlaylistItem)) last--;
    insertAt = last < 0 ? rest.length : last + 1;
  }
  return [...rest.slice(0, insertAt), ...stillMoved, ...rest.slice(insertAt)];
}

function trackIds(ctx: RouteContext, raw: string | readonly unknown[] | null): string[] {
  return parseUris(raw, 100).map(({ type, id, uri }) => {
    if (type !== 'track' || visibleTrack(ctx.state, id) === undefined)
      throw new ApiError(400, `Invalid track uri: ${uri}`);
    return id;
  });
}

/** Replaces the items with `items` as a new version. */
function changed(
  playlist: WorldPlaylist,
  items: WorldPlaylistItem[],
  status = 200,
): { status: number; body: { snapshot_id: string } } {
  remember(playlist);
  playlist.items = items;
  playlist.version += 1;
  return { status, body: { snapshot_id: snapshotId(playlist) } };
}

/** GET: a page of the playlist's items (`tracks` pages hold up to 100, `items` up to 50). */
function listItems(ctx: RouteContext, path: 'items' | 'tracks'): RouteResult {
  const playlist = readable(ctx);
  const limit = parseLimit(ctx.query, path === 'tracks' ? 100 : 20, path === 'tracks' ? 100 : 50);
  const offset = parseOffset(ctx.query);
  return {
    body: offsetPage(playlist.items, {
      base: `${ctx.state.api}/playlists/${playlist.id}/${path}`,
      query: new URLSearchParams(),
      offset,
      limit,
      map: (item) => playlistItem(ctx.state, item),
    }),
  };
}

/** POST: adds tracks at `position` (default: the end). */
function addItems(ctx: RouteContext): RouteResult {
  const playlist = writable(ctx);
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const uris = ctx.query.get('uris') ?? (Array.isArray(body.uris) ? body.uris : null);
  const ids = trackIds(ctx, uris);
  const rawPosition = ctx.query.get('position') ?? body.position;
  let position = playlist.items.length;
  if (rawPosition !== undefined && rawPosition !== null) {
    position = Number(rawPosition);
    if (!Number.isInteger(position) || position < 0 || position > playlist.items.length) {
      throw new ApiError(400, 'Index out of bounds');
    }
  }
  const now = ctx.state.now();
  const added = ids.map((trackId) => ({ trackId, addedAtMs: now, addedBy: ctx.user.id }));
  return changed(
    playlist,
    [...playlist.items.slice(0, position), ...added, ...playlist.items.slice(position)],
    201,
  );
}

/** PUT with a range: moves entries of the `snapshot_id` version before `insert_before`. */
function moveItems(playlist: WorldPlaylist, body: Record<string, unknown>): RouteResult {
  if (body.range_start === undefined && body.insert_before === undefined)
    throw new ApiError(400, 'Missing required field: uris');
  const base = itemsAt(playlist, body.snapshot_id);
  const start = body.range_start;
  const before = body.insert_before;
  const length = body.range_length ?? 1;
  const count = base.length;
  if (
    typeof start !== 'number' ||
    typeof before !== 'number' ||
    typeof length !== 'number' ||
    !Number.isInteger(start) ||
    !Number.isInteger(before) ||
    !Number.isInteger(length) ||
    start < 0 ||
    length < 1 ||
    start + length > count ||
    before < 0 ||
    before > count
  ) {
    throw new ApiError(400, 'Invalid range');
  }
  const moved = base.slice(start, start + length);
  return changed(playlist, moveAgainst(playlist.items, base, moved, before));
}

/** PUT: replaces the items with `uris`, or moves a range of them. */
function replaceOrMoveItems(ctx: RouteContext): RouteResult {
  const playlist = writable(ctx);
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const uris = ctx.query.get('uris') ?? (Array.isArray(body.uris) ? body.uris : null);
  if (uris !== null) {
    // An empty list (or `?uris=`) clears the playlist, as on Spotify.
    const ids = uris.length === 0 ? [] : trackIds(ctx, uris);
    const now = ctx.state.now();
    return changed(
      playlist,
      ids.map((trackId) => ({ trackId, addedAtMs: now, addedBy: ctx.user.id })),
    );
  }
  return moveItems(playlist, body);
}

/** DELETE: removes the listed tracks' entries of the `snapshot_id` version. */
function removeItems(ctx: RouteContext): RouteResult {
  const playlist = writable(ctx);
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const list = Array.isArray(body.items)
    ? body.items
    : Array.isArray(body.tracks)
      ? body.tracks
      : null;
  if (list === null) throw new ApiError(400, 'Missing required field: items');
  const base = itemsAt(playlist, body.snapshot_id);
  const ids = new Set(
    trackIds(
      ctx,
      list.map((entry) => (entry as { uri?: unknown } | null)?.uri),
    ),
  );
  // Entries of that version go; entries added since it stay.
  const gone = new Set(base.filter((item) => ids.has(item.trackId)));
  return changed(
    playlist,
    playlist.items.filter((item) => !gone.has(item)),
  );
}

function itemRoutes(path: 'items' | 'tracks'): Route[] {
  const common = {
    pattern: `/v1/playlists/{id}/${path}`,
    auth: 'user',
    ...(path === 'tracks' ? { profiles: EXTENDED } : {}),
  } as const;
  return [
    { method: 'GET', ...common, scopes: READ, handler: (ctx) => listItems(ctx, path) },
    { method: 'POST', ...common, scopes: MODIFY, handler: addItems },
    { method: 'PUT', ...common, scopes: MODIFY, handler: replaceOrMoveItems },
    { method: 'DELETE', ...common, scopes: MODIFY, handler: removeItems },
  ];
}

/** `/me/playlists`, `/playlists/{id}` and playlist items. */
export const playlistRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: '/v1/me/playlists',
    auth: 'user',
    handler: (ctx) => ({ body: listPlaylists(ctx, ctx.user.id, '/me/playlists') }),
  },
  {
    method: 'POST',
    pattern: '/v1/me/playlists',
    auth: 'user',
    scopes: MODIFY,
    handler: (ctx) => ({ status: 201, body: create(ctx, ctx.user.id) }),
  },
  {
    method: 'GET',
    pattern: '/v1/users/{id}/playlists',
    auth: 'user',
    profiles: EXTENDED,
    handler: (ctx) => ({
      body: listPlaylists(ctx, ctx.params.id ?? '', `/users/${ctx.params.id}/playlists`),
    }),
  },
  {
    method: 'POST',
    pattern: '/v1/users/{id}/playlists',
    auth: 'user',
    scopes: MODIFY,
    profiles: EXTENDED,
    handler: (ctx) => ({ status: 201, body: create(ctx, ctx.params.id ?? '') }),
  },
  {
    method: 'GET',
    pattern: '/v1/playlists/{id}',
    auth: 'any',
    handler: (ctx) => ({
      body: fullPlaylist(ctx, requirePlaylist(ctx.state, ctx.params.id ?? '')),
    }),
  },
  {
    method: 'PUT',
    pattern: '/v1/playlists/{id}',
    auth: 'user',
    scopes: MODIFY,
    handler: (ctx) => {
      const playlist = requirePlaylist(ctx.state, ctx.params.id ?? '');
      if (playlist.ownerId !== ctx.user.id) throw new ApiError(403, 'Forbidden');
      const body = (ctx.body ?? {}) as Record<string, unknown>;
      if (typeof body.name === 'string') playlist.name = body.name;
      if (typeof body.description === 'string') playlist.description = body.description;
      if (typeof body.public === 'boolean') playlist.public = body.public;
      if (typeof body.collaborative === 'boolean') {
        if (body.collaborative && playlist.public) {
          throw new ApiError(400, 'You can only set collaborative to true on non-public playlists');
        }
        playlist.collaborative = body.collaborative;
      }
      remember(playlist);
      playlist.version += 1;
      return {};
    },
  },
  ...itemRoutes('items'),
  ...itemRoutes('tracks'),
];
