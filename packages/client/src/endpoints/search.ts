import { z } from 'zod';
import type { ClientCore } from '../internal/client-core.js';
import { args } from '../internal/args.js';
import { simplifiedAlbumSchema, type SpotifySimplifiedAlbum } from '../schemas/album.js';
import { artistSchema, type SpotifyArtist } from '../schemas/artist.js';
import { pagingSchema, type SpotifyPaging } from '../schemas/paging.js';
import { simplifiedPlaylistSchema, type SpotifySimplifiedPlaylist } from '../schemas/playlist.js';
import { type SpotifyTrack, trackSchema } from '../schemas/track.js';
import type { OffsetParams } from './params.js';

/** Result of {@link SpotifyClient.search}: one page per requested type. */
export interface SearchResult {
  artists?: SpotifyPaging<SpotifyArtist | null> | undefined;
  albums?: SpotifyPaging<SpotifySimplifiedAlbum | null> | undefined;
  tracks?: SpotifyPaging<SpotifyTrack | null> | undefined;
  playlists?: SpotifyPaging<SpotifySimplifiedPlaylist | null> | undefined;
}

/** Parameters of {@link search}. */
export type SearchParams = OffsetParams & {
  q: string;
  type: ReadonlyArray<'artist' | 'album' | 'track' | 'playlist'>;
  market?: string | undefined;
};

/** Search's deepest offset. */
const MAX_OFFSET = 1000;

const page = <T extends z.ZodType>(item: T) => pagingSchema(z.union([item, z.null()])).optional();
const searchResultSchema = z.object({
  artists: page(artistSchema),
  albums: page(simplifiedAlbumSchema),
  tracks: page(trackSchema),
  playlists: page(simplifiedPlaylistSchema),
}) as unknown as z.ZodType<SearchResult>;

export async function search(core: ClientCore, params: SearchParams): Promise<SearchResult> {
  args.search(params);
  return core.withPageLimit(params.limit, (limit) =>
    core.request({
      method: 'GET',
      endpoint: 'GET /search',
      path: '/search',
      query: {
        q: params.q,
        type: params.type.join(','),
        market: params.market,
        limit,
        offset: params.offset === undefined ? undefined : Math.min(params.offset, MAX_OFFSET),
      },
      schema: searchResultSchema,
      signal: params.signal,
    }),
  );
}
