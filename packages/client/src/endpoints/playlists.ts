import { z } from 'zod';
import type { ClientCore } from '../internal/client-core.js';
import { args } from '../internal/args.js';
import { chunk } from '../internal/chunk.js';
import { parseOptions } from '../internal/parse-options.js';
import { SCOPES_BY_METHOD } from '../scopes.js';
import { pagingSchema, type SpotifyPaging } from '../schemas/paging.js';
import {
  playlistSchema,
  playlistTrackSchema,
  simplifiedPlaylistSchema,
  snapshotSchema,
  type SpotifyPlaylist,
  type SpotifyPlaylistTrack,
  type SpotifySimplifiedPlaylist,
} from '../schemas/playlist.js';
import {
  type CallOptions,
  clampLimit,
  enc,
  type OffsetParams,
  type ReadOptions,
} from './params.js';

/**
 * A move of {@link SpotifyClient.reorderPlaylistItems}.
 *
 * @example
 * ```ts
 * const move: ReorderPlaylistItems = { rangeStart: 4, insertBefore: 0, snapshotId };
 * ```
 */
export interface ReorderPlaylistItems {
  /** Position of the first item to move (0-based). */
  rangeStart: number;
  /** Position of the item to put the range before; the playlist's length moves it to the end. */
  insertBefore: number;
  /** Number of items to move. Default 1. */
  rangeLength?: number | undefined;
  /** The version the positions refer to (a `snapshot_id` of this playlist). Default: the current one. */
  snapshotId?: string | undefined;
}

/** Parameters of {@link createPlaylist}. */
export type NewPlaylist = CallOptions & {
  name: string;
  description?: string | undefined;
  public?: boolean | undefined;
  collaborative?: boolean | undefined;
};

/** Items per playlist write. */
const ITEMS_PER_CALL = 100;
const position = z.number().int().min(0);
const reorderSchema = z
  .object({
    rangeStart: position,
    insertBefore: position,
    rangeLength: z.number().int().min(1).optional(),
    snapshotId: z.string().min(1).optional(),
  })
  .strict();

export async function getMyPlaylists(
  core: ClientCore,
  params: OffsetParams & ReadOptions,
): Promise<SpotifyPaging<SpotifySimplifiedPlaylist>> {
  args.params(params);
  return core.request({
    method: 'GET',
    endpoint: 'GET /me/playlists',
    path: '/me/playlists',
    query: { limit: clampLimit(params.limit, 50), offset: params.offset },
    schema: pagingSchema(simplifiedPlaylistSchema),
    signal: params.signal,
    cache: params.cache,
  });
}

export async function createPlaylist(
  core: ClientCore,
  params: NewPlaylist,
): Promise<SpotifyPlaylist> {
  const { signal, ...body } = args.createPlaylist(params);
  return core.request({
    scopes: SCOPES_BY_METHOD.createPlaylist.anyOf,
    method: 'POST',
    endpoint: 'POST /me/playlists',
    path: '/me/playlists',
    json: body,
    schema: playlistSchema,
    idempotent: false,
    signal,
  });
}

export async function getPlaylist(
  core: ClientCore,
  playlistId: string,
  options: ReadOptions,
): Promise<SpotifyPlaylist> {
  return core.request({
    method: 'GET',
    endpoint: 'GET /playlists/{id}',
    path: `/playlists/${enc(args.pathId(playlistId, 'playlistId'))}`,
    schema: playlistSchema,
    signal: args.params(options).signal,
    cache: options.cache,
  });
}

export async function getPlaylistItems(
  core: ClientCore,
  playlistId: string,
  params: OffsetParams & ReadOptions & { market?: string | undefined },
): Promise<SpotifyPaging<SpotifyPlaylistTrack>> {
  args.params(params);
  return core.request({
    method: 'GET',
    endpoint: 'GET /playlists/{id}/items',
    path: `/playlists/${enc(args.pathId(playlistId, 'playlistId'))}/items`,
    scopes: SCOPES_BY_METHOD.getPlaylistItems.anyOf,
    query: { limit: clampLimit(params.limit, 50), offset: params.offset, market: params.market },
    schema: pagingSchema(playlistTrackSchema),
    signal: params.signal,
    cache: params.cache,
  });
}

