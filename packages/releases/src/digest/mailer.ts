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
 * const mailer = createMemoryMailer();
 * await watcher.sendDueDigests({ mailer, from: 'a@example.com', unsubscribe });
 * console.log(mailer.sent.length);
 * ```
 */
export class MemoryMailer implements Mailer {
  /** Messages accepted so far, in order. */
  readonly sent: MailMessage[] = [];
  #failures = 0;

  #lostAnswers = 0;

  /** Makes the next `count` sends fail with `MAIL_FAILED`. */
  failNext(count: number): void {
    this.#failures = count;
  }

  /** Makes the next `count` sends accept the message, then fail with `MAIL_FAILED`. */
  loseAnswerNext(count: number): void {
    this.#lostAnswers = count;
  }

  async send(message: MailMessage): Promise<void> {
    if (this.#lostAnswers > 0) {
      this.#lostAnswers -= 1;
      this.sent.push(message);
      throw new ReleasesError({
        code: 'MAIL_FAILED',
        message: `No answer from the mail server for ${message.id}`,
      });
    }
    if (this.#failures > 0) {
      this.#failures -= 1;
      throw new ReleasesError({
        code: 'MAIL_FAILED',
        message: `Mail server refused ${message.id}`,
      });
    }
    this.sent.push(message);
  }

  async wasSent(id: string): Promise<boolean> {
    return this.sent.some((m) => m.id === id);
  }
}

/**
 * Creates a {@link MemoryMailer}: messages kept in memory, with fault switches for tests.
 *
 * @example
 * ```ts
 * const mailer = createMemoryMailer();
 * await watcher.sendDueDigests({ mailer, from: 'a@example.com', unsubscribe });
 * ```
 */
export function createMemoryMailer(): MemoryMailer {
  return new MemoryMailer();
}
