// Writes the measured figures into docs/BENCHMARKS-packages.md between its markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const [figuresFile, target] = process.argv.slice(2);
const figures = readFileSync(figuresFile, 'utf8').trim();
const begin = '<!-- figures:begin -->';
const end = '<!-- figures:end -->';
const page = readFileSync(target, 'utf8');
const at = page.indexOf(begin);
const until = page.indexOf(end);
if (at < 0 || until < at) throw new Error(`${target} has no ${begin} ... ${end} markers`);
const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} when written.`;
writeFileSync(
  target,
  `${page.slice(0, at + begin.length)}\n${stamp}\n\n${figures}\n${page.slice(until)}`,
);
