/**
 * Benchmarks of the synthetic world and the data-export writer. Writes the figures to
 * ../BENCHMARKS.md. Each export case runs in its own child process so peak memory is its own.
 *
 * Run with `pnpm --filter @spoti/mock bench` (optionally `-- --plays 100000`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZipFile } from 'yazl';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { streamExportRows } from '../src/export/export-rows.js';
import { writeDataExport } from '../src/export/write-data-export.js';
import { startMock } from '../src/server/start-mock.js';
import { createWorld } from '../src/world/create-world.js';
import type { WorldSize } from '../src/world/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const PLAYS = Number(arg('--plays') ?? 500_000);
const SEED = 42;

interface CaseResult {
  plays: number;
  startRssMb: number;
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
  zipBytes: number;
  files: number;
  rows: number;
  firstPlayMs?: number;
  resynced?: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Child process: one export case. */
async function runCase(
  kind: 'streaming' | 'naive',
  out: string,
  plays: number,
): Promise<CaseResult> {
  const startRssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  let peakHeap = 0;
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const t0 = performance.now();
  if (kind === 'streaming') {
    const summary = await writeDataExport({
      seed: SEED,
      persona: 'night-owl',
      plays,
      out,
      onProgress: sample,
    });
    sample();
    return {
      plays,
      startRssMb,
      ms: performance.now() - t0,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      peakHeapMb: mb(peakHeap),
      zipBytes: summary.bytes,
      files: summary.files.length,
      rows: summary.files.reduce((s, f) => s + f.rows, 0),
      firstPlayMs: summary.firstPlayMs,
      resynced: summary.resyncedPlays,
    };
  }
  // Baseline: every row in one array, one JSON.stringify, one zip entry from a buffer.
  const rows = [];
  for (const r of streamExportRows({ seed: SEED, persona: 'night-owl', plays: plays }))
    rows.push(r.row);
  sample();
  const text = JSON.stringify(rows);
  sample();
  const zip = new ZipFile();
  const output = createWriteStream(out);
  zip.outputStream.pipe(output);
  zip.addBuffer(
    Buffer.from(text),
    'Spotify Extended Streaming History/Streaming_History_Audio_all_0.json',
  );
  sample();
  zip.end();
  await once(output, 'close');
  return {
    plays,
    startRssMb,
    ms: performance.now() - t0,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    peakHeapMb: mb(peakHeap),
    zipBytes: statSync(out).size,
    files: 1,
    rows: rows.length,
  };
}

