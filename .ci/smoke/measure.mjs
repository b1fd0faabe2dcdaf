// Installed sizes and import times of the packed packages, as a markdown table on stdout.
// Usage: node measure.mjs <project with everything> <entry>=<project with only that entry>...
// Times are medians of several fresh processes; each is also given as a ratio to a baseline
// measured in the same run (zod's import; an empty `node -e ""`), so a loaded machine shows.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const RUNS = 7;
const [allProject, ...pairs] = process.argv.slice(2);

function sizeOf(path) {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const name of readdirSync(path)) total += sizeOf(join(path, name));
  return total;
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes) => `${(bytes / 1_000_000).toFixed(1)} MB`;
const ms = (value) => `${value.toFixed(0)} ms`;

/** In-process time of `await import(specifier)` in a fresh node, in ms (median). */
function importTime(cwd, specifier) {
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const times = [];
  for (let i = 0; i < RUNS; i++)
    times.push(
      Number(execFileSync('node', ['--input-type=module', '-e', code], { cwd, encoding: 'utf8' })),
    );
  return median(times);
}

/** Wall time of a whole process, in ms (median). */
function processTime(cwd, args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const result = spawnSync('node', args, { cwd, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
    times.push(performance.now() - t);
  }
  return median(times);
}

const drivers = ['@electric-sql/pglite', 'pg', 'kysely'];
const lines = [
  '| Package (installed alone) | Installed size | Database drivers installed | `import()` | vs `import("zod")` |',
  '| --- | --- | --- | --- | --- |',
];
const zod = importTime(allProject, 'zod');
for (const pair of pairs) {
  const [entry, project] = pair.split('=');
  const modules = join(project, 'node_modules');
  const found = drivers.filter((d) => existsSync(join(modules, d)));
  const time = importTime(project, entry);
  lines.push(
    `| \`${entry}\` | ${mb(sizeOf(modules))} | ${found.length === 0 ? 'none' : found.join(', ')} | ${ms(time)} | ${(time / zod).toFixed(1)}x |`,
  );
}
lines.push('', `Baseline: \`import("zod")\` ${ms(zod)}.`, '');

const empty = processTime(allProject, ['-e', '']);
const spotiBin = join(allProject, 'node_modules', '@spoti', 'cli', 'bin', 'spoti.js');
const help = processTime(allProject, [spotiBin, '--help']);
const render = importTime(allProject, '@spoti/face/render');
lines.push(
  '| Process | Wall time | Above `node -e ""` |',
  '| --- | --- | --- |',
  `| \`node -e ""\` (baseline) | ${ms(empty)} | - |`,
  `| \`spoti --help\` | ${ms(help)} | +${ms(help - empty)} (${(help / empty).toFixed(2)}x) |`,
  '',
  `\`import("@spoti/face/render")\` (loads @napi-rs/canvas, only when a face is drawn): ${ms(render)}.`,
);
console.log(lines.join('\n'));
