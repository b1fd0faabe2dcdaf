import { describe, expect, it } from 'vitest';
import type { Digest, Release, ReleaseStore, Subscriber } from '../src/index.js';

const subscriber = (id: string, unsubscribedAt: number | null = null): Subscriber => ({
  id,
  email: `${id}@example.com`,
  displayName: null,
  timeZone: 'UTC',
  cadenceDays: 14,
  sources: { followed: true, savedTracks: false, savedAlbums: false },
  include: [],
  exclude: [],
  groups: ['album', 'single'],
  createdAt: 0,
  confirmedAt: 0,
  unsubscribedAt,
  lastDigestAt: null,
});

const release = (id: string, artistId: string, extra: Partial<Release> = {}): Release => ({
  id,
  foldKey: `${artistId}|album|${id}`,
  name: id,
  type: 'album',
  group: 'album',
  artists: [{ id: artistId, name: artistId }],
  releaseDate: '2026-11-06',
  releaseDatePrecision: 'day',
  imageUrl: null,
  url: `https://open.spotify.com/album/${id}`,
  totalTracks: 10,
  editionIds: [id],
  upcs: [],
  foundVia: [artistId],
  discoveredAt: 100,
  ...extra,
});

const digest = (id: string, userId: string, releaseIds: string[], createdAt: number): Digest => ({
  id,
  userId,
  periodFrom: 0,
  periodTo: createdAt,
  releaseIds,
  status: 'sending',
  attempts: 0,
  createdAt,
  claimedAt: createdAt,
  sentAt: null,
  lastError: null,
});

let run = 0;

/**
 * The contract every {@link ReleaseStore} must keep. `open` may hand out a shared store: every
 * test uses its own ids and compares counts before and after. `done` is called after each test.
 */