function child(
  kind: 'streaming' | 'naive',
  out: string,
  plays: number,
  nodeFlags: readonly string[] = [],
): CaseResult {
  const result = spawnSync(
    process.execPath,
    [
      ...nodeFlags,
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      '--case',
      kind,
      '--out',
      out,
      '--plays',
      String(plays),
    ],
    { encoding: 'utf8', maxBuffer: 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`${kind} case failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as CaseResult;
}

function time<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

async function main(): Promise<void> {
  const kind = arg('--case');
  if (kind === 'streaming' || kind === 'naive') {
    console.log(JSON.stringify(await runCase(kind, arg('--out') as string, PLAYS)));
    return;
  }
  const loadAtStart = loadavg()[0] ?? 0;
  const lines: string[] = [];
  const say = (line = '') => {
    console.log(line);
    lines.push(line);
  };

  // 1. createWorld per size (tiny: best of 5 after a warm-up).
  createWorld({ seed: 1, size: 'tiny' });
  const worldRows: string[] = [];
  let large: ReturnType<typeof createWorld> | undefined;
  for (const size of ['tiny', 'small', 'medium', 'large'] as WorldSize[]) {
    const runs = size === 'tiny' ? 5 : 1;
    let best = Number.POSITIVE_INFINITY;
    let world = createWorld({ seed: SEED, size: 'tiny' });
    for (let r = 0; r < runs; r++) {
      const t = time(() => createWorld({ seed: SEED, size }));
      best = Math.min(best, t.ms);
      world = t.value;
    }
    if (size === 'large') large = world;
    worldRows.push(
      `| ${size} | ${world.users.size} | ${world.artists.size.toLocaleString('en')} | ${world.albums.size.toLocaleString('en')} | ${world.tracks.size.toLocaleString('en')} | ${best.toFixed(0)} ms |`,
    );
  }

  // 2. One million plays across the users of the large world (streamed, not kept).
  const world = large as ReturnType<typeof createWorld>;
  const users = [...world.users.keys()];
  const target = 1_000_000;
  const from = world.startTimeMs - 730 * 86_400_000;
  const t0 = performance.now();
  let plays = 0;
  outer: for (let round = 0; ; round++) {
    for (const user of users) {
      const fromMs = from + round * 60 * 86_400_000;
      for (const _ of world.streamPlays(user, fromMs, fromMs + 60 * 86_400_000 - 1)) {
        if (++plays >= target) break outer;
      }
    }
  }
  const playsMs = performance.now() - t0;

  // 2b. The ground truth asked for repeatedly at one clock time (a poller test's pattern): the
  // shared prefix vs copying the history on every call (the baseline).
  const small = createWorld({ seed: SEED, size: 'small' });
  const someone = small.users.keys().next().value as string;
  const history = small.playsOf(someone, small.startTimeMs);
  const calls = 200;
  const shared = time(() => {
    let n = 0;
    for (let i = 0; i < calls; i++) n += small.playsOf(someone, small.startTimeMs).length;
    return n;
  });
  const copied = time(() => {
    let n = 0;
    for (let i = 0; i < calls; i++) n += history.slice(0, history.length).length;
    return n;
  });

  // 2c. Paging /me/tracks through 10k saved tracks over HTTP: the kept sorted list vs rebuilding it
  // for every page (the baseline; forced by moving the clock 1 ms before each page).
  const savedWorld = createWorld({ seed: SEED, size: 'small' });
  const saver = savedWorld.users.values().next().value as NonNullable<
    ReturnType<typeof savedWorld.users.get>
  >;
  saver.savedTracks.clear();
  let savedCount = 0;
  for (const track of savedWorld.tracks.values()) {
    if (savedCount >= 10_000) break;
    if (!savedWorld.isReleased(track.albumId, savedWorld.startTimeMs)) continue;
    saver.savedTracks.set(track.id, savedWorld.startTimeMs - savedCount * 60_000);
    savedCount++;
  }
  const server = await startMock({ world: savedWorld, seed: SEED, profile: 'extended' });
  const pageAll = async (rebuild: boolean): Promise<{ ms: number; pages: number }> => {
    const token = server.controls.auth.issueTokens({ userId: saver.id }).access_token;
    const headers = { Authorization: `Bearer ${token}` };
    const start = performance.now();
    let pages = 0;
    for (let offset = 0; offset < savedCount; offset += 50) {
      if (rebuild) server.controls.clock.advance(1);
      const response = await fetch(`${server.apiUrl}/me/tracks?limit=50&offset=${offset}`, {
        headers,
      });
      await response.arrayBuffer();
      pages++;
    }
    return { ms: performance.now() - start, pages };
  };
  await pageAll(false); // warm-up
  const keptPaging = await pageAll(false);
  const rebuiltPaging = await pageAll(true);
  await server.close();

  // 3. The export, streaming vs the naive baseline, each in its own process.
  const dir = mkdtempSync(join(tmpdir(), 'spoti-bench-'));
  try {
    const streaming = child('streaming', join(dir, 'streaming.zip'), PLAYS);
    const naive = child('naive', join(dir, 'naive.zip'), PLAYS);
    const smaller = child('streaming', join(dir, 'smaller.zip'), Math.round(PLAYS / 5));
    const capped = child('streaming', join(dir, 'capped.zip'), PLAYS, ['--max-old-space-size=128']);

    say('# @spoti/mock benchmarks');
    say();
    say(
      `Written by \`bench/run.ts\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}.`,
    );
    say(
      `Figures vary between machines and with load (1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]?.toFixed(1)} at the end of this run); compare the rows of one run.`,
    );
    say();
    say('## createWorld');
    say();
    say('| size | users | artists | albums | tracks | time |');
    say('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const row of worldRows) say(row);
    say();
    say('## Listening histories');
    say();
    say(
      `${plays.toLocaleString('en')} plays across ${users.length} users of the large world in ${(playsMs / 1000).toFixed(2)} s (${Math.round((plays / playsMs) * 1000).toLocaleString('en')} plays/s), generated day by day with \`streamPlays\`.`,
    );
    say();
    say(
      `\`playsOf\` / \`truth.plays\` asked ${calls.toLocaleString('en')} times at one clock time for a user with ${history.length.toLocaleString('en')} plays: ${shared.ms.toFixed(1)} ms (one shared array) vs ${copied.ms.toFixed(1)} ms when every call copies the history (baseline).`,
    );
    say();
    say('## Saved tracks paging');
    say();
    say(
      `\`GET /me/tracks?limit=50\` over HTTP through ${savedCount.toLocaleString('en')} saved tracks (${keptPaging.pages} pages): ${keptPaging.ms.toFixed(0)} ms (${(keptPaging.ms / keptPaging.pages).toFixed(2)} ms/page) with the sorted list kept between requests vs ${rebuiltPaging.ms.toFixed(0)} ms (${(rebuiltPaging.ms / rebuiltPaging.pages).toFixed(2)} ms/page) when it is filtered and sorted for every page (baseline).`,
    );
    say();
    say(`## Data export: ${PLAYS.toLocaleString('en')} plays, night-owl persona`);
    say();
    say(
      'Streaming: `writeDataExport` (rows from the play stream, one file of about 12 MB at a time).',
    );
    say(
      'Baseline: the same rows collected in one array, `JSON.stringify` of the whole array, one zip entry.',
    );
    say();
    say(
      'Each case runs in a fresh process; "start RSS" is that process before the work (runtime and loader).',
    );
    say(
      'Peak heap is sampled between files, so it shows what stays alive rather than every transient peak.',
    );
    say();
    say(
      '| case | plays | time | plays/s | zip size | files | rows | start RSS | peak RSS | peak heap |',
    );
    say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, r] of [
      ['streaming', streaming],
      ['naive baseline', naive],
      ['streaming, 1/5 of the plays', smaller],
      ['streaming, heap capped at 128 MB', capped],
    ] as const) {
      say(
        `| ${name} | ${r.plays.toLocaleString('en')} | ${(r.ms / 1000).toFixed(2)} s | ${Math.round((r.plays / r.ms) * 1000).toLocaleString('en')} | ${mb(r.zipBytes)} MB | ${r.files} | ${r.rows.toLocaleString('en')} | ${r.startRssMb} MB | ${r.peakRssMb} MB | ${r.peakHeapMb} MB |`,
      );
    }
    say();
    say(
      `The ${PLAYS.toLocaleString('en')} plays start on ${new Date(streaming.firstPlayMs ?? 0).toISOString().slice(0, 10)} (histories stay within 14 years: the rate is raised for heavy listeners); ${(streaming.resynced ?? 0).toLocaleString('en')} offline plays appear a second time, re-synced. The writer generates the history twice (a counting pass backwards to find where the last ${PLAYS.toLocaleString('en')} plays start, then the rows), about ${(((PLAYS / plays) * playsMs) / 1000).toFixed(1)} s of its time at the rate above.`,
    );
    say();
    say(
      `The streaming writer needs ${Math.round((100 * streaming.peakRssMb) / naive.peakRssMb)}% of the baseline's peak RSS and takes ${(streaming.ms / naive.ms).toFixed(2)}× its time, while also writing the account-data files and splitting the history as Spotify does. With the heap capped at 128 MB it writes the same ${PLAYS.toLocaleString('en')} plays at ${capped.peakRssMb} MB peak RSS (the baseline needs the whole history in memory at once).`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(join(here, '..', 'BENCHMARKS.md'), `${lines.join('\n')}\n`);
}

await main();
