// Platform API benchmark (issue 18 §6): a PostgreSQL database seeded with a synthetic catalog and
// a play log (default 1,000,000 plays), the server in a process of its own, and autocannon in
// another process at 50 connections against trending (week), search and random songs, with
// `GET /api/v1/me` (token lookup + one row) as the same-run baseline. Prints a Markdown table.
//
//   node --conditions=@spoti/source --import tsx bench/api.ts --plays=1000000 --duration=10
// `--server=<dir>` runs the server of another checkout's `examples/server` (say, the code before a
// change) against the same kind of database: compare the two runs' ratios and load averages.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createPostgresStore } from '@spoti/catalog';
import pg from 'pg';
import { seedCatalog } from './api-data.js';
import { type Load, autocannon } from './autocannon.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const PLAYS = Number(arg('plays', '1000000'));
const DURATION = Number(arg('duration', '10'));
const CONNECTIONS = 50;
/** `--db=name`: reuse a database seeded by an earlier run with `--keep`. */
const REUSE = arg('db', '');
const KEEP = process.argv.includes('--keep');
const SERVER_DIR = arg('server', join(import.meta.dirname, '..'));
/** `--profile=DIR`: the server writes a CPU profile (`--cpu-prof`) of its whole run into DIR. */
const PROFILE_DIR = arg('profile', '');
/** `--only=a,b`: only the rows whose name contains one of these words (the baseline always runs). */
const ONLY = arg('only', '')
  .split(',')
  .filter((w) => w !== '');
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const _here = import.meta.dirname;

/** A row's throughput against the baseline's, in words that read the right way round. */
function throughputRatio(rps: number, baseRps: number): string {
  if (rps >= baseRps) return `${(rps / Math.max(baseRps, 0.01)).toFixed(1)}× more req/s`;
  return `${(baseRps / Math.max(rps, 0.01)).toFixed(1)}× fewer req/s`;
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function startServerProcess(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      ...(PROFILE_DIR === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`]),
      '--conditions=@spoti/source',
      '--import',
      'tsx',
      join(SERVER_DIR, 'bench', 'serve.ts'),
    ],
    {
      cwd: SERVER_DIR,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.startsWith('{')) return { url: (JSON.parse(line) as { url: string }).url, child };
  }
  throw new Error('the server process ended before listening');
}

/** CPU time (user + system, ms) a process has used so far, from `/proc` (Linux). */
async function cpuMsOf(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 (12 and 13 after the name), in ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function json(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

const dbName = REUSE || `api_bench_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
const dbUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${dbName}` }).toString();
const dir = await mkdtemp(join(tmpdir(), 'spoti-api-bench-'));
if (REUSE === '') await admin(`create database "${dbName}"`);
let server: { url: string; child: ChildProcess } | undefined;
try {
  const sizes = { artists: 2_000, albums: 6_000, tracks: 60_000, users: 5_000, plays: PLAYS };
  const now = Date.now();
  const seedStart = performance.now();
  if (REUSE === '') {
    const store = await createPostgresStore({ connectionString: dbUrl });
    await seedCatalog(store, sizes, now, 45, (n) => {
      if (n % 100_000 === 0) process.stderr.write(`seeded ${n} plays\n`);
    });
    await store.close();
  }
  const seedMs = performance.now() - seedStart;
  const vacuum = new pg.Client({ connectionString: dbUrl });
  await vacuum.connect();
  await vacuum.query('vacuum analyze');
  await vacuum.end();

  server = await startServerProcess({
    DATA_DIR: dir,
    DATABASE_URL: dbUrl,
    API_RATE_LIMIT_PER_MINUTE: '100000000',
    API_LOGIN_ATTEMPTS_PER_15_MINUTES: '1000',
  });
  const api = `${server.url}/api/v1`;
  const email = `bench-${Date.now()}@example.test`;
  const password = 'fake-Bench-phrase-1';
  await json(`${api}/auth/register`, {
    method: 'POST',
    body: JSON.stringify({ email, password, displayName: 'Bench' }),
  });
  const login = await json(`${api}/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ email, password }),
  });
  const token = String(login.token);
  const targets = (
    [
      ['baseline: GET /me (token lookup)', `${api}/me`],
      ['trending, week, songs', `${api}/trending?window=week&type=song&limit=20`],
      ['trending, month, songs', `${api}/trending?window=month&type=song&limit=20`],
      ['trending, all time, artists', `${api}/trending?window=all&type=artist&limit=20`],
      ['search "river light", songs', `${api}/search?q=river%20light&type=song&limit=20`],
      ['search "velvet", all kinds', `${api}/search?q=velvet&limit=20`],
      ['search "rivr ligt" (typos), songs', `${api}/search?q=rivr%20ligt&type=song&limit=20`],
      ['random, 10 songs', `${api}/songs/random?count=10`],
      ['random, 10 jazz songs', `${api}/songs/random?count=10&genre=jazz`],
    ] as const
  ).filter(([name], i) => i === 0 || ONLY.length === 0 || ONLY.some((w) => name.includes(w)));
  // Warm every route once (and check that it answers).
  for (const [, url] of targets) await json(url, { headers: { authorization: `Bearer ${token}` } });
  const rows: string[] = [];
  let base: Load | undefined;
  for (const [name, url] of targets) {
    // One request first: it waits until requests left over from the previous row are done.
    await json(url, { headers: { authorization: `Bearer ${token}` } });
    const cpuBefore = await cpuMsOf(server.child.pid);
    const load = await autocannon(url, {
      connections: CONNECTIONS,
      durationS: DURATION,
      headers: [`authorization=Bearer ${token}`],
    });
    const cpuMs = (await cpuMsOf(server.child.pid)) - cpuBefore;
    base ??= load;
    const ratio = base === load ? '1×' : throughputRatio(load.rps, base.rps);
    const cpuPerRequest = load.requests > 0 ? (cpuMs / load.requests).toFixed(2) : '–';
    rows.push(
      `| ${name} | ${Math.round(load.rps).toLocaleString('en')} req/s | ${load.p50} ms | ${load.p99} ms | ${load.errors} | ${ratio} | ${cpuPerRequest} ms | ${loadavg()[0]?.toFixed(1)} |`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
  }
  process.stdout.write(
    [
      REUSE === '' ? '' : `(database ${dbName} reused)`,
      `Data: ${sizes.artists.toLocaleString('en')} artists, ${sizes.albums.toLocaleString('en')} albums, ${sizes.tracks.toLocaleString('en')} songs (2% private), ${sizes.users.toLocaleString('en')} listeners, ${sizes.plays.toLocaleString('en')} plays over 45 days; seeded in ${(seedMs / 1000).toFixed(0)} s through appendPlays.`,
      '',
      `Server: ${SERVER_DIR}.`,
      '',
      `| request (${CONNECTIONS} connections, ${DURATION} s) | throughput | p50 | p99 | errors | vs baseline | server CPU per request | load average (1 min) |`,
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
} finally {
  const child = server?.child;
  if (child !== undefined && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
  if (KEEP) process.stderr.write(`kept database ${dbName}\n`);
  else await admin(`drop database if exists "${dbName}" with (force)`);
}
