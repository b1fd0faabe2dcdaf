export { CatalogError, isCatalogError } from './errors/catalog-error.js';
export type { CatalogErrorCode, CatalogErrorOptions } from './errors/catalog-error.js';
export { artistSchema } from './domain/artist.js';
export type { Artist } from './domain/artist.js';
export { albumSchema, releaseDatePrecisionSchema, releaseDateStart } from './domain/album.js';
export type { Album, ReleaseDatePrecision } from './domain/album.js';
export { trackSchema } from './domain/track.js';
export type { Track } from './domain/track.js';
export { genreSchema, genreId } from './domain/genre.js';
export type { Genre } from './domain/genre.js';
export { userSchema } from './domain/user.js';
export type { User } from './domain/user.js';
export { playSchema } from './domain/play.js';
export type { Play } from './domain/play.js';
export { favouriteSchema, followSchema, likeSchema } from './domain/annotations.js';
export type { Favourite, Follow, Like, TrackAnnotation } from './domain/annotations.js';
export { playlistItemSchema, playlistSchema } from './domain/playlist.js';
export type { Playlist, PlaylistItem } from './domain/playlist.js';
export { planIdSchema, planSchema, subscriptionSchema } from './domain/plan.js';
export type { Plan, PlanId, Subscription } from './domain/plan.js';
export { normalizeText } from './logic/normalize-text.js';
export { isTimeZone, ZoneOffsets, zoneOffsets } from './logic/time-zone.js';
export { dedupePlays, playKey } from './logic/play-key.js';
export {
  albumFromSpotify,
  artistFromSpotify,
  likeFromSpotify,
  linkAlbumVariants,
  playFromSpotify,
  playlistFromSpotify,
  trackFromSpotify,
} from './mapping/from-spotify.js';
export type {
  SpotifyAlbumLike,
  SpotifyArtistLike,
  SpotifyArtistRefLike,
  SpotifyImageLike,
  SpotifyPlayHistoryLike,
  SpotifyPlaylistEntryLike,
  SpotifyPlaylistLike,
  SpotifySavedTrackLike,
  SpotifyTrackLike,
} from './mapping/from-spotify.js';
export {
  compareTrending,
  rankTrending,
  roundScore,
  trendingOptionsSchema,
  trendingRange,
} from './logic/trending.js';
export type {
  ResolvedTrendingOptions,
  TrendingEntry,
  TrendingEvent,
  TrendingKind,
  TrendingOptions,
  TrendingWindow,
} from './logic/trending.js';
export {
  boundedEditDistance,
  documentTerms,
  scoreDocument,
  searchDocuments,
  searchQuerySchema,
  searchTerms,
  termMatch,
  typoBudget,
} from './logic/search.js';
export type {
  SearchDocument,
  SearchHit,
  SearchKind,
  SearchQuery,
  SearchResult,
} from './logic/search.js';
export { listenerAffinities, recommend, recommendOptionsSchema } from './logic/recommend.js';
export type {
  Recommendation,
  RecommendationReason,
  RecommendationTrack,
  RecommendInput,
  RecommendOptions,
} from './logic/recommend.js';
export { compareTrackStats, itemStatsOptionsSchema } from './logic/item-stats.js';
export type { ItemStats, ItemStatsOptions, ItemTrackStats } from './logic/item-stats.js';
export { listTracksOptionsSchema, randomTracksOptionsSchema } from './logic/listing.js';
export type { ListTracksOptions, RandomTracksOptions, TrackPage } from './logic/listing.js';
export { isVisibleTo, viewerArtistIdSchema } from './logic/visibility.js';
export type {
  AppendPlaysOptions,
  AppendPlaysResult,
  CatalogStore,
  DeleteTracksResult,
  KeptTrackReason,
  ListPlaysOptions,
  FoldPlaysResult,
  RebuildAggregatesResult,
  StoreRecommendOptions,
} from './store/catalog-store.js';
export { DEFAULT_PLAY_PAGE_SIZE } from './store/play-reads.js';
export type {
  IteratePlaysOptions,
  RecentPlaysOptions,
  RecentPlaysPage,
} from './store/play-reads.js';
export { createMemoryStore } from './store/memory-store.js';
export { createPgliteStore, createPostgresStore } from './store/sql-store-loaders.js';
export type { PgliteStoreOptions, PostgresStoreOptions } from './sql/store-options.js';
export type { PgliteInstance } from './sql/pglite-instance.js';
export {
  PLANS,
  addMember,
  entitlementsFor,
  playbackSettings,
  studentVerifiedAt,
  removeMember,
  setExplicitFilter,
} from './logic/plans.js';
export type {
  Entitlements,
  EntitlementsOptions,
  MemberChangeOptions,
  PlaybackSettings,
} from './logic/plans.js';
export { createMutex } from './concurrency/mutex.js';
export type { Mutex } from './concurrency/mutex.js';
export { canSkip } from './logic/skip-limiter.js';
export type { CanSkipOptions, SkipDecision } from './logic/skip-limiter.js';
export { can } from './logic/permissions.js';
export type { CatalogAction, CatalogResource, PermissionDecision } from './logic/permissions.js';
export {
  MAX_AUDIO_BYTES,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_DIMENSION,
  validateAudio,
  validateImage,
} from './logic/upload.js';
export type { AudioFormat, AudioInfo, ImageFormat, ImageInfo } from './logic/upload.js';
