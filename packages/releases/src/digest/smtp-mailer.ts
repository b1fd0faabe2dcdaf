import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { z } from 'zod';
import { ReleasesError } from '../errors/releases-error.js';
import { parseOrThrow } from '../internal/parse.js';
import { DEFAULT_MESSAGE_ID_DOMAIN, mailOptionsOf } from './compose.js';
import type { MailMessage, Mailer } from './mailer.js';

/**
 * Options of {@link createSmtpMailer}.
 *
 * @example
 * ```ts
 * const options: SmtpMailerOptions = { transport: process.env.SMTP_URL ?? '', retry: { retries: 4 } };
 * ```
 */
export interface SmtpMailerOptions {
  /** An SMTP URL (`smtp://user:pass@host:587`, `smtps://...`) or nodemailer SMTP transport options. */
  readonly transport: string | SMTPTransport.Options;
  /** Domain used in `Message-ID` headers. Default: `spoti.releases`. */
  readonly messageIdDomain?: string;
  /** Retries of transient failures (connection refused, 4xx answers). */
  readonly retry?: {
    /** Retries after the first attempt. Default 3. */
    readonly retries?: number;
    /** Delay before the first retry, ms; it doubles each time. Default 1000. */
    readonly minDelayMs?: number;
    /** Longest delay, ms. Default 30 000. */
    readonly maxDelayMs?: number;
  };
  /** Waits `ms` between attempts (a parameter so tests and simulations control time). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called before each retry: the attempt that failed, the delay and the failure. */
  readonly onRetry?: (event: SmtpRetryEvent) => void;
}

/**
 * A transient SMTP failure about to be retried.
 *
 * @example
 * ```ts
 * const onRetry = (e: SmtpRetryEvent) => log.warn(`${e.messageId}: attempt ${e.attempt} failed (${e.reason}), retry in ${e.delayMs} ms`);
 * ```
 */
export interface SmtpRetryEvent {
  /** The message's id (the digest id). */
  readonly messageId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly delayMs: number;
  /** SMTP reply code or socket error code (`421`, `ESOCKET`, ...). */
  readonly reason: string;
}

const optionsSchema = z.object({
  transport: z.union([z.string().min(1, 'an SMTP URL'), z.looseObject({})]),
  messageIdDomain: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, 'a domain name')
    .default(DEFAULT_MESSAGE_ID_DOMAIN),
  retry: z
    .object({
      retries: z.number().int().min(0).max(20).default(3),
      minDelayMs: z.number().int().min(0).default(1000),
      maxDelayMs: z.number().int().min(0).default(30_000),
    })
    .prefault({}),
  sleep: z.custom<(ms: number) => Promise<void>>((v) => typeof v === 'function').optional(),
  onRetry: z.custom<(event: SmtpRetryEvent) => void>((v) => typeof v === 'function').optional(),
});

/** Socket-level failures while connecting: nothing was sent, so trying again is safe. */
const CONNECT_ERRORS = new Set(['ESOCKET', 'ECONNECTION', 'ETIMEDOUT', 'EDNS']);

/**
 * How an SMTP failure is handled (see {@link classifySmtpError}).
 *
 * @example
 * ```ts
 * const retry = (kind: SmtpFailureKind) => kind === 'transient';
 * ```
 */
export type SmtpFailureKind = 'transient' | 'permanent' | 'unknown';

/**
 * Classifies a nodemailer error: `permanent` for a 5xx reply (the server refuses the message for
 * good), `transient` for a 4xx reply or a failure to connect (the message was not taken: safe to
 * try again), `unknown` otherwise (e.g. the connection dropped after the message was streamed:
 * the server may have taken it, so the mailer does not retry on its own).
 *
 * @example
 * ```ts
 * classifySmtpError({ responseCode: 550 }); // 'permanent'
 * ```
 */
export function classifySmtpError(error: unknown): SmtpFailureKind {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    responseCode?: unknown;
    code?: unknown;
    command?: unknown;
  };
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 500) return 'permanent';
    if (e.responseCode >= 400) return 'transient';
  }
  if (typeof e.code === 'string' && CONNECT_ERRORS.has(e.code) && e.command === 'CONN')
    return 'transient';
  return 'unknown';
}

function reasonOf(error: unknown): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    responseCode?: unknown;
    code?: unknown;
  };
  if (typeof e.responseCode === 'number') return String(e.responseCode);
  return typeof e.code === 'string' ? e.code : 'unknown';
}

/**
 * A {@link Mailer} over SMTP with nodemailer (`SMTP_URL`-style URL or transport options).
 * Each message goes out as `multipart/alternative` (text and HTML) with its headers and a
 * `Message-ID` derived from its id, so a digest resent after a crash carries the same id.
 *
 * Transient failures (connection refused, 4xx replies) are retried with exponential backoff;
 * when they persist, `send` rejects with `MAIL_FAILED` (the watcher retries the digest on its
 * next run). A 5xx reply rejects at once with `MAIL_REJECTED` (the watcher records the digest as
 * `rejected` and never sends it again). A failure after the message may have been taken is not
 * retried here. Errors never contain the URL or its credentials.
 *
 * @example
 * ```ts
 * const mailer = createSmtpMailer({ transport: process.env.SMTP_URL ?? '' });
 * await watcher.runDigests({ mailer, from: 'releases@example.com', unsubscribe });
 * mailer.close();
 * ```
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer & { close(): void } {
  const o = parseOrThrow(optionsSchema, options, 'SMTP mailer');
  const transporter = nodemailer.createTransport(o.transport as SMTPTransport.Options);
  const sleep =
    o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async send(message: MailMessage) {
      for (let attempt = 1; ; attempt++) {
        try {
          await transporter.sendMail(mailOptionsOf(message, o.messageIdDomain));
          return;
        } catch (cause) {
          const kind = classifySmtpError(cause);
          const reason = reasonOf(cause);
          if (kind === 'permanent') {
            throw new ReleasesError({
              code: 'MAIL_REJECTED',
              message: `The mail server refused ${message.id} (${reason})`,
              cause,
            });
          }
          if (kind === 'unknown' || attempt > o.retry.retries) {
            throw new ReleasesError({
              code: 'MAIL_FAILED',
              message: `SMTP send of ${message.id} failed after ${attempt} attempt${attempt === 1 ? '' : 's'} (${reason})`,
              cause,
            });
          }
          const delayMs = Math.min(o.retry.maxDelayMs, o.retry.minDelayMs * 2 ** (attempt - 1));
          o.onRetry?.({ messageId: message.id, attempt, delayMs, reason });
          await sleep(delayMs);
        }
      }
    },
    close() {
      transporter.close();
    },
  };
}
