import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReleasesError } from '../errors/releases-error.js';

/**
 * A rendered e-mail. `id` is the idempotency key: the same digest always has the same id.
 *
 * @example
 * ```ts
 * const message: MailMessage = { id: 'u1:1', to: 'ada@example.com', from: 'r@example.com', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi', headers: {} };
 * ```
 */
export interface MailMessage {
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Extra headers (`List-Unsubscribe`, ...). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Sends digests. `send` resolves once the message is accepted and rejects otherwise. A mailer
 * that can tell whether a message id was already accepted implements `wasSent`, so a digest left
 * half-way by a crash is resolved without sending it twice.
 *
 * @example
 * ```ts
 * const logMailer: Mailer = { send: async (m) => console.log(m.subject) };
 * ```
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  wasSent?(id: string): Promise<boolean>;
}

/** A file name safe for any id. */
function fileNameOf(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * Options of {@link createFileMailer}.
 *
 * @example
 * ```ts
 * const options: FileMailerOptions = { dir: './outbox' };
 * ```
 */
export interface FileMailerOptions {
  /** Folder the messages are written to (created when missing). */
  readonly dir: string;
}

/**
 * A development {@link Mailer} that writes each message to `<dir>/<id>.eml` (headers and the
 * plain text) and `<dir>/<id>.html`. Writing is atomic (temporary file, then rename), and
 * `wasSent` checks the `.eml` file, so a retried digest is never written twice.
 *
 * @example
 * ```ts
 * const mailer = createFileMailer({ dir: './outbox' });
 * await watcher.sendDueDigests({ mailer, from: 'releases@example.com', unsubscribe });
 * ```
 */
export function createFileMailer(options: FileMailerOptions): Mailer {
  if (typeof options?.dir !== 'string' || options.dir === '') {
    throw new ReleasesError({
      code: 'invalid_options',
      message: 'Invalid file mailer: dir is required',
    });
  }
  const { dir } = options;
  return {
    async send(message) {
      try {
        await mkdir(dir, { recursive: true });
        const base = join(dir, fileNameOf(message.id));
        const headers = [
          `Message-ID: <${fileNameOf(message.id)}@spoti.releases>`,
          `From: ${message.from}`,
          `To: ${message.to}`,
          `Subject: ${message.subject}`,
          ...Object.entries(message.headers).map(([k, v]) => `${k}: ${v}`),
          'Content-Type: text/plain; charset=utf-8',
        ].join('\n');
        await writeFile(`${base}.html.tmp`, message.html);
        await rename(`${base}.html.tmp`, `${base}.html`);
        await writeFile(`${base}.eml.tmp`, `${headers}\n\n${message.text}`);
        await rename(`${base}.eml.tmp`, `${base}.eml`);
      } catch (cause) {
        throw new ReleasesError({
          code: 'mail_failed',
          message: `Could not write message ${message.id} to ${dir}`,
          cause,
        });
      }
    },
    async wasSent(id) {
      try {
        await access(join(dir, `${fileNameOf(id)}.eml`));
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * A development {@link Mailer} that prints each message's headers and plain text.
 *
 * @example
 * ```ts
 * const mailer = createConsoleMailer(); // or createConsoleMailer((line) => logger.info(line))
 * ```
 */
export function createConsoleMailer(log: (line: string) => void = console.log): Mailer {
  return {
    async send(message) {
      log(`To: ${message.to}\nSubject: ${message.subject}\n\n${message.text}`);
    },
  };
}

/**
 * A {@link Mailer} that keeps messages in memory (`sent`); tests and previews. `failNext(n)`
 * makes the next `n` sends reject, like an SMTP server that is down; `loseAnswerNext(n)` makes
 * them take the message and then reject, like a reply lost on the way back.
 *
 * @example
 * ```ts
 * const mailer = new MemoryMailer();
 * await watcher.sendDueDigests({ mailer, from: 'a@example.com', unsubscribe });
 * console.log(mailer.sent.length);
 * ```
 */
export class MemoryMailer implements Mailer {
  /** Messages accepted so far, in order. */
  readonly sent: MailMessage[] = [];
  #failures = 0;

  #lostAnswers = 0;

  /** Makes the next `count` sends fail with `mail_failed`. */
  failNext(count: number): void {
    this.#failures = count;
  }

  /** Makes the next `count` sends accept the message, then fail with `mail_failed`. */
  loseAnswerNext(count: number): void {
    this.#lostAnswers = count;
  }

  async send(message: MailMessage): Promise<void> {
    if (this.#lostAnswers > 0) {
      this.#lostAnswers -= 1;
      this.sent.push(message);
      throw new ReleasesError({
        code: 'mail_failed',
        message: `No answer from the mail server for ${message.id}`,
      });
    }
    if (this.#failures > 0) {
      this.#failures -= 1;
      throw new ReleasesError({
        code: 'mail_failed',
        message: `Mail server refused ${message.id}`,
      });
    }
    this.sent.push(message);
  }

  async wasSent(id: string): Promise<boolean> {
    return this.sent.some((m) => m.id === id);
  }
}
