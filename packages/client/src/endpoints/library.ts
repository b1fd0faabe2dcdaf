import { z } from 'zod';
import type { ClientCore } from '../internal/client-core.js';
import { args } from '../internal/args.js';
import { chunk } from '../internal/chunk.js';
import { libraryScopesFor, SCOPES_BY_METHOD } from '../scopes.js';
import {
  savedAlbumSchema,
  savedTrackSchema,
  type SpotifySavedAlbum,
  type SpotifySavedTrack,
} from '../schemas/library.js';
import { pagingSchema, type SpotifyPaging } from '../schemas/paging.js';
import { type CallOptions, clampLimit, type OffsetParams } from './params.js';

/** Library item kinds that had their own save/remove/contains endpoints before 2026. */
export type LibraryItemType = 'track' | 'album';

/** Parameters of the by-id library methods. */
export type LibraryItems = CallOptions & { type: LibraryItemType; ids: readonly string[] };

/** URIs per `/me/library` call. */
const URIS_PER_CALL = 40;

export async function getSavedTracks(
  core: ClientCore,
  params: OffsetParams & { market?: string | undefined },
): Promise<SpotifyPaging<SpotifySavedTrack>> {
  args.params(params);
  return core.request({
    scopes: SCOPES_BY_METHOD.getSavedTracks.anyOf,
    method: 'GET',
    endpoint: 'GET /me/tracks',
    path: '/me/tracks',
    query: { limit: clampLimit(params.limit, 50), offset: params.offset, market: params.market },
    schema: pagingSchema(savedTrackSchema),
    signal: params.signal,
  });
}

export async function getSavedAlbums(
  core: ClientCore,
  params: OffsetParams & { market?: string | undefined },
): Promise<SpotifyPaging<SpotifySavedAlbum>> {
  args.params(params);
  return core.request({
    scopes: SCOPES_BY_METHOD.getSavedAlbums.anyOf,
    method: 'GET',
    endpoint: 'GET /me/albums',
    path: '/me/albums',
    query: { limit: clampLimit(params.limit, 50), offset: params.offset, market: params.market },
    schema: pagingSchema(savedAlbumSchema),
    signal: params.signal,
  });
}

/** `PUT` (save) or `DELETE` (remove) URIs with the 2026 `/me/library`, 40 per call. */
export async function writeLibrary(
  core: ClientCore,
  method: 'PUT' | 'DELETE',
  uris: readonly string[],
  options: CallOptions,
): Promise<void> {
  const list = args.strings(uris, 'uris');
  args.params(options);
  for (const part of chunk(list, URIS_PER_CALL)) {
    await core.request({
      scopes: libraryScopesFor(part, true),
      method,
      endpoint: `${method} /me/library`,
      path: '/me/library',
      query: { uris: part.join(',') },
      signal: options.signal,
    });
  }
}

export async function libraryContains(
  core: ClientCore,
  uris: readonly string[],
  options: CallOptions,
): Promise<boolean[]> {
  const list = args.strings(uris, 'uris');
  args.params(options);
  const out: boolean[] = [];
  for (const part of chunk(list, URIS_PER_CALL)) {
    out.push(
      ...(await core.request({
        scopes: libraryScopesFor(part, false),
        method: 'GET',
        endpoint: 'GET /me/library/contains',
        path: '/me/library/contains',
        query: { uris: part.join(',') },
        schema: z.array(z.boolean()),
        signal: options.signal,
      })),
    );
  }
  return out;
}

/**
 * Saves (`PUT`), removes (`DELETE`) or checks (`GET`) tracks or albums by id: the per-type
 * `/me/tracks|albums` endpoints while the app has them, else `/me/library` by URI.
 */
export async function libraryByType(
  core: ClientCore,
  method: 'GET' | 'PUT' | 'DELETE',
  params: LibraryItems,
): Promise<boolean[]> {
  args.params(params);
  args.ids(params.ids);
  args.libraryType(params.type);
  const perType = await core.withCapability('library-per-type', params.ids.length > 0, () =>
    perTypeRequests(core, method, params),
  );
  if (perType.done) return perType.value;
  const uris = params.ids.map((id) => `spotify:${params.type}:${id}`);
  const options = { signal: params.signal };
  if (method === 'GET') return libraryContains(core, uris, options);
  await writeLibrary(core, method, uris, options);
  return [];
}

/** The per-type endpoints (50 tracks or 20 albums per call), gated by the app's mode. */
async function perTypeRequests(
  core: ClientCore,
  method: 'GET' | 'PUT' | 'DELETE',
  params: LibraryItems,
): Promise<boolean[]> {
  const kind = params.type === 'track' ? 'tracks' : 'albums';
  const max = params.type === 'track' ? 50 : 20;
  const path = method === 'GET' ? `/me/${kind}/contains` : `/me/${kind}`;
  const out: boolean[] = [];
  for (const part of chunk(params.ids, max)) {
    const body = await core.request({
      method,
      endpoint: `${method} ${path}`,
      path,
      query: { ids: part.join(',') },
      scopes: method === 'GET' ? ['user-library-read'] : ['user-library-modify'],
      ...(method === 'GET' ? { schema: z.array(z.boolean()) } : {}),
      modeGated: true,
      signal: params.signal,
    });
    if (Array.isArray(body)) out.push(...(body as boolean[]));
  }
  return out;
}
