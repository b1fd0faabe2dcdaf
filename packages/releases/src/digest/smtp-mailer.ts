import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { ReleasesError } from '../errors/releases-error.js';
import type { MailMessage, Mailer } from './mailer.js';

/**
 * Options of {@link createSmtpMailer}.
 *
 * @example
 * ```ts
 * const options: SmtpMailerOptions = { transport: { host: 'smtp.example.com', port: 465, secure: true } };
 * ```
 */
export interface SmtpMailerOptions {
  /** An SMTP URL (`smtps://user:pass@smtp.example.com`) or nodemailer SMTP transport options. */
  readonly transport: string | SMTPTransport.Options;
  /** Domain used in `Message-ID` headers. Default: `spoti.releases`. */
  readonly messageIdDomain?: string;
}

/**
 * A {@link Mailer} over SMTP with nodemailer. The `Message-ID` is derived from the digest id, so a
 * digest resent after a crash carries the same id (mail systems fold such duplicates). Errors are
 * reported as `mail_failed` without credentials in the message.
 *
 * @example
 * ```ts
 * const mailer = createSmtpMailer({ transport: process.env.SMTP_URL ?? '' });
 * ```
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer & { close(): void } {
  if (
    options === null ||
    typeof options !== 'object' ||
    (typeof options.transport !== 'string' && typeof options.transport !== 'object') ||
    options.transport === ''
  ) {
    throw new ReleasesError({
      code: 'invalid_options',
      message: 'Invalid SMTP mailer: transport must be an SMTP URL or transport options',
    });
  }
  const transporter = nodemailer.createTransport(options.transport as SMTPTransport.Options);
  const domain = options.messageIdDomain ?? 'spoti.releases';
  return {
    async send(message: MailMessage) {
      try {
        await transporter.sendMail({
          from: message.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: { ...message.headers },
          messageId: `<${message.id.replace(/[^A-Za-z0-9._-]/g, '_')}@${domain}>`,
        });
      } catch (cause) {
        const code = (cause as { code?: unknown })?.code;
        throw new ReleasesError({
          code: 'mail_failed',
          message: `SMTP send of ${message.id} failed${typeof code === 'string' ? ` (${code})` : ''}`,
          cause,
        });
      }
    },
    close() {
      transporter.close();
    },
  };
}
