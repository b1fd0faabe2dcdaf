import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CatalogStore, type Play, createPgliteStore } from '@spoti/catalog';
import { writeDataExport } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySyncStateStore, createSync } from '../src/index.js';
import { type Harness, InjectedCrash, harness } from './helpers.js';

let dir: string;
let zip: string;
let h: Harness;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spoti-sync-import-aggregates-'));
  zip = join(dir, 'my_spotify_data.zip');
  h = await harness({ seed: 11, size: 'small' });
  await writeDataExport({
    seed: 11,
    persona: 'heavy-pop',
    plays: 1200,
    out: zip,
    endTimeMs: h.mock.controls.clock.now(),
    targetFileBytes: 150_000,
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every trending ranking of all time, and the listener's counters of its top tracks. */
async function aggregates(store: CatalogStore, userId: string) {
  const now = h.mock.controls.clock.now();
  const rankings = [];
  for (const kind of ['track', 'album', 'artist'] as const)
    rankings.push(await store.trending({ kind, window: 'all', now, limit: 50 }));
  const counters = [];
  for (const entry of rankings[0] ?? []) counters.push(await store.getAnnotation(userId, entry.id));
  return { rankings, counters };
}

describe('importExport on a SQL store', () => {
  it('defers the aggregates of its batches and folds them exactly, across a crash and a resume', async () => {
    const store = await createPgliteStore();
    try {
      const state = createMemorySyncStateStore();
      const clock = h.mock.controls.clock;
      let batches = 0;
      let deferred = 0;
      const crashing = new Proxy(store, {
        get(target, prop, receiver) {
          if (prop !== 'appendPlays') {
            const value = Reflect.get(target, prop, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          }
          return async (plays: readonly Play[], options?: { deferAggregates?: boolean }) => {
            batches += 1;
            if (options?.deferAggregates === true) deferred += 1;
            if (batches === 3) throw new InjectedCrash('killed during batch 3');
            return target.appendPlays(plays, options);
          };
        },
      });
      const options = { clock, import: { batchSize: 300, resolveBudget: 0 } };
      const first = createSync({ store: crashing, state, ...options });
      await expect(first.importExport(h.user, { source: zip })).rejects.toMatchObject({
        code: 'STORE_FAILURE',
      });
      expect(deferred).toBe(3);
      // The failed run folded what it stored: nothing is left unfolded.
      expect(await store.foldDeferredAggregates?.()).toEqual({ folded: 0 });
      const resumed = await createSync({ store, state, ...options }).importExport(h.user, {
        source: zip,
      });
      expect(resumed.checkpoint.done).toBe(true);
      expect(await store.foldDeferredAggregates?.()).toEqual({ folded: 0 });
      const imported = await aggregates(store, h.userId);
      expect(imported.rankings[0]?.length).toBeGreaterThan(10);
      expect(imported.counters.reduce((n, c) => n + c.playCount, 0)).toBeGreaterThan(0);
      // A rebuild from the play log finds exactly what the folds wrote.
      expect(await store.rebuildAggregates?.()).toEqual({ plays: await store.countPlays() });
      const rebuilt = await aggregates(store, h.userId);
      expect(rebuilt.counters).toEqual(imported.counters);
      expect(rebuilt.rankings.map((r) => r.map((e) => [e.id, e.plays]))).toEqual(
        imported.rankings.map((r) => r.map((e) => [e.id, e.plays])),
      );
    } finally {
      await store.close();
    }
  }, 120_000);
});
