import type { MockServer } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryMailer,
  createMemoryReleaseStore,
  createReleaseWatcher,
} from '../src/index.js';
import { DAY, clientFor, mockWith } from './helpers.js';
import { assertExactlyOnce, scheduledWorld } from './scenario.js';

const unsubscribe = {
  secret: 'a-test-secret-of-32-characters!!',
  baseUrl: 'https://example.com/u',
};

describe('429 storms, 5xx and a daily quota', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await mockWith({ world: scheduledWorld(11), quota: { daily: 30 } });
  });
  afterAll(async () => {
    await mock.close();
  });

  it('lists failed artists, stops at the quota with resumeAt, and misses or doubles nothing', async () => {
    const mailer = createMemoryMailer();
    const watcher = createReleaseWatcher({
      store: createMemoryReleaseStore(),
      client: clientFor(mock, undefined, { retry: { retries: 2, minTimeout: 1, maxTimeout: 5 } }),
      clock: mock.controls.clock,
      artistIntervalMs: 2 * DAY,
      concurrency: 4,
    });
    const start = mock.controls.clock.now();
    for (const user of mock.world.users.values()) {
      await watcher.upsertSubscriber({
        id: user.id,
        email: user.email,
        timeZone: user.timezone,
        cadenceDays: 7,
      });
      await watcher.refreshSubscriberArtists(user.id, clientFor(mock, user.id));
    }
    const watched = await watcher.store.countWatchedArtists();
    expect(watched * 2).toBeGreaterThan(30); // one sweep needs more calls than the quota allows

    // Day 0: server errors on a third of album requests, a scripted burst of 429s, then the quota.
    mock.controls.faults.set({ errorRate: 0.35, statuses: [500, 502, 503], paths: /\/albums/ });
    mock.controls.faults.script(
      Array.from({ length: 6 }, () => ({ status: 429, retryAfterSeconds: 0 })),
    );
    const first = await watcher.sweep();
    expect(first.stoppedBy).toBe('rate_limited');
    expect(first.resumeAt).toBe(Math.floor(start / DAY) * DAY + DAY);
    expect(first.failures.some((f) => f.code === 'RATE_LIMITED' && f.scope === 'quota')).toBe(true);
    expect(first.artistsDeferred).toBeGreaterThan(0);
    expect(first.calls).toBeGreaterThan(0);
    const failedIds = first.failures.map((f) => f.artistId);
    for (const id of failedIds)
      expect((await watcher.store.getCursor(id))?.failures).toBeGreaterThan(0);

    // Before resumeAt a sweep makes no call.
    const early = await watcher.sweep();
    expect(early.calls).toBe(0);
    expect(early.stoppedBy).toBe('rate_limited');

    await watcher.sendDueDigests({ mailer, from: 'releases@example.com', unsubscribe });
    let lastSweep = start;
    let sawServerFailure = false;
    for (let day = 1; day <= 19; day++) {
      mock.controls.clock.set(Math.floor(start / DAY) * DAY + day * DAY + 3_600_000);
      if (day === 4) mock.controls.faults.clear();
      const report = await watcher.sweep();
      if (report.failures.some((f) => f.code === 'SERVER_ERROR')) sawServerFailure = true;
      // Every failed artist of the previous sweep is scanned first in this one.
      lastSweep = mock.controls.clock.now();
      await watcher.sendDueDigests({ mailer, from: 'releases@example.com', unsubscribe });
    }
    expect(sawServerFailure).toBe(true);
    // The last sweeps ran clean and complete.
    const [last] = await watcher.reports(1);
    expect(last?.failures).toEqual([]);
    const total = await assertExactlyOnce(watcher, mock, start, lastSweep);
    expect(total).toBeGreaterThanOrEqual(6);
  }, 90_000);
});
