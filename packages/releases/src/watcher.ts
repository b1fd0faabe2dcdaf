import { albumFromSpotify, createMutex } from '@spoti/catalog';
import {
  isSpotifyError,
  isSpotifyRateLimitError,
  type SpotifyClient,
  type SpotifySimplifiedAlbum,
} from '@spoti/client';
import { z } from 'zod';
import type { DigestEntry, RenderedDigest } from './digest/render.js';
import { renderDigest } from './digest/render.js';
import type { Mailer } from './digest/mailer.js';
import { createUnsubscribeToken, verifyUnsubscribeToken } from './digest/unsubscribe.js';
import type {
  ArtistCursor,
  Digest,
  Release,
  ReleaseGroup,
  ReleaseType,
  Subscriber,
  SweepFailure,
  SweepReport,
  SweepStop,
} from './domain/types.js';
import { ReleasesError, isReleasesError } from './errors/releases-error.js';
import { parseOrThrow } from './internal/parse.js';
import { belongsTo, foldKey } from './logic/fold.js';
import { releaseDateOverlaps, safeDateRange } from './logic/release-date.js';
import { localReleaseInstant } from './logic/time-zone.js';
import { cadenceDays, digestPeriod, isDigestDue, nextDigestAt } from './logic/schedule.js';
import { type SubscribeResult, confirm, subscribe } from './subscriptions.js';
import {
  type ReleaseWatcherOptions,
  type ResolvedWatcherOptions,
  type SubscribeOptions,
  type SubscriberInput,
  type SubscriptionInput,
  subscriberInputSchema,
  watcherOptionsSchema,
} from './options.js';
import { scanArtistAlbums } from './scan.js';
import type { ReleaseStore, SeenEdition } from './store/release-store.js';

const DAY_MS = 86_400_000;

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
 * Options of {@link ReleaseWatcher.sendDueDigests}.
 *
 * @example
 * ```ts
 * sendDigestsOptionsSchema.parse({ mailer, from: 'r@example.com', unsubscribe }).firstDigestDays; // 28
 * ```
 */
export const sendDigestsOptionsSchema = z.object({
  mailer: z.custom<Mailer>(
    (v) => typeof v === 'object' && v !== null && typeof (v as Mailer).send === 'function',
    { message: 'mailer must implement send' },
  ),
  /** The From address. */
  from: z.string().min(3),
  unsubscribe: z.object({
    /** HMAC secret of unsubscribe tokens (at least 16 characters). */
    secret: z.string().min(16),
    /** Page that takes `?token=`; the token is appended (also the one-click POST target). */
    baseUrl: z.url(),
    /** An address that unsubscribes by mail, added to `List-Unsubscribe` (optional). */
    mailto: z.email().optional(),
  }),
  /** How far back the first digest of a subscriber reaches. Default 28 days. */
  firstDigestDays: z.number().int().min(1).max(365).default(28),
  /** A digest taken by a sender that has not finished after this long is resumed. Default 10 min. */
  leaseMs: z.number().int().min(0).default(600_000),
  /** Only these subscribers (default: all). */
  userIds: z.array(z.string()).optional(),
  /** Title of the mail. */
  title: z.string().optional(),
  /** The time of the run (Unix ms). Default: the watcher's clock. */
  now: z.number().int().nonnegative().optional(),
});
/**
 * Options of {@link ReleaseWatcher.sendDueDigests}.
 *
 * @example
 * ```ts
 * const options: SendDigestsOptions = { mailer, from: 'r@example.com', unsubscribe: { secret, baseUrl: 'https://example.com/u' } };
 * ```
 */
export type SendDigestsOptions = z.input<typeof sendDigestsOptionsSchema>;

/**
 * What one digest run did.
 *
 * @example
 * ```ts
 * const { sent, failed }: DigestRunResult = await watcher.sendDueDigests(options);
 * ```
 */
export interface DigestRunResult {
  /** Digests handed to the mailer and accepted. */
  readonly sent: readonly {
    readonly userId: string;
    readonly digestId: string;
    readonly releases: number;
  }[];
  /** Subscribers due with nothing new (watermark moved, no mail). */
  readonly empty: readonly string[];
  /** Digests the mailer could not send (transient); retried, unchanged, by the next run. */
  readonly failed: readonly {
    readonly userId: string;
    readonly digestId: string;
    readonly error: string;
  }[];
  /** Digests the mail server refused for good (`MAIL_REJECTED`); recorded, never retried. */
  readonly rejected: readonly {
    readonly userId: string;
    readonly digestId: string;
    readonly error: string;
  }[];
  /**
   * Subscribers skipped this time: another sender holds their digest (lease not expired), or
   * their first digest waits for the first scan of their artists.
   */
  readonly skipped: readonly string[];
}

