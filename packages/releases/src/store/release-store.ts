import type { ArtistCursor, Digest, Release, Subscriber, SweepReport } from '../domain/types.js';

/**
 * One edition the watcher has seen for an artist, and the release it folded into (null: back catalogue).
 *
 * @example
 * ```ts
 * const seen: SeenEdition = { artistId: 'a1', albumId: 'x1', releaseId: null };
 * ```
 */
export interface SeenEdition {
  readonly artistId: string;
  readonly albumId: string;
  readonly releaseId: string | null;
}

/**
 * Everything one successful artist scan writes, atomically.
 *
 * @example
 * ```ts
 * await store.commitScan({ cursor, editions: [], releases: [] });
 * ```
 */
export interface ScanCommit {
  readonly cursor: ArtistCursor;
  readonly editions: readonly SeenEdition[];
  /** New releases and releases that gained editions or `foundVia` artists. */
  readonly releases: readonly Release[];
}

/**
 * Persistence of the watcher's state: subscribers and the artists they watch, per-artist cursors
 * and seen editions, folded releases, digests with their deliveries, sweep reports and a little
 * metadata (daily call usage, quota resume time).
 *
 * Guarantees, identical in every implementation:
 * - `commitScan` is atomic: a cursor never advances without the editions and releases it found;
 * - `createDigest` records the digest and its deliveries together, so a release is delivered to a
 *   subscriber by at most one digest;
 * - listing order is deterministic (documented per method).
 *
 * @example
 * ```ts
 * const store: ReleaseStore = process.env.DATABASE_URL
 *   ? await createPostgresReleaseStore({ connectionString: process.env.DATABASE_URL })
 *   : createMemoryReleaseStore();
 * ```
 */
export interface ReleaseStore {
  /** Which backend this is. */
  readonly backend: 'memory' | 'pglite' | 'postgres';

  /** Inserts or replaces a subscriber by id. */
  putSubscriber(subscriber: Subscriber): Promise<void>;
  /** A subscriber by id, or null. */
  getSubscriber(id: string): Promise<Subscriber | null>;
  /** Every subscriber, by id. */
  listSubscribers(): Promise<Subscriber[]>;
  /** Replaces the artists a subscriber watches; new artists get a cursor due at `now`. */
  setSubscriberArtists(userId: string, artistIds: readonly string[], now: number): Promise<void>;
  /** The artists a subscriber watches, sorted. */
  getSubscriberArtists(userId: string): Promise<string[]>;
  /**
   * Deletes every row of a subscriber (account deletion): the subscriber, their artists, digests
   * and deliveries, atomically. Artists' cursors and releases are shared and stay. Returns false
   * when there was no such subscriber.
   */
  deleteSubscriber(userId: string): Promise<boolean>;

  /** Artists watched by at least one subscriber who has not unsubscribed. */
  countWatchedArtists(): Promise<number>;
  /**
   * Watched artists due at `now` (`nextScanAt <= now`): failed ones first, then by `nextScanAt`,
   * then by id; at most `limit`.
   */
  listDueArtists(now: number, limit: number): Promise<ArtistCursor[]>;
  /** Number of watched artists due at `now`. */
  countDueArtists(now: number): Promise<number>;
  /** An artist's cursor, or null. */
  getCursor(artistId: string): Promise<ArtistCursor | null>;
  /** Replaces a cursor (used to record failures). */
  putCursor(cursor: ArtistCursor): Promise<void>;
  /** Album ids already seen for an artist. */
  getSeenEditions(artistId: string): Promise<Set<string>>;
  /** Releases with any of these fold keys, or holding any of these edition ids. */
  findReleases(query: {
    readonly foldKeys: readonly string[];
    readonly editionIds: readonly string[];
  }): Promise<Release[]>;
  /** Writes one artist's scan atomically. */
  commitScan(commit: ScanCommit): Promise<void>;
  /** Releases found via (or by) any of these artists, by `discoveredAt` then id. */
  listReleasesForArtists(artistIds: readonly string[]): Promise<Release[]>;
  /** Releases by id, in the order asked (missing ids skipped). */
  getReleases(ids: readonly string[]): Promise<Release[]>;

  /** The subscriber's digest that is not finished (`sending` or `failed`), or null. */
  getOpenDigest(userId: string): Promise<Digest | null>;
  /**
   * Records a digest and marks its releases delivered to the subscriber, atomically.
   * @throws ReleasesError `STORE_FAILURE` when the id exists or a release was already delivered.
   */
  createDigest(digest: Digest): Promise<void>;
  /** Replaces a digest's status fields. */
  updateDigest(digest: Digest): Promise<void>;
  /** A subscriber's digests, oldest first. */
  listDigests(userId: string): Promise<Digest[]>;
  /** Release ids already delivered to the subscriber. */
  getDeliveredReleaseIds(userId: string): Promise<Set<string>>;

  /** Keeps a sweep report. */
  saveReport(report: SweepReport): Promise<void>;
  /** The latest reports, newest first. */
  listReports(limit: number): Promise<SweepReport[]>;
  /** A metadata value, or null. */
  getMeta(key: string): Promise<unknown>;
  /** Sets a metadata value (JSON). */
  setMeta(key: string, value: unknown): Promise<void>;

  /** Releases resources. */
  close(): Promise<void>;
}
