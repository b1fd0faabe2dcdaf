import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, HOUR, harness, memorySync } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface CatalogControls {
  removeTrack(trackId: string): void;
  restrictTrack(trackId: string, markets: readonly string[] | null): void;
}

describe('checkAvailability', () => {
  for (const profile of ['development-2026', 'extended'] as const) {
    it(`records removed and market-restricted tracks with when they were noticed (${profile})`, async () => {
      h = await harness({ persona: 'heavy-pop', profile, maxRetryAfterMs: 0 });
      const catalog = (h.mock.controls as unknown as { catalog: CatalogControls }).catalog;
      const { sync, state } = memorySync(h, { availability: { maxCallsPerRun: 1000 } });
      const clock = h.mock.controls.clock;
      await sync.syncLibrary(h.user);
      // A slice of the library keeps the run short; the rotation over all of it is tested below.
      const saved = (await state.listLibrary(h.userId, 'track'))
        .map((e) => e.id)
        .sort()
        .slice(0, 30);
      const check = () => sync.checkAvailability(h!.user, { trackIds: saved });
      const baseline = await check();
      expect(baseline.remaining).toBe(0);
      expect(baseline.checked).toBe(30);
      expect(baseline.changed).toEqual([]);
      const [gone, elsewhere] = [saved[3]!, saved[7]!];
      const country = h.mock.world.users.get(h.userId)!.country;
      catalog.removeTrack(gone);
      catalog.restrictTrack(elsewhere, [country === 'JP' ? 'DE' : 'JP']);
      clock.advance(2 * HOUR); // past the client's cached copies
      const noticedAt = clock.now();
      const first = await check();
      expect(first.run.status).toBe('ok');
      const byId = new Map(first.changed.map((r) => [r.trackId, r]));
      expect(first.changed).toHaveLength(2);
      expect(byId.get(gone)).toMatchObject({ status: 'removed', reason: 'not_found', noticedAt });
      expect(byId.get(elsewhere)).toMatchObject({
        status: 'unplayable',
        reason: 'market',
        noticedAt,
      });
      // Seen again later: nothing changed, the first notice time is kept.
      clock.advance(2 * HOUR);
      const second = await check();
      expect(second.changed).toEqual([]);
      const records = await state.listAvailability(h.userId);
      expect(records.find((r) => r.trackId === gone)?.noticedAt).toBe(noticedAt);
      expect(records.find((r) => r.trackId === gone)?.checkedAt).toBe(clock.now());
      // The restriction is lifted: the track is recorded as available again.
      catalog.restrictTrack(elsewhere, null);
      clock.advance(2 * HOUR);
      const third = await check();
      expect(third.changed).toEqual([
        expect.objectContaining({
          trackId: elsewhere,
          status: 'available',
          noticedAt: clock.now(),
        }),
      ]);
      if (profile === 'development-2026') {
        expect(h.mock.controls.requests.counts()['GET /v1/tracks']).toBeUndefined();
        expect(first.run.calls).toBe(saved.length + first.run.retries);
      } else {
        expect(first.run.calls).toBeLessThanOrEqual(
          Math.ceil(saved.length / 50) + first.run.retries,
        );
      }
    });
  }

  it('checks a rotating slice within its budget; a 429 is never taken for a removal', async () => {
    h = await harness({ persona: 'heavy-pop', maxRetryAfterMs: 0 });
    const catalog = (h.mock.controls as unknown as { catalog: CatalogControls }).catalog;
    const { sync, state } = memorySync(h, { availability: { maxCallsPerRun: 40 } });
    const clock = h.mock.controls.clock;
    await sync.syncLibrary(h.user);
    const saved = (await state.listLibrary(h.userId, 'track')).map((e) => e.id).sort();
    const first = await sync.checkAvailability(h.user);
    expect(first.checked).toBe(40);
    expect(first.run.status).toBe('partial');
    // The next slice starts after the first; a long 429 stops the run with nothing recorded.
    catalog.removeTrack(saved[41]!);
    h.mock.controls.faults.script([{ status: 429, retryAfterSeconds: 7200 }]);
    const limited = await sync.checkAvailability(h.user);
    expect(limited.run.status).toBe('rate_limited');
    expect(limited.changed).toEqual([]);
    expect(await state.listAvailability(h.userId)).toEqual([]);
    clock.advance(7201_000);
    const resumed = await sync.checkAvailability(h.user);
    expect(resumed.changed.map((r) => [r.trackId, r.status])).toEqual([[saved[41], 'removed']]);
    let covered = 80;
    while (covered < saved.length) {
      const next = await sync.checkAvailability(h.user);
      covered += next.checked;
    }
    expect((await state.listAvailability(h.userId)).map((r) => r.trackId)).toEqual([saved[41]]);
  });
});
