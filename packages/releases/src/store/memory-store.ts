import type { ArtistCursor, Digest, Release, Subscriber, SweepReport } from '../domain/types.js';
import { ReleasesError } from '../errors/releases-error.js';
import type { ReleaseStore, ScanCommit } from './release-store.js';

/** A fresh cursor for an artist never scanned, due at `now`. */
export function newCursor(artistId: string, now: number): ArtistCursor {
  return {
    artistId,
    name: null,
    lastScannedAt: null,
    newestSeen: {},
    nextScanAt: now,
    failures: 0,
    lastError: null,
  };
}

/** Orders due cursors: failed first, then by due time, then by id. */
export function compareDue(a: ArtistCursor, b: ArtistCursor): number {
  const fa = a.failures > 0 ? 0 : 1;
  const fb = b.failures > 0 ? 0 : 1;
  return (
    fa - fb ||
    a.nextScanAt - b.nextScanAt ||
    (a.artistId < b.artistId ? -1 : a.artistId > b.artistId ? 1 : 0)
  );
}

const clone = <T>(value: T): T => structuredClone(value);

class MemoryReleaseStore implements ReleaseStore {
  readonly backend = 'memory' as const;
  readonly #subscribers = new Map<string, Subscriber>();
  readonly #subscriberArtists = new Map<string, Set<string>>();
  /** artist -> subscribers watching it. */
  readonly #watchers = new Map<string, Set<string>>();
  readonly #cursors = new Map<string, ArtistCursor>();
  readonly #seen = new Map<string, Set<string>>();
  readonly #releases = new Map<string, Release>();
  readonly #byFoldKey = new Map<string, Set<string>>();
  readonly #byEdition = new Map<string, string>();
  readonly #byArtist = new Map<string, Set<string>>();
  readonly #digests = new Map<string, Digest>();
  readonly #delivered = new Map<string, Set<string>>();
  readonly #reports: SweepReport[] = [];
  readonly #meta = new Map<string, unknown>();

