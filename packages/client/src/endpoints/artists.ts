import type { ClientCore } from '../internal/client-core.js';
import { args } from '../internal/args.js';
import { simplifiedAlbumSchema, type SpotifySimplifiedAlbum } from '../schemas/album.js';
import { artistSchema, type SpotifyArtist } from '../schemas/artist.js';
import { pagingSchema, type SpotifyPaging } from '../schemas/paging.js';
import { batchGet } from './batch.js';
import { type CallOptions, enc, type OffsetParams } from './params.js';

/** Parameters of {@link getArtistAlbums}. */
export type ArtistAlbumsParams = OffsetParams & {
  includeGroups?: ReadonlyArray<'album' | 'single' | 'appears_on' | 'compilation'> | undefined;
  market?: string | undefined;
};

export async function getArtist(
  core: ClientCore,
  artistId: string,
  options: CallOptions,
): Promise<SpotifyArtist> {
  return core.request({
    method: 'GET',
    endpoint: 'GET /artists/{id}',
    path: `/artists/${enc(args.pathId(artistId, 'artistId'))}`,
    schema: artistSchema,
    signal: args.params(options).signal,
  });
}

export async function getArtistAlbums(
  core: ClientCore,
  artistId: string,
  params: ArtistAlbumsParams,
): Promise<SpotifyPaging<SpotifySimplifiedAlbum>> {
  const id = args.pathId(artistId, 'artistId');
  args.params(params);
  const groups =
    params.includeGroups === undefined
      ? undefined
      : args.strings(params.includeGroups, 'includeGroups').join(',');
  return core.withPageLimit(params.limit, (limit) =>
    core.request({
      method: 'GET',
      endpoint: 'GET /artists/{id}/albums',
      path: `/artists/${enc(id)}/albums`,
      query: { include_groups: groups, market: params.market, limit, offset: params.offset },
      schema: pagingSchema(simplifiedAlbumSchema),
      signal: params.signal,
    }),
  );
}

export async function getArtists(
  core: ClientCore,
  ids: readonly string[],
  options: CallOptions,
): Promise<Array<SpotifyArtist | null>> {
  return batchGet(core, 'batch-artists', ids, options, {
    batchPath: '/artists',
    key: 'artists',
    item: artistSchema,
    single: (id) => getArtist(core, id, options),
  });
}
