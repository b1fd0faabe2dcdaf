export { createSpotifyClient, SpotifyClient } from './client.js';
export type { Capability } from './internal/client-core.js';
export type { CallOptions, OffsetParams, ReadOptions } from './endpoints/params.js';
export type { TimeRange } from './endpoints/users.js';
export type { LibraryItemType } from './endpoints/library.js';
export type { ReorderPlaylistItems } from './endpoints/playlists.js';
export type { SearchResult } from './endpoints/search.js';
export type { AudioFeaturesResult } from './endpoints/tracks.js';
export { clientOptionsSchema, modeSchema, validationSchema } from './options.js';
export type { ResolvedClientOptions, SpotifyClientOptions, SpotifyMode } from './options.js';
export type { CallUsage } from './internal/usage.js';
export { SpotifyError, isSpotifyError } from './errors/spotify-error.js';
export type {
  SpotifyErrorCode,
  SpotifyErrorOptions,
  SpotifyErrorRequest,
} from './errors/spotify-error.js';
export { SpotifyRateLimitError, isSpotifyRateLimitError } from './errors/rate-limit-error.js';
export type { RateLimitScope, SpotifyRateLimitErrorOptions } from './errors/rate-limit-error.js';
export { SpotifyResponseValidationError } from './errors/response-validation-error.js';
export type { ValidationIssue } from './errors/response-validation-error.js';
export { createPkcePair, createState } from './auth/pkce.js';
export type { PkcePair } from './auth/pkce.js';
export { authorizeUrlOptionsSchema, buildAuthorizeUrl } from './auth/authorize-url.js';
export type { AuthorizeUrlOptions } from './auth/authorize-url.js';
export { createMemoryTokenStore } from './token-store.js';
export type { MemoryTokenStore } from './token-store.js';
export type { SpotifyTokens, TokenStore } from './token-store.js';
export { createMemoryCache } from './cache.js';
export type { MemoryCache } from './cache.js';
export type { Cache, CacheEntry } from './cache.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { paginate } from './paginate.js';
export type { PageParams, PaginateOptions } from './paginate.js';
export { SCOPES_BY_METHOD } from './scopes.js';
export type { ScopedMethod, ScopeRequirement } from './scopes.js';
export type { SpotifyLogFn, SpotifyLogger } from './logger.js';
export type {
  RateLimitEvent,
  RateLimitInfo,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
  SpotifyClientEventName,
  SpotifyClientHooks,
  ValidationEvent,
} from './hooks.js';
export type { ApiRequest } from './internal/request-executor.js';
export {
  imageSchema,
  externalIdsSchema,
  externalUrlsSchema,
  followersSchema,
} from './schemas/common.js';
export type { SpotifyImage } from './schemas/common.js';
export { artistSchema, simplifiedArtistSchema } from './schemas/artist.js';
export type { SpotifyArtist, SpotifySimplifiedArtist } from './schemas/artist.js';
export { albumSchema, simplifiedAlbumSchema, releaseDatePrecisionSchema } from './schemas/album.js';
export type { SpotifyAlbum, SpotifySimplifiedAlbum } from './schemas/album.js';
export {
  linkedTrackSchema,
  simplifiedTrackSchema,
  trackRestrictionsSchema,
  trackSchema,
} from './schemas/track.js';
export type { SpotifyLinkedTrack, SpotifySimplifiedTrack, SpotifyTrack } from './schemas/track.js';
export { pagingSchema, cursorPagingSchema } from './schemas/paging.js';
export type { SpotifyCursorPaging, SpotifyPaging } from './schemas/paging.js';
export { playHistorySchema, savedAlbumSchema, savedTrackSchema } from './schemas/library.js';
export type {
  SpotifyPlayHistory,
  SpotifySavedAlbum,
  SpotifySavedTrack,
} from './schemas/library.js';
export {
  playlistSchema,
  playlistTrackSchema,
  simplifiedPlaylistSchema,
  snapshotSchema,
} from './schemas/playlist.js';
export type {
  SpotifyPlaylist,
  SpotifyPlaylistTrack,
  SpotifySimplifiedPlaylist,
} from './schemas/playlist.js';
export { userSchema } from './schemas/user.js';
export type { SpotifyUser } from './schemas/user.js';
export { audioFeaturesSchema } from './schemas/audio-features.js';
export type { SpotifyAudioFeatures } from './schemas/audio-features.js';
