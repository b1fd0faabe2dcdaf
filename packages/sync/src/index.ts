/**
 * `@spoti/sync`: keeps a `@spoti/catalog` store in step with Spotify accounts — play polling with
 * gap detection, data-export import, library mirroring, availability checks and a run log.
 *
 * @packageDocumentation
 */
export { createSync } from './sync/create-sync.js';
export type { Sync } from './sync/create-sync.js';
export { syncOptionsSchema } from './sync/options.js';
export type { ResolvedSyncOptions, SyncClock, SyncOptions, SyncUser } from './sync/options.js';
export type { PlayCursor, PollResult } from './sync/poll-plays.js';
export type { LibrarySyncResult } from './sync/library-sync.js';
export type {
  ImportCheckpoint,
  ImportExportOptions,
  ImportProgress,
  ImportResult,
} from './sync/import-export.js';
export type { ResolveTracksResult, TrackResolution } from './sync/resolve-tracks.js';
export type { AvailabilityOptions, AvailabilityResult } from './sync/availability.js';
export {
  RECENTLY_PLAYED_WINDOW,
  estimateMissedPlays,
  recommendPollInterval,
  updatePlayRate,
} from './sync/poll-math.js';
export type { PollIntervalBounds } from './sync/poll-math.js';
export { SyncError, isSyncError } from './errors/sync-error.js';
export type { SyncErrorCode, SyncErrorOptions } from './errors/sync-error.js';
export type {
  AvailabilityRecord,
  AvailabilityStatus,
  LibraryEntry,
  LibraryKind,
  SyncGap,
  SyncRun,
  SyncRunKind,
  SyncRunStatus,
  SyncStateStore,
  TrackRef,
} from './state/sync-state-store.js';
export { createMemorySyncStateStore } from './state/memory-sync-state-store.js';
export type { MemorySyncStateStore } from './state/memory-sync-state-store.js';
export type { SqlSyncStateStore } from './state/sql-sync-state-store.js';
export {
  createPgliteSyncStateStore,
  createPostgresSyncStateStore,
  createSqlSyncStateStore,
} from './state/sql-sync-state-store.js';
export type {
  PgliteSyncStateStoreOptions,
  PostgresSyncStateStoreOptions,
} from './state/sql-sync-state-store.js';
export { collectListeningProfile } from './profile/collect-profile.js';
export type {
  CollectProfileOptions,
  CollectedProfile,
  ProfileEnricher,
} from './profile/collect-profile.js';
export { createMemoryProfileSourcesCache } from './profile/profile-sources.js';
export type { MemoryProfileSourcesCache } from './profile/profile-sources.js';
export type { ProfileSources, ProfileSourcesCache } from './profile/profile-sources.js';
