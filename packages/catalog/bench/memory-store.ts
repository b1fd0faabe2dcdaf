/**
 * The memory store at full size (100k tracks, 1M plays): trending per window and typo-tolerant
 * search, the queries issue 20 measures. Prints one JSON line. `--source` points at another copy
 * of the package (e.g. an earlier version) so a before/after comparison runs the same workload in
 * the same session.
 *
 *   node --conditions=@spoti/source --import tsx bench/memory-store.ts [--scale=1] [--source=...]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { generate } from './data.js';

const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const scale = Number(arg('scale') ?? '1');
const SOURCE = arg('source') ?? new URL('../src/index.ts', import.meta.url).pathname;
const NOW = Date.UTC(2026, 5, 1);
const size = (full: number) => Math.max(1, Math.round(full * scale));
const data = generate(
  {
    artists: size(20_000),
    albums: size(10_000),
    tracks: size(100_000),
    plays: size(1_000_000),
    users: size(1_000),
  },
  NOW,
);
const mod = (await import(pathToFileURL(SOURCE).href)) as typeof import('../src/index.js');
const store = mod.createMemoryStore();
for (let i = 0; i < data.artists.length; i += 5000)
  await store.upsertArtists(data.artists.slice(i, i + 5000));
for (let i = 0; i < data.albums.length; i += 5000)
  await store.upsertAlbums(data.albums.slice(i, i + 5000));
for (let i = 0; i < data.tracks.length; i += 5000)
  await store.upsertTracks(data.tracks.slice(i, i + 5000));
let start = performance.now();
for (let i = 0; i < data.plays.length; i += 100_000)
  await store.appendPlays(data.plays.slice(i, i + 100_000));
const appendMs = performance.now() - start;

async function median(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return Math.round(ms[Math.floor(ms.length / 2)]! * 10) / 10;
}
const query = { text: 'lvoe nigth', kinds: ['track' as const], limit: 20 };
const result = {
  source: SOURCE,
  plays: data.plays.length,
  appendMs: Math.round(appendMs),
  weekMs: await median(() => store.trending({ window: 'week', now: NOW })),
  monthMs: await median(() => store.trending({ window: 'month', now: NOW })),
  allMs: await median(() => store.trending({ window: 'all', now: NOW })),
  searchMs: await median(() => store.search(query)),
  searchHits: (await store.search(query)).total,
  week: JSON.stringify(await store.trending({ window: 'week', now: NOW, limit: 5 })),
  search: JSON.stringify((await store.search(query)).hits.slice(0, 5).map((h) => h.id)),
};
console.log(JSON.stringify(result));
