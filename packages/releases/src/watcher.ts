import { createMutex } from '@spoti/catalog';
import type { SpotifyClient } from '@spoti/client';
import {
  type DigestPreview,
  type DigestRunResult,
  type SendDigestsOptions,
  sendDigestsOptionsSchema,
} from './digest/digest-options.js';
import { renderDigest } from './digest/render.js';
import type { DigestEntry } from './digest/render.js';
import { type DigestContext, digestCandidates, runDigests } from './digest/run-digests.js';
import { verifyUnsubscribeToken } from './digest/unsubscribe.js';
import type { Subscriber, SweepReport } from './domain/types.js';
import { ReleasesError } from './errors/releases-error.js';
import { parseOrThrow } from './internal/parse.js';
import { cadenceDays, digestPeriod, nextDigestAt } from './logic/schedule.js';
import {
  type ReleaseWatcherOptions,
  type ResolvedWatcherOptions,
  type SubscribeOptions,
  type SubscriberInput,
  type SubscriptionInput,
  subscriberInputSchema,
  watcherOptionsSchema,
} from './options.js';
import type { ReleaseStore } from './store/release-store.js';
import { type SubscribeResult, confirm, subscribe } from './subscriptions.js';
import { runSweep } from './sweep/run-sweep.js';
import type { SweepContext } from './sweep/scan-artist.js';

/**
 * The part of `SpotifyClient` that reads a subscriber's artists (that user's own client).
 *
 * @example
 * ```ts
 * await watcher.refreshSubscriberArtists('u1', userClient satisfies SourcesClient);
 * ```
 */
export type SourcesClient = Pick<
  SpotifyClient,
  'paginate' | 'getFollowedArtists' | 'getSavedTracks' | 'getSavedAlbums'
>;

/**
 * Result of {@link ReleaseWatcher.refreshSubscriberArtists}.
 *
 * @example
 * ```ts
 * const { artists, added, removed }: RefreshResult = await watcher.refreshSubscriberArtists('u1', userClient);
 * ```
 */
export interface RefreshResult {
  readonly userId: string;
  /** Artists now watched for the subscriber (after include/exclude). */
  readonly artists: number;
  readonly added: number;
  readonly removed: number;
}

/**
 * Watches the artists of many subscribers for new releases and sends digests. One sweep scans
 * each watched artist once, whoever follows it; see the README for the rules.
 * Create it with {@link createReleaseWatcher}.
 *
 * @example
 * ```ts
 * const watcher = createReleaseWatcher({ store, client });
 * const report = await watcher.sweep();
 * ```
 */
export class ReleaseWatcher {
  /** Validated options. */
  readonly options: ResolvedWatcherOptions;
  readonly #store: ReleaseStore;
  readonly #now: () => number;
  readonly #sweepContext: SweepContext;
  readonly #digestContext: DigestContext;
  #sweeping = false;

  constructor(options: ReleaseWatcherOptions) {
    this.options = parseOrThrow(watcherOptionsSchema, options, 'watcher options');
    this.#store = this.options.store;
    const clock = this.options.clock;
    this.#now = clock === undefined ? () => Date.now() : () => clock.now();
    this.#digestContext = { store: this.#store, now: this.#now };
    this.#sweepContext = { ...this.#digestContext, options: this.options, fold: createMutex() };
  }

  /** The store the watcher keeps its state in. */
  get store(): ReleaseStore {
    return this.#store;
  }

  // ------------------------------------------------------------------ subscribers

  /**
   * Adds or updates a subscriber whose address you already trust (validated; defaults: UTC,
   * every 14 days, followed artists). A new one is confirmed at once; an existing one keeps its
   * confirmation, digest watermark and unsubscribe state. For a sign-up form use
   * {@link ReleaseWatcher.subscribe} (double opt-in).
   */
  async upsertSubscriber(input: SubscriberInput): Promise<Subscriber> {
    const parsed = parseOrThrow(subscriberInputSchema, input, 'subscriber');
    const existing = await this.#store.getSubscriber(parsed.id);
    const groups = parsed.groups ?? this.options.groups;
    const subscriber: Subscriber = {
      id: parsed.id,
      email: parsed.email,
      displayName: parsed.displayName,
      timeZone: parsed.timeZone,
      cadenceDays: parsed.cadence === undefined ? parsed.cadenceDays : cadenceDays(parsed.cadence),
      sources: parsed.sources,
      include: [...new Set(parsed.include)],
      exclude: [...new Set(parsed.exclude)],
      groups: [...new Set(groups)],
      createdAt: existing?.createdAt ?? this.#now(),
      confirmedAt: existing === null ? this.#now() : (existing.confirmedAt ?? existing.createdAt),
      unsubscribedAt: existing?.unsubscribedAt ?? null,
      lastDigestAt: existing?.lastDigestAt ?? null,
    };
    await this.#store.putSubscriber(subscriber);
    return subscriber;
  }

