/**
 * Interleaved comparison in one process (run by `run.ts` when a baseline is given): the 20-clause
 * rule's first evaluation on a fresh index, alternating the baseline implementation and this one
 * 12 times, so both meet the same machine load. Prints one JSON line of medians (wall and CPU ms)
 * after dropping the first two rounds (compilation).
 *
 * With `--sorted` the play log is in time order (as a store returns it); by default it is in the
 * generator's random order.
 *
 *   node --conditions=@spoti/source --import tsx bench/cold-ab.ts <baseline entry> [--sorted]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type * as Playlists from '../src/index.js';
import { generatedLibrary, NOW } from '../test/fixtures.js';
import { CUSTOM } from './custom-rule.js';

const load = async (entry: string) =>
  (await import(entry.startsWith('file:') ? entry : pathToFileURL(entry).href)) as typeof Playlists;
const impls = [
  await load(process.argv[2]!),
  await load(new URL('../src/index.ts', import.meta.url).href),
];
const generated = generatedLibrary({ seed: 1, tracks: 10_000, plays: 200_000, likes: 10_000 });
const library = process.argv.includes('--sorted')
  ? { ...generated, plays: [...(generated.plays ?? [])].sort((a, b) => a.endedAt - b.endedAt) }
  : generated;
const runs: { ms: number; cpu: number }[][] = [[], []];
for (let round = 0; round < 12; round++) {
  impls.forEach((impl, j) => {
    const index = impl.createLibraryIndex(library, { now: NOW, timeZone: 'Europe/Berlin' });
    const cpu = process.cpuUsage();
    const start = performance.now();
    impl.evaluateRule(CUSTOM, index);
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    if (round >= 2) runs[j]!.push({ ms, cpu: (used.user + used.system) / 1000 });
  });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = runs.map((r) => ({
  ms: median(r.map((x) => x.ms)),
  cpu: median(r.map((x) => x.cpu)),
}));
console.log(JSON.stringify({ before: summary[0], after: summary[1] }));
