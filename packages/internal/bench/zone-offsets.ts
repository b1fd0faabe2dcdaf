// CPU time of `ZoneOffsets.local()` (what the analytics call once per play) in this checkout's
// catalog against another checkout's: 3 rounds of 4 million conversions over six years in
// Europe/Berlin, alternating. Usage, from the repository root:
//   node --conditions=@spoti/source --import tsx packages/internal/bench/zone-offsets.ts <other checkout>
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ZoneOffsets as After } from '../../catalog/src/logic/time-zone.js';

const other = process.argv[2];
if (other === undefined) throw new Error('usage: zone-offsets.ts <path of the baseline checkout>');
const baselineFile = resolve(other, 'packages/catalog/src/logic/time-zone.ts');
const { ZoneOffsets: Before } = (await import(pathToFileURL(baselineFile).href)) as {
  ZoneOffsets: typeof After;
};

const N = 4_000_000;
const START = Date.UTC(2020, 0, 1);
const STEP = Math.floor((6 * 365 * 86_400_000) / N);

function run(Zone: typeof After): number {
  const zone = new Zone('Europe/Berlin');
  let sum = 0;
  for (let i = 0; i < N; i++) sum += zone.local(START + i * STEP) % 7;
  return sum;
}

const ms: Record<'baseline' | 'this', number[]> = { baseline: [], this: [] };
let check = 0;
for (let round = 0; round < 3; round++) {
  for (const [name, Zone] of [
    ['baseline', Before],
    ['this', After],
  ] as const) {
    const before = process.cpuUsage();
    check += run(Zone);
    const used = process.cpuUsage(before);
    ms[name].push(Math.round((used.user + used.system) / 100) / 10);
  }
}
console.log(JSON.stringify({ cpuMs: ms, check }));
