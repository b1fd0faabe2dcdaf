import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message the peer accepted. */
export interface Received {
  readonly raw: string;
  readonly mail: ParsedMail;
  readonly messageId: string;
}

/**
 * An SMTP server in the test process, speaking real SMTP on 127.0.0.1. `refuseNext(n, code)`
 * answers the next `n` messages (after DATA) with that reply code; `down()`/`up()` close and
 * reopen the port (connection refused in between).
 */
export class SmtpPeer {
  readonly received: Received[] = [];
  /** Every DATA the peer answered, accepted or not. */
  attempts = 0;
  #server: SMTPServer | null = null;
  #port = 0;
  #refusals: number[] = [];

  get port(): number {
    return this.#port;
  }
  /** `smtp://` URL of the peer (no TLS, no auth: a local stand-in). */
  get url(): string {
    return `smtp://127.0.0.1:${this.#port}`;
  }

  refuseNext(count: number, code: number): void {
    for (let i = 0; i < count; i++) this.#refusals.push(code);
  }

  async up(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.attempts += 1;
          const refusal = this.#refusals.shift();
          if (refusal !== undefined) {
            const error = Object.assign(new Error(`Refused for the test (${refusal})`), {
              responseCode: refusal,
            });
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (mail) => {
              this.received.push({ raw, mail, messageId: mail.messageId ?? '' });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.server.address() as AddressInfo).port;
    this.#server = server;
  }

  async down(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Messages received for one address, in order. */
  to(address: string): Received[] {
    return this.received.filter((r) =>
      (Array.isArray(r.mail.to) ? r.mail.to : r.mail.to === undefined ? [] : [r.mail.to]).some(
        (a) => a.value.some((v) => v.address === address),
      ),
    );
  }
}

/** Starts a peer on a free port. */
export async function startSmtpPeer(): Promise<SmtpPeer> {
  const peer = new SmtpPeer();
  await peer.up();
  return peer;
}

/** `href`s of the `<a>` elements of an HTML part. */
export function htmlLinks(html: string | false | undefined): string[] {
  if (html === false || html === undefined) return [];
  return [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
}

/** The URLs in a text part. */
export function textLinks(text: string | undefined): string[] {
  return [...(text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
}

/** The `token` parameter of the first link to `base`. */
export function tokenOf(links: readonly string[], base: string): string {
  const link = links.find((l) => l.startsWith(base));
  if (link === undefined) throw new Error(`no link to ${base} in ${links.join(' ')}`);
  const token = new URL(link).searchParams.get('token');
  if (token === null) throw new Error(`no token in ${link}`);
  return token;
}
