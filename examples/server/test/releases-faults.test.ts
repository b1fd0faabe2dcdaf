import type { Mailer } from '@spoti/releases';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../src/storage/database.js';
import { withReleaseSweepLock } from '../src/storage/release-runs.js';
import { Agent, BACKENDS } from './helpers.js';
import {
  DAY,
  FAKE_API_KEY,
  type ReleasesTestServer,
  type SmtpPeer,
  followedBy,
  isoDay,
  serverUserId,
  startReleasesServer,
  startSmtpPeer,
  textLinks,
} from './releases-helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 }); // a busy shared CI machine

/** Signs `listener` in, subscribes (weekly) and confirms through the mailed link. */
async function subscribeAndConfirm(
  t: ReleasesTestServer,
  listener: string,
  email: string,
  confirmLink: () => Promise<string>,
): Promise<string> {
  const agent = new Agent(t.url);
  await agent.signIn(listener);
  await t.server.context.runner.idle();
  const csrf = await agent.csrf('/releases');
  const response = await agent.post('/releases/subscribe', {
    _csrf: csrf,
    email,
    cadence: 'weekly',
  });
  expect(response.status).toBe(303);
  await t.server.context.runner.idle();
  const link = new URL(await confirmLink());
  expect((await fetch(link, { method: 'POST' })).status).toBe(200);
  await t.server.context.runner.idle();
  return serverUserId(t, listener);
}

describe('release mail faults against a real SMTP peer (PGlite)', () => {
  let t: ReleasesTestServer;
  let peer: SmtpPeer;
  let crashAfterSend = false;
  let userId: string;
  let artist: string;
  const email = 'listener-faults@example.com';

  beforeAll(async () => {
    peer = await startSmtpPeer();
    // A mailer wrapper standing for a crash between the mail server's "250 OK" and the record.
    const wrapMailer = (inner: Mailer): Mailer => ({
      async send(message) {
        await inner.send(message);
        if (crashAfterSend) {
          crashAfterSend = false;
          throw new Error('process stopped after the mail server took the message');
        }
      },
    });
    t = await startReleasesServer(
      'pglite',
      { SMTP_URL: peer.url },
      { mailRetry: { retries: 3, minDelayMs: 5, maxDelayMs: 20 }, wrapMailer },
    );
    const listener = [...t.mock.world.users.values()].find((u) => u.followedArtists.size > 0)?.id;
    if (listener === undefined) throw new Error('no listener follows anyone');
    artist = followedBy(t.mock, listener)[0] ?? '';
    userId = await subscribeAndConfirm(t, listener, email, async () => {
      const link = textLinks(peer.to(email)[0]?.mail ?? ({} as never)).find((l) =>
        l.includes('/releases/confirm?token='),
      );
      if (link === undefined) throw new Error('no confirmation link');
      return link;
    });
  });
  afterAll(async () => {
    await t?.close();
    await peer?.down();
  });

  /** Adds a release out now and moves the clock a week, so a digest with it is due. */
  function weekWithRelease(name: string): void {
    const now = t.mock.controls.clock.now();
    t.mock.controls.catalog.addRelease({
      artistId: artist,
      name,
      type: 'single',
      releaseDate: isoDay(now),
      availableAtMs: now,
    });
    t.mock.controls.clock.advance(7 * DAY + 60_000);
  }
  const runs = () => t.server.context.database.syncState.listRuns(userId, { kind: 'releases' });
  const digests = () => peer.to(email).filter((r) => !/confirm/i.test(r.mail.subject ?? ''));

  it('sent the first digest right after the confirmation', () => {
    expect(peer.to(email)).toHaveLength(2);
    expect(digests()).toHaveLength(1);
  });

  it('retries 4xx answers with backoff and logs the retries', async () => {
    weekWithRelease('Four Fifty One');
    peer.refuseNext(2, 451);
    const before = peer.attempts;
    const result = await t.server.context.runner.run('release-sweep', {});
    expect(result.digests).toMatchObject({ sent: 1, failed: 0 });
    expect(peer.attempts - before).toBe(3);
    expect(digests()).toHaveLength(2);
    expect(digests()[1]?.mail.text).toContain('Four Fifty One');
    const [latest] = await runs();
    expect(latest).toMatchObject({ status: 'ok', retries: 2 });
    expect(latest?.errors.length).toBe(2);
  });

  it('keeps a digest when SMTP is down, logs it, and sends it once when the server is back', async () => {
    weekWithRelease('Dead Air');
    await peer.down();
    const failed = await t.server.context.runner.run('release-sweep', {});
    expect(failed.digests).toMatchObject({ sent: 0, failed: 1 });
    const [logged] = await runs();
    expect(logged).toMatchObject({ status: 'failed', retries: 3 });
    expect(logged?.details).toMatchObject({ outcome: 'will-retry' });
    await peer.up();
    const resent = await t.server.context.runner.run('release-digests', {});
    expect(resent).toMatchObject({ sent: 1 });
    expect(await t.server.context.runner.run('release-digests', {})).toMatchObject({ sent: 0 });
    expect(digests()).toHaveLength(3);
    expect(digests()[2]?.mail.text).toContain('Dead Air');
    expect((await runs())[0]).toMatchObject({ status: 'ok' });
  });

  it('records a 5xx refusal as refused and never sends that digest again', async () => {
    weekWithRelease('Five Fifty');
    peer.refuseNext(1, 550);
    const before = peer.attempts;
    const result = await t.server.context.runner.run('release-sweep', {});
    expect(result.digests).toMatchObject({ rejected: 1, sent: 0 });
    expect(peer.attempts - before).toBe(1);
    expect((await runs())[0]?.details).toMatchObject({ outcome: 'refused' });
    await t.server.context.runner.run('release-digests', {});
    t.mock.controls.clock.advance(DAY);
    await t.server.context.runner.run('release-digests', {});
    expect(peer.attempts - before).toBe(1);
    expect(digests()).toHaveLength(3);
  });

  it('after a crash between sending and recording, sends at most one duplicate with the same Message-ID', async () => {
    weekWithRelease('Second Take');
    crashAfterSend = true;
    const first = await t.server.context.runner.run('release-sweep', {});
    expect(first.digests).toMatchObject({ failed: 1 });
    expect(digests()).toHaveLength(4);
    await t.server.context.runner.run('release-digests', {});
    await t.server.context.runner.run('release-digests', {});
    const copies = digests().filter((d) => d.mail.text?.includes('Second Take'));
    expect(copies).toHaveLength(2);
    expect(copies[0]?.mail.messageId).toBe(copies[1]?.mail.messageId);
  });
});

