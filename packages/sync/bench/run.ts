/**
 * Sync benchmark against @spoti/mock (development-2026 rules, real HTTP on 127.0.0.1):
 * - a first full library sync of a 10k-track library, and an incremental daily sync with 20
 *   changes (20 saves; then 15 saves and 5 unsaves, which forces a reconcile of the tracks);
 * - a poll with 50 new plays into a catalog holding 500k plays: the write (time spent in the
 *   catalog and sync-state stores during the poll) and the whole poll.
 * Baseline in the same run: the in-memory stores (and, for the library, the bare paging calls).
 *
 *   pnpm --filter @spoti/sync bench                    # full size
 *   pnpm --filter @spoti/sync bench -- --plays=50000   # a smaller play log
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type CatalogStore, type Play, createMemoryStore, createPgliteStore } from '@spoti/catalog';
import { createMemoryTokenStore, type SpotifyClient, createSpotifyClient } from '@spoti/client';
import { type MockServer, startMock } from '@spoti/mock';
import {
  createMemorySyncStateStore,
  type SyncStateStore,
  createPgliteSyncStateStore,
  createSync,
} from '../src/index.js';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const LIBRARY = Number(arg('library') ?? 10_000);
const PLAYS = Number(arg('plays') ?? 500_000);
const POLLS = Number(arg('polls') ?? 50);
const DAY = 86_400_000;

const lines: string[] = [];
const log = (line: string) => {
  console.log(line);
  lines.push(line);
};
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(1)} ms`);
const pct = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

async function setup(): Promise<{ mock: MockServer; userId: string; client: () => SpotifyClient }> {
  const mock = await startMock({
    seed: 3,
    profile: 'development-2026',
    port: 0,
    worldOptions: {
      size: 'small',
      users: 2,
      artists: 480,
      personas: ['heavy-pop'],
      historyDays: 30,
    },
  });
  const user = [...mock.world.users.values()][0]!;
  const now = mock.controls.clock.now();
  const released = [...mock.world.tracks.values()].filter((t) =>
    mock.world.isReleased(t.albumId, now),
  );
  if (released.length < LIBRARY + 100) throw new Error(`world too small: ${released.length}`);
  user.savedTracks.clear();
  for (const [i, t] of released.slice(0, LIBRARY).entries())
    user.savedTracks.set(t.id, now - DAY - i * 60_000);
  const client = () => {
    const issued = mock.controls.auth.issueTokens({
      userId: user.id,
      expiresInSeconds: 10 * 365 * 86_400,
    });
    return createSpotifyClient({
      apiBaseUrl: mock.apiUrl,
      accountsBaseUrl: mock.accountsUrl,
      clientId: 'sync-bench',
      mode: 'development',
      clock: mock.controls.clock,
      tokenStore: createMemoryTokenStore({
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        expiresAt: now + 10 * 365 * DAY,
      }),
      // The mock has no rate limit here: measure the sync, not the pacing.
      rateLimit: { allowance: 1_000_000 },
    });
  };
  return { mock, userId: user.id, client };
}

/** Wraps a store so the time spent inside its methods is added to `sink.ms`. */
function timed<T extends object>(target: T, sink: { ms: number }): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await value.apply(obj, args);
        } finally {
          sink.ms += performance.now() - t;
        }
      };
    },
  });
}

