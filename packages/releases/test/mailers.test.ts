import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
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
  it('file mailer writes each message once as an .eml and lists it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'releases-outbox-'));
    dirs.push(dir);
    let now = Date.UTC(2026, 10, 6, 8);
    const mailer = createFileMailer({ dir: join(dir, 'outbox'), clock: { now: () => now } });
    expect(await mailer.list()).toEqual([]);
    expect(await mailer.wasSent(message.id)).toBe(false);
    await mailer.send(message);
    now += 1000;
    await mailer.send({ ...message, subject: 'changed' });
    expect(await mailer.wasSent(message.id)).toBe(true);
    const files = (await readdir(join(dir, 'outbox'))).sort();
    expect(files).toEqual(['user-1_1762430400000.eml', 'user-1_1762430400000.json']);
    const raw = await mailer.read(message.id);
    const mail = await simpleParser(raw ?? '');
    expect(mail.subject).toBe(message.subject);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('ada@example.com');
    expect(mail.text?.trim()).toBe('Night Drive');
    expect(mail.html).toBe('<p>Night Drive</p>');
    expect(mail.messageId).toBe('<user-1_1762430400000@spoti.releases>');
    expect(mail.date?.getTime()).toBe(Date.UTC(2026, 10, 6, 8));
    expect(raw).toContain('List-Unsubscribe: <https://example.com/u?token=t>');
    await mailer.send({ ...message, id: 'user-2:1', to: 'grace@example.com' });
    expect((await mailer.list()).map((e) => [e.id, e.to, e.subject, e.messageId])).toEqual([
      ['user-2:1', 'grace@example.com', message.subject, '<user-2_1@spoti.releases>'],
      [message.id, 'ada@example.com', message.subject, '<user-1_1762430400000@spoti.releases>'],
    ]);
    expect(await mailer.read('missing')).toBeNull();
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

  it('SMTP failures are MAIL_FAILED without credentials', async () => {
    // Connection refused: retried (without waiting here), then reported.
    const mailer = createSmtpMailer({
      transport: 'smtp://someone:hunter2secret@127.0.0.1:1',
      sleep: async () => {},
    });
    try {
      await mailer.send(message);
      expect.unreachable();
    } catch (error) {
      expect(isReleasesError(error) && error.code === 'MAIL_FAILED').toBe(true);
      expect((error as Error).message).not.toContain('hunter2secret');
      expect((error as Error).message).toContain(message.id);
    } finally {
      mailer.close();
    }
    expect(() => createSmtpMailer({ transport: '' })).toThrow(/transport/);
  });
});
