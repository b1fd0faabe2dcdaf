import type { ReleaseDatePrecision } from '@spoti/catalog';

/**
 * How a release relates to an artist on Spotify's albums endpoint (`include_groups`).
 *
 * @example
 * ```ts
 * const groups: ReleaseGroup[] = ['album', 'single'];
 * ```
 */
export type ReleaseGroup = 'album' | 'single' | 'compilation' | 'appears_on';

/**
 * Every group, in the order Spotify lists them.
 *
 * @example
 * ```ts
 * createReleaseWatcher({ store, client, groups: [...RELEASE_GROUPS] }); // every group
 * ```
 */
export const RELEASE_GROUPS: readonly ReleaseGroup[] = [
  'album',
  'single',
  'compilation',
  'appears_on',
];

/**
 * The kind of product a release is (Spotify's `album_type`).
 *
 * @example
 * ```ts
 * const label = (type: ReleaseType) => (type === 'single' ? 'Single' : 'Album');
 * ```
 */
export type ReleaseType = 'album' | 'single' | 'compilation';

/**
 * An artist as a release names it.
 *
 * @example
 * ```ts
 * const names = (artists: readonly ReleaseArtist[]) => artists.map((a) => a.name).join(', ');
 * ```
 */
export interface ReleaseArtist {
  readonly id: string;
  readonly name: string;
}

/**
 * A new album, single or compilation, folded across its editions: the same release in other
 * markets and its explicit/clean versions are separate Spotify albums, kept in `editionIds`.
 * `id` is the id of the first edition the watcher saw (stable once created).
 *
 * @example
 * ```ts
 * for (const release of await store.listReleasesForArtists(['0OdUWJ0sBjDrqHygGUXeCF']))
 *   console.log(release.name, release.releaseDate, release.editionIds.length);
 * ```
 */
export interface Release {
  readonly id: string;
  /** `primaryArtistId|type|normalised title`: editions with the same key and close dates fold. */
  readonly foldKey: string;
  readonly name: string;
  readonly type: ReleaseType;
  /** The group it was found in for its primary artist, or `appears_on` when found only that way. */
  readonly group: ReleaseGroup;
  readonly artists: readonly ReleaseArtist[];
  /** "YYYY", "YYYY-MM" or "YYYY-MM-DD", per `releaseDatePrecision`. */
  readonly releaseDate: string;
  readonly releaseDatePrecision: ReleaseDatePrecision;
  readonly imageUrl: string | null;
  /** Link that opens the release in Spotify. */
  readonly url: string;
  readonly totalTracks: number;
  /** Spotify album ids of every edition folded into this release, first seen first. */
  readonly editionIds: readonly string[];
  /** UPCs of editions when Spotify reported them. */
  readonly upcs: readonly string[];
  /** Followed artists whose scan found it (the primary artist, or featured ones via `appears_on`). */
  readonly foundVia: readonly string[];
  /** Watcher time (Unix ms) when the first edition was seen. */
  readonly discoveredAt: number;
}

/**
 * Where the watcher stands with one artist.
 *
 * @example
 * ```ts
 * const cursor = await store.getCursor(artistId);
 * if (cursor?.lastError) console.log(`failing since ${cursor.failures} scans: ${cursor.lastError.code}`);
 * ```
 */
export interface ArtistCursor {
  readonly artistId: string;
  /** Artist name, once known. */
  readonly name: string | null;
  /** Unix ms of the last successful scan, or null before the first. */
  readonly lastScannedAt: number | null;
  /** Newest edition seen per group at the last scan (album id), for inspection. */
  readonly newestSeen: Readonly<Partial<Record<ReleaseGroup, string>>>;
  /** The artist is due for a scan from this time (Unix ms). */
  readonly nextScanAt: number;
  /** Consecutive failed scans (0 after a success). */
  readonly failures: number;
  /** The last failure, cleared by a success. */
  readonly lastError: {
    readonly code: string;
    readonly message: string;
    readonly at: number;
  } | null;
}

/**
 * Which of a subscriber's Spotify data names the artists to watch.
 *
 * @example
 * ```ts
 * await watcher.upsertSubscriber({ id: 'u1', email: 'a@example.com', sources: { followed: true, savedAlbums: true } });
 * ```
 */
export interface SubscriberSources {
  /** Followed artists (`/me/following`). */
  readonly followed: boolean;
  /** Artists of saved tracks (`/me/tracks`). */
  readonly savedTracks: boolean;
  /** Artists of saved albums (`/me/albums`). */
  readonly savedAlbums: boolean;
}

/**
 * A person who receives digests.
 *
 * @example
 * ```ts
 * const subscriber = await watcher.upsertSubscriber({ id: 'u1', email: 'ada@example.com', timeZone: 'Asia/Tokyo' });
 * ```
 */
