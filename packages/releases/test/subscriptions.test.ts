import { describe, expect, it } from 'vitest';
import {
  createMemoryMailer,
  type ReleaseWatcherOptions,
  cadenceDays,
  cadenceOf,
  createConfirmationToken,
  createMemoryReleaseStore,
  createReleaseWatcher,
  createUnsubscribeToken,
  digestPeriod,
  isDigestDue,
  isReleasesError,
  nextDigestAt,
  verifyConfirmationToken,
} from '../src/index.js';

const DAY = 86_400_000;
const secret = 'confirm-secret-for-tests-only!!';
const unsubscribeSecret = 'unsubscribe-secret-for-tests-1!!';
const confirmation = { secret, baseUrl: 'https://example.com/confirm' };

/** A watcher whose time is a variable and whose Spotify client is never called here. */
function setup() {
  let now = Date.UTC(2026, 10, 2, 9);
  const store = createMemoryReleaseStore();
  const client = {
    getArtistAlbums: () => Promise.reject(new Error('not called')),
  } as unknown as ReleaseWatcherOptions['client'];
  const watcher = createReleaseWatcher({ store, client, clock: { now: () => now } });
  const mailer = createMemoryMailer();
  return {
    watcher,
    store,
    mailer,
    options: { mailer, from: 'releases@example.com', confirmation },
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return isReleasesError(error) ? error.code : 'other';
  }
  return 'none';
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isReleasesError(error) ? `${error.code}: ${error.message}` : `other: ${String(error)}`;
  }
  return 'none';
}

function tokenIn(text: string): string {
  const match = /token=([A-Za-z0-9_.-]+)/.exec(text);
  if (match?.[1] === undefined) throw new Error('no token');
  return match[1];
}

describe('schedule', () => {
  const base = { confirmedAt: 1_000, unsubscribedAt: null, lastDigestAt: null, cadenceDays: 14 };
  it('is due at confirmation, then every cadence', () => {
    expect(nextDigestAt(base)).toBe(1_000);
    expect(isDigestDue(base, 999)).toBe(false);
    expect(isDigestDue(base, 1_000)).toBe(true);
    const after = { ...base, lastDigestAt: 5_000 };
    expect(nextDigestAt(after)).toBe(5_000 + 14 * DAY);
    expect(isDigestDue(after, 5_000 + 14 * DAY - 1)).toBe(false);
    expect(isDigestDue({ ...after, cadenceDays: 7 }, 5_000 + 7 * DAY)).toBe(true);
  });
  it('never schedules a pending or unsubscribed subscriber', () => {
    expect(nextDigestAt({ ...base, confirmedAt: null })).toBeNull();
    expect(isDigestDue({ ...base, confirmedAt: null }, Number.MAX_SAFE_INTEGER)).toBe(false);
    expect(nextDigestAt({ ...base, unsubscribedAt: 2_000 })).toBeNull();
  });
  it('covers the past four weeks first, then since the last digest', () => {
    expect(digestPeriod({ lastDigestAt: null }, 40 * DAY)).toEqual({
      from: 12 * DAY,
      to: 40 * DAY,
    });
    expect(digestPeriod({ lastDigestAt: 30 * DAY }, 44 * DAY)).toEqual({
      from: 30 * DAY,
      to: 44 * DAY,
    });
    expect([cadenceDays('biweekly'), cadenceDays('weekly')]).toEqual([14, 7]);
    expect([cadenceOf(14), cadenceOf(7), cadenceOf(3)]).toEqual(['biweekly', 'weekly', null]);
  });
});

describe('confirmation tokens', () => {
  const input = { userId: 'u1', email: 'ada@example.com', secret, issuedAt: 1_000, ttlMs: DAY };
  it('verify until they expire', () => {
    const token = createConfirmationToken(input);
    expect(verifyConfirmationToken(token, secret, 1_000 + DAY - 1)).toEqual({
      userId: 'u1',
      email: 'ada@example.com',
      expiresAt: 1_000 + DAY,
    });
    expect(code(() => verifyConfirmationToken(token, secret, 1_000 + DAY))).toBe('TOKEN_EXPIRED');
  });
  it('refuse forged, foreign and hostile tokens', () => {
    const token = createConfirmationToken(input);
    const [payload, signature] = token.split('.') as [string, string];
    const forged = `${Buffer.from(JSON.stringify({ u: 'u2', e: 'x@example.com', x: 9e15 })).toString('base64url')}.${signature}`;
    for (const bad of [
      forged,
      `${payload}.${signature}x`,
      `${payload}.${signature}.more`,
      '',
      'x'.repeat(100_000),
      // An unsubscribe token is not a confirmation token, even with the same secret.
      createUnsubscribeToken({ userId: 'u1', secret, issuedAt: 1_000 }),
      42 as unknown as string,
    ])
      expect(code(() => verifyConfirmationToken(bad, secret, 1_000))).toBe('INVALID_TOKEN');
    expect(
      code(() => verifyConfirmationToken(token, 'another-secret-of-32-characters!', 1_000)),
    ).toBe('INVALID_TOKEN');
    expect(code(() => createConfirmationToken({ ...input, secret: 'short' }))).toBe(
      'INVALID_OPTIONS',
    );
    expect(code(() => createConfirmationToken({ ...input, ttlMs: 0 }))).toBe('INVALID_OPTIONS');
  });
});

