import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, memorySync } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('runs that overlap on one client', () => {
  it('each log their own calls, not the calls of the other run', async () => {
    h = await harness({ persona: 'heavy-pop' });
    const { sync, state } = memorySync(h, { availability: { maxCallsPerRun: 1000 } });
    await sync.syncLibrary(h.user);
    const tracks = (await state.listLibrary(h.userId, 'track'))
      .map((e) => e.id)
      .sort()
      .slice(0, 12);
    const before = h.client.totalCalls();
    const [poll, availability] = await Promise.all([
      sync.syncRecentPlays(h.user),
      sync.checkAvailability(h.user, { trackIds: tracks }),
    ]);
    // One track lookup per track (development mode has no batch endpoint).
    expect(availability.run.calls).toBe(12 + availability.run.retries);
    expect(poll.run.calls).toBeGreaterThan(0);
    expect(poll.run.calls).toBeLessThan(12);
    expect(poll.run.calls + availability.run.calls).toBe(h.client.totalCalls() - before);
  });
});