export function releaseStoreSuite(
  name: string,
  open: () => Promise<ReleaseStore>,
  done: (store: ReleaseStore) => Promise<void> = (store) => store.close(),
): void {
  describe(`${name} release store`, () => {
    it('tracks watched artists, due order and unsubscribed subscribers', async () => {
      const store = await open();
      run += 1;
      const p = (id: string) => `t${run}${id}`;
      const mine = (ids: string[]) => ids.filter((id) => id.startsWith(p('')));
      try {
        const watched0 = await store.countWatchedArtists();
        const due0 = await store.countDueArtists(15);
        await store.putSubscriber(subscriber(p('u1')));
        await store.putSubscriber(subscriber(p('u2')));
        await store.setSubscriberArtists(p('u1'), [p('b'), p('a'), p('c')], 10);
        await store.setSubscriberArtists(p('u2'), [p('c'), p('d')], 20);
        expect(await store.getSubscriberArtists(p('u1'))).toEqual([p('a'), p('b'), p('c')]);
        expect((await store.countWatchedArtists()) - watched0).toBe(4);
        expect((await store.countDueArtists(15)) - due0).toBe(3);
        const cursorB = await store.getCursor(p('b'));
        expect(cursorB?.nextScanAt).toBe(10);
        expect(cursorB?.lastScannedAt).toBeNull();
        await store.putCursor({
          ...(cursorB as NonNullable<typeof cursorB>),
          failures: 1,
          nextScanAt: 12,
        });
        const due = async (limit: number) =>
          mine((await store.listDueArtists(100, limit)).map((c) => c.artistId));
        expect(await due(10_000)).toEqual([p('b'), p('a'), p('c'), p('d')]);
        expect((await store.listDueArtists(100, 1))[0]?.failures).toBeGreaterThan(0);
        // An unsubscribed subscriber's artists are no longer watched; a re-set keeps cursors.
        await store.putSubscriber(subscriber(p('u2'), 50));
        expect((await store.countWatchedArtists()) - watched0).toBe(3);
        await store.setSubscriberArtists(p('u1'), [p('a')], 30);
        expect(await due(10_000)).toEqual([p('a')]);
        expect((await store.getCursor(p('b')))?.failures).toBe(1);
      } finally {
        await done(store);
      }
    });

    it('commits scans atomically and finds releases by fold key, edition and artist', async () => {
      const store = await open();
      try {
        await store.putSubscriber(subscriber('u1'));
        await store.setSubscriberArtists('u1', ['a'], 0);
        const cursor = (await store.getCursor('a')) as NonNullable<
          Awaited<ReturnType<ReleaseStore['getCursor']>>
        >;
        const r1 = release('r1', 'a', { editionIds: ['r1', 'r1jp'], foundVia: ['a', 'z'] });
        await store.commitScan({
          cursor: { ...cursor, lastScannedAt: 5, nextScanAt: 500 },
          editions: [
            { artistId: 'a', albumId: 'r1', releaseId: 'r1' },
            { artistId: 'a', albumId: 'r1jp', releaseId: 'r1' },
            { artistId: 'a', albumId: 'old', releaseId: null },
          ],
          releases: [r1],
        });
        expect(await store.getSeenEditions('a')).toEqual(new Set(['r1', 'r1jp', 'old']));
        expect((await store.getCursor('a'))?.nextScanAt).toBe(500);
        expect(await store.findReleases({ foldKeys: [r1.foldKey], editionIds: [] })).toEqual([r1]);
        expect(await store.findReleases({ foldKeys: [], editionIds: ['r1jp'] })).toEqual([r1]);
        expect(await store.findReleases({ foldKeys: ['x'], editionIds: ['y'] })).toEqual([]);
        expect(await store.listReleasesForArtists(['z'])).toEqual([r1]);
        const r2 = release('r2', 'a', { discoveredAt: 50 });
        await store.commitScan({
          cursor: { ...cursor, nextScanAt: 900 },
          editions: [],
          releases: [r2, { ...r1, name: 'renamed' }],
        });
        expect((await store.listReleasesForArtists(['a'])).map((r) => [r.id, r.name])).toEqual([
          ['r2', 'r2'],
          ['r1', 'renamed'],
        ]);
        expect((await store.getReleases(['r1', 'missing', 'r2'])).map((r) => r.id)).toEqual([
          'r1',
          'r2',
        ]);
      } finally {
        await done(store);
      }
    });

    it('records digests with their deliveries and refuses a second delivery', async () => {
      const store = await open();
      try {
        await store.createDigest(digest('d1', 'u1', ['r1', 'r2'], 10));
        expect(await store.getDeliveredReleaseIds('u1')).toEqual(new Set(['r1', 'r2']));
        expect((await store.getOpenDigest('u1'))?.id).toBe('d1');
        await expect(
          store.createDigest(digest('d2', 'u1', ['r2', 'r3'], 20)),
        ).rejects.toMatchObject({
          code: 'STORE_FAILURE',
        });
        // Nothing of the refused digest remains.
        expect(await store.getDeliveredReleaseIds('u1')).toEqual(new Set(['r1', 'r2']));
        expect((await store.listDigests('u1')).map((d) => d.id)).toEqual(['d1']);
        await store.updateDigest({
          ...digest('d1', 'u1', ['r1', 'r2'], 10),
          status: 'sent',
          sentAt: 11,
        });
        expect(await store.getOpenDigest('u1')).toBeNull();
        expect((await store.listDigests('u1'))[0]?.status).toBe('sent');
        await expect(store.updateDigest(digest('nope', 'u1', [], 1))).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
      } finally {
        await done(store);
      }
    });

    it('keeps pending confirmations and deletes every row of a subscriber', async () => {
      const store = await open();
      run += 1;
      const p = (id: string) => `d${run}${id}`;
      try {
        await store.putSubscriber({ ...subscriber(p('u1')), confirmedAt: null });
        expect((await store.getSubscriber(p('u1')))?.confirmedAt).toBeNull();
        await store.putSubscriber({ ...subscriber(p('u1')), confirmedAt: 42 });
        expect((await store.getSubscriber(p('u1')))?.confirmedAt).toBe(42);
        await store.putSubscriber(subscriber(p('u2')));
        await store.setSubscriberArtists(p('u1'), [p('a')], 0);
        await store.setSubscriberArtists(p('u2'), [p('a')], 0);
        const cursor = (await store.getCursor(p('a'))) as NonNullable<
          Awaited<ReturnType<ReleaseStore['getCursor']>>
        >;
        await store.commitScan({
          cursor: { ...cursor, lastScannedAt: 1 },
          editions: [{ artistId: p('a'), albumId: p('r'), releaseId: p('r') }],
          releases: [release(p('r'), p('a'))],
        });
        await store.createDigest(digest(p('g1'), p('u1'), [p('r')], 10));
        await store.createDigest(digest(p('g2'), p('u2'), [p('r')], 10));
        const watched = await store.countWatchedArtists();

        expect(await store.deleteSubscriber(p('u1'))).toBe(true);
        expect(await store.getSubscriber(p('u1'))).toBeNull();
        expect(await store.getSubscriberArtists(p('u1'))).toEqual([]);
        expect(await store.listDigests(p('u1'))).toEqual([]);
        expect(await store.getOpenDigest(p('u1'))).toBeNull();
        expect(await store.getDeliveredReleaseIds(p('u1'))).toEqual(new Set());
        // Another subscriber's rows, shared cursors and releases stay.
        expect((await store.listDigests(p('u2'))).map((d) => d.id)).toEqual([p('g2')]);
        expect(await store.getSubscriberArtists(p('u2'))).toEqual([p('a')]);
        expect(await store.countWatchedArtists()).toBe(watched);
        expect((await store.getReleases([p('r')])).map((r) => r.id)).toEqual([p('r')]);
        // The same release can be delivered again to a new account with the same id.
        await store.putSubscriber(subscriber(p('u1')));
        await store.createDigest(digest(p('g3'), p('u1'), [p('r')], 20));
        expect(await store.deleteSubscriber(p('u1'))).toBe(true);
        expect(await store.deleteSubscriber(p('u1'))).toBe(false);
        expect(await store.deleteSubscriber(p('u2'))).toBe(true);
      } finally {
        await done(store);
      }
    });

    it('keeps reports newest first and metadata', async () => {
      const store = await open();
      try {
        for (const id of ['s1', 's2', 's3']) {
          await store.saveReport({
            id,
            startedAt: 0,
            finishedAt: 0,
            artistsWatched: 0,
            artistsDue: 0,
            artistsScanned: 0,
            artistsDeferred: 0,
            failures: [],
            releasesFound: 0,
            editionsFound: 0,
            calls: 0,
            httpAttempts: 0,
            callBudget: 0,
            stoppedBy: 'complete',
            resumeAt: null,
          });
        }
        expect((await store.listReports(2)).map((r) => r.id)).toEqual(['s3', 's2']);
        expect(await store.getMeta('k')).toBeNull();
        await store.setMeta('k', { n: 1 });
        await store.setMeta('k', 5);
        expect(await store.getMeta('k')).toBe(5);
      } finally {
        await done(store);
      }
    });
  });
}
