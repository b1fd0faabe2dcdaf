import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type DataExportSummary, writeDataExport } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

/** Runs the real `spoti` binary from sources in a child process. */
function spoti(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@spoti/source', '--import', 'tsx', 'src/bin.ts', ...args],
      {
        cwd: packageDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
let zip: string;
let summary: DataExportSummary;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spoti-cli-'));
  zip = join(dir, 'my_spotify_data.zip');
  summary = await writeDataExport({
    seed: 3,
    persona: 'night-owl',
    plays: 2500,
    out: zip,
    targetFileBytes: 300_000,
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI in-process with captured output streams. */
async function inProcess(
  args: readonly string[],
  tty = false,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _encoding, done) {
        into.push(String(chunk));
        done();
      },
    });
  // stderr can pose as a terminal to get the progress bar.
  const stderr = Object.assign(sink(err), { isTTY: tty });
  const code = await runCli(args, { stdout: sink(out), stderr });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const SPAWN_TIMEOUT = 120_000;

describe('spoti stats (end to end, spawned)', () => {
  it(
    'prints a readable summary with tables and an hour chart',
    async () => {
      const { code, stdout, stderr } = await spoti([
        'stats',
        zip,
        '--tz',
        'Europe/Berlin',
        '--top',
        '5',
      ]);
      expect(stderr).toBe(''); // not a TTY: no progress bar
      expect(code).toBe(0);
      expect(stdout).toContain('Listening statistics, all:');
      expect(stdout).toContain(`${summary.plays.toLocaleString('en-US')} plays in the period`);
      expect(stdout).toMatch(/Top artists \(by time\)\n\s+#\s+Artist\s+Hours\s+Plays\n/);
      expect(stdout).toContain('Hours of the day (Europe/Berlin)');
      const chart = stdout.split('\n').filter((l) => /^\s+\d\d:00 /.test(l));
      expect(chart).toHaveLength(24);
      // The night owl's longest bar is at night.
      const bars = chart.map((l) => (l.match(/█/g) ?? []).length);
      const peak = bars.indexOf(Math.max(...bars));
      expect(peak >= 21 || peak <= 3).toBe(true);
    },
    SPAWN_TIMEOUT,
  );

  it(
    'filters by period and uses supplied genres (JSON)',
    async () => {
      const all = JSON.parse((await inProcess(['stats', zip, '--json', '--tz', 'UTC'])).stdout);
      const artist = all.stats.topArtists.byTime[0].name as string;
      const genresFile = join(dir, 'genres.json');
      await writeFile(genresFile, JSON.stringify({ [artist]: ['death metal'] }));
      const { code, stdout } = await spoti([
        'stats',
        zip,
        '--json',
        '--tz',
        'UTC',
        '--period',
        'short_term',
        '--genres',
        genresFile,
      ]);
      expect(code).toBe(0);
      const report = JSON.parse(stdout);
      expect(report.stats.period.label).toBe('short_term');
      expect(report.stats.totals.plays).toBeLessThan(summary.plays);
      expect(report.stats.totals.plays).toBeGreaterThan(0);
      expect(report.profile.topGenre).toMatchObject({ name: 'death metal', family: 'metal' });
    },
    SPAWN_TIMEOUT,
  );
});

describe('spoti stats (in-process)', () => {
  it('prints JSON whose totals match the generated export', async () => {
    const { code, stdout } = await inProcess(['stats', zip, '--json', '--tz', 'Europe/Berlin']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.import.plays).toBe(summary.plays);
    expect(report.import.duplicates).toBe(summary.duplicates);
    expect(report.import.podcasts.count).toBe(summary.episodes);
    expect(report.stats.totals.plays).toBe(summary.plays);
    expect(report.profile.version).toBe(1);
    expect(report.profile.signals.nightShare.value).toBeGreaterThan(0.6);
    expect(report.profile.topGenre).toBeNull(); // exports carry no genres
  });

  it('draws a progress bar on a terminal', async () => {
    const { code, stderr } = await inProcess(
      ['stats', zip, '--csv', 'artists', '--tz', 'UTC'],
      true,
    );
    expect(code).toBe(0);
    const frames = stderr.split('\r').filter((f) => f.startsWith('Importing'));
    expect(frames.length).toBeGreaterThan(1);
    expect(frames[0]).toMatch(/^Importing \[\.+\]\s+0 %/);
    expect(frames[frames.length - 1]).toMatch(/^Importing \[#+\] 100 % {2}(\d+)\/\1 files/);
    expect(stderr.endsWith('\n')).toBe(true);
  });

  it('prints a CSV table', async () => {
    const { code, stdout } = await inProcess(['stats', zip, '--csv', 'hours', '--tz', 'UTC']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('hour,minutes');
    expect(lines).toHaveLength(25);
  });

  it('exits 2 on bad usage and 1 on an unreadable export, with a clear message', async () => {
    const usage = await inProcess(['stats', zip, '--period', 'yesterday']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('invalid --period "yesterday"');
    expect(usage.stderr).toContain('Usage: spoti stats');
    expect((await inProcess(['stats'])).code).toBe(2);
    expect((await inProcess(['stats', zip, '--json', '--csv', 'hours'])).code).toBe(2);
    const unknown = await inProcess(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const missing = await inProcess(['stats', join(dir, 'nope.zip')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Cannot read the export at');
    const zone = await inProcess(['stats', zip, '--tz', 'Mars/Olympus']);
    expect(zone.code).toBe(1);
    expect(zone.stderr).toContain('Unknown IANA time zone');
    const help = await inProcess(['stats', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--period');
  });
});