export interface Subscriber {
  readonly id: string;
  readonly email: string;
  readonly displayName: string | null;
  /** IANA time zone: releases count from local midnight of their date; dates render locally. */
  readonly timeZone: string;
  /** Days between digests. */
  readonly cadenceDays: number;
  readonly sources: SubscriberSources;
  /** Artist ids always watched for this subscriber. */
  readonly include: readonly string[];
  /** Artist ids never reported to this subscriber. */
  readonly exclude: readonly string[];
  /** Groups this subscriber wants (a subset of the watcher's groups). */
  readonly groups: readonly ReleaseGroup[];
  readonly createdAt: number;
  /**
   * Unix ms when the address was confirmed (double opt-in), or null while the confirmation is
   * pending: nothing is mailed before it. Subscribers added with `upsertSubscriber` are
   * confirmed when created; rows stored before this field existed count as confirmed.
   */
  readonly confirmedAt: number | null;
  /** When the last confirmation mail was sent (Unix ms), while pending; absent otherwise. */
  readonly confirmationSentAt?: number | null;
  /** Unix ms when the subscriber unsubscribed, or null. */
  readonly unsubscribedAt: number | null;
  /** End of the period of the last digest (the watermark), or null before the first. */
  readonly lastDigestAt: number | null;
}

/**
 * Lifecycle of a digest: `sending` (recorded, handed to the mailer), `sent`, `failed` (a
 * transient failure: retried unchanged by the next run), `empty` (nothing new: no mail) and
 * `rejected` (the mail server refused it for good, e.g. SMTP 5xx: never retried).
 *
 * @example
 * ```ts
 * const open = (await store.listDigests('u1')).filter((d) => d.status === 'failed');
 * ```
 */
export type DigestStatus = 'sending' | 'sent' | 'failed' | 'empty' | 'rejected';

/**
 * One digest for one subscriber: recorded before it is handed to the mailer.
 *
 * @example
 * ```ts
 * for (const digest of await store.listDigests('u1')) console.log(digest.id, digest.status, digest.releaseIds.length);
 * ```
 */
export interface Digest {
  /** Deterministic id (`userId:periodTo`); also the mail's idempotency key. */
  readonly id: string;
  readonly userId: string;
  readonly periodFrom: number;
  readonly periodTo: number;
  readonly releaseIds: readonly string[];
  readonly status: DigestStatus;
  readonly attempts: number;
  readonly createdAt: number;
  /** When the mailer last took the digest (lease against two senders). */
  readonly claimedAt: number | null;
  readonly sentAt: number | null;
  readonly lastError: string | null;
  /** The error code of the last failure (`MAIL_FAILED`, `MAIL_REJECTED`), when known. */
  readonly lastErrorCode?: string | null;
}

/**
 * One artist a sweep could not scan. It stays due and is retried by the next sweep.
 *
 * @example
 * ```ts
 * for (const failure of report.failures) console.log(failure.artistId, failure.code, failure.scope ?? '');
 * ```
 */
export interface SweepFailure {
  readonly artistId: string;
  /** The client's error code (`RATE_LIMITED`, `SERVER_ERROR`, `NETWORK`, ...). */
  readonly code: string;
  readonly message: string;
  /** For rate-limit failures: `window` or `quota`. */
  readonly scope?: 'window' | 'quota';
}

/**
 * Why a sweep ended.
 *
 * @example
 * ```ts
 * if (report.stoppedBy === 'rate_limited') scheduleAt(report.resumeAt ?? Date.now());
 * ```
 */
export type SweepStop = 'complete' | 'budget' | 'rate_limited' | 'aborted';

/**
 * What one sweep did; stored and returned.
 *
 * @example
 * ```ts
 * const report = await watcher.sweep();
 * console.log(`${report.artistsScanned}/${report.artistsDue} artists, ${report.calls} calls, ${report.failures.length} failed`);
 * ```
 */
export interface SweepReport {
  readonly id: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  /** Artists watched by at least one active subscriber. */
  readonly artistsWatched: number;
  /** Artists due at the start of the sweep. */
  readonly artistsDue: number;
  readonly artistsScanned: number;
  /** Due artists left for a later sweep (budget, or the sweep stopped). */
  readonly artistsDeferred: number;
  readonly failures: readonly SweepFailure[];
  /** New releases (folded) discovered. */
  readonly releasesFound: number;
  /** New editions attached to releases (market editions, clean versions). */
  readonly editionsFound: number;
  /** API requests the sweep made (pages). */
  readonly calls: number;
  /**
   * HTTP attempts the sweep made, retries included, counted for this sweep alone (other work on
   * the same client does not count); `calls` when the client cannot measure.
   */
  readonly httpAttempts: number;
  /** Calls the sweep was allowed (rate limit over the sweep duration, daily budget left). */
  readonly callBudget: number;
  readonly stoppedBy: SweepStop;
  /** With `rate_limited`: when Spotify accepts calls again (Unix ms). */
  readonly resumeAt: number | null;
}
