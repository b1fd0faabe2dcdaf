/**
 * `@spoti/mock`: a faithful local Spotify Web API and accounts service with synthetic listeners,
 * platform profiles, rate limits, quota, faults, a controllable clock and data exports.
 *
 * @packageDocumentation
 */
export { startMock } from './server/start-mock.js';
export { createWorld } from './world/create-world.js';
export { TOP_LIMIT, topOf } from './world/top.js';
export { writeDataExport } from './export/write-data-export.js';
export type {
  DataExportFile,
  DataExportOptions,
  DataExportSummary,
} from './export/write-data-export.js';
export type { TopItems, TopRange } from './world/top.js';
export { MockError, isMockError } from './server/mock-error.js';
export type { MockErrorCode } from './server/mock-error.js';
export type {
  FaultSettings,
  FaultStep,
  IssuedTokens,
  MockClient,
  MockClock,
  MockControls,
  MockOptions,
  MockServer,
  QuotaOptions,
  RateLimitOptions,
  RequestLogEntry,
} from './server/types.js';
export type {
  AlbumType,
  AudioFeatures,
  DatePrecision,
  Genre,
  GenreFamily,
  PersonaName,
  ProfileName,
  ReasonEnd,
  ReasonStart,
  World,
  WorldAlbum,
  WorldArtist,
  WorldOptions,
  WorldPlay,
  WorldPlaylist,
  WorldPlaylistItem,
  WorldSize,
  WorldTrack,
  WorldUser,
} from './world/types.js';
