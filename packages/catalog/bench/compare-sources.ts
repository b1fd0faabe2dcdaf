/**
 * Before/after check of a change that should not alter speed: loads the same synthetic catalog
 * and plays into PGlite and PostgreSQL through two or more copies of the package (e.g. a checkout
 * of an earlier commit and this one), alternating the copies within each round so load swings hit
 * all alike, and prints one JSON line per copy, backend and round.
 *
 *   node --conditions=@spoti/source --import tsx bench/compare-sources.ts \
 *     --source=/tmp/before/packages/catalog/src/index.ts,src/index.ts [--scale=0.05] [--rounds=2]
 *
 * Times: catalog import, play import, and the median of 3 runs of trending (week, month, all),
 * search and recommendations. `cpuMs` is this process's CPU time for the whole copy's run (the
 * JavaScript side of the store; PostgreSQL's own work runs in its server process).
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type * as Catalog from '../src/index.js';
import { generate } from './data.js';

type CatalogModule = typeof Catalog;

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const scale = Number(arg('scale') ?? '0.05');
const ROUNDS = Number(arg('rounds') ?? 2);
const SOURCES = (arg('source') ?? 'src/index.ts').split(',').map((s) => resolve(s));
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NOW = Date.UTC(2026, 5, 1);
const SIZES = {
  artists: Math.round(20_000 * scale),
  albums: Math.round(10_000 * scale),
  tracks: Math.round(100_000 * scale),
  plays: Math.round(1_000_000 * scale),
  users: Math.max(10, Math.round(1_000 * scale)),
};

async function ms(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  const runs = [await ms(fn), await ms(fn), await ms(fn)].sort((a, b) => a - b);
  return runs[1]!;
}

async function measure(store: Catalog.CatalogStore, data: ReturnType<typeof generate>) {
  const cpu = process.cpuUsage();
  const importCatalogMs = await ms(async () => {
    await store.upsertArtists(data.artists);
    await store.upsertAlbums(data.albums);
    await store.upsertTracks(data.tracks);
  });
  const importPlaysMs = await ms(() => store.appendPlays(data.plays));
  const trending = (window: 'week' | 'month' | 'all') => () =>
    store.trending({ window, now: NOW, limit: 50 });
  const query = {
    text: 'lvoe nigth',
    kinds: ['track' as const],
    sort: 'relevance' as const,
    limit: 20,
  };
  const figures = {
    importCatalogMs,
    importPlaysMs,
    week: await median(trending('week')),
    month: await median(trending('month')),
    all: await median(trending('all')),
    search: await median(() => store.search(query)),
    recommend: await median(() => store.recommend({ userId: 'u1', limit: 20 })),
  };
  const used = process.cpuUsage(cpu);
  return { ...figures, cpuMs: (used.user + used.system) / 1000 };
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
}

async function openStore(module: CatalogModule, backend: string, schema: string) {
  if (backend === 'pglite') return module.createPgliteStore();
  return module.createPostgresStore({ connectionString: PG_URL, schema });
}

async function main(): Promise<void> {
  console.log(JSON.stringify({ sizes: SIZES, sources: SOURCES }));
  const data = generate(SIZES, NOW);
  const modules: CatalogModule[] = [];
  for (const source of SOURCES) modules.push(await import(pathToFileURL(source).href));
  for (const backend of ['pglite', 'postgres']) {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [i, module] of modules.entries()) {
        const schema = `catalog_cmp_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
        try {
          const store = await openStore(module, backend, schema);
          const figures = await measure(store, data);
          await store.close();
          const round2 = (n: number) => Math.round(n * 10) / 10;
          const row = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round2(v)]));
          console.log(JSON.stringify({ backend, round, source: SOURCES[i], ...row }));
        } finally {
          if (backend === 'postgres') await dropSchema(schema);
        }
      }
    }
  }
}

await main();
