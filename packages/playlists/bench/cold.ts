/**
 * One cold measurement of the 20-clause rule, run in its own process by `run.ts` (so that "first
 * in the process" really is): the process builds the library, evaluates the built-in rules on an
 * index (as the main benchmark does), then times
 * - `first`: the rule's first evaluation in the process, on that index;
 * - `fresh`: its first evaluation on a new index (columns cold, compiled code warm), as a refresh
 *   job that rebuilds the index meets it;
 * - `warm`: the median of 3 more on the same index.
 * Prints one JSON line: wall and CPU milliseconds of each.
 *
 *   node --conditions=@spoti/source --import tsx bench/cold.ts [implementation entry]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type * as Playlists from '../src/index.js';
import { generatedLibrary, NOW } from '../test/fixtures.js';
import { CUSTOM } from './custom-rule.js';

const entry = process.argv[2] ?? new URL('../src/index.ts', import.meta.url).href;
const impl = (await import(
  entry.startsWith('file:') ? entry : pathToFileURL(entry).href
)) as typeof Playlists;
const library = generatedLibrary({ seed: 1, tracks: 10_000, plays: 200_000, likes: 10_000 });
const options = { now: NOW, timeZone: 'Europe/Berlin' };

function time(fn: () => unknown): { ms: number; cpu: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpu: (used.user + used.system) / 1000 };
}

const index = impl.createLibraryIndex(library, options);
for (const rule of Object.values(impl.BUILTIN_RULES)) impl.evaluateRule(rule, index);
const first = time(() => impl.evaluateRule(CUSTOM, index));
const freshIndex = impl.createLibraryIndex(library, options);
const fresh = time(() => impl.evaluateRule(CUSTOM, freshIndex));
const warmRuns = [0, 1, 2].map(() => time(() => impl.evaluateRule(CUSTOM, index)));
const warm = warmRuns.sort((a, b) => a.ms - b.ms)[1]!;
const ids = impl.evaluateRule(CUSTOM, index).trackIds;
console.log(JSON.stringify({ first, fresh, warm, result: ids.join(',') }));
