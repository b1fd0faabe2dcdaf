import type { MockServer } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ReleaseStore,
  type ReleaseWatcher,
  type SmtpRetryEvent,
  classifySmtpError,
  createMemoryReleaseStore,
  createReleaseWatcher,
  createSmtpMailer,
  isReleasesError,
} from '../src/index.js';
import { DAY, clientFor, isoDate, mockWith } from './helpers.js';
import { type SmtpPeer, htmlLinks, startSmtpPeer, textLinks, tokenOf } from './smtp-peer.js';

const from = 'releases@example.com';
const unsubscribe = {
  secret: 'a-test-secret-of-32-characters!!',
  baseUrl: 'https://example.com/releases/unsubscribe',
  mailto: 'unsubscribe@example.com',
};
const confirmation = {
  secret: 'another-test-secret-32-chars!!!!',
  baseUrl: 'https://example.com/releases/confirm',
};

let mock: MockServer;
let peer: SmtpPeer;
let artists: string[];
let store: ReleaseStore;
let watcher: ReleaseWatcher;
let recentId: string;

beforeAll(async () => {
  mock = await mockWith({ worldOptions: { size: 'tiny', users: 1, artists: 30, historyDays: 2 } });
  peer = await startSmtpPeer();
  artists = [...mock.world.artists.keys()].sort();
  const now = mock.controls.clock.now();
  const [a0, a1] = artists as [string, string];
  // Inside the first digest's 4 weeks (folded with its clean edition), one outside, and one by
  // an artist nobody here follows.
  recentId = mock.controls.catalog.addRelease({
    artistId: a0,
    name: 'Harbour Lights',
    type: 'album',
    releaseDate: isoDate(now - 10 * DAY),
    availableAtMs: now - 10 * DAY,
    explicitAndClean: true,
  }).id;
  mock.controls.catalog.addRelease({
    artistId: a1,
    name: 'Old Tapes',
    type: 'single',
    releaseDate: isoDate(now - 40 * DAY),
    availableAtMs: now - 40 * DAY,
  });
  mock.controls.catalog.addRelease({
    artistId: artists[20] as string,
    name: 'Not Yours',
    type: 'album',
    releaseDate: isoDate(now - 3 * DAY),
    availableAtMs: now - 3 * DAY,
  });
  store = createMemoryReleaseStore();
  watcher = createReleaseWatcher({ store, client: clientFor(mock), clock: mock.controls.clock });
}, 120_000);

afterAll(async () => {
  await peer?.down();
  await mock?.close();
});

function mailer(
  extra: Parameters<typeof createSmtpMailer>[0] extends infer T ? Partial<T> : never = {},
) {
  return createSmtpMailer({
    transport: peer.url,
    retry: { retries: 2, minDelayMs: 5, maxDelayMs: 20 },
    ...extra,
  });
}

/** A confirmed subscriber following the first five artists, whose artists are scanned. */
async function confirmedSubscriber(id: string): Promise<string> {
  const email = `${id}@example.com`;
  await watcher.upsertSubscriber({ id, email });
  await watcher.setSubscriberArtists(id, artists.slice(0, 5));
  await watcher.sweep();
  return email;
}

function header(
  mail: { headerLines: readonly { key: string; line: string }[] },
  key: string,
): string {
  const line = mail.headerLines.find((h) => h.key === key)?.line ?? '';
  return line.slice(line.indexOf(':') + 1).trim();
}

