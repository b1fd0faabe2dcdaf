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
export {
  DIGEST_CADENCES,
  cadenceDays,
  cadenceOf,
  digestPeriod,
  isDigestDue,
  nextDigestAt,
} from './logic/schedule.js';
export type { DigestCadence, Scheduled } from './logic/schedule.js';
export { belongsTo, foldKey, normaliseTitle } from './logic/fold.js';
export type { FoldableEdition } from './logic/fold.js';
export { scanArtistAlbums } from './scan.js';
export type { ScanArtistInput, ScanClient, ScannedEdition } from './scan.js';
export {
  digestCadenceSchema,
  releaseGroupSchema,
  subscribeOptionsSchema,
  subscriberInputSchema,
  subscriptionInputSchema,
  watcherOptionsSchema,
} from './options.js';
export type {
  ReleaseWatcherOptions,
  ResolvedWatcherOptions,
  SubscribeOptions,
  SubscriberInput,
  SubscriptionInput,
  WatcherClient,
} from './options.js';
export type { SubscribeResult } from './subscriptions.js';
export { ReleaseWatcher, createReleaseWatcher } from './watcher.js';
export type { RefreshResult, SourcesClient } from './watcher.js';
export { sendDigestsOptionsSchema } from './digest/digest-options.js';
export type {
  DigestPreview,
  DigestRunResult,
  SendDigestsOptions,
} from './digest/digest-options.js';
export type { ReleaseStore, ScanCommit, SeenEdition } from './store/release-store.js';
export { createMemoryReleaseStore } from './store/memory-store.js';
export { renderDigest } from './digest/render.js';
export type { DigestEntry, DigestRenderInput, RenderedDigest } from './digest/render.js';
export { renderConfirmation } from './digest/render-confirmation.js';
export type { ConfirmationRenderInput } from './digest/render-confirmation.js';
export { createConsoleMailer, createMemoryMailer } from './digest/mailer.js';
export type { MemoryMailer } from './digest/mailer.js';
export type { MailMessage, Mailer } from './digest/mailer.js';
export { createFileMailer } from './digest/file-mailer.js';
export type { FileMailer, FileMailerOptions, OutboxEntry } from './digest/file-mailer.js';
export { composeRaw, messageIdOf } from './digest/compose.js';
export { classifySmtpError, createSmtpMailer } from './digest/smtp-mailer.js';
export type { SmtpFailureKind, SmtpMailerOptions, SmtpRetryEvent } from './digest/smtp-mailer.js';
export { createUnsubscribeToken, verifyUnsubscribeToken } from './digest/unsubscribe.js';
export { createConfirmationToken, verifyConfirmationToken } from './digest/confirmation.js';
export type { ConfirmationClaims, ConfirmationTokenInput } from './digest/confirmation.js';
export { createPgliteReleaseStore, createPostgresReleaseStore } from './store/sql-store.js';
export type { PgliteReleaseStoreOptions, PostgresReleaseStoreOptions } from './store/sql-store.js';