describe.each(BACKENDS)('POST /scheduled/run-releases on %s', (backend) => {
  let t: ReleasesTestServer;

  beforeAll(async () => {
    t = await startReleasesServer(backend, {
      SCHEDULED_API_KEY: FAKE_API_KEY,
      AUTH_RATE_LIMIT_PER_MINUTE: '12',
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  const trigger = (key?: string) =>
    fetch(`${t.url}/scheduled/run-releases`, {
      method: 'POST',
      headers: key === undefined ? {} : { 'x-api-key': key },
    });

  it('needs the key (401 without or with a wrong one), then answers 202 with a job id, no CSRF token needed', async () => {
    expect((await trigger()).status).toBe(401);
    expect((await trigger(`${FAKE_API_KEY}x`)).status).toBe(401);
    expect((await trigger('short')).status).toBe(401);
    const response = await trigger(FAKE_API_KEY);
    expect(response.status).toBe(202);
    const body = (await response.json()) as { jobId: string; status: string; started: boolean };
    expect(body).toMatchObject({ status: 'queued', started: true });
    expect(response.headers.get('location')).toBe(`/scheduled/runs/${body.jobId}`);
    await t.server.context.runner.idle();
    const run = await fetch(`${t.url}/scheduled/runs/${body.jobId}`, {
      headers: { 'x-api-key': FAKE_API_KEY },
    });
    expect(await run.json()).toMatchObject({ id: body.jobId, status: 'done', trigger: 'api' });
    expect((await fetch(`${t.url}/scheduled/runs/${body.jobId}`)).status).toBe(401);
  });

  it('never starts a second sweep while one runs (the lock of another process on PostgreSQL)', async () => {
    // On PostgreSQL the lock is taken through a second connection pool, as another process would.
    const other =
      backend === 'postgres'
        ? await openDatabase({ kind: 'postgres', url: t.databaseUrl ?? '' })
        : t.server.context.database;
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const holder = withReleaseSweepLock(other, false, async () => {
      locked();
      await held;
    });
    await isLocked;
    try {
      const count = async () =>
        Number(
          (
            await sql<{
              n: string;
            }>`select count(*) as n from spoti_server_release_runs`.execute(
              t.server.context.database.db,
            )
          ).rows[0]?.n,
        );
      const before = await count();
      const response = await trigger(FAKE_API_KEY);
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ status: 'running', started: false });
      expect(await count()).toBe(before);
      // A job started anyway (the worker's schedule) does nothing and says so.
      const direct = await t.server.context.runner.run('release-sweep', { trigger: 'schedule' });
      expect(direct.status).toBe('already-running');
    } finally {
      release();
      expect((await holder).acquired).toBe(true);
      if (other !== t.server.context.database) await other.close();
    }
    const after = await trigger(FAKE_API_KEY);
    expect(await after.json()).toMatchObject({ started: true });
    await t.server.context.runner.idle();
  });

  it('is rate-limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await trigger('wrong')).status);
    expect(statuses).toContain(429);
  });
});

describe('the development outbox', () => {
  it('lists the .eml mails on the mock with zero configuration, and does not exist with SMTP', async () => {
    const t = await startReleasesServer('pglite');
    const peer = await startSmtpPeer();
    const smtp = await startReleasesServer('pglite', { SMTP_URL: peer.url });
    try {
      const listener = [...t.mock.world.users.values()].find((u) => u.followedArtists.size > 0)?.id;
      const agent = new Agent(t.url);
      await agent.signIn(listener);
      await t.server.context.runner.idle();
      const csrf = await agent.csrf('/releases');
      await agent.post('/releases/subscribe', { _csrf: csrf, email: 'outbox@example.com' });
      await t.server.context.runner.idle();
      const list = await (await agent.get('/dev/outbox')).text();
      const href = /href="(\/dev\/outbox\/[^"]+)"/.exec(list)?.[1];
      expect(href).toBeDefined();
      const message = await (await fetch(`${t.url}${href}`)).text();
      expect(message).toContain('outbox@example.com');
      expect(message).toMatch(/href="http[^"]+\/releases\/confirm\?token=/);
      const part = await fetch(`${t.url}${href}/html`);
      expect(part.status).toBe(200);
      expect(part.headers.get('content-security-policy')).toContain('sandbox');
      expect((await fetch(`${t.url}${href}/eml`)).headers.get('content-type')).toContain(
        'message/rfc822',
      );
      expect((await fetch(`${smtp.url}/dev/outbox`)).status).toBe(404);
      expect((await fetch(`${smtp.url}/scheduled/run-releases`, { method: 'POST' })).status).toBe(
        404,
      );
    } finally {
      await t.close();
      await smtp.close();
      await peer.down();
    }
  });
});
