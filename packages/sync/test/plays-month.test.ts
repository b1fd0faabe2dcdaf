import { afterEach, describe, expect, it } from 'vitest';
import {
  DAY,
  type Harness,
  MINUTE,
  harness,
  memorySync,
  storedKeys,
  truthKeys,
} from './helpers.js';

// The month-long scenario sits in its own file so it runs beside the others.
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('syncRecentPlays over a month', () => {
  it('polled every 10 minutes for a month, stores exactly the ground truth', async () => {
    h = await harness({ persona: 'heavy-pop' });
    const { sync, store } = memorySync(h);
    const clock = h.mock.controls.clock;
    const first = await sync.syncRecentPlays(h.user);
    expect(first.run.status).toBe('ok');
    expect(first.inserted).toBe(50);
    const since = (await store.listPlays({ userId: h.userId, limit: 1 }))[0]?.endedAt ?? 0;
    let gaps = 0;
    let inserted = first.inserted;
    const end = clock.now() + 30 * DAY;
    while (clock.now() < end) {
      clock.advance(10 * MINUTE);
      const result = await sync.syncRecentPlays(h.user);
      expect(result.run.status).toBe('ok');
      inserted += result.inserted;
      if (result.gap) gaps += 1;
    }
    expect(gaps).toBe(0);
    const stored = await storedKeys(store, h.userId);
    const truth = truthKeys(h, since - 1, clock.now());
    expect(stored.length).toBeGreaterThan(2000);
    expect(inserted).toBe(stored.length);
    expect(new Set(stored).size).toBe(stored.length);
    expect([...stored].sort()).toEqual([...truth].sort());
    const cursor = await sync.playCursor(h.userId);
    expect(cursor?.ratePerHour).toBeGreaterThan(0);
  }, 180_000);
});
