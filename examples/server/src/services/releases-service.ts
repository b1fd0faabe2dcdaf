import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  type FileMailer,
  type Mailer,
  type Release,
  type ReleaseWatcher,
  type Subscriber,
  createFileMailer,
  createReleaseWatcher,
  createSmtpMailer,
  createUnsubscribeToken,
  isReleasesError,
  releaseDateOverlaps,
  releaseDateRange,
} from '@spoti/releases';
import type { Logger } from 'pino';
import type { SpotifyAccess } from '../auth/spotify.js';
import { readOrCreateSecretFile } from '../local-secrets.js';
import type { Database } from '../storage/database.js';

const DAY_MS = 86_400_000;
/** How far back the `/releases` page and the first digest reach. */
export const RECENT_DAYS = 28;

/** Retry policy of the SMTP mailer (tests shorten it). */
export interface MailRetry {
  readonly retries?: number;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** What one message went through in the mailer: attempts retried and the reasons. */
export interface MailTally {
  retries: number;
  readonly reasons: string[];
}

/** Options of {@link openReleasesRuntime}. */
export interface ReleasesRuntimeOptions {
  readonly database: Database;
  readonly spotify: SpotifyAccess;
  readonly clock: { now(): number };
  readonly logger: Logger;
  /** Where the default outbox (`outbox/`) and the generated link key (`releases.key`) live. */
  readonly dataDir: string;
  readonly mail: {
    readonly smtpUrl: string | undefined;
    readonly from: string;
    readonly releasesSecret: string | undefined;
  };
  /** The base URL links in mails point at (known once the server listens). */
  readonly publicUrl: () => string;
  /** SMTP retry policy (default: 3 retries, 1 s to 30 s backoff). */
  readonly mailRetry?: MailRetry;
  /** Wraps the mailer (tests inject failures between the mail server and the record). */
  readonly wrapMailer?: (mailer: Mailer) => Mailer;
}

/**
 * The release-notification service of one server process: the watcher on the shared database,
 * the mailer (SMTP with `SMTP_URL`, else `.eml` files under the data folder) and the key that
 * signs confirmation and unsubscribe links. Jobs and routes share it.
 */
export interface ReleasesRuntime {
  readonly watcher: ReleaseWatcher;
  /** The mailer every release mail goes through (with a per-message retry tally). */
  readonly mailer: Mailer;
  /** The file outbox in zero-config mode; null when mail goes out by SMTP. */
  readonly outbox: FileMailer | null;
  readonly from: string;
  /** HMAC key of confirmation and unsubscribe tokens. */
  readonly secret: string;
  /** Retries the mailer made for a message id since the process started (then forgotten). */
  takeTally(messageId: string): MailTally;
  confirmUrl(): string;
  unsubscribeUrl(): string;
  /** The signed unsubscribe link of a user (works signed out, any number of times). */
  unsubscribeLinkFor(userId: string): string;
  close(): void;
}

/** The link key in `<dataDir>/releases.key` (any 32+ characters), created (mode 0600) on first use. */
function storedSecret(dataDir: string): string {
  return readOrCreateSecretFile(join(dataDir, 'releases.key'), randomBytes, /^\S{32,}$/);
}

/**
 * Opens the release service on an open database.
 *
 * @example
 * ```ts
 * const releases = await openReleasesRuntime({ database, spotify, clock, logger, dataDir, mail, publicUrl });
 * ```
 */
export async function openReleasesRuntime(
  options: ReleasesRuntimeOptions,
): Promise<ReleasesRuntime> {
  const secret = options.mail.releasesSecret ?? storedSecret(options.dataDir);
  const tallies = new Map<string, MailTally>();
  const tally = (id: string): MailTally => {
    let t = tallies.get(id);
    if (t === undefined) {
      t = { retries: 0, reasons: [] };
      tallies.set(id, t);
    }
    return t;
  };
  let outbox: FileMailer | null = null;
  let base: Mailer & { close?(): void };
  if (options.mail.smtpUrl === undefined) {
    outbox = createFileMailer({ dir: join(options.dataDir, 'outbox'), clock: options.clock });
    base = outbox;
  } else {
    base = createSmtpMailer({
      transport: options.mail.smtpUrl,
      ...(options.mailRetry === undefined ? {} : { retry: options.mailRetry }),
      onRetry: (event) => {
        const t = tally(event.messageId);
        t.retries += 1;
        t.reasons.push(event.reason);
        options.logger.warn(
          { messageId: event.messageId, attempt: event.attempt, delayMs: event.delayMs },
          `mail attempt failed (${event.reason}); retrying`,
        );
      },
    });
  }
  const mailer = options.wrapMailer?.(base) ?? base;
  const watcher = createReleaseWatcher({
    store: options.database.releases,
    // Sweeps call GET /artists/{id}/albums with a subscriber's client, set per sweep.
    client: { getArtistAlbums: () => Promise.reject(new Error('no sweep client')) },
    clock: options.clock,
  });
  const confirmUrl = () => `${options.publicUrl()}/releases/confirm`;
  const unsubscribeUrl = () => `${options.publicUrl()}/releases/unsubscribe`;
  return {
    watcher,
    mailer,
    outbox,
    from: options.mail.from,
    secret,
    takeTally(id) {
      const t = tallies.get(id) ?? { retries: 0, reasons: [] };
      tallies.delete(id);
      return t;
    },
    confirmUrl,
    unsubscribeUrl,
    unsubscribeLinkFor: (userId) =>
      `${unsubscribeUrl()}?token=${createUnsubscribeToken({ userId, secret, issuedAt: options.clock.now() })}`,
    close: () => base.close?.(),
  };
}

/**
 * A watcher with the same store and clock as `runtime.watcher`, scanning with `client` (sweeps
 * use a subscriber's client: the albums endpoint works with any user's token).
 */
export function sweepWatcher(
  runtime: ReleasesRuntime,
  client: Parameters<typeof createReleaseWatcher>[0]['client'],
  clock: { now(): number },
): ReleaseWatcher {
  return createReleaseWatcher({ ...runtime.watcher.options, client, clock });
}

/** Where a user stands with the release mails. */
export type SubscriptionState = 'none' | 'pending' | 'active' | 'unsubscribed';

/** The state of a subscriber row (or of its absence). */
export function subscriptionState(subscriber: Subscriber | null): SubscriptionState {
  if (subscriber === null) return 'none';
  if (subscriber.unsubscribedAt !== null) return 'unsubscribed';
  return subscriber.confirmedAt === null ? 'pending' : 'active';
}

/**
 * New releases of `artistIds` whose date reaches into the last {@link RECENT_DAYS} days before
 * `now`, newest first by the start of their date range (editions are already folded into one
 * release by the watcher).
 */
export async function recentReleases(
  runtime: ReleasesRuntime,
  artistIds: readonly string[],
  now: number,
): Promise<Release[]> {
  if (artistIds.length === 0) return [];
  const from = now - RECENT_DAYS * DAY_MS;
  const releases = await runtime.watcher.store.listReleasesForArtists(artistIds);
  const mine = new Set(artistIds);
  return releases
    .filter((r) => r.artists[0] !== undefined && mine.has(r.artists[0].id))
    .filter((r) => releaseDateOverlaps(r.releaseDate, r.releaseDatePrecision, from, now))
    .map((r) => ({ r, start: releaseDateRange(r.releaseDate, r.releaseDatePrecision).start }))
    .sort((a, b) => b.start - a.start || a.r.name.localeCompare(b.r.name))
    .map(({ r }) => r);
}

/** A short, user-facing text for an error of the releases package. */
export function releasesErrorText(error: unknown): string | null {
  if (!isReleasesError(error)) return null;
  switch (error.code) {
    case 'INVALID_TOKEN':
      return 'This link is not valid (it may have been changed or replaced by a newer one).';
    case 'TOKEN_EXPIRED':
      return 'This confirmation link has expired: subscribe again to get a new one.';
    case 'INVALID_OPTIONS':
      return error.message;
    case 'MAIL_FAILED':
    case 'MAIL_REJECTED':
      return 'The confirmation mail could not be sent. Try again in a moment.';
    default:
      return null;
  }
}