/**
 * What {@link ReleaseWatcher.previewDigest} returns: the next digest as it stands now.
 *
 * @example
 * ```ts
 * const { rendered, dueAt, entries }: DigestPreview = await watcher.previewDigest('u1');
 * ```
 */
export interface DigestPreview {
  /** When the next digest is due (Unix ms), or null while pending or after unsubscribing. */
  readonly dueAt: number | null;
  /** The releases it would hold if it were sent now. */
  readonly entries: readonly DigestEntry[];
  readonly periodFrom: number;
  readonly periodTo: number;
  /** The mail, rendered. */
  readonly rendered: RenderedDigest;
}

/** A subscriber's candidate releases with the group each has for that subscriber. */
interface Candidate {
  readonly release: Release;
  readonly group: ReleaseGroup;
  readonly artistName: string;
}

function typeOf(albumType: string): ReleaseType {
  const t = albumType.toLowerCase();
  return t === 'single' || t === 'compilation' ? t : 'album';
}

function errorText(error: unknown): { code: string; message: string } {
  if (isSpotifyError(error)) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'unknown', message: error.message };
  return { code: 'unknown', message: String(error) };
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
  readonly #fold = createMutex();
  #sweeping = false;

  constructor(options: ReleaseWatcherOptions) {
    this.options = parseOrThrow(watcherOptionsSchema, options, 'watcher options');
    this.#store = this.options.store;
    const clock = this.options.clock;
    this.#now = clock === undefined ? () => Date.now() : () => clock.now();
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
      return await this.#sweep(options.signal);
    } finally {
      this.#sweeping = false;
    }
  }

  async #sweep(signal: AbortSignal | undefined): Promise<SweepReport> {
    const o = this.options;
    const startedAt = this.#now();
    const id = `sweep-${startedAt}`;
    const watched = await this.#store.countWatchedArtists();
    const due = await this.#store.countDueArtists(startedAt);
    const resumeAtMeta = await this.#store.getMeta('resumeAt');
    const finish = async (
      fields: Omit<
        SweepReport,
        'id' | 'startedAt' | 'finishedAt' | 'artistsWatched' | 'artistsDue'
      >,
    ) => {
      const report: SweepReport = {
        id,
        startedAt,
        finishedAt: this.#now(),
        artistsWatched: watched,
        artistsDue: due,
        ...fields,
      };
      await this.#store.saveReport(report);
      return report;
    };
    if (typeof resumeAtMeta === 'number' && resumeAtMeta > startedAt) {
      return finish({
        artistsScanned: 0,
        artistsDeferred: due,
        failures: [],
        releasesFound: 0,
        editionsFound: 0,
        calls: 0,
        httpAttempts: 0,
        callBudget: 0,
        stoppedBy: 'rate_limited',
        resumeAt: resumeAtMeta,
      });
    }

    const dayKey = `calls:${new Date(startedAt).toISOString().slice(0, 10)}`;
    const usedToday = Number((await this.#store.getMeta(dayKey)) ?? 0);
    const paced = Math.floor((o.budget.allowance * o.budget.sweepDurationMs) / o.budget.windowMs);
    const budget = Math.max(
      0,
      Math.min(
        o.budget.maxCallsPerSweep ?? Number.POSITIVE_INFINITY,
        paced,
        o.budget.dailyCalls - usedToday,
      ),
    );
    const perArtist = o.groups.length;
    const cursors = await this.#store.listDueArtists(startedAt, Math.floor(budget / perArtist));

    let calls = 0;
    let scanned = 0;
    let releasesFound = 0;
    let editionsFound = 0;
    let stop: SweepStop | null = null;
    let resumeAt: number | null = null;
    const failures: SweepFailure[] = [];
    let next = 0;

    const worker = async () => {
      while (stop === null) {
        if (signal?.aborted) {
          stop = 'aborted';
          return;
        }
        const cursor = cursors[next];
        if (cursor === undefined) return;
        if (calls + perArtist > budget) {
          stop = 'budget';
          return;
        }
        next += 1;
        try {
          const found = await this.#scanOne(cursor, signal, () => {
            calls += 1;
          });
          scanned += 1;
          releasesFound += found.releases;
          editionsFound += found.editions;
        } catch (error) {
          const { code, message } = errorText(error);
          const now = this.#now();
          if (isSpotifyRateLimitError(error)) {
            failures.push({ artistId: cursor.artistId, code, message, scope: error.scope });
            resumeAt = Math.max(resumeAt ?? 0, error.resumeAt);
            if (stop === null) stop = 'rate_limited';
          } else if (isSpotifyError(error) && error.code === 'ABORTED') {
            stop = 'aborted';
          } else {
            failures.push({ artistId: cursor.artistId, code, message });
          }
          if (!(isSpotifyError(error) && error.code === 'ABORTED')) {
            const permanent = code === 'NOT_FOUND' || code === 'BAD_REQUEST';
            await this.#store.putCursor({
              ...cursor,
              failures: cursor.failures + 1,
              lastError: { code, message, at: now },
              nextScanAt: permanent ? now + o.artistIntervalMs : now,
            });
          }
        }
      }
    };
    const scanAll = () => Promise.all(Array.from({ length: o.concurrency }, worker));
    // The sweep's own attempts, even when other work shares the client; a client that cannot
    // measure reports the pages asked for.
    let httpAttempts: number;
    if (o.client.measure === undefined) {
      await scanAll();
      httpAttempts = calls;
    } else {
      httpAttempts = (await o.client.measure(scanAll)).usage.calls;
    }
    await this.#store.setMeta(dayKey, usedToday + calls);
    if (resumeAt !== null) await this.#store.setMeta('resumeAt', resumeAt);
    const finalStop: SweepStop = stop ?? (cursors.length < due ? 'budget' : 'complete');
    return finish({
      artistsScanned: scanned,
      artistsDeferred: Math.max(0, due - scanned),
      failures,
      releasesFound,
      editionsFound,
      calls,
      httpAttempts,
      callBudget: budget,
      stoppedBy: finalStop,
      resumeAt,
    });
  }

  async #scanOne(
    cursor: ArtistCursor,
    signal: AbortSignal | undefined,
    onCall: () => void,
  ): Promise<{ releases: number; editions: number }> {
    const o = this.options;
    const now = this.#now();
    const horizonStart = now - o.horizonDays * DAY_MS;
    const seen = await this.#store.getSeenEditions(cursor.artistId);
    const items = await scanArtistAlbums({
      client: o.client,
      artistId: cursor.artistId,
      groups: o.groups,
      pageSize: o.pageSize,
      market: o.market,
      horizonStart,
      signal,
      onCall,
    });
    const newestSeen: Partial<Record<ReleaseGroup, string>> = {};
    const unseen: { album: SpotifySimplifiedAlbum; group: ReleaseGroup }[] = [];
    const inScan = new Set<string>();
    let name = cursor.name;
    for (const item of items) {
      if (newestSeen[item.group] === undefined) newestSeen[item.group] = item.album.id;
      for (const a of item.album.artists) if (a.id === cursor.artistId) name = a.name;
      if (seen.has(item.album.id) || inScan.has(item.album.id)) continue;
      inScan.add(item.album.id);
      unseen.push(item);
    }

    return this.#fold.run(async () => {
      const fresh = unseen.filter((item) => {
        const range = safeDateRange(item.album.release_date, item.album.release_date_precision);
        return range === null || range.end > horizonStart;
      });
      const editionOf = (album: SpotifySimplifiedAlbum) => ({
        albumId: album.id,
        foldKey: foldKey({
          primaryArtistId: album.artists[0]?.id ?? cursor.artistId,
          type: typeOf(album.album_type),
          name: album.name,
        }),
        releaseDate: album.release_date,
        releaseDatePrecision: album.release_date_precision,
        upc: null,
      });
      const existing = await this.#store.findReleases({
        foldKeys: [...new Set(fresh.map((f) => editionOf(f.album).foldKey))],
        editionIds: fresh.map((f) => f.album.id),
      });
      const working = new Map(existing.map((r) => [r.id, r] as const));
      const changed = new Set<string>();
      const releaseOfEdition = new Map<string, string>();
      let created = 0;
      let attached = 0;
      // Oldest first, so the first edition of a release is the one whose id it takes.
      const ordered = [...fresh].sort(
        (a, b) =>
          a.album.release_date.localeCompare(b.album.release_date) ||
          (a.album.id < b.album.id ? -1 : 1),
      );
      for (const { album, group } of ordered) {
        const edition = editionOf(album);
        const ownGroup: ReleaseGroup =
          album.artists[0]?.id === cursor.artistId ? group : 'appears_on';
        let target: Release | undefined;
        for (const r of working.values()) {
          if (belongsTo(edition, r, o.foldWindowDays)) {
            target = r;
            break;
          }
        }
        if (target === undefined) {
          const release: Release = {
            id: album.id,
            foldKey: edition.foldKey,
            name: album.name,
            type: typeOf(album.album_type),
            group: ownGroup,
            artists: album.artists.map((a) => ({ id: a.id, name: a.name })),
            releaseDate: album.release_date,
            releaseDatePrecision: album.release_date_precision,
            imageUrl: album.images?.[0]?.url ?? null,
            url: album.external_urls?.spotify ?? `https://open.spotify.com/album/${album.id}`,
            totalTracks: album.total_tracks,
            editionIds: [album.id],
            upcs: [],
            foundVia: [cursor.artistId],
            discoveredAt: now,
          };
          working.set(release.id, release);
          changed.add(release.id);
          releaseOfEdition.set(album.id, release.id);
          created += 1;
          continue;
        }
        const editionIds = target.editionIds.includes(album.id)
          ? target.editionIds
          : [...target.editionIds, album.id];
        const foundVia = target.foundVia.includes(cursor.artistId)
          ? target.foundVia
          : [...target.foundVia, cursor.artistId];
        const betterGroup: ReleaseGroup =
          target.group === 'appears_on' && ownGroup !== 'appears_on' ? ownGroup : target.group;
        if (editionIds !== target.editionIds) attached += 1;
        if (
          editionIds !== target.editionIds ||
          foundVia !== target.foundVia ||
          betterGroup !== target.group
        ) {
          const updated: Release = { ...target, editionIds, foundVia, group: betterGroup };
          working.set(updated.id, updated);
          changed.add(updated.id);
        }
        releaseOfEdition.set(album.id, target.id);
      }
      const editions: SeenEdition[] = unseen.map(({ album }) => ({
        artistId: cursor.artistId,
        albumId: album.id,
        releaseId: releaseOfEdition.get(album.id) ?? null,
      }));
      await this.#store.commitScan({
        cursor: {
          artistId: cursor.artistId,
          name,
          lastScannedAt: now,
          newestSeen,
          nextScanAt: now + o.artistIntervalMs,
          failures: 0,
          lastError: null,
        },
        editions,
        releases: [...changed].map((rid) => working.get(rid) as Release),
      });
      if (o.catalog !== undefined && fresh.length > 0) {
        await o.catalog.upsertAlbums(fresh.map(({ album }) => albumFromSpotify(album, now)));
      }
      return { releases: created, editions: attached };
    });
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
    const candidates = await this.#candidates(subscriber, now, options.firstDigestDays ?? 28);
    return candidates.map((c) => ({
      release: c.release,
      group: c.group,
      artistName: c.artistName,
    }));
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

  async #candidates(
    subscriber: Subscriber,
    now: number,
    firstDigestDays: number,
  ): Promise<Candidate[]> {
    const artists = await this.#store.getSubscriberArtists(subscriber.id);
    const mine = new Set(artists);
    const excluded = new Set(subscriber.exclude);
    const delivered = await this.#store.getDeliveredReleaseIds(subscriber.id);
    const releases = await this.#store.listReleasesForArtists(artists);
    const out: Candidate[] = [];
    const since = subscriber.lastDigestAt;
    for (const release of releases) {
      if (delivered.has(release.id)) continue;
      const primary = release.artists[0];
      if (primary !== undefined && excluded.has(primary.id)) continue;
      const own = primary !== undefined && mine.has(primary.id);
      const group: ReleaseGroup = own ? release.type : 'appears_on';
      if (!own && !release.foundVia.some((a) => mine.has(a))) continue;
      if (!subscriber.groups.includes(group)) continue;
      const range = safeDateRange(release.releaseDate, release.releaseDatePrecision);
      const availableAt =
        range === null
          ? release.discoveredAt
          : localReleaseInstant(
              release.releaseDate,
              release.releaseDatePrecision,
              subscriber.timeZone,
            );
      if (availableAt > now) continue;
      if (since === null) {
        const from = now - firstDigestDays * DAY_MS;
        if (
          range !== null &&
          !releaseDateOverlaps(release.releaseDate, release.releaseDatePrecision, from, now)
        )
          continue;
      } else if (release.discoveredAt <= since && availableAt <= since) {
        continue;
      }
      const artistName = own
        ? (primary?.name ?? '')
        : (release.artists.find((a) => mine.has(a.id))?.name ??
          (await this.#store.getCursor(release.foundVia.find((a) => mine.has(a)) ?? ''))?.name ??
          'Artists you follow');
      out.push({ release, group, artistName });
    }
    return out;
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
    const result: {
      sent: { userId: string; digestId: string; releases: number }[];
      empty: string[];
      failed: { userId: string; digestId: string; error: string }[];
      rejected: { userId: string; digestId: string; error: string }[];
      skipped: string[];
    } = { sent: [], empty: [], failed: [], rejected: [], skipped: [] };
    const only = o.userIds === undefined ? null : new Set(o.userIds);
    for (const subscriber of await this.#store.listSubscribers()) {
      if (only !== null && !only.has(subscriber.id)) continue;
      if (subscriber.unsubscribedAt !== null) continue;
      const now = o.now ?? this.#now();
      let digest = await this.#store.getOpenDigest(subscriber.id);
      if (digest !== null) {
        if (
          digest.status === 'sending' &&
          digest.claimedAt !== null &&
          digest.claimedAt + o.leaseMs > now
        ) {
          result.skipped.push(subscriber.id);
          continue;
        }
        // Left `sending` by a crash, or `failed` with an answer that may have been lost (the
        // mail server took the message but its reply never came): ask the mailer first.
        if ((await o.mailer.wasSent?.(digest.id)) === true) {
          await this.#store.updateDigest({ ...digest, status: 'sent', sentAt: now });
          result.sent.push({
            userId: subscriber.id,
            digestId: digest.id,
            releases: digest.releaseIds.length,
          });
          continue;
        }
      } else {
        if (!isDigestDue(subscriber, now)) continue;
        if (subscriber.lastDigestAt === null && (await this.#awaitingFirstScan(subscriber.id))) {
          result.skipped.push(subscriber.id);
          continue;
        }
        const candidates = await this.#candidates(subscriber, now, o.firstDigestDays);
        const period = digestPeriod(subscriber, now, o.firstDigestDays);
        digest = {
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
        await this.#store.createDigest(digest);
        await this.#store.putSubscriber({ ...subscriber, lastDigestAt: now });
        if (digest.status === 'empty') {
          result.empty.push(subscriber.id);
          continue;
        }
      }
      const outcome = await this.#deliver(subscriber, digest, o, now);
      if (outcome.ok)
        result.sent.push({
          userId: subscriber.id,
          digestId: digest.id,
          releases: digest.releaseIds.length,
        });
      else
        (outcome.rejected ? result.rejected : result.failed).push({
          userId: subscriber.id,
          digestId: digest.id,
          error: outcome.error,
        });
    }
    return result;
  }

  /**
   * True while one of the subscriber's artists has never been scanned (and has not failed three
   * times): the first digest waits for it, so it covers the past weeks of every artist.
   */
  async #awaitingFirstScan(userId: string): Promise<boolean> {
    for (const artistId of await this.#store.getSubscriberArtists(userId)) {
      const cursor = await this.#store.getCursor(artistId);
      if (cursor !== null && cursor.lastScannedAt === null && cursor.failures < 3) return true;
    }
    return false;
  }

  async #deliver(
    subscriber: Subscriber,
    digest: Digest,
    o: z.output<typeof sendDigestsOptionsSchema>,
    now: number,
  ): Promise<{ ok: true } | { ok: false; rejected: boolean; error: string }> {
    const claimed: Digest = {
      ...digest,
      status: 'sending',
      claimedAt: now,
      attempts: digest.attempts + 1,
    };
    await this.#store.updateDigest(claimed);
    const releases = await this.#store.getReleases(digest.releaseIds);
    const artists = await this.#store.getSubscriberArtists(subscriber.id);
    const mine = new Set(artists);
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
            (await this.#store.getCursor(release.foundVia[0] ?? ''))?.name ??
            primary?.name ??
            ''),
      });
    }
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
    try {
      await o.mailer.send({
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
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = isReleasesError(error) ? error.code : 'MAIL_FAILED';
      const rejected = code === 'MAIL_REJECTED';
      await this.#store.updateDigest({
        ...claimed,
        status: rejected ? 'rejected' : 'failed',
        claimedAt: null,
        lastError: message,
        lastErrorCode: code,
      });
      return { ok: false, rejected, error: message };
    }
    await this.#store.updateDigest({
      ...claimed,
      status: 'sent',
      sentAt: o.now ?? this.#now(),
      lastError: null,
      lastErrorCode: null,
    });
    return { ok: true };
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
