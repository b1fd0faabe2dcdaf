/**
 * `@spoti/mock`: a faithful local Spotify Web API and accounts service with synthetic listeners,
 * platform profiles, rate limits, quota, faults, a controllable clock and data exports.
 *
 * @packageDocumentation
 */

// The server.
export { startMock } from './server/start-mock.js';
export { ALL_SCOPES } from './server/scopes.js';
export { MockError, isMockError } from './server/mock-error.js';
export type { MockErrorCode } from './server/mock-error.js';
export type { TrackAvailability } from './server/availability.js';
export type {
  AddReleaseOptions,
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
  TruthRelease,
} from './server/types.js';

// Stand-ins of the enrichment services (ReccoBeats, MusicBrainz) on the same world.
export { startProviderMocks } from './providers/provider-server.js';
export { RECCOBEATS_MAX_IDS } from './providers/reccobeats.js';
export type {
  ProviderFault,
  ProviderMockControls,
  ProviderMockOptions,
  ProviderMockServer,
  ProviderName,
  ProviderRateLimit,
} from './providers/provider-server.js';

// The synthetic world.
export { createWorld } from './world/create-world.js';
export { DEFAULT_START_TIME_MS, WORLD_SIZES } from './world/world-options.js';
export type { SizePreset } from './world/world-options.js';
export { GENRE_BY_NAME, GENRE_FAMILIES, GENRES } from './world/genres.js';
export { MARKETS } from './world/catalog.js';
export { dailyPlays, PERSONA_NAMES, PERSONAS } from './world/personas.js';
export type { Persona } from './world/personas.js';
export { TOP_LIMIT, TOP_RANGE_DAYS, topOf } from './world/top.js';
export type { TopItems, TopRange } from './world/top.js';
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

// A Stripe API stand-in for subscription checkouts.
export { startStripeMock } from './stripe/stripe-mock.js';
export type {
  StripeMockChange,
  StripeMockControls,
  StripeMockOptions,
  StripeMockRequest,
  StripeMockServer,
} from './stripe/stripe-mock.js';
export type {
  StripeCheckoutSession,
  StripeCustomer,
  StripeEvent,
  StripeInvoice,
  StripeSubscription,
  StripeSubscriptionItem,
} from './stripe/stripe-objects.js';
export type { FormValue } from './stripe/form-body.js';

// Data exports.
export { writeDataExport } from './export/write-data-export.js';
export type {
  DataExportFile,
  DataExportOptions,
  DataExportSummary,
} from './export/write-data-export.js';
export { DEFAULT_EXPORT_END_MS, streamExportRows } from './export/export-rows.js';
export type {
  EndsongRow,
  ExportRow,
  ExportRowKind,
  ExportRowsOptions,
  ExtendedStreamingRow,
} from './export/export-rows.js';