export async function addPlaylistItems(
  core: ClientCore,
  playlistId: string,
  uris: readonly string[],
  options: CallOptions & { position?: number | undefined },
): Promise<{ snapshot_id: string }> {
  const id = args.pathId(playlistId, 'playlistId');
  const list = args.strings(uris, 'uris');
  args.params(options);
  let snapshot = { snapshot_id: '' };
  let at = args.position(options.position);
  for (const part of chunk(list, ITEMS_PER_CALL)) {
    snapshot = await core.request({
      method: 'POST',
      endpoint: 'POST /playlists/{id}/items',
      path: `/playlists/${enc(id)}/items`,
      scopes: SCOPES_BY_METHOD.addPlaylistItems.anyOf,
      json: at === undefined ? { uris: part } : { uris: part, position: at },
      schema: snapshotSchema,
      idempotent: false,
      signal: options.signal,
    });
    if (at !== undefined) at += part.length;
  }
  return snapshot;
}

export async function removePlaylistItems(
  core: ClientCore,
  playlistId: string,
  uris: readonly string[],
  options: CallOptions & { snapshotId?: string | undefined },
): Promise<{ snapshot_id: string }> {
  const id = args.pathId(playlistId, 'playlistId');
  const list = args.strings(uris, 'uris');
  args.params(options);
  let snapshot = { snapshot_id: options.snapshotId ?? '' };
  for (const part of chunk(list, ITEMS_PER_CALL)) {
    snapshot = await core.request({
      method: 'DELETE',
      endpoint: 'DELETE /playlists/{id}/items',
      path: `/playlists/${enc(id)}/items`,
      scopes: SCOPES_BY_METHOD.removePlaylistItems.anyOf,
      json: {
        items: part.map((uri) => ({ uri })),
        ...(snapshot.snapshot_id ? { snapshot_id: snapshot.snapshot_id } : {}),
      },
      schema: snapshotSchema,
      signal: options.signal,
    });
  }
  return snapshot;
}

export async function replacePlaylistItems(
  core: ClientCore,
  playlistId: string,
  uris: readonly string[],
  options: CallOptions,
): Promise<{ snapshot_id: string }> {
  const id = args.pathId(playlistId, 'playlistId');
  args.params(options);
  const [first = [], ...rest] = chunk(args.strings(uris, 'uris'), ITEMS_PER_CALL);
  let snapshot = await core.request({
    method: 'PUT',
    endpoint: 'PUT /playlists/{id}/items',
    path: `/playlists/${enc(id)}/items`,
    scopes: SCOPES_BY_METHOD.replacePlaylistItems.anyOf,
    json: { uris: first },
    schema: snapshotSchema,
    signal: options.signal,
  });
  for (const part of rest) snapshot = await addPlaylistItems(core, playlistId, part, options);
  return snapshot;
}

export async function reorderPlaylistItems(
  core: ClientCore,
  playlistId: string,
  move: ReorderPlaylistItems,
  options: CallOptions,
): Promise<{ snapshot_id: string }> {
  const id = args.pathId(playlistId, 'playlistId');
  const checked = parseOptions(reorderSchema, move);
  args.params(options);
  return core.request({
    method: 'PUT',
    endpoint: 'PUT /playlists/{id}/items',
    path: `/playlists/${enc(id)}/items`,
    scopes: SCOPES_BY_METHOD.reorderPlaylistItems.anyOf,
    json: {
      range_start: checked.rangeStart,
      insert_before: checked.insertBefore,
      ...(checked.rangeLength === undefined ? {} : { range_length: checked.rangeLength }),
      ...(checked.snapshotId === undefined ? {} : { snapshot_id: checked.snapshotId }),
    },
    schema: snapshotSchema,
    idempotent: checked.snapshotId !== undefined,
    signal: options.signal,
  });
}
