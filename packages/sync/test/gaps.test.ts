import { afterEach, describe, expect, it } from 'vitest';
import { estimateMissedPlays } from '../src/index.js';
import { PLAY_CURSOR_KEY, type PlayCursor } from '../src/sync/poll-plays.js';
import {
  HOUR,
  type Harness,
  MINUTE,
  harness,
  memorySync,
  storedKeys,
  truthKeys,
} from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('gaps after an outage of the poller', () => {
  it('start at the last successful poll, not at the newest stored play', async () => {
    h = await harness({ persona: 'heavy-pop', profile: 'extended' });
    const { sync, store, state } = memorySync(h);
    const clock = h.mock.controls.clock;
    const plays = () => h!.mock.controls.truth.plays(h!.userId);
    // Poll through the day until the listener has been idle for at least 3 hours.
    await sync.syncRecentPlays(h.user);
    for (let k = 0; k < 96; k++) {
      const newest = plays().at(-1)?.endedAtMs ?? 0;
      if (clock.now() - newest >= 3 * HOUR) break;
      clock.advance(30 * MINUTE);
      await sync.syncRecentPlays(h.user);
    }
    const before = (await state.getValue(h.userId, PLAY_CURSOR_KEY)) as PlayCursor | null;
    expect(before?.lastPollAt).not.toBeNull();
    expect(before!.lastPollAt! - before!.newestEndedAt!).toBeGreaterThanOrEqual(3 * HOUR);
    // The poller is down (12 hours or more) while the listener plays more than 50 tracks.
    clock.advance(12 * HOUR);
    while (truthKeys(h, before!.lastPollAt!, clock.now()).length < 60) clock.advance(HOUR);
    const result = await sync.syncRecentPlays(h.user);
    const gap = result.gap;
    expect(gap).not.toBeNull();
    expect(gap!.from).toBe(before!.lastPollAt);
    // Every play that was lost lies inside the gap, and the gap holds nothing that was stored.
    const stored = new Set(await storedKeys(store, h.userId));
    const lost = truthKeys(h, before!.newestEndedAt!, clock.now()).filter((k) => !stored.has(k));
    const inGap = new Set(truthKeys(h, gap!.from, gap!.to - 1));
    expect(lost.length).toBeGreaterThan(0);
    for (const key of lost) expect(inGap.has(key)).toBe(true);
    // The estimate covers the gap's span only, not the idle hours before the last poll.
    const received = (await store.listPlays({ userId: h.userId }))
      .map((p) => p.endedAt)
      .filter((t) => t >= gap!.to);
    expect(received.length).toBeGreaterThanOrEqual(50);
    const fromOlderPlay = estimateMissedPlays({
      from: before!.newestEndedAt!,
      to: gap!.to,
      received,
    });
    expect(gap!.estimatedMissed).toBe(
      estimateMissedPlays({ from: gap!.from, to: gap!.to, received }),
    );
    expect(gap!.estimatedMissed).toBeLessThan(fromOlderPlay);
  }, 120_000);
});
