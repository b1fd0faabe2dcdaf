import type { ClientCore } from '../internal/client-core.js';
import { args } from '../internal/args.js';
import { albumSchema, type SpotifyAlbum } from '../schemas/album.js';
import { pagingSchema, type SpotifyPaging } from '../schemas/paging.js';
import { simplifiedTrackSchema, type SpotifySimplifiedTrack } from '../schemas/track.js';
import { batchGet } from './batch.js';
import { type CallOptions, clampLimit, enc, type OffsetParams } from './params.js';

export async function getAlbum(
  core: ClientCore,
  albumId: string,
  options: CallOptions & { market?: string | undefined },
): Promise<SpotifyAlbum> {
  args.params(options);
  return core.request({
    method: 'GET',
    endpoint: 'GET /albums/{id}',
    path: `/albums/${enc(args.pathId(albumId, 'albumId'))}`,
    query: { market: options.market },
    schema: albumSchema,
    signal: options.signal,
  });
}

export async function getAlbumTracks(
  core: ClientCore,
  albumId: string,
  params: OffsetParams & { market?: string | undefined },
): Promise<SpotifyPaging<SpotifySimplifiedTrack>> {
  args.params(params);
  return core.request({
    method: 'GET',
    endpoint: 'GET /albums/{id}/tracks',
    path: `/albums/${enc(args.pathId(albumId, 'albumId'))}/tracks`,
    query: { limit: clampLimit(params.limit, 50), offset: params.offset, market: params.market },
    schema: pagingSchema(simplifiedTrackSchema),
    signal: params.signal,
  });
}

export async function getAlbums(
  core: ClientCore,
  ids: readonly string[],
  options: CallOptions,
): Promise<Array<SpotifyAlbum | null>> {
  return batchGet(core, 'batch-albums', ids, options, {
    batchPath: '/albums',
    key: 'albums',
    item: albumSchema,
    single: (id) => getAlbum(core, id, options),
  });
}
