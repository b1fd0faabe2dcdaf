export { ReleasesError, isReleasesError } from './errors/releases-error.js';
export type { ReleasesErrorCode, ReleasesErrorOptions } from './errors/releases-error.js';
export { RELEASE_GROUPS } from './domain/types.js';
export type {
  ArtistCursor,
  Digest,
  DigestStatus,
  Release,
  ReleaseArtist,
  ReleaseGroup,
  ReleaseType,
  Subscriber,
  SubscriberSources,
  SweepFailure,
  SweepReport,
  SweepStop,
} from './domain/types.js';
export {
  compareReleaseDates,
  formatReleaseDate,
  releaseDateOverlaps,
  releaseDateRange,
} from './logic/release-date.js';
export type { ReleaseDateRange } from './logic/release-date.js';
export { localReleaseInstant } from './logic/time-zone.js';
export { belongsTo, foldKey, normaliseTitle } from './logic/fold.js';
export type { FoldableEdition } from './logic/fold.js';
export { scanArtistAlbums } from './scan.js';
export type { ScanArtistInput, ScanClient, ScannedEdition } from './scan.js';
export {
  releaseGroupSchema,
  subscriberInputSchema,
  watcherOptionsSchema,
} from './options.js';
export type {
  ReleaseWatcherOptions,
  ResolvedWatcherOptions,
  SubscriberInput,
  WatcherClient,
} from './options.js';
export { ReleaseWatcher, createReleaseWatcher, sendDigestsOptionsSchema } from './watcher.js';
export type {
  DigestRunResult,
  RefreshResult,
  SendDigestsOptions,
  SourcesClient,
} from './watcher.js';
export type { ReleaseStore, ScanCommit, SeenEdition } from './store/release-store.js';
export { createMemoryReleaseStore } from './store/memory-store.js';
export { renderDigest } from './digest/render.js';
export type { DigestEntry, DigestRenderInput, RenderedDigest } from './digest/render.js';
export { MemoryMailer, createConsoleMailer, createFileMailer } from './digest/mailer.js';
export type { FileMailerOptions, MailMessage, Mailer } from './digest/mailer.js';
export { createSmtpMailer } from './digest/smtp-mailer.js';
export type { SmtpMailerOptions } from './digest/smtp-mailer.js';
export { createUnsubscribeToken, verifyUnsubscribeToken } from './digest/unsubscribe.js';
export { createPgliteReleaseStore, createPostgresReleaseStore } from './store/sql-store.js';
export type { PgliteReleaseStoreOptions, PostgresReleaseStoreOptions } from './store/sql-store.js';