async function librarySuite(
  label: string,
  env: Awaited<ReturnType<typeof setup>>,
  open: () => Promise<{ store: CatalogStore; state: SyncStateStore; close(): Promise<void> }>,
): Promise<void> {
  const { mock, userId } = env;
  const clock = mock.controls.clock;
  const start = clock.now();
  const user = mock.world.users.get(userId)!;
  const snapshot = new Map(user.savedTracks);
  const { store, state, close } = await open();
  const client = env.client();
  const sync = createSync({ store, state, clock, library: { albumTracksPerRun: 1000 } });
  let t = performance.now();
  const full = await sync.syncLibrary({ id: userId, client });
  const fullMs = performance.now() - t;
  clock.advance(DAY);
  const unsaved = new Set(user.savedTracks.keys());
  const candidates = [...mock.world.tracks.values()].filter(
    (tr) => !unsaved.has(tr.id) && mock.world.isReleased(tr.albumId, clock.now()),
  );
  for (const [i, tr] of candidates.slice(0, 20).entries())
    user.savedTracks.set(tr.id, clock.now() - i * 60_000);
  t = performance.now();
  const inc = await sync.syncLibrary({ id: userId, client });
  const incMs = performance.now() - t;
  clock.advance(DAY);
  for (const [i, tr] of candidates.slice(20, 35).entries())
    user.savedTracks.set(tr.id, clock.now() - i * 60_000);
  for (const id of [...snapshot.keys()].slice(100, 105)) user.savedTracks.delete(id);
  t = performance.now();
  const mixed = await sync.syncLibrary({ id: userId, client });
  const mixedMs = performance.now() - t;
  log(
    `| ${label} | ${fmt(fullMs)} / ${full.run.calls} calls (+${full.added.track} tracks) | ${fmt(incMs)} / ${inc.run.calls} calls (+${inc.added.track}) | ${fmt(mixedMs)} / ${mixed.run.calls} calls (+${mixed.added.track} −${mixed.removed.track}) |`,
  );
  await client.close();
  await close();
  user.savedTracks.clear();
  for (const [k, v] of snapshot) user.savedTracks.set(k, v);
  clock.set(start);
}

async function pagingBaseline(env: Awaited<ReturnType<typeof setup>>): Promise<void> {
  const client = env.client();
  const t = performance.now();
  let n = 0;
  for await (const _ of client.paginate(client.getSavedTracks, { limit: 50 })) n += 1;
  const ms = performance.now() - t;
  log(
    `| bare paging of /me/tracks (baseline) | ${fmt(ms)} / ${client.totalCalls()} calls (${n} tracks) | – | – |`,
  );
  await client.close();
}

function synthPlays(env: Awaited<ReturnType<typeof setup>>, count: number): Play[] {
  const tracks = [...env.mock.world.tracks.values()];
  const end = env.mock.controls.clock.now() - 40 * DAY;
  const out: Play[] = [];
  let seed = 17;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  for (let i = 0; i < count; i++) {
    const t = tracks[Math.floor(rnd() ** 2 * tracks.length)]!;
    out.push({
      userId: env.userId,
      trackId: t.id,
      trackName: t.name,
      artistIds: t.artistIds,
      artistName: 'artist',
      albumId: t.albumId,
      albumName: 'album',
      endedAt: end - i * 200_000,
      msPlayed: t.durationMs,
      skipped: false,
      reasonStart: 'trackdone',
      reasonEnd: 'trackdone',
      shuffle: false,
      offline: false,
      offlineTimestamp: null,
      platform: 'android',
      source: 'export',
    });
  }
  return out;
}

async function pollSuite(
  label: string,
  env: Awaited<ReturnType<typeof setup>>,
  plays: readonly Play[],
  open: () => Promise<{ store: CatalogStore; state: SyncStateStore; close(): Promise<void> }>,
): Promise<void> {
  const clock = env.mock.controls.clock;
  const start = clock.now();
  const { store, state, close } = await open();
  let t = performance.now();
  for (let i = 0; i < plays.length; i += 10_000)
    await store.appendPlays(plays.slice(i, i + 10_000));
  const loadMs = performance.now() - t;
  const catalogSink = { ms: 0 };
  const stateSink = { ms: 0 };
  const client = env.client();
  const sync = createSync({
    store: timed(store, catalogSink),
    state: timed(state, stateSink),
    clock,
  });
  const user = { id: env.userId, client };
  await sync.syncRecentPlays(user);
  const writes: number[] = [];
  const catalogWrites: number[] = [];
  const stateWrites: number[] = [];
  const totals: number[] = [];
  let inserted = 0;
  while (writes.length < POLLS) {
    // Far enough ahead that the window holds 50 new plays.
    clock.advance(DAY / 2);
    catalogSink.ms = 0;
    stateSink.ms = 0;
    t = performance.now();
    const result = await sync.syncRecentPlays(user);
    const total = performance.now() - t;
    if (result.inserted !== 50) continue;
    inserted += result.inserted;
    writes.push(catalogSink.ms + stateSink.ms);
    catalogWrites.push(catalogSink.ms);
    stateWrites.push(stateSink.ms);
    totals.push(total);
  }
  log(
    `| ${label} | ${(await store.countPlays()).toLocaleString('en-US')} (${fmt(loadMs)} to load) | ${fmt(pct(writes, 50))} | ${fmt(pct(writes, 99))} | ${fmt(pct(catalogWrites, 50))} / ${fmt(pct(stateWrites, 50))} | ${fmt(pct(totals, 50))} | ${fmt(pct(totals, 99))} | ${inserted} |`,
  );
  await client.close();
  await close();
  clock.set(start);
}