  async #requireSubscriber(userId: string): Promise<Subscriber> {
    const s = await this.#store.getSubscriber(userId);
    if (s === null)
      throw new ReleasesError({ code: 'NOT_FOUND', message: `No subscriber ${userId}` });
    return s;
  }

  /**
   * Reads the subscriber's artists from Spotify with that user's client (followed artists by
   * cursor, optionally primary artists of saved tracks and albums), applies include/exclude and
   * stores the set. New artists become due for a scan at once. A Spotify error is thrown and the
   * previous set is kept.
   */
  async refreshSubscriberArtists(
    userId: string,
    client: SourcesClient,
    options: { signal?: AbortSignal } = {},
  ): Promise<RefreshResult> {
    const subscriber = await this.#requireSubscriber(userId);
    const ids = new Set<string>();
    const page = options.signal === undefined ? {} : { signal: options.signal };
    if (subscriber.sources.followed) {
      for await (const artist of client.paginate(client.getFollowedArtists, { limit: 50 }, page))
        ids.add(artist.id);
    }
    if (subscriber.sources.savedTracks) {
      for await (const saved of client.paginate(client.getSavedTracks, { limit: 50 }, page)) {
        const id = saved.track.artists[0]?.id;
        if (id !== undefined) ids.add(id);
      }
    }
    if (subscriber.sources.savedAlbums) {
      for await (const saved of client.paginate(client.getSavedAlbums, { limit: 50 }, page)) {
        const id = saved.album.artists[0]?.id;
        if (id !== undefined) ids.add(id);
      }
    }
    return this.setSubscriberArtists(userId, [...ids]);
  }

  /** Sets the subscriber's artists directly (include/exclude applied), e.g. from your own data. */
  async setSubscriberArtists(userId: string, artistIds: readonly string[]): Promise<RefreshResult> {
    const subscriber = await this.#requireSubscriber(userId);
    const ids = new Set(artistIds);
    for (const id of subscriber.include) ids.add(id);
    for (const id of subscriber.exclude) ids.delete(id);
    const before = new Set(await this.#store.getSubscriberArtists(userId));
    await this.#store.setSubscriberArtists(userId, [...ids].sort(), this.#now());
    let added = 0;
    for (const id of ids) if (!before.has(id)) added++;
    let removed = 0;
    for (const id of before) if (!ids.has(id)) removed++;
    return { userId, artists: ids.size, added, removed };
  }

  /**
   * Signs up with double opt-in: stores the subscriber as pending (email validated, cadence
   * `biweekly` by default or `weekly`, time zone) and mails a signed, expiring confirmation link
   * (`confirmation.baseUrl?token=...`). Nothing else is mailed before {@link ReleaseWatcher.confirm}.
   * Subscribing again with the confirmed address only updates the settings (status `active`,
   * no mail); a new address, or a subscriber who unsubscribed, goes through confirmation again.
   * Set the subscriber's artists as usual (`refreshSubscriberArtists`) so the first digest is
   * ready when the address is confirmed.
   *
   * @throws ReleasesError `INVALID_OPTIONS` naming the bad field; `MAIL_FAILED` when the
   * confirmation could not be sent (the subscriber stays pending; subscribing again resends).
   */
  subscribe(input: SubscriptionInput, options: SubscribeOptions): Promise<SubscribeResult> {
    return subscribe(this.#store, { groups: this.options.groups }, input, options, this.#now());
  }

  /**
   * Confirms the address a confirmation token names. Idempotent: a second click returns the
   * subscriber unchanged. The first digest is due from now (run {@link ReleaseWatcher.runDigests}).
   *
   * @throws ReleasesError `INVALID_TOKEN` (forged, malformed, for a changed address or a cancelled
   * subscription) or `TOKEN_EXPIRED`.
   */
  confirm(token: string, secret: string): Promise<Subscriber> {
    return confirm(this.#store, token, secret, this.#now());
  }

  /**
   * Deletes every row the package holds for a user (account deletion): subscription, artists,
   * digests and deliveries. Returns false when there was nothing to delete.
   */
  deleteSubscriber(userId: string): Promise<boolean> {
    return this.#store.deleteSubscriber(userId);
  }

  /**
   * Unsubscribes the user a token names (see `createUnsubscribeToken`); idempotent, so the link
   * (or a one-click POST, RFC 8058) works any number of times.
   */
  async unsubscribe(token: string, secret: string): Promise<Subscriber> {
    const { userId } = verifyUnsubscribeToken(token, secret);
    const subscriber = await this.#requireSubscriber(userId);
    if (subscriber.unsubscribedAt !== null) return subscriber;
    const next = { ...subscriber, unsubscribedAt: this.#now() };
    await this.#store.putSubscriber(next);
    return next;
  }

  // ------------------------------------------------------------------ sweeps

  /**
   * One sweep: scans due artists (each once, whoever follows it), failed ones first, within the
   * call budget; records new releases folded across editions; returns and stores a report.
   * Failures (429, quota, 5xx) are listed and the artists stay due for the next sweep; a rate
   * limit the client would not wait out (daily quota) ends the sweep with `resumeAt`, and sweeps
   * before that time return at once without calls.
   */
  async sweep(options: { signal?: AbortSignal } = {}): Promise<SweepReport> {
    if (this.#sweeping) {
      throw new ReleasesError({ code: 'INVALID_OPTIONS', message: 'A sweep is already running' });
    }
    this.#sweeping = true;
    try {
      return await runSweep(this.#sweepContext, options.signal);
    } finally {
      this.#sweeping = false;
    }
  }

  /** The latest sweep reports, newest first. */
  reports(limit = 10): Promise<SweepReport[]> {
    return this.#store.listReports(limit);
  }

  // ------------------------------------------------------------------ digests

  /**
   * The releases a subscriber's next digest would hold at `now`, without recording anything:
   * releases of the subscriber's artists not delivered yet, of the subscriber's groups and not by
   * an excluded artist, out in the subscriber's time zone (local midnight of the release date),
   * and since the last digest (first digest: dated within the last `firstDigestDays`).
   */
  async pendingReleases(
    userId: string,
    options: { now?: number; firstDigestDays?: number } = {},
  ): Promise<DigestEntry[]> {
    const subscriber = await this.#requireSubscriber(userId);
    const now = options.now ?? this.#now();
    return digestCandidates(this.#digestContext, subscriber, now, options.firstDigestDays ?? 28);
  }

  /**
   * The next digest of a subscriber as it stands at `now`, rendered, without recording anything:
   * for a "preview of your next digest" page. `unsubscribeUrl` goes into the rendered mail
   * (default `#`).
   */
  async previewDigest(
    userId: string,
    options: {
      now?: number;
      firstDigestDays?: number;
      unsubscribeUrl?: string;
      title?: string;
    } = {},
  ): Promise<DigestPreview> {
    const subscriber = await this.#requireSubscriber(userId);
    const now = options.now ?? this.#now();
    const entries = await this.pendingReleases(userId, {
      now,
      ...(options.firstDigestDays === undefined
        ? {}
        : { firstDigestDays: options.firstDigestDays }),
    });
    const period = digestPeriod(subscriber, now, options.firstDigestDays);
    const rendered = renderDigest({
      recipientName: subscriber.displayName,
      entries,
      periodFrom: period.from,
      periodTo: period.to,
      timeZone: subscriber.timeZone,
      unsubscribeUrl: options.unsubscribeUrl ?? '#',
      ...(options.title === undefined ? {} : { title: options.title }),
    });
    return {
      dueAt: nextDigestAt(subscriber),
      entries,
      periodFrom: period.from,
      periodTo: period.to,
      rendered,
    };
  }

  /**
   * Sends the digests that are due: for each active subscriber whose cadence has elapsed, the
   * releases since the last digest (see {@link ReleaseWatcher.pendingReleases}). The digest and
   * its deliveries are recorded (status `sending`) before the mailer is called and marked `sent`
   * only after it accepted the message; a refused digest is retried unchanged by the next run; a
   * digest left `sending` by a crash, or `failed` by a send whose answer was lost (the message
   * was taken but the reply never came), is resolved with `mailer.wasSent` when available, else
   * resent with the same id (and `Message-ID`) once its lease expired. A subscriber never gets a
   * release twice.
   */
  async sendDueDigests(options: SendDigestsOptions): Promise<DigestRunResult> {
    return this.runDigests(options);
  }

  /**
   * Sends every digest that is due at `now` (default: the watcher's clock), to be called after
   * each (daily) sweep: the first digest of a subscriber right after confirmation, with the
   * releases of the past `firstDigestDays` (4 weeks), then one every `cadenceDays` (14, or 7 for
   * `weekly`), see `nextDigestAt`. Pending (unconfirmed) and unsubscribed subscribers get nothing.
   * Same guarantees as {@link ReleaseWatcher.sendDueDigests}: never a release twice, a refused
   * digest retried unchanged, a permanently rejected one recorded as `rejected`.
   */
  async runDigests(options: SendDigestsOptions): Promise<DigestRunResult> {
    const o = parseOrThrow(sendDigestsOptionsSchema, options, 'digest options');
    return runDigests(this.#digestContext, o);
  }
}

/**
 * Creates a {@link ReleaseWatcher}. Options are validated here (`INVALID_OPTIONS` otherwise).
 *
 * @example
 * ```ts
 * const watcher = createReleaseWatcher({ store: createMemoryReleaseStore(), client: appClient });
 * await watcher.upsertSubscriber({ id: 'u1', email: 'ada@example.com', timeZone: 'Europe/Oslo' });
 * await watcher.refreshSubscriberArtists('u1', userClient);
 * const report = await watcher.sweep();
 * console.log(report.artistsScanned, report.releasesFound, report.failures);
 * ```
 */
export function createReleaseWatcher(options: ReleaseWatcherOptions): ReleaseWatcher {
  return new ReleaseWatcher(options);
}
