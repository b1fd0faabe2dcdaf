// Benchmarks of the example server: an HTTP import of a data export (against unzip + JSON.parse of
// the same files, and the server's RSS growth), then the dashboard under load with autocannon in a
// separate process (against a static file of the same server), on PGlite and PostgreSQL.
//   pnpm bench                      20,000 plays
//   pnpm bench -- --plays=500000    the issue's size
//   pnpm bench -- --servers=/path/to/other/examples/server,.
//                                   also runs another checkout's server (before/after in one run)
//   pnpm bench -- --parts=import    the import and the first dashboard view only
//   pnpm bench -- --keep            keeps each backend's data (named by backend and size)
//   pnpm bench -- --dashboard-only  no import: the dashboard rows on the data --keep left
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeDataExport } from '@spoti/mock';
import pg from 'pg';
import yauzl from 'yauzl';
import { autocannon } from './autocannon.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const PLAYS = Number(arg('plays', '20000'));
const DURATION = Number(arg('duration', '10'));
const BACKENDS = arg('backends', 'pglite,postgres').split(',');
/** Server folders to run (each with its own `bench/serve.ts`); `.` is this one. */
const SERVERS = arg('servers', '.').split(',');
/** `import,dashboard` (default) or `import`: the dashboard parts need the import first. */
const DASHBOARD = arg('parts', 'import,dashboard').split(',').includes('dashboard');
const KEEP = process.argv.includes('--keep');
const DASHBOARD_ONLY = process.argv.includes('--dashboard-only');
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const here = import.meta.dirname;

interface Server {
  url: string;
  child: ChildProcess;
}

/**
 * The Node and V8 options the folder's `pnpm start` passes (its package.json `start` script, e.g.
 * a heap size), so each server runs as it is started in use.
 */
async function startOptions(root: string): Promise<string[]> {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    scripts?: { start?: string };
  };
  return (pkg.scripts?.start ?? '')
    .split(/\s+/)
    .filter((w) => w.startsWith('--') && !w.startsWith('--conditions') && w !== '--import');
}

async function startServerProcess(folder: string, env: Record<string, string>): Promise<Server> {
  const root = folder === '.' ? join(here, '..') : folder;
  const child = spawn(
    process.execPath,
    [
      ...(await startOptions(root)),
      // e.g. BENCH_SERVER_NODE_ARGS=--cpu-prof to profile the server process
      ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--conditions=@spoti/source',
      '--import',
      'tsx',
      join(root, 'bench', 'serve.ts'),
    ],
    {
      cwd: root,
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

/** With BENCH_MEMORY_LOG, notes the import's steps in the server's memory log (wall clock). */
function mark(step: string): void {
  const log = process.env.BENCH_MEMORY_LOG;
  if (log) appendFileSync(log, `${JSON.stringify({ at: Date.now(), step })}\n`);
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Signs in through the embedded Spotify; returns the session cookie. */
async function signIn(url: string): Promise<string> {
  let cookie = '';
  let next = `${url}/login`;
  for (let i = 0; i < 6; i++) {
    const res = await fetch(next, {
      redirect: 'manual',
      headers: next.startsWith(url) && cookie ? { cookie } : {},
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('spoti.sid='));
    if (set) cookie = set.split(';')[0] ?? '';
    const location = res.headers.get('location');
    if (location === null) break;
    next = new URL(location, next).toString();
  }
  return cookie;
}

async function unzipAndParse(zip: string): Promise<number> {
  const zipfile = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zip, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    zipfile.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('.json')) return zipfile.readEntry();
      zipfile.openReadStream(entry, async (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(c as Buffer);
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[];
        rows += parsed.length;
        zipfile.readEntry();
      });
    });
    zipfile.on('end', resolve);
    zipfile.on('error', reject);
    zipfile.readEntry();
  });
  return rows;
}