  async putSubscriber(subscriber: Subscriber): Promise<void> {
    this.#subscribers.set(subscriber.id, clone(subscriber));
  }
  async getSubscriber(id: string): Promise<Subscriber | null> {
    const s = this.#subscribers.get(id);
    return s === undefined ? null : clone(s);
  }
  async listSubscribers(): Promise<Subscriber[]> {
    return [...this.#subscribers.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(clone);
  }
  async setSubscriberArtists(
    userId: string,
    artistIds: readonly string[],
    now: number,
  ): Promise<void> {
    const next = new Set(artistIds);
    const previous = this.#subscriberArtists.get(userId) ?? new Set<string>();
    for (const id of previous) if (!next.has(id)) this.#watchers.get(id)?.delete(userId);
    for (const id of next) {
      let set = this.#watchers.get(id);
      if (set === undefined) {
        set = new Set();
        this.#watchers.set(id, set);
      }
      set.add(userId);
      if (!this.#cursors.has(id)) this.#cursors.set(id, newCursor(id, now));
    }
    this.#subscriberArtists.set(userId, next);
  }
  async getSubscriberArtists(userId: string): Promise<string[]> {
    return [...(this.#subscriberArtists.get(userId) ?? [])].sort();
  }

  async deleteSubscriber(userId: string): Promise<boolean> {
    const existed = this.#subscribers.delete(userId);
    for (const id of this.#subscriberArtists.get(userId) ?? [])
      this.#watchers.get(id)?.delete(userId);
    this.#subscriberArtists.delete(userId);
    for (const [id, digest] of this.#digests)
      if (digest.userId === userId) this.#digests.delete(id);
    this.#delivered.delete(userId);
    return existed;
  }

  #isWatched(artistId: string): boolean {
    for (const userId of this.#watchers.get(artistId) ?? []) {
      const s = this.#subscribers.get(userId);
      if (s !== undefined && s.unsubscribedAt === null) return true;
    }
    return false;
  }
  async countWatchedArtists(): Promise<number> {
    let n = 0;
    for (const id of this.#cursors.keys()) if (this.#isWatched(id)) n++;
    return n;
  }
  #due(now: number): ArtistCursor[] {
    const out: ArtistCursor[] = [];
    for (const cursor of this.#cursors.values())
      if (cursor.nextScanAt <= now && this.#isWatched(cursor.artistId)) out.push(cursor);
    return out;
  }
  async listDueArtists(now: number, limit: number): Promise<ArtistCursor[]> {
    return this.#due(now).sort(compareDue).slice(0, Math.max(0, limit)).map(clone);
  }
  async countDueArtists(now: number): Promise<number> {
    return this.#due(now).length;
  }
  async getCursor(artistId: string): Promise<ArtistCursor | null> {
    const c = this.#cursors.get(artistId);
    return c === undefined ? null : clone(c);
  }
  async putCursor(cursor: ArtistCursor): Promise<void> {
    this.#cursors.set(cursor.artistId, clone(cursor));
  }
  async getSeenEditions(artistId: string): Promise<Set<string>> {
    return new Set(this.#seen.get(artistId) ?? []);
  }
  async findReleases(query: {
    readonly foldKeys: readonly string[];
    readonly editionIds: readonly string[];
  }): Promise<Release[]> {
    const ids = new Set<string>();
    for (const key of query.foldKeys) for (const id of this.#byFoldKey.get(key) ?? []) ids.add(id);
    for (const e of query.editionIds) {
      const id = this.#byEdition.get(e);
      if (id !== undefined) ids.add(id);
    }
    return [...ids].sort().map((id) => clone(this.#releases.get(id) as Release));
  }
  async commitScan(commit: ScanCommit): Promise<void> {
    for (const release of commit.releases) {
      const old = this.#releases.get(release.id);
      if (old !== undefined) {
        this.#byFoldKey.get(old.foldKey)?.delete(old.id);
      }
      this.#releases.set(release.id, clone(release));
      const keys = this.#byFoldKey.get(release.foldKey) ?? new Set<string>();
      keys.add(release.id);
      this.#byFoldKey.set(release.foldKey, keys);
      for (const e of release.editionIds) this.#byEdition.set(e, release.id);
      for (const a of [...release.foundVia, ...release.artists.map((x) => x.id)]) {
        const set = this.#byArtist.get(a) ?? new Set<string>();
        set.add(release.id);
        this.#byArtist.set(a, set);
      }
    }
    for (const e of commit.editions) {
      const set = this.#seen.get(e.artistId) ?? new Set<string>();
      set.add(e.albumId);
      this.#seen.set(e.artistId, set);
    }
    this.#cursors.set(commit.cursor.artistId, clone(commit.cursor));
  }
  async listReleasesForArtists(artistIds: readonly string[]): Promise<Release[]> {
    const ids = new Set<string>();
    for (const a of artistIds) for (const id of this.#byArtist.get(a) ?? []) ids.add(id);
    return [...ids]
      .map((id) => this.#releases.get(id) as Release)
      .sort((a, b) => a.discoveredAt - b.discoveredAt || (a.id < b.id ? -1 : 1))
      .map(clone);
  }
  async getReleases(ids: readonly string[]): Promise<Release[]> {
    return ids.flatMap((id) => {
      const r = this.#releases.get(id);
      return r === undefined ? [] : [clone(r)];
    });
  }

  async getOpenDigest(userId: string): Promise<Digest | null> {
    const open = [...this.#digests.values()]
      .filter((d) => d.userId === userId && (d.status === 'sending' || d.status === 'failed'))
      .sort((a, b) => a.createdAt - b.createdAt);
    return open[0] === undefined ? null : clone(open[0]);
  }
  async createDigest(digest: Digest): Promise<void> {
    if (this.#digests.has(digest.id)) {
      throw new ReleasesError({
        code: 'STORE_FAILURE',
        message: `Digest ${digest.id} already exists`,
      });
    }
    const delivered = this.#delivered.get(digest.userId) ?? new Set<string>();
    for (const id of digest.releaseIds) {
      if (delivered.has(id)) {
        throw new ReleasesError({
          code: 'STORE_FAILURE',
          message: `Release ${id} was already delivered to ${digest.userId}`,
        });
      }
    }
    for (const id of digest.releaseIds) delivered.add(id);
    this.#delivered.set(digest.userId, delivered);
    this.#digests.set(digest.id, clone(digest));
  }
  async updateDigest(digest: Digest): Promise<void> {
    if (!this.#digests.has(digest.id))
      throw new ReleasesError({ code: 'NOT_FOUND', message: `No digest ${digest.id}` });
    this.#digests.set(digest.id, clone(digest));
  }
  async listDigests(userId: string): Promise<Digest[]> {
    return [...this.#digests.values()]
      .filter((d) => d.userId === userId)
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map(clone);
  }
  async getDeliveredReleaseIds(userId: string): Promise<Set<string>> {
    return new Set(this.#delivered.get(userId) ?? []);
  }

  async saveReport(report: SweepReport): Promise<void> {
    this.#reports.push(clone(report));
  }
  async listReports(limit: number): Promise<SweepReport[]> {
    return this.#reports.slice(-Math.max(0, limit)).reverse().map(clone);
  }
  async getMeta(key: string): Promise<unknown> {
    return this.#meta.has(key) ? clone(this.#meta.get(key)) : null;
  }
  async setMeta(key: string, value: unknown): Promise<void> {
    this.#meta.set(key, clone(value));
  }
  async close(): Promise<void> {}
}

/**
 * A {@link ReleaseStore} in memory, for tests, demos and single-run scripts.
 *
 * @example
 * ```ts
 * const watcher = createReleaseWatcher({ store: createMemoryReleaseStore(), client });
 * ```
 */
export function createMemoryReleaseStore(): ReleaseStore {
  return new MemoryReleaseStore();
}
