import { createMemoryStore } from '@spoti/catalog';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemorySyncStateStore, createSync, isSyncError } from '../src/index.js';
import {
  DAY,
  HOUR,
  type Harness,
  InjectedCrash,
  MINUTE,
  crashy,
  harness,
  memorySync,
  prng,
  storedKeys,
  truthKeys,
} from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Polls every `intervalMs` until `until`, swallowing the errors `onError` accepts. */
async function pollUntil(
  poll: () => Promise<unknown>,
  advance: (ms: number) => void,
  now: () => number,
  until: number,
  intervalMs: number,
  onError: (error: unknown) => void = (e) => {
    throw e;
  },
): Promise<void> {
  while (now() < until) {
    advance(intervalMs);
    try {
      await poll();
    } catch (error) {
      onError(error);
    }
  }
}

describe('syncRecentPlays', () => {
  it('polling a heavy listener every 6 hours records the gaps and suggests the export', async () => {
    h = await harness({ persona: 'heavy-pop', profile: 'extended' });
    const { sync, store } = memorySync(h);
    const clock = h.mock.controls.clock;
    await sync.syncRecentPlays(h.user);
    const start = clock.now();
    const suggestions: string[] = [];
    let lastInterval = 0;
    await pollUntil(
      async () => {
        const result = await sync.syncRecentPlays(h!.user);
        if (result.suggestion) suggestions.push(result.suggestion);
        lastInterval = result.recommendedIntervalMs;
      },
      (ms) => clock.advance(ms),
      () => clock.now(),
      start + 14 * DAY,
      6 * HOUR,
    );
    const gaps = await sync.gaps(h.userId);
    expect(gaps.length).toBeGreaterThan(3);
    expect(suggestions.length).toBe(gaps.length);
    expect(suggestions[0]).toMatch(/data export/);
    // The gaps really lost plays, and the estimate is in the right range.
    let lostTotal = 0;
    let estimatedTotal = 0;
    for (const gap of gaps) {
      lostTotal += truthKeys(h, gap.from, gap.to - 1).length;
      estimatedTotal += gap.estimatedMissed;
    }
    expect(lostTotal).toBeGreaterThan(50);
    expect(estimatedTotal).toBeGreaterThan(lostTotal * 0.3);
    expect(estimatedTotal).toBeLessThan(lostTotal * 3);
    // Everything lost lies inside a recorded gap: the stored plays plus the gaps cover the truth.
    const stored = new Set(await storedKeys(store, h.userId));
    const truth = truthKeys(h, start, clock.now());
    const missing = truth.filter((k) => !stored.has(k));
    expect(missing.length).toBe(lostTotal);
    // A heavy listener should be polled far more often than every 6 hours.
    expect(lastInterval).toBeLessThan(2 * HOUR);
  }, 120_000);

  it('converges to the ground truth when runs crash at random points and restart', async () => {
    h = await harness({ persona: 'heavy-pop', seed: 11 });
    const random = prng(99);
    const control = { rate: 0 };
    const store = createMemoryStore();
    const state = createMemorySyncStateStore();
    const flakyStore = crashy(
      store,
      ['appendPlays', 'upsertTracks', 'upsertAlbums', 'upsertArtists'],
      random,
      control,
    );
    const flakyState = crashy(
      state,
      ['setValue', 'addTrackRefs', 'appendRun', 'getValue'],
      random,
      control,
    );
    const clock = h.mock.controls.clock;
    const fresh = () => createSync({ store: flakyStore, state: flakyState, clock });
    let sync = fresh();
    let crashes = 0;
    const poll = async () => sync.syncRecentPlays(h!.user);
    const onError = (error: unknown) => {
      const crash =
        error instanceof InjectedCrash ||
        (isSyncError(error) && error.cause instanceof InjectedCrash);
      if (!crash) throw error;
      crashes += 1;
      sync = fresh(); // the process restarts: nothing survives but the stores
    };
    await poll();
    const since = (await store.listPlays({ userId: h.userId, limit: 1 }))[0]?.endedAt ?? 0;
    control.rate = 0.15;
    await pollUntil(
      poll,
      (ms) => clock.advance(ms),
      () => clock.now(),
      clock.now() + 2 * DAY,
      10 * MINUTE,
      onError,
    );
    control.rate = 0;
    clock.advance(MINUTE);
    await poll();
    expect(crashes).toBeGreaterThan(20);
    const stored = await storedKeys(store, h.userId);
    expect(new Set(stored).size).toBe(stored.length);
    expect([...stored].sort()).toEqual([...truthKeys(h, since - 1, clock.now())].sort());
  }, 120_000);

  it('5xx and 429 storms change nothing in the final data', async () => {
    h = await harness({ persona: 'heavy-pop', maxRetryAfterMs: 0 });
    const { sync, store } = memorySync(h);
    const clock = h.mock.controls.clock;
    await sync.syncRecentPlays(h.user);
    const since = (await store.listPlays({ userId: h.userId, limit: 1 }))[0]?.endedAt ?? 0;
    const statuses: string[] = [];
    const poll = async () => {
      const result = await sync.syncRecentPlays(h!.user);
      statuses.push(result.run.status);
    };
    const failures: unknown[] = [];
    h.mock.controls.faults.set({ errorRate: 0.5, statuses: [500, 502, 503], dropRate: 0.1 });
    await pollUntil(
      poll,
      (ms) => clock.advance(ms),
      () => clock.now(),
      clock.now() + DAY,
      10 * MINUTE,
      (e) => {
        if (!isSyncError(e) || e.code !== 'SPOTIFY_FAILURE') throw e;
        failures.push(e);
      },
    );
    h.mock.controls.faults.set({ errorRate: 0.6, statuses: [429] });
    await pollUntil(
      poll,
      (ms) => clock.advance(ms),
      () => clock.now(),
      clock.now() + DAY,
      10 * MINUTE,
    );
    h.mock.controls.faults.clear();
    clock.advance(10 * MINUTE);
    await poll();
    expect(statuses).toContain('rate_limited');
    const runs = await sync.runs(h.userId, { limit: 1000 });
    expect(runs.some((r) => r.retries > 0)).toBe(true);
    expect(runs.some((r) => r.rateLimitWaits > 0 && r.resumeAt !== null)).toBe(true);
    const stored = await storedKeys(store, h.userId);
    expect(new Set(stored).size).toBe(stored.length);
    expect([...stored].sort()).toEqual([...truthKeys(h, since - 1, clock.now())].sort());
  }, 120_000);

  it('stops cleanly on the daily quota, defers until resumeAt, then resumes', async () => {
    h = await harness({ persona: 'jazz-commuter', quota: { daily: 30 } });
    const { sync } = memorySync(h);
    const clock = h.mock.controls.clock;
    const results = [];
    for (let i = 0; i < 60; i++) {
      results.push(await sync.syncRecentPlays(h.user));
      clock.advance(10 * MINUTE);
    }
    const limited = results.find((r) => r.run.status === 'rate_limited');
    expect(limited?.run.resumeAt).toBeGreaterThan(
      limited?.run.startedAt ?? Number.POSITIVE_INFINITY,
    );
    const deferred = results.filter((r) => r.run.status === 'deferred');
    expect(deferred.length).toBeGreaterThan(0);
    for (const r of deferred) expect(r.run.calls).toBe(0);
    // After the quota resets (next mock day) polling works again.
    clock.set((limited?.run.resumeAt ?? 0) + MINUTE);
    const after = await sync.syncRecentPlays(h.user);
    expect(after.run.status).toBe('ok');
  });

  it('rejects a bad user with a typed error naming the field', async () => {
    h = await harness();
    const { sync } = memorySync(h);
    await expect(sync.syncRecentPlays({ id: '', client: h.client })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('user.id'),
    });
  });
});
