/**
 * Write throughput of `appendPlays`: synthetic plays (Zipf-like repeats; two profiles below)
 * appended in batches to PostgreSQL, PGlite and the memory store, counters
 * and trending aggregates included. Prints one JSON line per backend.
 *
 *   node --conditions=@spoti/source --import tsx bench/append-plays.ts [--plays=500000]
 *     [--pglite-plays=200000] [--batch=100000] [--source=../src/index.ts] [--modes=each,deferred]
 *     [--profile=listeners|one-listener] [--backends=memory,pglite,postgres] [--rounds=3]
 *
 * Profiles: `listeners` (the default) is 1,000 listeners over 100,000 tracks and a year;
 * `one-listener` is one listener's eight-year export (see {@link exportPlays}).
 *
 * Modes: `each` folds the counters and aggregates of every call in it (a poll's write);
 * `deferred` appends every batch with `{ deferAggregates: true }` and then calls
 * `foldDeferredAggregates()` once (an import's write), timed together; a source without
 * `foldDeferredAggregates` runs `each` only.
 *
 * `--source` lists copies of the package, comma-separated (e.g. a checkout of an earlier version
 * and this one): each backend runs every source in turn in the same process, so a before/after
 * comparison sees the same machine load.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { CatalogStore, Play } from '../src/index.js';
import { mulberry32 } from '@spoti/internal';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const PLAYS = Number(arg('plays') ?? 500_000);
const PGLITE_PLAYS = Number(arg('pglite-plays') ?? 200_000);
const BATCH = Number(arg('batch') ?? 100_000);
/** Rounds per backend; the sources alternate within each round, so load swings hit all alike. */
const ROUNDS = Number(arg('rounds') ?? 3);
const SOURCES = (arg('source') ?? new URL('../src/index.ts', import.meta.url).pathname).split(',');
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;

/**
 * A generated play: what differs between plays, plus what every one shares. Built as one object
 * literal in `Play`'s field order, as the importer's row parser builds them: plays made by
 * spreading a shared object and adding fields (`{ ...defaults, userId, ... }`) are far slower to
 * make and to read on Node 20, which made the store's own work look several seconds longer.
 */
function play(
  p: Pick<
    Play,
    'userId' | 'trackId' | 'trackName' | 'artistIds' | 'albumId' | 'endedAt' | 'skipped' | 'source'
  >,
): Play {
  return {
    userId: p.userId,
    trackId: p.trackId,
    trackName: p.trackName,
    artistIds: p.artistIds,
    artistName: 'x',
    albumId: p.albumId,
    albumName: null,
    endedAt: p.endedAt,
    msPlayed: 100_000,
    skipped: p.skipped,
    reasonStart: 'trackdone',
    reasonEnd: 'trackdone',
    shuffle: false,
    offline: false,
    offlineTimestamp: null,
    platform: 'linux',
    source: p.source,
  };
}

/** `listeners`: 1,000 listeners over 100,000 tracks and a year, as the API's polls bring them. */
function listenerPlays(n: number): Play[] {
  const rnd = mulberry32(7);
  const out: Play[] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.min(99_999, Math.floor(100_000 * rnd() ** 3));
    out.push(
      play({
        userId: `u${Math.floor(rnd() * 1000)}`,
        trackId: `tr${t}`,
        trackName: `Track ${t}`,
        artistIds: [`ar${t % 20_000}`],
        albumId: `al${t % 10_000}`,
        endedAt: NOW - Math.floor(rnd() * 365 * DAY),
        skipped: rnd() < 0.2,
        source: 'api',
      }),
    );
  }
  return out;
}

/**
 * `one-listener`: one listener's data export, the import's case: eight years in time order
 * (whole seconds, as the export's `ts`), 30,000 distinct tracks with Zipf-like repeats (a few
 * favourites played thousands of times, most tracks a handful), 6,000 albums, 3,000 artists.
 */
function exportPlays(n: number): Play[] {
  const rnd = mulberry32(8);
  const span = 8 * 365 * DAY;
  const out: Play[] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.min(29_999, Math.floor(30_000 * rnd() ** 3));
    const at = NOW - span + Math.floor((i + rnd()) * (span / n));
    out.push(
      play({
        userId: 'me',
        trackId: `tr${t}`,
        trackName: `Track ${t}`,
        artistIds: [`ar${t % 3000}`],
        albumId: `al${t % 6000}`,
        endedAt: Math.floor(at / 1000) * 1000,
        skipped: rnd() < 0.2,
        source: 'export',
      }),
    );
  }
  return out;
}

