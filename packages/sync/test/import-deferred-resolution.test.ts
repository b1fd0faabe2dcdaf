import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Play, createMemoryStore } from '@spoti/catalog';
import { writeDataExport } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySyncStateStore, createSync } from '../src/index.js';
import { type Harness, harness } from './helpers.js';

const SEED = 5;
let dir: string;
let h: Harness;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spoti-sync-deferred-'));
  h = await harness({ seed: SEED, size: 'small', maxRetryAfterMs: 0 });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

/** One extended-history row of `uri`, the `i`-th of a day. */
function row(uri: string, i: number) {
  return {
    ts: new Date(Date.UTC(2026, 9, 1, 10, i * 4)).toISOString().replace('.000', ''),
    platform: 'android',
    ms_played: 180_000,
    conn_country: 'US',
    master_metadata_track_name: `Track ${i}`,
    master_metadata_album_artist_name: 'Artist',
    master_metadata_album_album_name: 'Album',
    spotify_track_uri: uri,
    episode_name: null,
    episode_show_name: null,
    spotify_episode_uri: null,
    reason_start: 'trackdone',
    reason_end: 'trackdone',
    shuffle: false,
    skipped: false,
    offline: false,
    incognito_mode: false,
  };
}

const trackCalls = () =>
  Object.entries(h.mock.controls.requests.counts())
    .filter(([route]) => route.startsWith('GET /v1/tracks'))
    .reduce((sum, [, n]) => sum + n, 0);

describe('importExport with resolveTracks: false', () => {
  it('stores the plays without calling Spotify; resolveImportedTracks resolves them afterwards', async () => {
    const file = join(dir, 'Streaming_History_Audio_2026.json');
    const known = [...h.mock.world.tracks.values()].slice(0, 5);
    const rows = [
      ...known.map((t, i) => row(`spotify:track:${t.id}`, i)),
      row('spotify:track:0000000000000000000000', 6),
    ];
    await writeFile(file, JSON.stringify(rows));
    const store = createMemoryStore();
    const state = createMemorySyncStateStore();
    const sync = createSync({
      store,
      state,
      clock: h.mock.controls.clock,
      import: { resolveBudget: 10 },
    });
    const calls = trackCalls();
    const imported = await sync.importExport(h.user, { source: file, resolveTracks: false });
    expect(imported.inserted).toBe(6);
    expect(imported.checkpoint.done).toBe(true);
    expect(imported.tracksResolved).toBe(0);
    expect(imported.tracksPending).toBe(6);
    // Tracks are left to resolve, as when a run's budget is spent.
    expect(imported.status).toBe('partial');
    expect(trackCalls()).toBe(calls);

    const resolved = await sync.resolveImportedTracks(h.user);
    expect(resolved).toMatchObject({ resolved: 5, notFound: 1, pending: 0, status: 'ok' });
    expect(resolved.run.kind).toBe('import');
    expect(resolved.run.details).toMatchObject({ resolveOnly: true, tracksResolved: 5 });
    for (const t of known) expect((await store.getTrack(t.id))?.name).toBe(t.name);
    // Nothing left: a second resolution makes no call.
    const calm = trackCalls();
    expect(await sync.resolveImportedTracks(h.user)).toMatchObject({ resolved: 0, pending: 0 });
    expect(trackCalls()).toBe(calm);
    await expect(
      sync.resolveImportedTracks(h.user, { signal: 'stop' as unknown as AbortSignal }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  it('writes one batch at a time and saves the checkpoints in order', async () => {
    const zip = join(dir, 'my_spotify_data.zip');
    await writeDataExport({ seed: SEED, persona: 'heavy-pop', plays: 1200, out: zip });
    const store = createMemoryStore();
    const state = createMemorySyncStateStore();
    let inFlight = 0;
    let most = 0;
    const slow = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop !== 'appendPlays') {
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return async (plays: readonly Play[], options?: { deferAggregates?: boolean }) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 5));
          try {
            return await target.appendPlays(plays, options);
          } finally {
            inFlight -= 1;
          }
        };
      },
    });
    const rows: number[] = [];
    const watched = new Proxy(state, {
      get(target, prop, receiver) {
        if (prop !== 'setValue') {
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return (userId: string, key: string, value: unknown) => {
          if (key.startsWith('import:')) rows.push((value as { rows: number }).rows);
          return target.setValue(userId, key, value);
        };
      },
    });
    const sync = createSync({
      store: slow,
      state: watched,
      clock: h.mock.controls.clock,
      import: { batchSize: 100, resolveBudget: 0 },
    });
    let storedWhenCalled: Promise<number> | null = null;
    const result = await sync.importExport(h.user, {
      source: zip,
      resolveTracks: false,
      onStored: () => {
        storedWhenCalled = store.countPlays();
      },
    });
    // Called once every batch was stored.
    expect(await storedWhenCalled).toBe(await store.countPlays());
    expect(most).toBe(1);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(result.checkpoint.rows).toBe(result.rows);
    expect(result.inserted + result.duplicates).toBe(
      (await store.countPlays()) + result.duplicates,
    );
  });
});