describe('digests over SMTP', () => {
  it('signs up with double opt-in, sends the first digest, unsubscribes in one click', async () => {
    const smtp = mailer();
    try {
      const result = await watcher.subscribe(
        { id: 'ada', email: 'ada@example.com', timeZone: 'Europe/Oslo' },
        { mailer: smtp, from, confirmation },
      );
      expect(result.status).toBe('pending');
      expect(result.subscriber.cadenceDays).toBe(14);
      expect(result.subscriber.confirmedAt).toBeNull();
      await watcher.setSubscriberArtists('ada', artists.slice(0, 5));
      await watcher.sweep();

      // Nothing but the confirmation before it is confirmed.
      const before = await watcher.runDigests({ mailer: smtp, from, unsubscribe });
      expect(before.sent).toEqual([]);
      const [confirmMail, ...others] = peer.to('ada@example.com');
      expect(others).toEqual([]);
      expect(confirmMail?.mail.subject).toBe('Confirm your new-release digest');
      const confirmLinks = htmlLinks(confirmMail?.mail.html ?? false);
      expect(textLinks(confirmMail?.mail.text)).toEqual(confirmLinks);
      const token = tokenOf(confirmLinks, confirmation.baseUrl);

      const confirmed = await watcher.confirm(token, confirmation.secret);
      expect(confirmed.confirmedAt).toBe(mock.controls.clock.now());
      expect(await watcher.confirm(token, confirmation.secret)).toEqual(confirmed);

      const run = await watcher.runDigests({ mailer: smtp, from, unsubscribe });
      expect(run.sent).toEqual([
        { userId: 'ada', digestId: expect.stringMatching(/^ada:/), releases: 1 },
      ]);
      const digest = peer.to('ada@example.com')[1];
      if (digest === undefined) throw new Error('no digest');
      const { mail } = digest;
      expect(mail.subject).toBe('New releases: 1 from 1 artist you follow');
      expect(mail.text).toContain('Harbour Lights');
      expect(mail.text).not.toContain('Old Tapes');
      expect(mail.text).not.toContain('Not Yours');
      expect(mail.html).toContain('<strong>Harbour Lights</strong>');
      expect(digest.messageId).toBe(`<${run.sent[0]?.digestId.replace(':', '_')}@spoti.releases>`);
      // Links: the same in both parts, to the release on Spotify and to the unsubscribe page.
      const links = htmlLinks(mail.html);
      const digestRecord = (await store.listDigests('ada'))[0];
      const [release] = await store.getReleases(digestRecord?.releaseIds ?? []);
      expect(release?.editionIds).toContain(recentId);
      expect(release?.editionIds).toHaveLength(2);
      expect(links).toContain(release?.url);
      expect(textLinks(mail.text)).toEqual(links);
      expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      const listUnsubscribe = header(mail, 'list-unsubscribe');
      const [https, mailto] = listUnsubscribe.split(/,\s*/).map((p) => p.slice(1, -1));
      expect(https?.startsWith(`${unsubscribe.baseUrl}?token=`)).toBe(true);
      expect(mailto?.startsWith('mailto:unsubscribe@example.com?subject=unsubscribe%20')).toBe(
        true,
      );
      expect(links).toContain(https);

      // One click, twice: both succeed, nothing more is sent.
      const unsubscribeToken = tokenOf([https ?? ''], unsubscribe.baseUrl);
      const first = await watcher.unsubscribe(unsubscribeToken, unsubscribe.secret);
      const second = await watcher.unsubscribe(unsubscribeToken, unsubscribe.secret);
      expect(second.unsubscribedAt).toBe(first.unsubscribedAt);
      expect(
        await watcher.runDigests({
          mailer: smtp,
          from,
          unsubscribe,
          now: mock.controls.clock.now() + 30 * DAY,
        }),
      ).toMatchObject({ sent: [], failed: [] });
      expect(peer.to('ada@example.com')).toHaveLength(2);
    } finally {
      smtp.close();
    }
  }, 60_000);

  it('retries 4xx answers with backoff and sends the digest once', async () => {
    const email = await confirmedSubscriber('grace');
    const events: SmtpRetryEvent[] = [];
    const delays: number[] = [];
    const smtp = mailer({
      onRetry: (e) => events.push(e),
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    try {
      const attempts = peer.attempts;
      peer.refuseNext(2, 451);
      const run = await watcher.runDigests({ mailer: smtp, from, unsubscribe, userIds: ['grace'] });
      expect(run.sent).toHaveLength(1);
      expect(events.map((e) => [e.attempt, e.reason])).toEqual([
        [1, '451'],
        [2, '451'],
      ]);
      expect(delays).toEqual([5, 10]);
      expect(peer.attempts - attempts).toBe(3);
      expect(peer.to(email)).toHaveLength(1);
      expect((await store.listDigests('grace')).map((d) => d.status)).toEqual(['sent']);
    } finally {
      smtp.close();
    }
  });

  it('reports 4xx answers that outlast the retries, then sends the same digest once', async () => {
    const email = await confirmedSubscriber('hedy');
    const smtp = mailer({ sleep: async () => {} });
    try {
      peer.refuseNext(3, 452);
      const run = await watcher.runDigests({ mailer: smtp, from, unsubscribe, userIds: ['hedy'] });
      expect(run.sent).toEqual([]);
      expect(run.failed).toHaveLength(1);
      expect(run.failed[0]?.error).toMatch(/after 3 attempts \(452\)/);
      const [failed] = await store.listDigests('hedy');
      expect(failed).toMatchObject({ status: 'failed', lastErrorCode: 'MAIL_FAILED', attempts: 1 });
      const again = await watcher.runDigests({
        mailer: smtp,
        from,
        unsubscribe,
        userIds: ['hedy'],
      });
      expect(again.sent.map((s) => s.digestId)).toEqual([failed?.id]);
      const mails = peer.to(email);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.messageId).toBe(`<${failed?.id.replace(':', '_')}@spoti.releases>`);
    } finally {
      smtp.close();
    }
  });

  it('records a 5xx answer as rejected on the digest and never sends it again', async () => {
    const email = await confirmedSubscriber('joan');
    const events: SmtpRetryEvent[] = [];
    const smtp = mailer({ onRetry: (e) => events.push(e), sleep: async () => {} });
    try {
      const attempts = peer.attempts;
      peer.refuseNext(1, 550);
      const run = await watcher.runDigests({ mailer: smtp, from, unsubscribe, userIds: ['joan'] });
      expect(run.rejected).toHaveLength(1);
      expect(run.failed).toEqual([]);
      expect(events).toEqual([]);
      expect(peer.attempts - attempts).toBe(1);
      const [digest] = await store.listDigests('joan');
      expect(digest).toMatchObject({ status: 'rejected', lastErrorCode: 'MAIL_REJECTED' });
      expect(digest?.lastError).toMatch(/refused .*\(550\)/);
      const again = await watcher.runDigests({
        mailer: smtp,
        from,
        unsubscribe,
        userIds: ['joan'],
      });
      expect(again).toMatchObject({ sent: [], failed: [], rejected: [] });
      expect(peer.to(email)).toEqual([]);
    } finally {
      smtp.close();
    }
  });

  it('retries while the SMTP server is down and sends once it is back', async () => {
    const email = await confirmedSubscriber('katherine');
    const events: SmtpRetryEvent[] = [];
    await peer.down();
    const smtp = mailer({
      onRetry: (e) => events.push(e),
      sleep: async () => {
        if (events.length === 2) await peer.up();
      },
    });
    try {
      const run = await watcher.runDigests({
        mailer: smtp,
        from,
        unsubscribe,
        userIds: ['katherine'],
      });
      expect(run.sent).toHaveLength(1);
      expect(events).toHaveLength(2);
      expect(events.every((e) => e.reason === 'ESOCKET' || e.reason === 'ECONNECTION')).toBe(true);
      expect(peer.to(email)).toHaveLength(1);
    } finally {
      smtp.close();
      await peer.up().catch(() => undefined);
    }
  });

  it('reports a server that stays down without leaking the URL, and sends later', async () => {
    const email = await confirmedSubscriber('lise');
    await peer.down();
    const smtp = createSmtpMailer({
      transport: `smtp://someone:fake-password-1234@127.0.0.1:${peer.port}`,
      retry: { retries: 1, minDelayMs: 1 },
    });
    try {
      const run = await watcher.runDigests({ mailer: smtp, from, unsubscribe, userIds: ['lise'] });
      expect(run.failed).toHaveLength(1);
      expect(run.failed[0]?.error).not.toContain('fake-password-1234');
      expect(run.failed[0]?.error).toMatch(/after 2 attempts/);
      await peer.up();
      const plain = mailer();
      const again = await watcher.runDigests({
        mailer: plain,
        from,
        unsubscribe,
        userIds: ['lise'],
      });
      plain.close();
      expect(again.sent).toHaveLength(1);
      expect(peer.to(email)).toHaveLength(1);
    } finally {
      smtp.close();
    }
  });

  it('sends at most one duplicate, with the same Message-ID, after a crash between sending and recording', async () => {
    const email = await confirmedSubscriber('mary');
    let crash = true;
    const crashing = new Proxy(store, {
      get(target, property) {
        if (property === 'updateDigest')
          return async (digest: Parameters<ReleaseStore['updateDigest']>[0]) => {
            if (crash && digest.status === 'sent') {
              crash = false;
              throw new Error('process killed');
            }
            return target.updateDigest(digest);
          };
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const crashingWatcher = createReleaseWatcher({
      store: crashing,
      client: clientFor(mock),
      clock: mock.controls.clock,
    });
    const smtp = mailer();
    try {
      await expect(
        crashingWatcher.runDigests({ mailer: smtp, from, unsubscribe, userIds: ['mary'] }),
      ).rejects.toThrow('process killed');
      expect((await store.listDigests('mary')).map((d) => d.status)).toEqual(['sending']);
      // Another sender holds the lease: nothing is sent.
      const held = await watcher.runDigests({ mailer: smtp, from, unsubscribe, userIds: ['mary'] });
      expect(held.skipped).toEqual(['mary']);
      // The lease expired: the same digest is resent, once.
      const resumed = await watcher.runDigests({
        mailer: smtp,
        from,
        unsubscribe,
        userIds: ['mary'],
        leaseMs: 0,
      });
      expect(resumed.sent).toHaveLength(1);
      const later = await watcher.runDigests({
        mailer: smtp,
        from,
        unsubscribe,
        userIds: ['mary'],
        leaseMs: 0,
      });
      expect(later.sent).toEqual([]);
      const mails = peer.to(email);
      expect(mails).toHaveLength(2);
      expect(mails[1]?.messageId).toBe(mails[0]?.messageId);
      expect((await store.listDigests('mary')).map((d) => d.status)).toEqual(['sent']);
    } finally {
      smtp.close();
    }
  });

  it('classifies SMTP failures', () => {
    expect(classifySmtpError({ responseCode: 550 })).toBe('permanent');
    expect(classifySmtpError({ responseCode: 421 })).toBe('transient');
    expect(classifySmtpError({ code: 'ESOCKET', command: 'CONN' })).toBe('transient');
    // The connection dropped after the message was streamed: it may have been taken.
    expect(classifySmtpError({ code: 'ECONNECTION', command: 'DATA' })).toBe('unknown');
    expect(classifySmtpError('boom')).toBe('unknown');
    expect(classifySmtpError(null)).toBe('unknown');
    try {
      createSmtpMailer({ transport: '' });
      expect.unreachable();
    } catch (error) {
      expect(isReleasesError(error) && error.code === 'INVALID_OPTIONS').toBe(true);
      expect((error as Error).message).toMatch(/transport/);
    }
    expect(() => createSmtpMailer({ transport: peer.url, retry: { retries: -1 } })).toThrow(
      /retry\.retries/,
    );
  });
});
