import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSpotifyExport } from '@spoti/analytics';
import { type Play, createMemoryStore, dedupePlays, playKey } from '@spoti/catalog';
import { writeDataExport } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySyncStateStore, createSync } from '../src/index.js';
import { type Harness, InjectedCrash, harness } from './helpers.js';

const SEED = 5;
let dir: string;
let zip: string;
let h: Harness;
let expected: Play[];
let musicRows = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spoti-sync-import-'));
  zip = join(dir, 'my_spotify_data.zip');
  h = await harness({ seed: SEED, size: 'small' });
  await writeDataExport({
    seed: SEED,
    persona: 'heavy-pop',
    plays: 2500,
    out: zip,
    endTimeMs: h.mock.controls.clock.now(),
    targetFileBytes: 300_000,
  });
  const all: Play[] = [];
  for await (const item of readSpotifyExport(zip, { userId: h.userId }))
    if (item.kind === 'music') all.push(item.play);
  expected = dedupePlays(all);
  musicRows = all.length;
}, 60_000);

afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

async function keysOf(store: ReturnType<typeof createMemoryStore>, userId: string) {
  return (await store.listPlays({ userId })).map((p) => playKey(p)).sort();
}

describe('importExport', () => {
  it('imports the export, resumes after a crash from its checkpoint and merges with polled plays', async () => {
    const store = createMemoryStore();
    const state = createMemorySyncStateStore();
    // Two plays the poller already stored (API shape: milliseconds, no reasons).
    const polled = expected.slice(-2).map((p) => ({
      ...p,
      endedAt: p.endedAt + 345,
      source: 'api' as const,
      reasonStart: null,
      reasonEnd: null,
    }));
    await store.appendPlays(polled);
    const clock = h.mock.controls.clock;
    const progress: number[] = [];
    const make = () =>
      createSync({ store, state, clock, import: { batchSize: 400, resolveBudget: 0 } });
    // A crash after the third batch of 400 plays.
    let batches = 0;
    const counting = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop !== 'appendPlays') return Reflect.get(target, prop, receiver);
        return async (plays: readonly Play[]) => {
          batches += 1;
          if (batches === 4) throw new InjectedCrash('killed during batch 4');
          return target.appendPlays(plays);
        };
      },
    });
    const first = createSync({
      store: counting,
      state,
      clock,
      import: { batchSize: 400, resolveBudget: 0 },
    });
    await expect(first.importExport(h.user, { source: zip })).rejects.toMatchObject({
      code: 'STORE_FAILURE',
    });
    const failed = (await first.runs(h.userId, { kind: 'import' }))[0]!;
    expect(failed.status).toBe('failed');
    expect(failed.added).toBe(0); // the run's counters are written at the end
    const resumed = await make().importExport(h.user, {
      source: zip,
      onProgress: (p) => progress.push(p.rows),
    });
    // resolveBudget 0: every track of the export is left to resolve in later runs.
    expect(resumed.status).toBe('partial');
    expect(resumed.tracksPending).toBeGreaterThan(100);
    expect(resumed.run.details.resumedAt).toMatch(/#/);
    expect(resumed.checkpoint.done).toBe(true);
    expect(resumed.rows).toBeLessThan(expected.length);
    expect(progress.length).toBeGreaterThan(0);
    // Every play of the export exactly once; the two polled ones were not doubled.
    expect(await keysOf(store, h.userId)).toEqual(expected.map((p) => playKey(p)).sort());
    expect(resumed.checkpoint.inserted).toBe(expected.length - 2);
    // Importing again changes nothing and reads nothing.
    const again = await make().importExport(h.user, { source: zip });
    expect(again.rows).toBe(0);
    const restart = await make().importExport(h.user, { source: zip, restart: true });
    expect(restart.inserted).toBe(0);
    expect(restart.duplicates).toBe(musicRows); // the export repeats some rows itself
    expect(musicRows).toBeGreaterThan(expected.length);
    expect(await store.countPlays()).toBe(expected.length);
  }, 60_000);

  it('looks each track up in the catalog and references it once per run, not once per batch', async () => {
    const store = createMemoryStore();
    const state = createMemorySyncStateStore();
    const lookups = new Map<string, number>();
    const refs = new Map<string, number>();
    const countingStore = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop !== 'getTrack') {
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return (id: string) => {
          lookups.set(id, (lookups.get(id) ?? 0) + 1);
          return target.getTrack(id);
        };
      },
    });
    const countingState = new Proxy(state, {
      get(target, prop, receiver) {
        if (prop !== 'addTrackRefs') {
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return (list: Parameters<typeof state.addTrackRefs>[0]) => {
          for (const r of list) refs.set(r.trackId, (refs.get(r.trackId) ?? 0) + 1);
          return target.addTrackRefs(list);
        };
      },
    });
    const sync = createSync({
      store: countingStore,
      state: countingState,
      clock: h.mock.controls.clock,
      import: { batchSize: 200, resolveBudget: 0 },
    });
    const result = await sync.importExport(h.user, { source: zip });
    const tracks = new Set(expected.flatMap((p) => (p.trackId === null ? [] : [p.trackId])));
    expect(result.tracksPending).toBe(tracks.size);
    expect(new Set(lookups.keys())).toEqual(tracks);
    expect(Math.max(...lookups.values())).toBe(1);
    expect(new Set(refs.keys())).toEqual(tracks);
    expect(Math.max(...refs.values())).toBe(1);
    // A second run finds them on the to-resolve list and does not look them up again.
    lookups.clear();
    await sync.importExport(h.user, { source: zip, restart: true });
    expect(lookups.size).toBe(0);
  });

  it('resolves unknown tracks within its budget; a 429 never counts as not found', async () => {
    const file = join(dir, 'Streaming_History_Audio_2026.json');
    const known = [...h.mock.world.tracks.values()].slice(0, 6);
    const row = (uri: string, i: number) => ({
      ts: new Date(Date.UTC(2026, 9, 1, 10, i * 4)).toISOString().replace('.000', ''),
      platform: 'android',
      ms_played: 180_000,
      conn_country: 'US',
      ip_addr: '127.0.0.1',
      master_metadata_track_name: `Track ${i}`,
      master_metadata_album_artist_name: 'Artist',
      master_metadata_album_album_name: 'Album',
      spotify_track_uri: uri,
      episode_name: null,
      episode_show_name: null,
      spotify_episode_uri: null,
      audiobook_title: null,
      audiobook_uri: null,
      audiobook_chapter_uri: null,
      audiobook_chapter_title: null,
      reason_start: 'trackdone',
      reason_end: 'trackdone',
      shuffle: false,
      skipped: false,
      offline: false,
      offline_timestamp: 0,
      incognito_mode: false,
    });
    const rows = [
      ...known.map((t, i) => row(`spotify:track:${t.id}`, i)),
      row('spotify:track:0000000000000000000000', 7),
    ];
    await writeFile(file, JSON.stringify(rows));
    const store = createMemoryStore();
    const state = createMemorySyncStateStore();
    const strict = await harness({ seed: SEED, size: 'small', maxRetryAfterMs: 0 });
    try {
      const sync = createSync({
        store,
        state,
        clock: strict.mock.controls.clock,
        import: { resolveBudget: 3 },
      });
      const user = { id: 'importer', client: strict.client };
      const first = await sync.importExport(user, { source: file });
      expect(first.inserted).toBe(7);
      expect(first.tracksResolved).toBe(3);
      expect(first.tracksPending).toBe(4);
      expect(first.status).toBe('partial');
      // The next lookup is refused with a long Retry-After: nothing becomes "not found".
      strict.mock.controls.faults.script([{ status: 429, retryAfterSeconds: 3600 }]);
      const limited = await sync.importExport(user, { source: file });
      expect(limited.status).toBe('rate_limited');
      expect(limited.tracksNotFound).toBe(0);
      expect(limited.tracksPending).toBe(4);
      strict.mock.controls.clock.advance(3_601_000);
      const next = await sync.importExport(user, { source: file });
      expect(next.rows).toBe(0); // the export itself was done; only lookups remain
      expect(next.tracksResolved).toBe(3);
      expect(next.tracksPending).toBe(1);
      const done = await sync.importExport(user, { source: file });
      expect(done.tracksNotFound).toBe(1);
      expect(done.tracksPending).toBe(0);
      expect(done.status).toBe('ok');
      for (const t of known) expect((await store.getTrack(t.id))?.name).toBe(t.name);
      expect(await store.getTrack('0000000000000000000000')).toBeNull();
      // Development mode: one single get per track, no batch endpoint.
      expect(strict.mock.controls.requests.counts()['GET /v1/tracks']).toBeUndefined();
    } finally {
      await strict.close();
    }
  });

  it('marks the poller gaps the export covers as filled, and refuses an empty export', async () => {
    const store = createMemoryStore();
    const state = createMemorySyncStateStore();
    const sync = createSync({
      store,
      state,
      clock: h.mock.controls.clock,
      import: { resolveBudget: 0 },
    });
    const mid = expected[Math.floor(expected.length / 2)]!.endedAt;
    await state.addGap({
      id: 'g1',
      userId: h.userId,
      from: mid - 3_600_000,
      to: mid,
      estimatedMissed: 12,
      detectedAt: mid,
      filledAt: null,
    });
    const result = await sync.importExport(h.user, { source: zip, sourceId: 'export-1' });
    expect(result.gapsFilled).toBe(1);
    expect((await sync.gaps(h.userId))[0]?.filledAt).not.toBeNull();
    const empty = join(dir, 'empty');
    await writeFile(join(dir, 'notes.txt'), 'nothing here');
    await expect(sync.importExport(h.user, { source: empty })).rejects.toMatchObject({
      code: 'IMPORT_FAILED',
    });
    await expect(sync.importExport(h.user, { source: '' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('source'),
    });
  });
});
