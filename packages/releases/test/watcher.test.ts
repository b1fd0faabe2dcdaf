import { createMemoryStore } from '@spoti/catalog';
import { createWorld, type MockServer } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type MailMessage,
  createMemoryMailer,
  type ReleaseStore,
  createMemoryReleaseStore,
  createReleaseWatcher,
  isReleasesError,
} from '../src/index.js';
import { DAY, addRelease, clientFor, isoDate, mockWith } from './helpers.js';

const unsubscribe = {
  secret: 'a-test-secret-of-32-characters!!',
  baseUrl: 'https://example.com/u',
};
const from = 'releases@example.com';

let mock: MockServer;
let artists: string[];
let featured: string;
beforeAll(async () => {
  const world = createWorld({ seed: 5, size: 'tiny', users: 2, artists: 40, historyDays: 3 });
  artists = [...world.artists.keys()].sort().slice(0, 6);
  featured = [...world.artists.keys()].sort()[10] as string;
  const day = Math.floor(world.startTimeMs / DAY) * DAY;
  // A Friday release (2026-11-06) of artists[0], with a clean version and a Japanese edition.
  addRelease(world, {
    artistIds: [artists[0] as string],
    name: 'Friday Album',
    releaseDate: '2026-11-06',
    cleanVersion: true,
    japanEdition: true,
  });
  // artists[1] releases with a featured artist (appears_on for `featured`).
  addRelease(world, {
    artistIds: [artists[1] as string, featured],
    name: 'Duet',
    type: 'single',
    releaseDate: isoDate(day - 2 * DAY),
  });
  mock = await mockWith({ world });
});
afterAll(async () => {
  await mock.close();
});

function watcherOn(store: ReleaseStore = createMemoryReleaseStore(), extra: object = {}) {
  return createReleaseWatcher({
    store,
    client: clientFor(mock),
    clock: mock.controls.clock,
    ...extra,
  });
}

describe('sweeps', () => {
  it('costs calls per unique artist, not per follower, and is incremental', async () => {
    mock.controls.reset();
    const watcher = watcherOn();
    for (const id of ['u1', 'u2', 'u3']) {
      await watcher.upsertSubscriber({ id, email: `${id}@example.com` });
      await watcher.setSubscriberArtists(id, artists);
    }
    const first = await watcher.sweep();
    expect(first.artistsWatched).toBe(6);
    expect(first.artistsScanned).toBe(6);
    expect(first.calls).toBe(12); // 6 artists x 2 groups, whatever the number of followers
    expect(first.httpAttempts).toBe(12);
    expect(mock.controls.requests.counts()['GET /v1/artists/{id}/albums']).toBe(12);
    // Nothing is due again before the artist interval.
    const again = await watcher.sweep();
    expect(again.calls).toBe(0);
    expect(again.stoppedBy).toBe('complete');
    mock.controls.clock.advance(DAY);
    expect((await watcher.sweep()).artistsScanned).toBe(6);
  });

  it('keeps within the call budget and carries the rest over', async () => {
    mock.controls.reset();
    const watcher = watcherOn(createMemoryReleaseStore(), { budget: { maxCallsPerSweep: 5 } });
    await watcher.upsertSubscriber({ id: 'u1', email: 'u1@example.com' });
    await watcher.setSubscriberArtists('u1', artists);
    const first = await watcher.sweep();
    expect(first.callBudget).toBe(5);
    expect(first.artistsScanned).toBe(2);
    expect(first.calls).toBeLessThanOrEqual(5);
    expect(first.artistsDeferred).toBe(4);
    expect(first.stoppedBy).toBe('budget');
    const second = await watcher.sweep();
    expect(second.artistsScanned).toBe(2);
    const third = await watcher.sweep();
    expect(third.artistsScanned).toBe(2);
    expect(third.stoppedBy).toBe('complete');
    expect(await watcher.store.countDueArtists(mock.controls.clock.now())).toBe(0);
  });

  it('folds market editions and clean versions into one release', async () => {
    mock.controls.reset();
    const watcher = watcherOn();
    await watcher.upsertSubscriber({ id: 'u1', email: 'u1@example.com' });
    await watcher.setSubscriberArtists('u1', [artists[0] as string]);
    mock.controls.clock.set(Date.UTC(2026, 10, 6, 12));
    await watcher.sweep();
    const releases = await watcher.store.listReleasesForArtists([artists[0] as string]);
    const friday = releases.filter((r) => r.name === 'Friday Album');
    expect(friday).toHaveLength(1);
    expect(friday[0]?.editionIds).toHaveLength(3);
  });

  it('mirrors new editions into a catalog store', async () => {
    mock.controls.reset();
    mock.controls.clock.set(Date.UTC(2026, 10, 6, 12));
    const catalog = createMemoryStore();
    const watcher = watcherOn(createMemoryReleaseStore(), { catalog });
    await watcher.upsertSubscriber({ id: 'u1', email: 'u1@example.com' });
    await watcher.setSubscriberArtists('u1', [artists[0] as string]);
    await watcher.sweep();
    const [friday] = (await watcher.store.listReleasesForArtists([artists[0] as string])).filter(
      (r) => r.name === 'Friday Album',
    );
    for (const id of friday?.editionIds ?? []) {
      const album = await catalog.getAlbum(id);
      expect(album?.releaseDate).toBe('2026-11-06');
      expect(album?.artistIds).toEqual([artists[0]]);
    }
    expect(friday?.editionIds.length).toBe(3);
  });

  it('validates options and subscribers with named fields', async () => {
    expect(() =>
      createReleaseWatcher({
        store: createMemoryReleaseStore(),
        client: clientFor(mock),
        horizonDays: 0,
      }),
    ).toThrow(/horizonDays/);
    expect(() =>
      createReleaseWatcher({ store: {} as ReleaseStore, client: clientFor(mock) }),
    ).toThrow(/store must implement/);
    const watcher = watcherOn();
    await expect(watcher.upsertSubscriber({ id: 'u1', email: 'not-an-email' })).rejects.toThrow(
      /email/,
    );
    await expect(
      watcher.upsertSubscriber({ id: 'u1', email: 'a@example.com', timeZone: 'Mars/Olympus' }),
    ).rejects.toThrow(/timeZone: an IANA time zone/);
    await expect(watcher.setSubscriberArtists('nobody', [])).rejects.toSatisfy(
      (e) => isReleasesError(e) && e.code === 'NOT_FOUND',
    );
  });
});

