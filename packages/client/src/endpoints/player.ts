import { SpotifyError } from '../errors/spotify-error.js';
import type { ClientCore } from '../internal/client-core.js';
import { args } from '../internal/args.js';
import { SCOPES_BY_METHOD } from '../scopes.js';
import { playHistorySchema, type SpotifyPlayHistory } from '../schemas/library.js';
import { cursorPagingSchema, type SpotifyCursorPaging } from '../schemas/paging.js';
import { type CallOptions, clampLimit } from './params.js';

/** Parameters of {@link getRecentlyPlayed}: Unix ms cursors, never both. */
export type RecentlyPlayedParams = CallOptions & {
  limit?: number | undefined;
  after?: string | number | undefined;
  before?: string | number | undefined;
};

export async function getRecentlyPlayed(
  core: ClientCore,
  params: RecentlyPlayedParams,
): Promise<SpotifyCursorPaging<SpotifyPlayHistory>> {
  args.params(params);
  if (params.after !== undefined && params.before !== undefined) {
    throw new SpotifyError({
      code: 'INVALID_OPTIONS',
      message: 'Pass either after or before, not both',
    });
  }
  return core.request({
    method: 'GET',
    endpoint: 'GET /me/player/recently-played',
    scopes: SCOPES_BY_METHOD.getRecentlyPlayed.anyOf,
    path: '/me/player/recently-played',
    query: { limit: clampLimit(params.limit, 50), after: params.after, before: params.before },
    schema: cursorPagingSchema(playHistorySchema),
    signal: params.signal,
  });
}
