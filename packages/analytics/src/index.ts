/**
 * `@spoti/analytics`: listening statistics, the ListeningProfile, and an importer for the
 * Spotify data export.
 *
 * @packageDocumentation
 */
export { AnalyticsError, isAnalyticsError } from './errors/analytics-error.js';
export type { AnalyticsErrorCode, AnalyticsErrorOptions } from './errors/analytics-error.js';
export { ExportImportError, isExportImportError } from './errors/export-import-error.js';
export type { ExportFileOutcome, ExportImportErrorOptions } from './errors/export-import-error.js';
export { GENRE_FAMILIES, genreFamilyOf } from './profile/genre-family.js';
export type { GenreFamily } from './profile/genre-family.js';
export {
  ACHIEVEMENT_IDS,
  FEATURE_KEYS,
  listeningProfileSchema,
} from './profile/listening-profile.js';
export type {
  AchievementId,
  FeatureKey,
  ListeningProfile,
  Signal,
  SignalSource,
} from './profile/listening-profile.js';
export { readSpotifyExport } from './importer/read-spotify-export.js';
export type {
  ExportCheckpoint,
  ExportItem,
  ExportProgress,
  ReadSpotifyExportOptions,
} from './importer/export-types.js';
export { createPlayIndex, PlayIndex } from './stats/play-index.js';
export type { IndexedAlbum, IndexedArtist, IndexedTrack } from './stats/play-index.js';
export { computeStats } from './stats/compute-stats.js';
export type { ArtistRef, ReleaseRef, StatsOptions } from './stats/compute-stats.js';
export type { PeriodSpec } from './stats/period.js';
export { diversityOf } from './stats/diversity.js';
export type { Diversity } from './stats/diversity.js';
export { ACHIEVEMENT_LABELS } from './stats/achievements.js';
export type {
  Achievement,
  ListeningStats,
  MonthShares,
  RankedAlbum,
  RankedArtist,
  RankedGenre,
  RankedTrack,
  Session,
  Streak,
  TastePhase,
  TopLists,
} from './stats/types.js';
export {
  estimateFeaturesFromGenres,
  featureSourceFromMap,
  GENRE_FEATURE_PRIORS,
  intensityOf,
} from './features/audio-features.js';
export type {
  AudioFeatureValues,
  FeatureEstimate,
  FeatureSource,
  MeasuredFeatures,
  TrackRef,
} from './features/audio-features.js';
export { buildListeningProfile, buildListeningProfiles } from './profile/build-profile.js';
export type { ProfileOptions, ProfileResult } from './profile/build-profile.js';
export { importSpotifyExport, MAX_KEPT_ISSUES } from './importer/import-spotify-export.js';
export { EXPORT_LIMITS } from './importer/export-limits.js';
export type { ImportedExport } from './importer/import-spotify-export.js';
export { compareStats } from './stats/compare-stats.js';
export type { RankChange, StatsComparison } from './stats/compare-stats.js';
export { STATS_TABLES, statsToCsv, statsToJson } from './stats/export-stats.js';
export type { StatsTable } from './stats/export-stats.js';
export { aggregateTrends } from './trends/aggregate-trends.js';
export type { PublicTrends, TrendItem } from './trends/aggregate-trends.js';
