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
describe('ground truth over simulated weeks', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await mockWith({ world: scheduledWorld(7) });
  });
  afterAll(async () => {
    await mock.close();
  });

  it('gives every subscriber each new release of the artists they follow exactly once', async () => {
    const mailer = createMemoryMailer();
    const watcher = createReleaseWatcher({
      store: createMemoryReleaseStore(),
      client: clientFor(mock),
      clock: mock.controls.clock,
      artistIntervalMs: 3 * DAY - 60_000,
      concurrency: 8,
    });
    const users = [...mock.world.users.values()];
    const start = mock.controls.clock.now();
    for (const user of users) {
      await watcher.upsertSubscriber({
        id: user.id,
        email: user.email,
        timeZone: user.timezone,
        cadenceDays: 7,
      });
      await watcher.refreshSubscriberArtists(user.id, clientFor(mock, user.id));
    }
    let lastSweep = start;
    for (let step = 0; step < 7; step++) {
      const report = await watcher.sweep();
      expect(report.failures).toEqual([]);
      expect(report.stoppedBy).toBe('complete');
      lastSweep = mock.controls.clock.now();
      await watcher.sendDueDigests({ mailer, from: 'releases@example.com', unsubscribe });
      mock.controls.clock.advance(3 * DAY);
    }
    const total = await assertExactlyOnce(watcher, mock, start, lastSweep);
    expect(total).toBeGreaterThanOrEqual(8);
    const sentIds = mailer.sent.map((m) => m.id);
    expect(new Set(sentIds).size).toBe(sentIds.length);
    expect(mailer.sent.length).toBeGreaterThan(4);
  }, 60_000);
});
