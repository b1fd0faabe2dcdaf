// Where a warm dashboard request's CPU goes: the server in this process on data a
// `bench/run.ts --keep` run left, autocannon in another process; CPU time of this process per
// request and a CPU profile of the warm window only (`--out=` a .cpuprofile path).
//   node --conditions=@spoti/source --import tsx bench/dashboard-profile.ts --data=DIR [--db=NAME]
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { autocannon } from './autocannon.js';

const arg = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const db = arg('db');
const env: Record<string, string | undefined> = {
  ...process.env,
  PORT: '0',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '100000000',
  AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
  DATA_DIR: arg('data'),
};
if (db !== undefined) env.DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${db}`;
const server = await startServer(loadConfig(env, { baseDir: process.cwd(), randomBytes }));

let cookie = '';
let next = `${server.url}/login`;
for (let i = 0; i < 6; i++) {
  const res = await fetch(next, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const set = res.headers.getSetCookie().find((c) => c.startsWith('spoti.sid='));
  if (set) cookie = set.split(';')[0] ?? '';
  const location = res.headers.get('location');
  if (location === null) break;
  next = new URL(location, next).toString();
}
const url = `${server.url}/dashboard?period=all`;
const t0 = performance.now();
const first = await (await fetch(url, { headers: { cookie } })).text();
console.log(
  `first view ${(performance.now() - t0).toFixed(0)} ms, ${first.length} chars, plays ${/data-total="plays">(\d+)/.exec(first)?.[1]}`,
);
const headers = [`cookie=${cookie}`, ...(arg('gzip') ? ['accept-encoding=gzip'] : [])];
await autocannon(url, { connections: 4, durationS: 2, headers }); // warm-up
const session = new Session();
session.connect();
await session.post('Profiler.enable');
let profile: unknown;
for (const [name, target] of [
  ['dashboard', url],
  ['static', `${server.url}/static/app.css`],
] as const) {
  if (name === 'dashboard') await session.post('Profiler.start');
  const cpu = process.cpuUsage();
  const load = await autocannon(target, { connections: 20, durationS: 5, headers });
  const used = process.cpuUsage(cpu);
  if (name === 'dashboard') profile = (await session.post('Profiler.stop')).profile;
  console.log(
    `${name}: ${load.rps.toFixed(0)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, ${load.errors} errors; server CPU ${((used.user + used.system) / 1000 / load.requests).toFixed(2)} ms per request`,
  );
}
const out = arg('out');
if (out !== undefined) await writeFile(out, JSON.stringify(profile));
await server.close();
process.exit(0);
