import { describe, expect, it } from 'vitest';
import {
  type CatalogStore,
  type Play,
  type TrendingOptions,
  isCatalogError,
  rankTrending,
} from '../src/index.js';
import { DAY, HOUR, T0, byId, play } from './fixtures.js';
import { useSeededStore } from './seeded-store.js';

/** Every ranking of every kind and window equals `rankTrending` over `stored`. */
async function expectTrendingOf(store: CatalogStore, stored: readonly Play[]): Promise<void> {
  for (const window of ['week', 'month', 'all'] as const) {
    for (const kind of ['track', 'album', 'artist'] as const) {
      const options: TrendingOptions = { kind, window, now: T0, limit: 100 };
      const events = stored
        .filter((p) => p.trackId !== null)
        .filter((p) => kind !== 'track' || byId(p.trackId ?? '').visibility === 'public')
        .map((p) => ({
          type: 'play' as const,
          trackId: p.trackId ?? '',
          albumId: p.albumId,
          artistId: p.artistIds[0] ?? null,
          at: p.endedAt,
        }));
      const expected = rankTrending(events, options);
      const actual = await store.trending(options);
      expect(actual.map((e) => [e.id, e.plays])).toEqual(expected.map((e) => [e.id, e.plays]));
      actual.forEach((e, i) => {
        expect(e.score).toBeCloseTo(expected[i]!.score, 5);
      });
    }
  }
}

/** Bulk writes with deferred aggregates, folded once: on every CatalogStore. */
export function storeDeferredSuite(name: string, factory: () => Promise<CatalogStore>): void {
  describe(`CatalogStore deferred aggregates: ${name}`, () => {
    let store: CatalogStore;

    useSeededStore(factory, (opened) => {
      store = opened;
    });

    it('counts each play once across deferred batches, a retried batch, polls and repeated folds', async () => {
      const a = play('u1', byId('t01'), T0 - 2 * DAY);
      const b = play('u1', byId('t01'), T0 - DAY);
      const c = play('u2', byId('t02'), T0 - DAY);
      const d = play('u2', byId('t04'), T0 - 3 * HOUR);
      const e = play('u1', byId('t06'), T0 - 40 * DAY);
      const defer = { deferAggregates: true };
      expect(await store.appendPlays([a, b, a], defer)).toEqual({ inserted: 2, duplicates: 1 });
      // A poll meanwhile: `b` is already stored (deferred), `d` is new and counted at once.
      expect(await store.appendPlays([b, d])).toEqual({ inserted: 1, duplicates: 1 });
      // The import restarts from its checkpoint and sends its last batch again.
      expect(await store.appendPlays([a, b], defer)).toEqual({ inserted: 0, duplicates: 2 });
      expect(await store.appendPlays([c, d, e], defer)).toEqual({ inserted: 2, duplicates: 1 });
      const first = (await store.foldDeferredAggregates?.())?.folded ?? 0;
      expect(store.backend === 'memory' ? first === 0 : first === 4).toBe(true);
      expect(await store.foldDeferredAggregates?.()).toEqual(
        store.foldDeferredAggregates === undefined ? undefined : { folded: 0 },
      );
      const stored = [a, b, c, d, e];
      expect(await store.countPlays()).toBe(5);
      expect(await store.getAnnotation('u1', 't01')).toMatchObject({
        playCount: 2,
        lastPlayedAt: b.endedAt,
      });
      expect(await store.getAnnotation('u2', 't04')).toMatchObject({ playCount: 1 });
      const a1 = { kind: 'artist', id: 'a1', viewerArtistId: null } as const;
      const folded = await store.itemStats(a1);
      expect(folded.plays).toBe(stored.filter((p) => p.artistIds[0] === 'a1').length);
      await expectTrendingOf(store, stored);
      // A rebuild from the log finds the same counters.
      await store.rebuildAggregates?.();
      expect(await store.itemStats(a1)).toEqual(folded);
      await expectTrendingOf(store, stored);
    });

    it('leaves nothing to fold when the transaction of a deferred batch rolls back', async () => {
      const p = play('u1', byId('t01'), T0 - DAY);
      await expect(
        store.transaction(async (tx) => {
          await tx.appendPlays([p], { deferAggregates: true });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await store.foldDeferredAggregates?.()).toEqual(
        store.foldDeferredAggregates === undefined ? undefined : { folded: 0 },
      );
      await store.transaction(async (tx) => {
        await tx.appendPlays([p], { deferAggregates: true });
        await tx.foldDeferredAggregates?.();
      });
      expect(await store.getAnnotation('u1', 't01')).toMatchObject({ playCount: 1 });
      await expectTrendingOf(store, [p]);
    });

    it('refuses unknown or mistyped appendPlays options with INVALID_INPUT', async () => {
      const p = play('u1', byId('t01'), T0 - DAY);
      for (const bad of [{ deferAggregates: 'yes' }, { defer: true }]) {
        const error = await store
          .appendPlays([p], bad as unknown as { deferAggregates: boolean })
          .catch((e: unknown) => e);
        expect(isCatalogError(error) && error.code === 'INVALID_INPUT').toBe(true);
        expect(String((error as Error).message)).toContain('appendPlays options');
      }
      expect(await store.countPlays()).toBe(0);
    });
  });
}
