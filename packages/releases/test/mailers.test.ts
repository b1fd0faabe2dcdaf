import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type MailMessage,
  createConsoleMailer,
  createFileMailer,
  createSmtpMailer,
  isReleasesError,
} from '../src/index.js';

const message: MailMessage = {
  id: 'user-1:1762430400000',
  to: 'ada@example.com',
  from: 'releases@example.com',
  subject: 'New releases: 1 from 1 artist you follow',
  html: '<p>Night Drive</p>',
  text: 'Night Drive',
  headers: { 'List-Unsubscribe': '<https://example.com/u?token=t>' },
};

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('mailers', () => {
  it('file mailer writes each digest once and knows what it wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'releases-outbox-'));
    dirs.push(dir);
    const mailer = createFileMailer({ dir: join(dir, 'outbox') });
    expect(await mailer.wasSent?.(message.id)).toBe(false);
    await mailer.send(message);
    await mailer.send(message);
    expect(await mailer.wasSent?.(message.id)).toBe(true);
    const files = (await readdir(join(dir, 'outbox'))).sort();
    expect(files).toEqual(['user-1_1762430400000.eml', 'user-1_1762430400000.html']);
    const eml = await readFile(join(dir, 'outbox', 'user-1_1762430400000.eml'), 'utf8');
    expect(eml).toContain('To: ada@example.com');
    expect(eml).toContain('List-Unsubscribe: <https://example.com/u?token=t>');
    expect(eml.endsWith('Night Drive')).toBe(true);
    expect(() => createFileMailer({ dir: '' })).toThrow(/dir is required/);
  });

  it('console mailer prints subject and text', async () => {
    const lines: string[] = [];
    await createConsoleMailer((line) => lines.push(line)).send(message);
    expect(lines.join('\n')).toContain('Subject: New releases: 1 from 1 artist you follow');
  });

  it('SMTP mailer builds the message with a Message-ID from the digest id', async () => {
    const mailer = createSmtpMailer({
      transport: { streamTransport: true, buffer: true } as never,
    });
    await expect(mailer.send(message)).resolves.toBeUndefined();
    mailer.close();
  });

  it('SMTP failures are mail_failed without credentials', async () => {
    const mailer = createSmtpMailer({ transport: 'smtp://someone:hunter2secret@127.0.0.1:1' });
    try {
      await mailer.send(message);
      expect.unreachable();
    } catch (error) {
      expect(isReleasesError(error) && error.code === 'mail_failed').toBe(true);
      expect((error as Error).message).not.toContain('hunter2secret');
      expect((error as Error).message).toContain(message.id);
    } finally {
      mailer.close();
    }
    expect(() => createSmtpMailer({ transport: '' })).toThrow(/transport/);
  });
});