const env = await setup();
log('# @spoti/sync benchmarks');
log('');
log(
  `Generated by \`pnpm --filter @spoti/sync bench\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model.trim() ?? 'unknown'}), 1-minute load average ${loadavg()[0]?.toFixed(1)} at the end.`,
);
log('');
log(
  `Against \`@spoti/mock\` (development-2026 rules, no rate limit, real HTTP on 127.0.0.1) with a ${LIBRARY.toLocaleString('en-US')}-track library. Times are wall-clock on a shared machine; calls are Web API requests.`,
);
log('');
log('## Library sync');
log('');
log('| Stores | First full sync | Daily incremental, 20 saves | Daily, 15 saves + 5 unsaves |');
log('|---|---|---|---|');
await pagingBaseline(env);
await librarySuite('memory catalog + memory state (baseline)', env, async () => ({
  store: createMemoryStore(),
  state: createMemorySyncStateStore(),
  close: async () => {},
}));
await librarySuite('PGlite catalog + PGlite state', env, async () => {
  const store = await createPgliteStore();
  const state = await createPgliteSyncStateStore();
  return {
    store,
    state,
    close: async () => {
      await store.close();
      await state.close();
    },
  };
});
log('');
log('## Play poll with 50 new plays');
log('');
log(
  `The store holds ${PLAYS.toLocaleString('en-US')} plays of the same listener; ${POLLS} polls that each brought exactly 50 new plays. "Write" is the time spent inside the catalog and sync-state stores during the poll (entities, plays, track references, gap, cursor, run log); "poll" adds the HTTP call.`,
);
log('');
log(
  '| Stores | Plays stored | Write p50 | Write p99 | p50 in catalog / in sync state | Poll p50 | Poll p99 | Plays inserted |',
);
log('|---|---|---|---|---|---|---|---|');
const plays = synthPlays(env, PLAYS);
await pollSuite('memory catalog + memory state (baseline)', env, plays, async () => ({
  store: createMemoryStore(),
  state: createMemorySyncStateStore(),
  close: async () => {},
}));
await pollSuite('PGlite catalog + PGlite state', env, plays, async () => {
  const store = await createPgliteStore();
  const state = await createPgliteSyncStateStore();
  return {
    store,
    state,
    close: async () => {
      await store.close();
      await state.close();
    },
  };
});
log('');
log('Notes:');
log(
  '- A first sync lists every saved track (50 per call), saved album, followed artist and saved album track list; development mode uses no batch endpoint.',
);
log(
  '- An incremental sync stops at the first saved item it already knows; when the list total shows that something was unsaved, it lists that kind in full to find what (the third column).',
);
log(
  '- The poll write is not one transaction: entities, then plays (idempotent by `playKey`), then the cursor, so a crash in between is repaired by the next poll.',
);
log(
  "- Target: write p99 under 10 ms on PGlite. The catalog column is `@spoti/catalog` (new tracks, `appendPlays` with its per-play counters); the sync-state column is this package (cursor, track references, run log). Not met on PGlite: most of the write is the catalog's `appendPlays` (one in-process WebAssembly PostgreSQL connection, per-play counter and trending-aggregate upserts).",
);
await env.mock.close();
// Keep the section bench/profile.ts writes (between its markers).
const benchFile = new URL('../BENCHMARKS.md', import.meta.url);
const previous = await readFile(benchFile, 'utf8').catch(() => '');
const kept = /<!-- profile-bench:start -->[\s\S]*<!-- profile-bench:end -->/.exec(previous)?.[0];
await writeFile(benchFile, `${lines.join('\n')}\n${kept === undefined ? '' : `\n${kept}\n`}`);
