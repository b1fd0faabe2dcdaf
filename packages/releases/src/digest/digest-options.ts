import { z } from 'zod';
import type { Mailer } from './mailer.js';
import type { DigestEntry, RenderedDigest } from './render.js';

/**
 * Options of {@link ReleaseWatcher.sendDueDigests}.
 *
 * @example
 * ```ts
 * sendDigestsOptionsSchema.parse({ mailer, from: 'r@example.com', unsubscribe }).firstDigestDays; // 28
 * ```
 */
export const sendDigestsOptionsSchema = z.object({
  mailer: z.custom<Mailer>(
    (v) => typeof v === 'object' && v !== null && typeof (v as Mailer).send === 'function',
    { message: 'mailer must implement send' },
  ),
  /** The From address. */
  from: z.string().min(3),
  unsubscribe: z.object({
    /** HMAC secret of unsubscribe tokens (at least 16 characters). */
    secret: z.string().min(16),
    /** Page that takes `?token=`; the token is appended (also the one-click POST target). */
    baseUrl: z.url(),
    /** An address that unsubscribes by mail, added to `List-Unsubscribe` (optional). */
    mailto: z.email().optional(),
  }),
  /** How far back the first digest of a subscriber reaches. Default 28 days. */
  firstDigestDays: z.number().int().min(1).max(365).default(28),
  /** A digest taken by a sender that has not finished after this long is resumed. Default 10 min. */
  leaseMs: z.number().int().min(0).default(600_000),
  /** Only these subscribers (default: all). */
  userIds: z.array(z.string()).optional(),
  /** Title of the mail. */
  title: z.string().optional(),
  /** The time of the run (Unix ms). Default: the watcher's clock. */
  now: z.number().int().nonnegative().optional(),
});
/**
 * Options of {@link ReleaseWatcher.sendDueDigests}.
 *
 * @example
 * ```ts
 * const options: SendDigestsOptions = { mailer, from: 'r@example.com', unsubscribe: { secret, baseUrl: 'https://example.com/u' } };
 * ```
 */
export type SendDigestsOptions = z.input<typeof sendDigestsOptionsSchema>;

/** {@link SendDigestsOptions} validated, defaults filled in. */
export type ResolvedDigestOptions = z.output<typeof sendDigestsOptionsSchema>;

/**
 * What one digest run did.
 *
 * @example
 * ```ts
 * const { sent, failed }: DigestRunResult = await watcher.sendDueDigests(options);
 * ```
 */
export interface DigestRunResult {
  /** Digests handed to the mailer and accepted. */
  readonly sent: readonly {
    readonly userId: string;
    readonly digestId: string;
    readonly releases: number;
  }[];
  /** Subscribers due with nothing new (watermark moved, no mail). */
  readonly empty: readonly string[];
  /** Digests the mailer could not send (transient); retried, unchanged, by the next run. */
  readonly failed: readonly {
    readonly userId: string;
    readonly digestId: string;
    readonly error: string;
  }[];
  /** Digests the mail server refused for good (`MAIL_REJECTED`); recorded, never retried. */
  readonly rejected: readonly {
    readonly userId: string;
    readonly digestId: string;
    readonly error: string;
  }[];
  /**
   * Subscribers skipped this time: another sender holds their digest (lease not expired), or
   * their first digest waits for the first scan of their artists.
   */
  readonly skipped: readonly string[];
}

/**
 * What {@link ReleaseWatcher.previewDigest} returns: the next digest as it stands now.
 *
 * @example
 * ```ts
 * const { rendered, dueAt, entries }: DigestPreview = await watcher.previewDigest('u1');
 * ```
 */
export interface DigestPreview {
  /** When the next digest is due (Unix ms), or null while pending or after unsubscribing. */
  readonly dueAt: number | null;
  /** The releases it would hold if it were sent now. */
  readonly entries: readonly DigestEntry[];
  readonly periodFrom: number;
  readonly periodTo: number;
  /** The mail, rendered. */
  readonly rendered: RenderedDigest;
}