describe('digests', () => {
  async function prepared(timeZone = 'UTC') {
    mock.controls.reset();
    mock.controls.clock.set(Date.UTC(2026, 10, 6, 12));
    const watcher = watcherOn();
    await watcher.upsertSubscriber({
      id: 'u1',
      email: 'u1@example.com',
      timeZone,
      displayName: 'Ada',
    });
    await watcher.setSubscriberArtists('u1', artists);
    await watcher.sweep();
    return watcher;
  }

  it('retries a refused digest unchanged and sends it once', async () => {
    const watcher = await prepared();
    const mailer = createMemoryMailer();
    mailer.failNext(1);
    const first = await watcher.sendDueDigests({ mailer, from, unsubscribe });
    expect(first.failed).toHaveLength(1);
    expect(mailer.sent).toHaveLength(0);
    const [failed] = await watcher.store.listDigests('u1');
    expect(failed?.status).toBe('failed');
    expect(failed?.releaseIds.length).toBeGreaterThan(0);
    mock.controls.clock.advance(60_000);
    const second = await watcher.sendDueDigests({ mailer, from, unsubscribe });
    expect(second.sent.map((s) => s.digestId)).toEqual([failed?.id]);
    await watcher.sendDueDigests({ mailer, from, unsubscribe });
    expect(mailer.sent).toHaveLength(1);
    const digests = await watcher.store.listDigests('u1');
    expect(digests.map((d) => d.status)).toEqual(['sent']);
    expect(digests[0]?.attempts).toBe(2);
    const text = (mailer.sent[0] as MailMessage).text;
    expect(text).toContain('Friday Album (Album, Fri, 6 Nov 2026)');
    expect(text).toContain('Duet (Single');
  });

  it('never marks a digest sent when the process died before the mailer took it, and never sends twice', async () => {
    const watcher = await prepared();
    const store = watcher.store;
    // A crash right after the digest was recorded, before the mailer was called.
    const crashing = createMemoryMailer();
    const dying = {
      send: async () => {
        throw new Error('process killed');
      },
    };
    await watcher.sendDueDigests({ mailer: dying, from, unsubscribe });
    const [digest] = await store.listDigests('u1');
    expect(digest?.status).toBe('failed');
    // A digest left "sending" by a crash after the mailer accepted it: resolved through wasSent.
    await store.updateDigest({
      ...(digest as NonNullable<typeof digest>),
      status: 'sending',
      claimedAt: mock.controls.clock.now(),
    });
    await crashing.send({
      id: digest?.id ?? '',
      to: 'u1@example.com',
      from,
      subject: 's',
      html: '',
      text: '',
      headers: {},
    });
    const held = await watcher.sendDueDigests({ mailer: crashing, from, unsubscribe });
    expect(held.skipped).toEqual(['u1']); // another sender's lease is still running
    mock.controls.clock.advance(11 * 60_000);
    const resolved = await watcher.sendDueDigests({ mailer: crashing, from, unsubscribe });
    expect(resolved.sent).toHaveLength(1);
    expect(crashing.sent).toHaveLength(1);
    expect((await store.listDigests('u1'))[0]?.status).toBe('sent');
  });

  it('respects the cadence, the time zone, exclusions and unsubscribe links', async () => {
    const watcher = await prepared('America/Los_Angeles');
    // 12:00 UTC on Friday 6 Nov is 04:00 in Los Angeles: the Friday album is out there.
    const pendingLa = await watcher.pendingReleases('u1');
    expect(pendingLa.map((p) => p.release.name)).toContain('Friday Album');
    // At 07:00 UTC it is still Thursday in Los Angeles.
    const early = await watcher.pendingReleases('u1', { now: Date.UTC(2026, 10, 6, 7) });
    expect(early.map((p) => p.release.name)).not.toContain('Friday Album');
    await watcher.upsertSubscriber({
      id: 'u1',
      email: 'u1@example.com',
      timeZone: 'America/Los_Angeles',
      exclude: [artists[0] as string],
    });
    await watcher.setSubscriberArtists('u1', artists);
    expect((await watcher.pendingReleases('u1')).map((p) => p.release.name)).not.toContain(
      'Friday Album',
    );

    const mailer = createMemoryMailer();
    await watcher.sendDueDigests({ mailer, from, unsubscribe });
    expect(mailer.sent).toHaveLength(1);
    mock.controls.clock.advance(3 * DAY);
    expect((await watcher.sendDueDigests({ mailer, from, unsubscribe })).sent).toHaveLength(0); // cadence 14 days
    const link = (mailer.sent[0] as MailMessage).headers['List-Unsubscribe'] ?? '';
    const token = new URL(link.slice(1, -1)).searchParams.get('token') ?? '';
    const unsubscribed = await watcher.unsubscribe(token, unsubscribe.secret);
    expect(unsubscribed.unsubscribedAt).not.toBeNull();
    mock.controls.clock.advance(30 * DAY);
    expect((await watcher.sendDueDigests({ mailer, from, unsubscribe })).sent).toHaveLength(0);
    expect(await watcher.store.countWatchedArtists()).toBe(0);
    await expect(watcher.unsubscribe(`${token}x`, unsubscribe.secret)).rejects.toThrow(/not valid/);
  });

  it('holds the first digest until every artist was scanned once', async () => {
    mock.controls.reset();
    mock.controls.clock.set(Date.UTC(2026, 10, 6, 12));
    const watcher = watcherOn();
    await watcher.upsertSubscriber({ id: 'u1', email: 'u1@example.com' });
    await watcher.setSubscriberArtists('u1', artists);
    const mailer = createMemoryMailer();
    const early = await watcher.sendDueDigests({ mailer, from, unsubscribe });
    expect(early.skipped).toEqual(['u1']);
    expect(await watcher.store.listDigests('u1')).toEqual([]);
    await watcher.sweep();
    const first = await watcher.sendDueDigests({ mailer, from, unsubscribe });
    expect(first.sent).toHaveLength(1);
    expect(mailer.sent[0]?.text).toContain('Friday Album');
  });

  it('reports appears_on releases only to subscribers who ask for them', async () => {
    mock.controls.reset();
    const watcher = watcherOn(createMemoryReleaseStore(), {
      groups: ['album', 'single', 'appears_on'],
    });
    await watcher.upsertSubscriber({
      id: 'fan',
      email: 'fan@example.com',
      groups: ['album', 'single', 'appears_on'],
    });
    await watcher.upsertSubscriber({
      id: 'purist',
      email: 'purist@example.com',
      groups: ['album', 'single'],
    });
    await watcher.setSubscriberArtists('fan', [featured]);
    await watcher.setSubscriberArtists('purist', [featured]);
    await watcher.sweep();
    const fan = await watcher.pendingReleases('fan');
    expect(fan.map((p) => [p.release.name, p.group])).toContainEqual(['Duet', 'appears_on']);
    expect((await watcher.pendingReleases('purist')).map((p) => p.release.name)).not.toContain(
      'Duet',
    );
  });
});
