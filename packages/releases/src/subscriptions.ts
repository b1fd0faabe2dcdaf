import type { z } from 'zod';
import { createConfirmationToken, openConfirmationToken } from './digest/confirmation.js';
import { renderConfirmation } from './digest/render-confirmation.js';
import type { Subscriber } from './domain/types.js';
import { ReleasesError } from './errors/releases-error.js';
import { parseOrThrow } from './internal/parse.js';
import { cadenceDays, cadenceOf } from './logic/schedule.js';
import {
  type SubscribeOptions,
  type SubscriptionInput,
  subscribeOptionsSchema,
  subscriptionInputSchema,
} from './options.js';
import type { ReleaseStore } from './store/release-store.js';

type ResolvedSubscribeOptions = z.output<typeof subscribeOptionsSchema>;

/**
 * Result of `subscribe`.
 *
 * @example
 * ```ts
 * const { subscriber, status }: SubscribeResult = await watcher.subscribe(input, options);
 * if (status === 'pending') show('Check your inbox to confirm.');
 * ```
 */
export interface SubscribeResult {
  readonly subscriber: Subscriber;
  /**
   * `pending`: a confirmation mail was sent and nothing else is sent before it is confirmed;
   * `active`: the address was already confirmed, only the settings changed (no mail).
   */
  readonly status: 'pending' | 'active';
  /**
   * True when this call mailed a confirmation; false when the address is already confirmed or a
   * confirmation went to the same pending address less than `resendAfterMs` ago.
   */
  readonly confirmationSent: boolean;
}

/** Whether `s` is confirmed (rows from before double opt-in have no field and count as confirmed). */
function isConfirmed(s: Subscriber): boolean {
  return s.confirmedAt !== null;
}

/**
 * The status of a subscriber whose new sign-up only changes settings, or null when it (re)starts
 * the double opt-in: `active` for the confirmed address again, `pending` for the pending address
 * again while its confirmation is younger than `resendAfterMs`.
 */
function settingsOnly(
  existing: Subscriber | null,
  email: string,
  now: number,
  resendAfterMs: number,
): 'active' | 'pending' | null {
  if (existing === null || existing.unsubscribedAt !== null || existing.email !== email)
    return null;
  if (isConfirmed(existing)) return 'active';
  const sentAt = existing.confirmationSentAt;
  return typeof sentAt === 'number' && now - sentAt < resendAfterMs ? 'pending' : null;
}

/** Mails the signed, expiring confirmation link of a pending subscriber. */
async function sendConfirmation(
  subscriber: Subscriber,
  o: ResolvedSubscribeOptions,
  now: number,
): Promise<void> {
  const token = createConfirmationToken({
    userId: subscriber.id,
    email: subscriber.email,
    secret: o.confirmation.secret,
    issuedAt: now,
    ttlMs: o.confirmation.ttlMs,
  });
  const url = new URL(o.confirmation.baseUrl);
  url.searchParams.set('token', token);
  const rendered = renderConfirmation({
    recipientName: subscriber.displayName,
    confirmUrl: url.toString(),
    cadence: cadenceOf(subscriber.cadenceDays),
    expiresAt: now + o.confirmation.ttlMs,
    timeZone: subscriber.timeZone,
  });
  await o.mailer.send({
    id: `confirm:${subscriber.id}:${now}`,
    to: subscriber.email,
    from: o.from,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: {},
  });
}

/** See `ReleaseWatcher.subscribe`. */
export async function subscribe(
  store: ReleaseStore,
  defaults: { readonly groups: Subscriber['groups'] },
  input: SubscriptionInput,
  options: SubscribeOptions,
  now: number,
): Promise<SubscribeResult> {
  const parsed = parseOrThrow(subscriptionInputSchema, input, 'subscription');
  const o = parseOrThrow(subscribeOptionsSchema, options, 'subscribe options');
  const existing = await store.getSubscriber(parsed.id);
  const settings = {
    email: parsed.email,
    displayName: parsed.displayName,
    timeZone: parsed.timeZone,
    cadenceDays: cadenceDays(parsed.cadence),
  };
  const status = settingsOnly(existing, parsed.email, now, o.confirmation.resendAfterMs);
  if (existing !== null && status !== null) {
    const subscriber: Subscriber = { ...existing, ...settings };
    await store.putSubscriber(subscriber);
    return { subscriber, status, confirmationSent: false };
  }
  // New, unsubscribed earlier, pending or a changed address: (re)start the double opt-in. A
  // returning subscriber starts afresh: the first digest again covers the past weeks (releases
  // already delivered are not sent twice).
  const subscriber: Subscriber = {
    id: parsed.id,
    ...settings,
    sources: existing?.sources ?? { followed: true, savedTracks: false, savedAlbums: false },
    include: existing?.include ?? [],
    exclude: existing?.exclude ?? [],
    groups: existing?.groups ?? [...defaults.groups],
    createdAt: existing?.createdAt ?? now,
    confirmedAt: null,
    unsubscribedAt: null,
    lastDigestAt: null,
  };
  await store.putSubscriber(subscriber);
  await sendConfirmation(subscriber, o, now);
  // Recorded only once the mail is out, so a failed send can be retried at once.
  const sent: Subscriber = { ...subscriber, confirmationSentAt: now };
  await store.putSubscriber(sent);
  return { subscriber: sent, status: 'pending', confirmationSent: true };
}

/** See `ReleaseWatcher.confirm`. */
export async function confirm(
  store: ReleaseStore,
  token: string,
  secret: string,
  now: number,
): Promise<Subscriber> {
  const claims = openConfirmationToken(token, secret);
  const subscriber = await store.getSubscriber(claims.userId);
  if (subscriber === null || subscriber.email !== claims.email) {
    throw new ReleasesError({
      code: 'INVALID_TOKEN',
      message: 'The confirmation link is for an address that is no longer subscribed',
    });
  }
  if (subscriber.unsubscribedAt !== null) {
    throw new ReleasesError({
      code: 'INVALID_TOKEN',
      message: 'This subscription was cancelled: subscribe again to get a new link',
    });
  }
  // A second click on a link that has since expired still answers "confirmed".
  if (isConfirmed(subscriber)) return subscriber;
  if (now >= claims.expiresAt) {
    throw new ReleasesError({
      code: 'TOKEN_EXPIRED',
      message: 'The confirmation link has expired: subscribe again to get a new one',
    });
  }
  const next: Subscriber = { ...subscriber, confirmedAt: now, confirmationSentAt: null };
  await store.putSubscriber(next);
  return next;
}
