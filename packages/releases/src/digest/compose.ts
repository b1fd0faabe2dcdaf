import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { MailMessage } from './mailer.js';

/** The domain of `Message-ID`s when none is configured. */
export const DEFAULT_MESSAGE_ID_DOMAIN = 'spoti.releases';

/**
 * The `Message-ID` of a message id: the same id always gives the same header, so a digest resent
 * after a crash carries the same `Message-ID` and mail systems fold the copies.
 *
 * @example
 * ```ts
 * messageIdOf('u1:1762430400000'); // '<u1_1762430400000@spoti.releases>'
 * ```
 */
export function messageIdOf(id: string, domain = DEFAULT_MESSAGE_ID_DOMAIN): string {
  return `<${id.replace(/[^A-Za-z0-9._-]/g, '_')}@${domain}>`;
}

/** nodemailer's options for a message (both parts, its headers, the stable Message-ID). */
export function mailOptionsOf(message: MailMessage, domain: string, date?: Date): Mail.Options {
  return {
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: { ...message.headers },
    messageId: messageIdOf(message.id, domain),
    ...(date === undefined ? {} : { date }),
  };
}

const composer = nodemailer.createTransport({
  streamTransport: true,
  buffer: true,
  newline: 'unix',
});

/**
 * The message as an RFC 5322 document (`multipart/alternative` with a text and an HTML part),
 * exactly as the SMTP mailer would send it.
 *
 * @example
 * ```ts
 * await writeFile('digest.eml', await composeRaw(message));
 * ```
 */
export async function composeRaw(
  message: MailMessage,
  domain = DEFAULT_MESSAGE_ID_DOMAIN,
  date?: Date,
): Promise<Buffer> {
  const info = await composer.sendMail(mailOptionsOf(message, domain, date));
  return info.message as Buffer;
}
