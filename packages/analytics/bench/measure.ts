// One measurement of the analytics benchmark, in its own process so its peak RSS is its own.
// Usage: measure.ts <bare|bare-fast|import|import-thread|import-worker|stats> <zip> [source dir]
// (`import-thread` / `import-worker`: the import alone, its files parsed on the main thread or in
// the worker thread, with the main thread's own CPU time beside the process's.)
// Prints one JSON object on stdout.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Play } from '@spoti/catalog';
import { inflateRaw } from 'node:zlib';
import yauzl from 'yauzl';

const [mode, zip, srcDir] = process.argv.slice(2) as [string, string, string | undefined];
const maxRss = () => process.resourceUsage().maxRSS * 1024;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const TZ = 'Europe/Paris';
/** CPU time (ms) of the main thread alone, from /proc (Linux; NaN elsewhere). */
const mainThreadCpu = () => {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return Number.NaN;
  }
};

/**
 * Unzip + bare JSON.parse of each extended-history file, nothing else: with yauzl's inflating
 * stream (`fast` false, the baseline since the first benchmark) or by reading the deflated bytes
 * and inflating each entry in one `zlib.inflateRaw` call, as the importer now does.
 */
async function bare(fast: boolean) {
  const zipFile = await new Promise<yauzl.ZipFile>((ok, fail) =>
    yauzl.open(zip, { lazyEntries: true, autoClose: false }, (e, z) => (e || !z ? fail(e) : ok(z))),
  );
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((ok, fail) => {
    zipFile.on('entry', (e: yauzl.Entry) => {
      if (/Streaming_History_Audio_.*\.json$/.test(e.fileName)) entries.push(e);
      zipFile.readEntry();
    });
    zipFile.once('end', ok);
    zipFile.once('error', fail);
    zipFile.readEntry();
  });
  let rows = 0;
  let bytes = 0;
  let parseMs = 0;
  for (const entry of entries) {
    const stored = await new Promise<Buffer>((ok, fail) =>
      zipFile.openReadStream(entry, { decompress: !fast }, (e, s) => {
        if (e) return fail(e);
        const chunks: Buffer[] = [];
        s.on('data', (c: Buffer) => chunks.push(c));
        s.once('end', () => ok(Buffer.concat(chunks)));
        s.once('error', fail);
      }),
    );
    const size = entry.uncompressedSize;
    const text = (
      fast
        ? await new Promise<Buffer>((ok, fail) =>
            inflateRaw(stored, { chunkSize: Math.max(64, size) }, (e, b) => (e ? fail(e) : ok(b))),
          )
        : stored
    ).toString('utf8');
    bytes += text.length;
    const t = performance.now();
    rows += (JSON.parse(text) as unknown[]).length;
    parseMs += performance.now() - t;
  }
  zipFile.close();
  return { rows, files: entries.length, bytes, parseMs };
}

type Analytics = typeof import('../src/index.js');
const load = async (): Promise<Analytics> =>
  (await import(resolve(srcDir ?? 'src', 'index.ts'))) as Analytics;

// Genres: exports carry none; give each artist one of the families by a hash of its name so the
// genre statistics run too.
const genresOf = (families: readonly string[]) => (artist: { name: string }) => {
  let h = 0;
  for (let i = 0; i < artist.name.length; i++) h = (h * 31 + artist.name.charCodeAt(i)) | 0;
  return [`${families[Math.abs(h) % families.length]} classic`];
};

async function importAndAnalyse() {
  const a = await load();
  const genres = genresOf(a.GENRE_FAMILIES);
  const c0 = cpu();
  const t0 = performance.now();
  const imported = await a.importSpotifyExport(zip, { userId: 'bench' });
  const t1 = performance.now();
  const c1 = cpu();
  const periods = ['all', 'short_term', 'medium_term', 'long_term', '2025'] as const;
  const stats = periods.map((period) =>
    a.computeStats(imported.plays, { timeZone: TZ, period, genresOf: genres }),
  );
  a.buildListeningProfile(imported.plays, {
    timeZone: TZ,
    period: 'medium_term',
    genresOf: genres,
  });
  const json = stats.map((x) => a.statsToJson(x)).join('\n');
  a.statsToCsv(stats[0] as (typeof stats)[number], 'tracks');
  const t2 = performance.now();
  const c2 = cpu();
  return {
    importMs: t1 - t0,
    importCpu: c1 - c0,
    analysisMs: t2 - t1,
    analysisCpu: c2 - c1,
    plays: imported.plays.size,
    duplicates: imported.duplicates,
    podcasts: imported.podcasts.count,
    audiobooks: imported.audiobooks.count,
    totalPlays: stats[0]?.totals.plays,
    digest: createHash('sha256').update(json).digest('hex'),
  };
}

/** The import alone, files parsed on this thread or in the worker thread. */
async function importWhere(where: 'thread' | 'worker') {
  const { importExport } = (await import(
    resolve(srcDir ?? 'src', 'importer', 'import-spotify-export.ts')
  )) as typeof import('../src/importer/import-spotify-export.js');
  const c0 = cpu();
  const m0 = mainThreadCpu();
  const t0 = performance.now();
  const imported = await importExport(zip, { userId: 'bench' }, where);
  return {
    importMs: performance.now() - t0,
    importCpu: cpu() - c0,
    mainCpu: mainThreadCpu() - m0,
    plays: imported.plays.size,
  };
}

/** Best wall and CPU time of `runs` runs. */
const best = (f: () => unknown, runs: number) => {
  let wall = Number.POSITIVE_INFINITY;
  let cpuMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const c = cpu();
    const t = performance.now();
    f();
    wall = Math.min(wall, performance.now() - t);
    cpuMs = Math.min(cpuMs, cpu() - c);
  }
  return { wall, cpu: cpuMs };
};

async function statsOver150k() {
  const a = await load();
  const genres = genresOf(a.GENRE_FAMILIES);
  const plays: Play[] = [];
  for await (const item of a.readSpotifyExport(zip, { userId: 'bench' })) {
    if (item.kind === 'music') plays.push(item.play);
    if (plays.length >= 150_000) break;
  }
  const sum = best(() => {
    let total = 0;
    for (const p of plays) total += p.msPlayed;
    return total;
  }, 20);
  const fromArray = best(() => a.computeStats(plays, { timeZone: TZ, genresOf: genres }), 7);
  const index = a.createPlayIndex();
  index.addAll(plays);
  const fromIndex = best(() => a.computeStats(index, { timeZone: TZ, genresOf: genres }), 7);
  const indexOnly = best(() => a.createPlayIndex().addAll(plays), 7);
  const check = a.computeStats(plays, { timeZone: TZ, genresOf: genres });
  return {
    plays: plays.length,
    sum,
    fromArray,
    fromIndex,
    indexOnly,
    distinct: check.totals.plays,
    topArtist: check.topArtists.byTime[0]?.name ?? null,
    digest: createHash('sha256').update(a.statsToJson(check)).digest('hex'),
  };
}

const c0 = cpu();
const t0 = performance.now();
const result =
  mode === 'bare' || mode === 'bare-fast'
    ? await bare(mode === 'bare-fast')
    : mode === 'import'
      ? await importAndAnalyse()
      : mode === 'import-thread' || mode === 'import-worker'
        ? await importWhere(mode === 'import-thread' ? 'thread' : 'worker')
        : await statsOver150k();
process.stdout.write(
  JSON.stringify({
    ...result,
    wallMs: performance.now() - t0,
    cpuMs: cpu() - c0,
    maxRss: maxRss(),
  }),
);
