import { access, mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReleasesError } from '../errors/releases-error.js';
import { DEFAULT_MESSAGE_ID_DOMAIN, composeRaw, messageIdOf } from './compose.js';
import type { Mailer } from './mailer.js';

/**
 * Options of {@link createFileMailer}.
 *
 * @example
 * ```ts
 * const options: FileMailerOptions = { dir: './data/outbox' };
 * ```
 */
export interface FileMailerOptions {
  /** Folder the messages are written to (created when missing). */
  readonly dir: string;
  /** Domain used in `Message-ID` headers. Default: `spoti.releases`. */
  readonly messageIdDomain?: string;
  /** Time source for the `Date` header and `writtenAt` (Unix ms). Default: `Date.now`. */
  readonly clock?: { now(): number };
}

/**
 * One message in a file mailer's folder.
 *
 * @example
 * ```ts
 * for (const entry of await outbox.list()) console.log(entry.writtenAt, entry.to, entry.subject);
 * ```
 */
export interface OutboxEntry {
  /** The message id (the digest id). */
  readonly id: string;
  readonly messageId: string;
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  /** Unix ms when it was written. */
  readonly writtenAt: number;
  /** The `.eml` file. */
  readonly file: string;
}

/**
 * A {@link Mailer} that writes messages into a folder, plus reading them back.
 *
 * @example
 * ```ts
 * const outbox: FileMailer = createFileMailer({ dir: './data/outbox' });
 * ```
 */
export interface FileMailer extends Mailer {
  wasSent(id: string): Promise<boolean>;
  /** Every message written, newest first (then by id). */
  list(): Promise<OutboxEntry[]>;
  /** The raw `.eml` text of a message, or null when there is none. */
  read(id: string): Promise<string | null>;
}

/** A file name safe for any id. */
function fileNameOf(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A {@link Mailer} that writes each message as `<dir>/<id>.eml`, the same RFC 5322 document the
 * SMTP mailer would send (text and HTML parts, headers, stable `Message-ID`), with a small
 * `<id>.json` index entry beside it. Writing is atomic (temporary file, then rename); a message
 * whose `.eml` exists is not written again, and `wasSent` checks it, so a retried digest is never
 * written twice. The zero-configuration outbox of a server: open the files in any mail client.
 *
 * @example
 * ```ts
 * const mailer = createFileMailer({ dir: './data/outbox' });
 * await watcher.runDigests({ mailer, from: 'releases@example.com', unsubscribe });
 * console.log(await mailer.list());
 * ```
 */
export function createFileMailer(options: FileMailerOptions): FileMailer {
  if (typeof options?.dir !== 'string' || options.dir === '') {
    throw new ReleasesError({
      code: 'INVALID_OPTIONS',
      message: 'Invalid file mailer: dir is required',
    });
  }
  const { dir } = options;
  const domain = options.messageIdDomain ?? DEFAULT_MESSAGE_ID_DOMAIN;
  const now = options.clock === undefined ? () => Date.now() : () => options.clock?.now() ?? 0;
  return {
    async send(message) {
      const base = join(dir, fileNameOf(message.id));
      try {
        await mkdir(dir, { recursive: true });
        if (await exists(`${base}.eml`)) return;
        const writtenAt = now();
        const raw = await composeRaw(message, domain, new Date(writtenAt));
        const entry: OutboxEntry = {
          id: message.id,
          messageId: messageIdOf(message.id, domain),
          to: message.to,
          from: message.from,
          subject: message.subject,
          writtenAt,
          file: `${base}.eml`,
        };
        await writeFile(`${base}.json.tmp`, JSON.stringify(entry));
        await rename(`${base}.json.tmp`, `${base}.json`);
        await writeFile(`${base}.eml.tmp`, raw);
        await rename(`${base}.eml.tmp`, `${base}.eml`);
      } catch (cause) {
        throw new ReleasesError({
          code: 'MAIL_FAILED',
          message: `Could not write message ${message.id} to the outbox`,
          cause,
        });
      }
    },
    async wasSent(id) {
      return exists(join(dir, `${fileNameOf(id)}.eml`));
    },
    async list() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return [];
      }
      const emls = new Set(names.filter((n) => n.endsWith('.eml')));
      const out: OutboxEntry[] = [];
      for (const name of names) {
        if (!name.endsWith('.json') || !emls.has(`${name.slice(0, -5)}.eml`)) continue;
        try {
          out.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxEntry);
        } catch {
          // A foreign or damaged index file: the message is still on disk, just not listed.
        }
      }
      return out.sort((a, b) => b.writtenAt - a.writtenAt || (a.id < b.id ? -1 : 1));
    },
    async read(id) {
      try {
        return await readFile(join(dir, `${fileNameOf(id)}.eml`), 'utf8');
      } catch {
        return null;
      }
    },
  };
}