/** Uploads the export over HTTP and waits for the import page to report done. */
async function importOverHttp(server: Server, zip: string) {
  const pid = server.child.pid ?? 0;
  const cookie = await signIn(server.url);
  const settings = await (await fetch(`${server.url}/import`, { headers: { cookie } })).text();
  const csrf = /_csrf=([^"&]+)/.exec(settings)?.[1] ?? '';
  const rssBefore = await rssMiB(pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssMiB(pid).then(
      (r) => {
        rssPeak = Math.max(rssPeak, r);
      },
      () => undefined,
    );
  }, 200);
  const started = performance.now();
  mark('upload');
  const form = new FormData();
  form.append(
    'export',
    new Blob([new Uint8Array(await readFile(zip))], { type: 'application/zip' }),
    'my_spotify_data.zip',
  );
  const upload = await fetch(`${server.url}/import?_csrf=${csrf}`, {
    method: 'POST',
    body: form,
    headers: { cookie },
    redirect: 'manual',
  });
  const location = upload.headers.get('location') ?? '';
  if (upload.status !== 303) throw new Error(`upload answered ${upload.status}`);
  let page = '';
  for (;;) {
    page = await fetch(`${server.url}${location}`, { headers: { cookie } }).then(
      (r) => r.text(),
      () => 'http-equiv="refresh"', // a reset keep-alive connection: ask again
    );
    if (!page.includes('http-equiv="refresh"')) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const importMs = performance.now() - started;
  mark('done');
  const rssAtDone = rssPeak;
  // The statistics are prepared after the job reports done: the first view (which waits for
  // them) is timed and the RSS sampled through it, so their memory is measured too.
  const viewStart = performance.now();
  await (await fetch(`${server.url}/dashboard?period=all`, { headers: { cookie } })).text();
  const firstViewMs = performance.now() - viewStart;
  mark('first view');
  await new Promise((r) => setTimeout(r, 250)); // one more sample
  clearInterval(sampler);
  const inserted = Number(/data-summary="inserted">(\d+)/.exec(page)?.[1] ?? 0);
  return { cookie, importMs, inserted, rssBefore, rssAtDone, rssPeak, firstViewMs };
}

const f = (n: number) => n.toFixed(0);

/** The first and the warm dashboard view (autocannon), against a static file of the server. */
async function dashboardLines(
  server: Server,
  cookie: string,
  label: string,
  when: string,
): Promise<string[]> {
  const firstStart = performance.now();
  const first = await fetch(`${server.url}/dashboard?period=all`, { headers: { cookie } });
  await first.text();
  const firstMs = performance.now() - firstStart;
  const warm = await autocannon(`${server.url}/dashboard?period=all`, {
    connections: 20,
    durationS: DURATION,
    headers: [`cookie=${cookie}`],
  });
  const staticLoad = await autocannon(`${server.url}/static/app.css`, {
    connections: 20,
    durationS: DURATION,
    headers: [`cookie=${cookie}`],
  });
  return [
    `| ${label} | first dashboard view ${when} (all time) | ${f(firstMs)} ms | | |`,
    `| ${label} | warm dashboard, 20 connections, ${DURATION} s | ${f(warm.rps)} req/s, p50 ${f(warm.p50)} ms, p99 ${f(warm.p99)} ms, ${warm.errors} errors | static file: ${f(staticLoad.rps)} req/s, p50 ${f(staticLoad.p50)} ms, p99 ${f(staticLoad.p99)} ms | ${(staticLoad.rps / Math.max(1, warm.rps)).toFixed(1)}× fewer req/s |`,
  ];
}

async function benchBackend(
  folder: string,
  backend: string,
  zip: string,
  jsonBaselineMs: number,
): Promise<string[]> {
  const kept = KEEP || DASHBOARD_ONLY;
  const dir = kept
    ? join(tmpdir(), `spoti-server-bench-kept-${backend}-${PLAYS}`)
    : await mkdtemp(join(tmpdir(), 'spoti-server-bench-'));
  const dbName = kept
    ? `server_bench_kept_${PLAYS}`
    : `server_bench_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const env: Record<string, string> = { DATA_DIR: dir, UPLOAD_LIMIT_BYTES: String(4 * 1024 ** 3) };
  if (DASHBOARD_ONLY && (await stat(dir).catch(() => null)) === null) {
    throw new Error(`--dashboard-only: nothing kept in ${dir} (run with --keep first)`);
  }
  if (backend === 'postgres') {
    if (!DASHBOARD_ONLY) {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      if (KEEP) await admin.query(`drop database if exists "${dbName}" with (force)`);
      await admin.query(`create database "${dbName}"`);
      await admin.end();
    }
    env.DATABASE_URL = Object.assign(new URL(ADMIN_URL), { pathname: `/${dbName}` }).toString();
  }
  const server = await startServerProcess(folder, env);
  try {
    const load = os.loadavg()[0]?.toFixed(1);
    const label =
      SERVERS.length > 1 ? `${backend} (${folder}, load ${load})` : `${backend} (load ${load})`;
    if (DASHBOARD_ONLY) {
      return dashboardLines(server, await signIn(server.url), label, 'after a server start');
    }
    const imported = await importOverHttp(server, zip);
    const { cookie, importMs, inserted, rssBefore, rssAtDone, rssPeak, firstViewMs } = imported;
    return [
      `| ${label} | import of ${PLAYS.toLocaleString('en')} plays over HTTP | ${(importMs / 1000).toFixed(1)} s (${f(inserted / (importMs / 1000))} plays/s) | unzip + JSON.parse ${(jsonBaselineMs / 1000).toFixed(2)} s | ${(importMs / jsonBaselineMs).toFixed(1)}× |`,
      `| ${label} | server RSS during the import | +${f(rssAtDone - rssBefore)} MiB (from ${f(rssBefore)} to ${f(rssAtDone)} MiB) | | |`,
      `| ${label} | first dashboard view right after done (all time) | ${f(firstViewMs)} ms | | |`,
      `| ${label} | server RSS during the import and that view | +${f(rssPeak - rssBefore)} MiB (from ${f(rssBefore)} to ${f(rssPeak)} MiB) | | |`,
      ...(DASHBOARD ? await dashboardLines(server, cookie, label, 'again after the import') : []),
    ];
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    if (kept) console.log(`kept: ${dir}${backend === 'postgres' ? ` and database ${dbName}` : ''}`);
    else await rm(dir, { recursive: true, force: true });
    if (backend === 'postgres' && !kept) {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`drop database if exists "${dbName}" with (force)`);
      await admin.end();
    }
  }
}

const work = await mkdtemp(join(tmpdir(), 'spoti-server-bench-export-'));
try {
  const zip = join(work, 'my_spotify_data.zip');
  let jsonBaselineMs = 0;
  if (!DASHBOARD_ONLY) {
    await writeDataExport({
      seed: 42,
      persona: 'heavy-pop',
      plays: PLAYS,
      out: zip,
      accountData: false,
    });
    const parseStart = performance.now();
    const rows = await unzipAndParse(zip);
    jsonBaselineMs = performance.now() - parseStart;
    console.log(
      `export: ${rows} rows, ${((await stat(zip)).size / 1024 ** 2).toFixed(1)} MiB zipped`,
    );
  }
  const lines = [
    '| backend | what | measured | baseline | ratio |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const backend of BACKENDS) {
    for (const folder of SERVERS) {
      lines.push(...(await benchBackend(folder, backend, zip, jsonBaselineMs)));
      console.log(lines.slice(DASHBOARD ? -6 : -4).join('\n'));
    }
  }
  console.log(`\n${lines.join('\n')}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
