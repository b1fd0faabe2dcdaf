import type { Digest, Subscriber } from '../domain/types.js';
import { isReleasesError } from '../errors/releases-error.js';
import { candidateFit } from '../logic/candidates.js';
import { digestPeriod, isDigestDue } from '../logic/schedule.js';
import type { ReleaseStore } from '../store/release-store.js';
import type { DigestRunResult, ResolvedDigestOptions } from './digest-options.js';
import type { MailMessage } from './mailer.js';
import { type DigestEntry, renderDigest } from './render.js';
import { createUnsubscribeToken } from './unsubscribe.js';

/** What a digest run reads and writes: the store and the clock. */
export interface DigestContext {
  readonly store: ReleaseStore;
  readonly now: () => number;
}

type Outcome = { ok: true } | { ok: false; rejected: boolean; error: string };
type RunResult = { -readonly [K in keyof DigestRunResult]: DigestRunResult[K][number][] };

/**
 * The releases of a subscriber's next digest at `now` (see `candidateFit`), each with the name
 * of the subscriber's artist it is shown under.
 */
export async function digestCandidates(
  ctx: DigestContext,
  subscriber: Subscriber,
  now: number,
  firstDigestDays: number,
): Promise<DigestEntry[]> {
  const artists = await ctx.store.getSubscriberArtists(subscriber.id);
  const mine = new Set(artists);
  const fitCtx = {
    subscriber,
    mine,
    excluded: new Set(subscriber.exclude),
    delivered: await ctx.store.getDeliveredReleaseIds(subscriber.id),
    now,
    firstDigestDays,
  };
  const releases = await ctx.store.listReleasesForArtists(artists);
  const out: DigestEntry[] = [];
  for (const release of releases) {
    const fit = candidateFit(release, fitCtx);
    if (fit === null) continue;
    const artistName = fit.own
      ? (release.artists[0]?.name ?? '')
      : (release.artists.find((a) => mine.has(a.id))?.name ??
        (await ctx.store.getCursor(release.foundVia.find((a) => mine.has(a)) ?? ''))?.name ??
        'Artists you follow');
    out.push({ release, group: fit.group, artistName });
  }
  return out;
}

/**
 * True while one of the subscriber's artists has never been scanned (and has not failed three
 * times): the first digest waits for it, so it covers the past weeks of every artist.
 */
async function awaitingFirstScan(ctx: DigestContext, userId: string): Promise<boolean> {
  for (const artistId of await ctx.store.getSubscriberArtists(userId)) {
    const cursor = await ctx.store.getCursor(artistId);
    if (cursor !== null && cursor.lastScannedAt === null && cursor.failures < 3) return true;
  }
  return false;
}

/** The entries of a recorded digest, each under the subscriber's artist it came by. */
async function digestEntries(
  ctx: DigestContext,
  subscriber: Subscriber,
  digest: Digest,
): Promise<DigestEntry[]> {
  const releases = await ctx.store.getReleases(digest.releaseIds);
  const mine = new Set(await ctx.store.getSubscriberArtists(subscriber.id));
  const entries: DigestEntry[] = [];
  for (const release of releases) {
    const primary = release.artists[0];
    const own = primary !== undefined && mine.has(primary.id);
    entries.push({
      release,
      group: own || mine.size === 0 ? release.type : 'appears_on',
      artistName: own
        ? (primary?.name ?? '')
        : (release.artists.find((a) => mine.has(a.id))?.name ??
          (await ctx.store.getCursor(release.foundVia[0] ?? ''))?.name ??
          primary?.name ??
          ''),
    });
  }
  return entries;
}

