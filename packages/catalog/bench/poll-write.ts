/**
 * The write of one play poll on PGlite: a store holding `--plays` plays of one listener, and the
 * 10,000 tracks they name, receives 50 tracks (`upsertTracks`) and 50 new plays of them
 * (`appendPlays`), 40 times; prints p50 and p99 (of 40 polls: the slowest) of each, and of the
 * process's CPU time per write (upsertTracks + appendPlays: on PGlite that is the database's work
 * too, and steadier than wall time on a shared machine). The catalog's share of `@spoti/sync`'s
 * poll benchmark, without HTTP. Baseline: the same on the memory store (of the last source), in
 * the same process.
 *
 *   node --conditions=@spoti/source --import tsx bench/poll-write.ts [--plays=100000]
 *     [--polls=40] [--new-tracks=50] [--empty-library]
 *     [--source=before/src/index.ts,../src/index.ts]
 *
 * `--new-tracks` of each poll's 50 tracks are new to the library (default 50, the worst case);
 * the others are tracks it already holds, sent unchanged (a listener's usual poll).
 * `--empty-library` stores the plays without their tracks (this benchmark's set-up before
 * 2026-12-06 17:00 UTC): the track and search tables then start empty and double every 20 polls,
 * so that two of the 40 polls also analyse them.
 * `--source` lists copies of the package, comma-separated, loaded in turn in the same process;
 * their polls then alternate. The p99 of 40 polls is the slowest (`writeMax` is printed too).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { CatalogStore, Play, Track } from '../src/index.js';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const N = Number(arg('plays') ?? 100_000);
const POLLS = Math.max(1, Number(arg('polls') ?? 40));
const LIBRARY = 10_000;
const NEW_TRACKS = Math.min(50, Math.max(0, Number(arg('new-tracks') ?? 50)));
const EMPTY_LIBRARY = process.argv.includes('--empty-library');
const SOURCES = (arg('source') ?? new URL('../src/index.ts', import.meta.url).pathname).split(',');
const NOW = Date.UTC(2026, 5, 1);

const play = (i: number, t: number): Play => ({
  userId: 'u1',
  trackId: `tr${t}`,
  trackName: `T${t}`,
  artistIds: [`ar${t % 2000}`],
  artistName: 'x',
  albumId: `al${t % 1000}`,
  albumName: null,
  endedAt: NOW - (N - i) * 200_000,
  msPlayed: 180_000,
  skipped: false,
  reasonStart: null,
  reasonEnd: null,
  shuffle: false,
  offline: false,
  offlineTimestamp: null,
  platform: null,
  source: 'api',
});
const track = (id: number): Track => ({
  id: `tr${id}`,
  name: `Song ${id}`,
  albumId: `al${id % 1000}`,
  artistIds: [`ar${id % 2000}`],
  ownerArtistId: null,
  durationMs: 180_000,
  isrc: null,
  explicit: false,
  visibility: 'public',
  discNumber: 1,
  trackNumber: 1,
  addedAt: 0,
});
const pct = (values: number[], p: number) =>
  Math.round(
    values.slice().sort((a, b) => a - b)[
      Math.min(values.length - 1, Math.floor((values.length * p) / 100))
    ]! * 10,
  ) / 10;

// The memory store of the last source first: the baseline the issue compares against.
const runs = [
  { source: SOURCES.at(-1) as string, backend: 'memory' as const },
  ...SOURCES.map((source) => ({ source, backend: 'pglite' as const })),
];
/** One store under test, and what its polls measured. */
interface Run {
  readonly source: string;
  readonly backend: 'memory' | 'pglite';
  readonly store: CatalogStore;
  readonly loadMs: number;
  readonly appends: number[];
  readonly upserts: number[];
  readonly cpu: number[];
}

async function open(source: string, backend: 'memory' | 'pglite'): Promise<Run> {
  const mod = (await import(pathToFileURL(source).href)) as typeof import('../src/index.js');
  const store = backend === 'memory' ? mod.createMemoryStore() : await mod.createPgliteStore();
  const t = performance.now();
  for (let i = 0; i < N; i += 20_000) {
    const n = Math.min(20_000, N - i);
    await store.appendPlays(
      Array.from({ length: n }, (_, k) => play(i + k, ((i + k) * 7) % 10_000)),
    );
  }
  if (!EMPTY_LIBRARY) {
    for (let id = 0; id < LIBRARY; id += 5_000) {
      await store.upsertTracks(Array.from({ length: 5_000 }, (_, k) => track(id + k)));
    }
  }
  const loadMs = performance.now() - t;
  return { source, backend, store, loadMs, appends: [], upserts: [], cpu: [] };
}

/** One poll's write on `run`'s store: 50 tracks, then 50 new plays of them. */
async function poll(run: Run, index: number): Promise<void> {
  // New tracks first, then known ones spread over the library (none known when it is empty).
  const ids = Array.from({ length: 50 }, (_, k) =>
    k < NEW_TRACKS || EMPTY_LIBRARY ? 20_000 + index * 50 + k : (index * 997 + k * 181) % LIBRARY,
  );
  const cpuBefore = process.cpuUsage();
  let t = performance.now();
  await run.store.upsertTracks(ids.map(track));
  run.upserts.push(performance.now() - t);
  t = performance.now();
  await run.store.appendPlays(ids.map((id, k) => play(N + index * 50 + k, id)));
  run.appends.push(performance.now() - t);
  const used = process.cpuUsage(cpuBefore);
  run.cpu.push((used.user + used.system) / 1000);
}

function report(run: Run): void {
  const { source, backend, loadMs, appends, upserts, cpu } = run;
  const writes = appends.map((a, i) => a + upserts[i]!);
  console.log(
    JSON.stringify({
      source,
      backend,
      plays: N,
      newTracks: EMPTY_LIBRARY ? 50 : NEW_TRACKS,
      library: EMPTY_LIBRARY ? 0 : LIBRARY,
      polls: POLLS,
      loadMs: Math.round(loadMs),
      appendP50: pct(appends, 50),
      appendP99: pct(appends, 99),
      upsertTracksP50: pct(upserts, 50),
      upsertTracksP99: pct(upserts, 99),
      writeP50: pct(writes, 50),
      writeP99: pct(writes, 99),
      writeMax: pct(writes, 100),
      writeCpuP50: pct(cpu, 50),
      writeCpuP99: pct(cpu, 99),
      // The five slowest polls, as `poll index: ms`, to tell a one-off pause from a pattern.
      slowest: writes
        .map((ms, i) => [i, Math.round(ms * 10) / 10] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([i, ms]) => `${i}: ${ms}`),
    }),
  );
}

// The memory store first, alone, and closed before the others open: its plays live on the
// JavaScript heap, where they would lengthen every garbage collection of the PGlite runs.
async function runAlone(source: string, backend: 'memory' | 'pglite'): Promise<void> {
  const run = await open(source, backend);
  for (let index = 0; index < POLLS; index++) await poll(run, index);
  await run.store.close();
  report(run);
}
const [baseline, ...sql] = runs;
await runAlone(baseline!.source, baseline!.backend);
// The PGlite stores are all loaded, then their polls alternate (poll 1 of each, poll 2 of
// each...): the load of other processes on a shared machine then falls on every store alike.
const opened: Run[] = [];
for (const { source, backend } of sql) opened.push(await open(source, backend));
for (let index = 0; index < POLLS; index++) for (const run of opened) await poll(run, index);
for (const run of opened) {
  await run.store.close();
  report(run);
}