const PROFILE = arg('profile') ?? 'listeners';
if (PROFILE !== 'listeners' && PROFILE !== 'one-listener')
  throw new Error('--profile: listeners or one-listener');
const plays = PROFILE === 'listeners' ? listenerPlays : exportPlays;
const BACKENDS = (arg('backends') ?? 'memory,pglite,postgres').split(',');

type Mode = 'each' | 'deferred';
const MODES = (arg('modes') ?? 'each,deferred').split(',') as Mode[];
/** Milliseconds of the last deferred run's fold, for the report. */
const folds = new Map<string, number[]>();

async function append(store: CatalogStore, all: readonly Play[], mode: Mode): Promise<number> {
  const defer = mode === 'deferred';
  const start = performance.now();
  for (let i = 0; i < all.length; i += BATCH)
    await store.appendPlays(all.slice(i, i + BATCH), { deferAggregates: defer });
  const foldStart = performance.now();
  if (defer) {
    await store.foldDeferredAggregates?.();
  }
  const end = performance.now();
  // Every deferred play is folded by now.
  if (defer && ((await store.foldDeferredAggregates?.()) ?? { folded: 0 }).folded !== 0)
    throw new Error('plays not folded');
  if (defer) folds.set(store.backend, [...(folds.get(store.backend) ?? []), end - foldStart]);
  if ((await store.countPlays()) !== all.length) throw new Error('plays lost');
  return end - start;
}

/** The modes a source can run: `deferred` needs `foldDeferredAggregates`. */
async function modesOf(mod: Catalog): Promise<Mode[]> {
  const store = mod.createMemoryStore();
  const can = typeof store.foldDeferredAggregates === 'function';
  await store.close();
  return MODES.filter((m) => m === 'each' || can);
}

type Catalog = typeof import('../src/index.js');
const mods: [string, Catalog, Mode][] = [];
for (const source of SOURCES) {
  const mod = (await import(pathToFileURL(source).href)) as Catalog;
  for (const mode of await modesOf(mod)) mods.push([`${source} ${mode}`, mod, mode]);
}
/** Best and median of the rounds per source and backend. */
const results = new Map<string, number[]>();
const record = (source: string, backend: string, ms: number) => {
  const key = `${backend}\u0000${source}`;
  results.set(key, [...(results.get(key) ?? []), ms]);
};
const report = () => {
  for (const [key, runs] of results) {
    const [backend, source] = key.split('\u0000') as [string, string];
    const n = backend === 'pglite' ? PGLITE_PLAYS : PLAYS;
    const sorted = runs.slice().sort((x, y) => x - y);
    const best = sorted[0]!;
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(
      JSON.stringify({
        profile: PROFILE,
        source,
        backend,
        plays: n,
        rounds: runs.map(Math.round),
        bestPerSecond: Math.round((n / best) * 1000),
        medianPerSecond: Math.round((n / median) * 1000),
      }),
    );
  }
  for (const [backend, ms] of folds)
    console.log(JSON.stringify({ backend, foldMs: ms.map(Math.round) }));
};

const data = plays(Math.max(PLAYS, PGLITE_PLAYS));
for (let round = 0; round < ROUNDS; round++) {
  for (const [source, mod, mode] of BACKENDS.includes('memory') ? mods : []) {
    record(source, 'memory', await append(mod.createMemoryStore(), data.slice(0, PLAYS), mode));
  }
  for (const [source, mod, mode] of BACKENDS.includes('pglite') ? mods : []) {
    const store = await mod.createPgliteStore();
    record(source, 'pglite', await append(store, data.slice(0, PGLITE_PLAYS), mode));
    await store.close();
  }
  for (const [source, mod, mode] of BACKENDS.includes('postgres') ? mods : []) {
    const db = `bench_append_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database "${db}"`);
    const url = Object.assign(new URL(PG_URL), { pathname: `/${db}` }).toString();
    const store = await mod.createPostgresStore({ connectionString: url });
    try {
      record(source, 'postgres', await append(store, data.slice(0, PLAYS), mode));
    } finally {
      await store.close();
      await admin.query(`drop database if exists "${db}"`);
      await admin.end();
    }
  }
}
report();