/** The mail of a digest, with a fresh unsubscribe link and the one-click headers (RFC 8058). */
function digestMessage(
  subscriber: Subscriber,
  digest: Digest,
  entries: readonly DigestEntry[],
  o: ResolvedDigestOptions,
  now: number,
): MailMessage {
  const token = createUnsubscribeToken({
    userId: subscriber.id,
    secret: o.unsubscribe.secret,
    issuedAt: now,
  });
  const url = new URL(o.unsubscribe.baseUrl);
  url.searchParams.set('token', token);
  const rendered = renderDigest({
    recipientName: subscriber.displayName,
    entries,
    periodFrom: digest.periodFrom,
    periodTo: digest.periodTo,
    timeZone: subscriber.timeZone,
    unsubscribeUrl: url.toString(),
    ...(o.title === undefined ? {} : { title: o.title }),
  });
  return {
    id: digest.id,
    to: subscriber.email,
    from: o.from,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: {
      'List-Unsubscribe':
        o.unsubscribe.mailto === undefined
          ? `<${url.toString()}>`
          : `<${url.toString()}>, <mailto:${o.unsubscribe.mailto}?subject=${encodeURIComponent(`unsubscribe ${token}`)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

/**
 * Claims a digest (status `sending`, one more attempt), hands its mail to the mailer and records
 * the answer: `sent`, `failed` (retried by the next run) or `rejected` (`MAIL_REJECTED`, never).
 */
async function deliver(
  ctx: DigestContext,
  subscriber: Subscriber,
  digest: Digest,
  o: ResolvedDigestOptions,
  now: number,
): Promise<Outcome> {
  const claimed: Digest = {
    ...digest,
    status: 'sending',
    claimedAt: now,
    attempts: digest.attempts + 1,
  };
  await ctx.store.updateDigest(claimed);
  const entries = await digestEntries(ctx, subscriber, digest);
  try {
    await o.mailer.send(digestMessage(subscriber, digest, entries, o, now));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = isReleasesError(error) ? error.code : 'MAIL_FAILED';
    const rejected = code === 'MAIL_REJECTED';
    await ctx.store.updateDigest({
      ...claimed,
      status: rejected ? 'rejected' : 'failed',
      claimedAt: null,
      lastError: message,
      lastErrorCode: code,
    });
    return { ok: false, rejected, error: message };
  }
  await ctx.store.updateDigest({
    ...claimed,
    status: 'sent',
    sentAt: o.now ?? ctx.now(),
    lastError: null,
    lastErrorCode: null,
  });
  return { ok: true };
}

/**
 * A new digest for a subscriber who is due, recorded with the watermark moved; `skipped` while
 * the first digest waits for the first scan of an artist.
 */
async function openDigest(
  ctx: DigestContext,
  subscriber: Subscriber,
  o: ResolvedDigestOptions,
  now: number,
): Promise<Digest | 'skipped'> {
  if (subscriber.lastDigestAt === null && (await awaitingFirstScan(ctx, subscriber.id)))
    return 'skipped';
  const candidates = await digestCandidates(ctx, subscriber, now, o.firstDigestDays);
  const period = digestPeriod(subscriber, now, o.firstDigestDays);
  const digest: Digest = {
    id: `${subscriber.id}:${now}`,
    userId: subscriber.id,
    periodFrom: period.from,
    periodTo: period.to,
    releaseIds: candidates.map((c) => c.release.id),
    status: candidates.length === 0 ? 'empty' : 'sending',
    attempts: 0,
    createdAt: now,
    claimedAt: now,
    sentAt: null,
    lastError: null,
  };
  await ctx.store.createDigest(digest);
  await ctx.store.putSubscriber({ ...subscriber, lastDigestAt: now });
  return digest;
}

/** What a run does for one subscriber. */
type Step =
  | { readonly kind: 'deliver'; readonly digest: Digest }
  | { readonly kind: 'sent'; readonly digest: Digest }
  | { readonly kind: 'skipped' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'none' };

/**
 * What a run does for a subscriber at `now`: deliver a digest (a new one, or one left open),
 * count as `sent` a digest left open whose mail the mailer says went out (marked sent here),
 * skip (another sender's lease, or waiting for a first scan), record an `empty` digest, or
 * nothing when none is due.
 */
async function nextStep(
  ctx: DigestContext,
  subscriber: Subscriber,
  o: ResolvedDigestOptions,
  now: number,
): Promise<Step> {
  const open = await ctx.store.getOpenDigest(subscriber.id);
  if (open === null) {
    if (!isDigestDue(subscriber, now)) return { kind: 'none' };
    const digest = await openDigest(ctx, subscriber, o, now);
    if (digest === 'skipped') return { kind: 'skipped' };
    return digest.status === 'empty' ? { kind: 'empty' } : { kind: 'deliver', digest };
  }
  if (open.status === 'sending' && open.claimedAt !== null && open.claimedAt + o.leaseMs > now)
    return { kind: 'skipped' };
  // Left `sending` by a crash, or `failed` with an answer that may have been lost (the mail
  // server took the message but its reply never came): ask the mailer first.
  if ((await o.mailer.wasSent?.(open.id)) === true) {
    await ctx.store.updateDigest({ ...open, status: 'sent', sentAt: now });
    return { kind: 'sent', digest: open };
  }
  return { kind: 'deliver', digest: open };
}

/** Sends every digest due at `now` (see `ReleaseWatcher.runDigests`). */
export async function runDigests(
  ctx: DigestContext,
  o: ResolvedDigestOptions,
): Promise<DigestRunResult> {
  const result: RunResult = { sent: [], empty: [], failed: [], rejected: [], skipped: [] };
  const only = o.userIds === undefined ? null : new Set(o.userIds);
  for (const subscriber of await ctx.store.listSubscribers()) {
    if (only !== null && !only.has(subscriber.id)) continue;
    if (subscriber.unsubscribedAt !== null) continue;
    const now = o.now ?? ctx.now();
    const step = await nextStep(ctx, subscriber, o, now);
    if (step.kind === 'none') continue;
    if (step.kind === 'skipped' || step.kind === 'empty') {
      result[step.kind].push(subscriber.id);
      continue;
    }
    const { digest } = step;
    const sent = { userId: subscriber.id, digestId: digest.id, releases: digest.releaseIds.length };
    const outcome =
      step.kind === 'sent' ? { ok: true as const } : await deliver(ctx, subscriber, digest, o, now);
    if (outcome.ok) result.sent.push(sent);
    else
      (outcome.rejected ? result.rejected : result.failed).push({
        userId: subscriber.id,
        digestId: digest.id,
        error: outcome.error,
      });
  }
  return result;
}
