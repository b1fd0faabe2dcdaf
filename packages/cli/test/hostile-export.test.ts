import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spoti-cli-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function inProcess(args: readonly string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _encoding, done) {
        into.push(String(chunk));
        done();
      },
    });
  const code = await runCli(args, { stdout: sink(out), stderr: sink(err) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const row = (ts: string, extra: Record<string, unknown> = {}) => ({
  ts,
  ms_played: 200_000,
  master_metadata_track_name: 'Track',
  master_metadata_album_artist_name: 'Artist',
  master_metadata_album_album_name: 'Album',
  spotify_track_uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC',
  reason_end: 'trackdone',
  ...extra,
});

let count = 0;
async function exportFolder(files: Record<string, string>): Promise<string> {
  const folder = join(dir, `export-${count++}`);
  const history = join(folder, 'Spotify Extended Streaming History');
  await mkdir(history, { recursive: true });
  for (const [name, content] of Object.entries(files))
    await writeFile(join(history, name), content);
  return folder;
}

const UNREADABLE = {
  'Streaming_History_Audio_2024_0.json': 'not json at all',
  'Streaming_History_Audio_2024_1.json': '{"an": "object"}',
  'Streaming_History_Audio_2024_2.json': '',
};

describe('an export where no file yields a play', () => {
  it('makes `spoti stats` exit 1 naming every file and the reason', async () => {
    const folder = await exportFolder(UNREADABLE);
    for (const extra of [[], ['--json'], ['--csv', 'artists']]) {
      const { code, stdout, stderr } = await inProcess(['stats', folder, ...extra]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/No music play found/);
      expect(stderr).toMatch(/Streaming_History_Audio_2024_0\.json: is not valid JSON/);
      expect(stderr).toMatch(
        /Streaming_History_Audio_2024_1\.json: does not hold a JSON array of rows \(it holds an object\)/,
      );
      expect(stderr).toMatch(/Streaming_History_Audio_2024_2\.json: is empty/);
    }
  });

  it('makes `spoti face` exit 1 without writing an image', async () => {
    const folder = await exportFolder(UNREADABLE);
    const out = join(dir, 'face.png');
    const { code, stderr } = await inProcess(['face', folder, '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/No music play found/);
    expect(stderr).toMatch(/Streaming_History_Audio_2024_2\.json: is empty/);
    await expect(access(out)).rejects.toThrow();
  });

  it('sets the exit code of the real binary', async () => {
    const folder = await exportFolder({ 'Streaming_History_Audio_2024_0.json': '[]' });
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--conditions=@spoti/source', '--import', 'tsx', 'src/bin.ts', 'stats', folder],
        { cwd: packageDir, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Streaming_History_Audio_2024_0\.json: holds an empty array/);
  }, 120_000);
});

describe('hostile rows', () => {
  it('prints text, JSON and CSV for an export with huge names and impossible values', async () => {
    const huge = 'N'.repeat(5_000_000);
    const folder = await exportFolder({
      'Streaming_History_Audio_2024_0.json': JSON.stringify([
        row('2024-03-01T10:00:00Z', {
          master_metadata_track_name: huge,
          master_metadata_album_artist_name: huge,
          master_metadata_album_album_name: huge,
        }),
        row('2024-03-01T11:00:00Z'),
        row('+275760-09-13T00:00:00.000Z'),
        row('9999-01-01T00:00:00Z'),
        row('2024-03-01T12:00:00Z', { ms_played: 1e308 }),
        ...Array.from({ length: 20 }, () => ({})),
      ]),
    });
    const genres = join(dir, 'genres.json');
    await writeFile(genres, JSON.stringify({ artist: ['g'.repeat(1_000_000)] }));

    const text = await inProcess(['stats', folder, '--tz', 'UTC', '--genres', genres]);
    expect(text.code).toBe(0);
    expect(text.stdout.length).toBeLessThan(20_000);
    expect(text.stdout).toContain('2 plays in the period');
    expect(text.stdout).toContain('24 rows skipped or repaired');
    expect(text.stderr).toMatch(/warning: Cut to 1000 characters: master_metadata_track_name/);
    expect(text.stderr).toContain('warning: 19 more rows skipped or repaired');

    const json = await inProcess(['stats', folder, '--tz', 'UTC', '--json', '--genres', genres]);
    expect(json.code).toBe(0);
    expect(json.stdout.length).toBeLessThan(200_000);
    const report = JSON.parse(json.stdout);
    expect(report.import.issueCount).toBe(24);
    expect(report.import.issues[0]).toMatchObject({ code: 'EXPORT_TRUNCATED_FIELD', row: 0 });
    expect(report.stats.period.to).toBe('2024-03-01T11:00:00.001Z');

    const csv = await inProcess(['stats', folder, '--tz', 'UTC', '--csv', 'tracks']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.length).toBeLessThan(10_000);
  });
});