describe('subscriptions with double opt-in', () => {
  it('mails a confirmation, sends nothing before it, and confirms idempotently', async () => {
    const { watcher, mailer, options, advance, now } = setup();
    const result = await watcher.subscribe(
      { id: 'u1', email: 'ada@example.com', cadence: 'weekly', timeZone: 'Asia/Tokyo' },
      options,
    );
    expect(result.status).toBe('pending');
    expect(result.subscriber).toMatchObject({
      cadenceDays: 7,
      timeZone: 'Asia/Tokyo',
      confirmedAt: null,
    });
    expect(mailer.sent).toHaveLength(1);
    const [mail] = mailer.sent;
    expect(mail?.to).toBe('ada@example.com');
    expect(mail?.text).toContain('every week');
    const token = tokenIn(mail?.text ?? '');
    expect(mail?.html).toContain(token);

    const run = await watcher.runDigests({
      mailer,
      from: 'releases@example.com',
      unsubscribe: { secret: unsubscribeSecret, baseUrl: 'https://example.com/u' },
      now: now() + 60 * DAY,
    });
    expect(run).toMatchObject({ sent: [], empty: [], failed: [], skipped: [] });
    expect(mailer.sent).toHaveLength(1);

    advance(DAY);
    const confirmed = await watcher.confirm(token, secret);
    expect(confirmed.confirmedAt).toBe(now());
    advance(DAY);
    expect((await watcher.confirm(token, secret)).confirmedAt).toBe(confirmed.confirmedAt);
    // The first digest is due from confirmation (nothing new here: an empty digest, no mail).
    const first = await watcher.runDigests({
      mailer,
      from: 'releases@example.com',
      unsubscribe: { secret: unsubscribeSecret, baseUrl: 'https://example.com/u' },
    });
    expect(first.empty).toEqual(['u1']);
  });

  it('refuses expired links and links of a changed address or a cancelled subscription', async () => {
    const { watcher, mailer, options, advance, store } = setup();
    await watcher.subscribe({ id: 'u1', email: 'ada@example.com' }, options);
    const old = tokenIn(mailer.sent[0]?.text ?? '');
    advance(3 * DAY);
    expect(await codeOf(watcher.confirm(old, secret))).toMatch(/^TOKEN_EXPIRED/);
    await watcher.subscribe({ id: 'u1', email: 'ada@example.com' }, options);
    const fresh = tokenIn(mailer.sent[1]?.text ?? '');
    // A changed address is mailed at once, whatever the resend delay.
    await watcher.subscribe({ id: 'u1', email: 'ada.lovelace@example.com' }, options);
    expect(await codeOf(watcher.confirm(fresh, secret))).toMatch(/^INVALID_TOKEN: .*no longer/);
    const changed = tokenIn(mailer.sent[2]?.text ?? '');
    const unsubscribe = createUnsubscribeToken({
      userId: 'u1',
      secret: unsubscribeSecret,
      issuedAt: 0,
    });
    await watcher.unsubscribe(unsubscribe, unsubscribeSecret);
    expect(await codeOf(watcher.confirm(changed, secret))).toMatch(/^INVALID_TOKEN: .*cancelled/);
    expect((await store.getSubscriber('u1'))?.confirmedAt).toBeNull();
    expect(await codeOf(watcher.confirm('garbage', secret))).toMatch(/^INVALID_TOKEN/);
  });

  it('updates a confirmed subscriber without a mail, and restarts opt-in after unsubscribing', async () => {
    const { watcher, mailer, options } = setup();
    await watcher.subscribe({ id: 'u1', email: 'ada@example.com' }, options);
    await watcher.confirm(tokenIn(mailer.sent[0]?.text ?? ''), secret);
    const update = await watcher.subscribe(
      { id: 'u1', email: 'ada@example.com', cadence: 'weekly', timeZone: 'Europe/Oslo' },
      options,
    );
    expect(update.status).toBe('active');
    expect(update.subscriber).toMatchObject({ cadenceDays: 7, timeZone: 'Europe/Oslo' });
    expect(update.subscriber.confirmedAt).not.toBeNull();
    expect(mailer.sent).toHaveLength(1);
    const token = createUnsubscribeToken({ userId: 'u1', secret: unsubscribeSecret, issuedAt: 0 });
    await watcher.unsubscribe(token, unsubscribeSecret);
    const again = await watcher.subscribe({ id: 'u1', email: 'ada@example.com' }, options);
    expect(again.status).toBe('pending');
    expect(again.subscriber).toMatchObject({
      unsubscribedAt: null,
      confirmedAt: null,
      lastDigestAt: null,
    });
    expect(mailer.sent).toHaveLength(2);
  });

  it('rejects bad sign-ups with a typed error naming the field, storing nothing', async () => {
    const { watcher, store, mailer, options } = setup();
    const bad: unknown[] = [
      { id: 'u1', email: 'not-an-address' },
      { id: 'u1', email: 'ada@example.com', cadence: 'daily' },
      { id: 'u1', email: 'ada@example.com', timeZone: 'Mars/Olympus' },
      { id: '', email: 'ada@example.com' },
      { id: 'u1', email: `${'a'.repeat(300)}@example.com` },
      { id: 'u1', email: { nested: { deeply: ['ada@example.com'] } } },
      null,
      'ada@example.com',
    ];
    for (const input of bad) {
      const result = await codeOf(watcher.subscribe(input as never, options));
      expect(result).toMatch(/^INVALID_OPTIONS: Invalid subscription: /);
    }
    expect(await codeOf(watcher.subscribe({ id: 'u1', email: 'x' }, options))).toContain('email');
    expect(
      await codeOf(
        watcher.subscribe(
          { id: 'u1', email: 'ada@example.com' },
          { ...options, confirmation: { secret: 'short', baseUrl: 'nope' } },
        ),
      ),
    ).toMatch(/confirmation\.secret.*confirmation\.baseUrl/);
    expect(await store.listSubscribers()).toEqual([]);
    expect(mailer.sent).toEqual([]);
  });

  it('does not mail the same pending address again within resendAfterMs', async () => {
    const { watcher, mailer, options, advance } = setup();
    const first = await watcher.subscribe({ id: 'u1', email: 'ada@example.com' }, options);
    expect(first.confirmationSent).toBe(true);
    advance(60_000);
    const again = await watcher.subscribe(
      { id: 'u1', email: 'ada@example.com', cadence: 'weekly' },
      options,
    );
    expect(again).toMatchObject({ status: 'pending', confirmationSent: false });
    expect(again.subscriber.cadenceDays).toBe(7);
    expect(mailer.sent).toHaveLength(1);
    advance(240_000);
    const later = await watcher.subscribe({ id: 'u1', email: 'ada@example.com' }, options);
    expect(later.confirmationSent).toBe(true);
    expect(mailer.sent).toHaveLength(2);
    // Both links work.
    await watcher.confirm(tokenIn(mailer.sent[0]?.text ?? ''), secret);
    expect(
      (await watcher.confirm(tokenIn(mailer.sent[1]?.text ?? ''), secret)).confirmedAt,
    ).not.toBeNull();
  });

  it('keeps the subscriber pending when the confirmation cannot be sent', async () => {
    const { watcher, mailer, options, store } = setup();
    mailer.failNext(1);
    expect(
      await codeOf(watcher.subscribe({ id: 'u1', email: 'ada@example.com' }, options)),
    ).toMatch(/^MAIL_FAILED/);
    expect((await store.getSubscriber('u1'))?.confirmedAt).toBeNull();
    await watcher.subscribe({ id: 'u1', email: 'ada@example.com' }, options);
    expect(mailer.sent).toHaveLength(1);
  });

  it('previews the next digest of a pending and of a confirmed subscriber', async () => {
    const { watcher, mailer, options, now } = setup();
    await watcher.subscribe({ id: 'u1', email: 'ada@example.com', displayName: 'Ada' }, options);
    const pending = await watcher.previewDigest('u1');
    expect(pending.dueAt).toBeNull();
    expect(pending.entries).toEqual([]);
    expect(pending.rendered.text).toContain('Hi Ada,');
    expect(pending.periodTo - pending.periodFrom).toBe(28 * DAY);
    await watcher.confirm(tokenIn(mailer.sent[0]?.text ?? ''), secret);
    expect((await watcher.previewDigest('u1')).dueAt).toBe(now());
    expect(await codeOf(watcher.previewDigest('nobody'))).toMatch(/^NOT_FOUND/);
  });

  it('unsubscribes twice without error and deletes an account', async () => {
    const { watcher, store } = setup();
    await watcher.upsertSubscriber({ id: 'u1', email: 'ada@example.com', cadence: 'weekly' });
    expect((await store.getSubscriber('u1'))?.cadenceDays).toBe(7);
    const token = createUnsubscribeToken({ userId: 'u1', secret: unsubscribeSecret, issuedAt: 0 });
    const first = await watcher.unsubscribe(token, unsubscribeSecret);
    const second = await watcher.unsubscribe(token, unsubscribeSecret);
    expect(second).toEqual(first);
    expect(await watcher.deleteSubscriber('u1')).toBe(true);
    expect(await store.getSubscriber('u1')).toBeNull();
    expect(await watcher.deleteSubscriber('u1')).toBe(false);
  });
});
