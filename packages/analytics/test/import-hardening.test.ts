import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildListeningProfile,
  computeStats,
  EXPORT_LIMITS,
  type ExportImportError,
  type ExportItem,
  importSpotifyExport,
  isExportImportError,
  MAX_KEPT_ISSUES,
  readSpotifyExport,
  statsToCsv,
  statsToJson,
} from '../src/index.js';
import { play } from './helpers.js';
import { zipOf } from './zip-writer.js';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spoti-analytics-hardening-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const row = (ts: string, extra: Record<string, unknown> = {}) => ({
  ts,
  platform: 'linux',
  ms_played: 200_000,
  master_metadata_track_name: 'Track',
  master_metadata_album_artist_name: 'Artist',
  master_metadata_album_album_name: 'Album',
  spotify_track_uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC',
  reason_start: 'trackdone',
  reason_end: 'trackdone',
  shuffle: false,
  skipped: false,
  offline: false,
  offline_timestamp: 0,
  ...extra,
});

let folders = 0;
/** A folder export with the given history files (name -> content), dated `mtime`. */
async function exportFolder(
  files: Record<string, string | Buffer>,
  mtime = new Date('2024-06-01T00:00:00Z'),
): Promise<string> {
  const folder = join(dir, `export-${folders++}`);
  const history = join(folder, 'Spotify Extended Streaming History');
  await mkdir(history, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const path = join(history, name);
    await writeFile(path, content);
    await utimes(path, mtime, mtime);
  }
  return folder;
}

const failure = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

const collect = async (source: string, options: Parameters<typeof readSpotifyExport>[1]) => {
  const items: ExportItem[] = [];
  const issues: ExportImportError[] = [];
  for await (const item of readSpotifyExport(source, {
    ...options,
    onIssue: (e) => issues.push(e),
  }))
    items.push(item);
  return { items, issues };
};

describe('an export where no file yields a play', () => {
  it('fails with every file and its reason (typed, in the message and in files)', async () => {
    const folder = await exportFolder({
      'Streaming_History_Audio_2024_0.json': 'this is not json',
      'Streaming_History_Audio_2024_1.json': '{"ts": "2024-01-01T00:00:00Z"}',
      'Streaming_History_Audio_2024_2.json': '',
      'Streaming_History_Audio_2024_3.json': '[]',
      'Streaming_History_Audio_2024_4.json': JSON.stringify([{}, row('yesterday')]),
      'Streaming_History_Audio_2024_5.json': JSON.stringify([
        row('2024-01-01T10:00:00Z', {
          spotify_track_uri: null,
          master_metadata_track_name: null,
          episode_name: 'An episode',
          episode_show_name: 'A show',
        }),
      ]),
    });
    const error = await failure(importSpotifyExport(folder, { userId: 'me', strict: false }));
    expect(isExportImportError(error)).toBe(true);
    const e = error as ExportImportError;
    expect(e.code).toBe('EXPORT_NO_PLAYS');
    const reasons = Object.fromEntries(e.files.map((f) => [f.file.split('/')[1], f.reason]));
    expect(reasons).toEqual({
      'Streaming_History_Audio_2024_0.json': expect.stringMatching(/^is not valid JSON: /),
      'Streaming_History_Audio_2024_1.json':
        'does not hold a JSON array of rows (it holds an object)',
      'Streaming_History_Audio_2024_2.json': 'is empty',
      'Streaming_History_Audio_2024_3.json': 'holds an empty array (no rows)',
      'Streaming_History_Audio_2024_4.json': expect.stringMatching(
        /^2 rows, none a music play; 2 rows skipped, first row 0: Invalid ms_played/,
      ),
      'Streaming_History_Audio_2024_5.json': '1 row, none a music play; 1 podcast or audiobook row',
    });
    for (const f of e.files) expect(e.message).toContain(`${f.file}: ${f.reason}`);
  });

  it('fails the same way in strict mode when every file is valid but none holds music', async () => {
    const folder = await exportFolder({ 'Streaming_History_Audio_2024_0.json': '[]' });
    expect(await failure(importSpotifyExport(folder, { userId: 'me' }))).toMatchObject({
      code: 'EXPORT_NO_PLAYS',
      files: [{ reason: 'holds an empty array (no rows)' }],
    });
  });
});

describe('many malformed rows', () => {
  it('keeps the first issues in full and counts the rest', async () => {
    const rows = [row('2024-01-01T10:00:00Z'), ...Array.from({ length: 5000 }, () => ({}))];
    const folder = await exportFolder({
      'Streaming_History_Audio_2024_0.json': JSON.stringify(rows),
    });
    const imported = await importSpotifyExport(folder, { userId: 'me', strict: false });
    expect(imported.plays.size).toBe(1);
    expect(imported.issues).toHaveLength(MAX_KEPT_ISSUES);
    expect(imported.issueCount).toBe(5000);
    expect(imported.issues[MAX_KEPT_ISSUES - 1]).toMatchObject({
      code: 'EXPORT_MALFORMED_ROW',
      row: MAX_KEPT_ISSUES,
    });
  });

  it('imports a small zip of ten million {} rows in bounded memory', async () => {
    const body = Buffer.from(
      `[${JSON.stringify(row('2024-01-01T10:00:00Z'))}${',{}'.repeat(10_000_000)}]`,
    );
    const zip = join(dir, 'ten-million.zip');
    await writeFile(
      zip,
      zipOf([
        {
          name: 'Spotify Extended Streaming History/Streaming_History_Audio_2024.json',
          data: body,
        },
      ]),
    );
    const script = `
        import v8 from 'node:v8';
        import { runInNewContext } from 'node:vm';
        import { importSpotifyExport } from './src/index.ts';
        const imported = await importSpotifyExport(${JSON.stringify(zip)}, { userId: 'me', strict: false });
        v8.setFlagsFromString('--expose-gc');
        const gc = runInNewContext('gc');
        process.stdout.write(JSON.stringify({
          plays: imported.plays.size,
          kept: imported.issues.length,
          count: imported.issueCount,
          retained: (gc(), process.memoryUsage().heapUsed),
        }));`;
    // A heap of 1 GiB: ten million error objects with stacks (what was kept before) need several.
    const result = await new Promise<{ code: number | null; out: string; err: string }>(
      (resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            '--max-old-space-size=1024',
            '--conditions=@spoti/source',
            '--import',
            'tsx',
            '--input-type=module',
            '-e',
            script,
          ],
          { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        let err = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
        });
        child.stderr.setEncoding('utf8').on('data', (c: string) => {
          err += c;
        });
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, out, err }));
      },
    );
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(report).toMatchObject({ plays: 1, kept: MAX_KEPT_ISSUES, count: 10_000_000 });
    // What stays reachable: the index and 1,000 issues, not ten million.
    expect(report.retained).toBeLessThan(64 * 1024 * 1024);
  }, 180_000);
});

describe('dates and durations a history cannot hold', () => {
  it('skips them with file and row, and they shift no period', async () => {
    const good = [
      row('2024-03-01T10:00:00Z'),
      row('2024-03-02T10:00:00Z'),
      row('2024-05-30T10:00:00Z'),
    ];
    const folder = await exportFolder({
      'Streaming_History_Audio_2024_0.json': JSON.stringify([
        good[0],
        row('9999-12-31T23:59:59Z'),
        row('+275760-09-13T00:00:00.000Z'),
        row('+275760-09-13T00:00:00.001Z'),
        row('2005-12-31T23:59:59Z'),
        row('-000001-01-01T00:00:00Z'),
        row('2024-03-01T11:00:00Z', { ms_played: 1e308 }),
        row('2024-03-01T12:00:00Z', { ms_played: 86_400_001 }),
        row('2024-03-01T13:00:00Z', { offline: true, offline_timestamp: 1e308 }),
        good[1],
        row('2024-06-03T00:00:00Z'),
        good[2],
      ]),
    });
    const { items, issues } = await collect(folder, { userId: 'me', strict: false });
    expect(items.map((i) => i.row)).toEqual([0, 8, 9, 11]);
    expect(issues.map((e) => [e.code, e.row])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 10].map((r) => ['EXPORT_MALFORMED_ROW', r]),
    );
    expect(issues[0]?.message).toMatch(
      /Invalid ts: 9999-12-31T23:59:59.000Z is after the export was made \(its files are dated 2024-06-01T00:00:00.000Z.*\) plus a day \(file .*_2024_0\.json, row 1\)/,
    );
    expect(issues[4]?.message).toMatch(/is before 2006-01-01/);
    expect(issues[5]?.message).toMatch(/more than 24 hours/);
    // An absurd offline timestamp is dropped, the play kept.
    const offline = items[1];
    expect(offline?.kind === 'music' && offline.play.offlineTimestamp).toBeNull();

    const imported = await importSpotifyExport(folder, { userId: 'me', strict: false });
    const stats = computeStats(imported.plays, { timeZone: 'UTC', period: 'short_term' });
    expect(stats.period.to).toBe('2024-05-30T10:00:00.001Z');
    expect(stats.totals.plays).toBe(1);
    const all = computeStats(imported.plays, { timeZone: 'Pacific/Kiritimati' });
    expect(all.period.to.slice(0, 4)).toBe('2024');
    expect(() => statsToJson(all)).not.toThrow();
    expect(() => buildListeningProfile(imported.plays, { timeZone: 'UTC' })).not.toThrow();
  });

  it('takes the export time from exportedAt, and account-data times too', async () => {
    const file = join(dir, 'StreamingHistory_music_0.json');
    await writeFile(
      file,
      JSON.stringify([
        { endTime: '2024-05-01 21:03', artistName: 'A', trackName: 'T', msPlayed: 1000 },
        { endTime: '9999-12-31 23:59', artistName: 'A', trackName: 'U', msPlayed: 1000 },
        { endTime: '2024-05-03 21:03', artistName: 'A', trackName: 'V', msPlayed: 1000 },
      ]),
    );
    const exportedAt = Date.UTC(2024, 4, 1, 12);
    const { items, issues } = await collect(file, { userId: 'me', strict: false, exportedAt });
    expect(items.map((i) => i.row)).toEqual([0]);
    expect(issues.map((e) => e.row)).toEqual([1, 2]);
    expect(issues[1]?.message).toContain('exportedAt 2024-05-01T12:00:00.000Z');
  });

  it('strict mode stops at the first impossible row', async () => {
    const folder = await exportFolder({
      'Streaming_History_Audio_2024_0.json': JSON.stringify([row('9999-01-01T00:00:00Z')]),
    });
    expect(await failure(importSpotifyExport(folder, { userId: 'me' }))).toMatchObject({
      code: 'EXPORT_MALFORMED_ROW',
      row: 0,
    });
  });
});

describe('over-long names', () => {
  it('cuts them to the documented maximum with an ellipsis and reports the row, strict or not', async () => {
    const long = `${'a'.repeat(EXPORT_LIMITS.maxTextLength - 2)}😀${'b'.repeat(2_000_000)}`;
    const folder = await exportFolder({
      'Streaming_History_Audio_2024_0.json': JSON.stringify([
        row('2024-03-01T10:00:00Z', { master_metadata_track_name: long }),
        row('2024-03-01T11:00:00Z', { master_metadata_album_artist_name: long, platform: long }),
      ]),
    });
    for (const strict of [true, false]) {
      const imported = await importSpotifyExport(folder, { userId: 'me', strict });
      const names = imported.plays.tracks.map((t) => t.name);
      // The emoji would be split at the limit: it is dropped whole.
      expect(names[0]).toBe(`${'a'.repeat(EXPORT_LIMITS.maxTextLength - 2)}…`);
      expect(
        imported.plays.artists.every((a) => a.name.length <= EXPORT_LIMITS.maxTextLength),
      ).toBe(true);
      expect(imported.issues.map((e) => [e.code, e.row])).toEqual([
        ['EXPORT_TRUNCATED_FIELD', 0],
        ['EXPORT_TRUNCATED_FIELD', 1],
      ]);
      expect(imported.issues[1]?.message).toMatch(
        /Cut to 1000 characters: master_metadata_album_artist_name \(2,001,000 characters\), platform/,
      );
      const stats = computeStats(imported.plays, { timeZone: 'UTC' });
      expect(statsToJson(stats).length).toBeLessThan(100_000);
      expect(statsToCsv(stats, 'tracks').length).toBeLessThan(10_000);
    }
  });
});

describe('bytes that are not UTF-8', () => {
  it('replaces them and says so once per file; a byte-order mark is accepted', async () => {
    const folder = await exportFolder({
      'Streaming_History_Audio_2024_0.json': Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(JSON.stringify([row('2024-03-01T09:00:00Z')])),
      ]),
      'Streaming_History_Audio_2024_1.json': Buffer.concat([
        Buffer.from(
          '[{"ts":"2024-03-01T10:00:00Z","ms_played":1000,"master_metadata_track_name":"A\xff\xfeB","master_metadata_album_artist_name":"\xc3"},',
          'latin1',
        ),
        Buffer.from(
          '{"ts":"2024-03-01T10:05:00Z","ms_played":1000,"master_metadata_track_name":"C\xffD"}]',
          'latin1',
        ),
      ]),
    });
    const { items, issues } = await collect(folder, { userId: 'me', strict: true });
    const names = items.map((i) => (i.kind === 'music' ? i.play.trackName : ''));
    expect(names).toEqual(['Track', 'A\uFFFD\uFFFDB', 'C\uFFFDD']);
    expect(issues.map((e) => [e.code, e.file?.split('/')[1], e.row])).toEqual([
      ['EXPORT_INVALID_UTF8', 'Streaming_History_Audio_2024_1.json', null],
    ]);
    expect(issues[0]?.message).toContain('not UTF-8');
  });
});

describe('hostile archives and rows', () => {
  it('refuses a zip entry that inflates to more than it declares, without inflating it all', async () => {
    const history = 'Spotify Extended Streaming History/Streaming_History_Audio_2024';
    const good = Buffer.from(JSON.stringify([row('2024-03-01T10:00:00Z')]));
    const zip = join(dir, 'bomb.zip');
    await writeFile(
      zip,
      zipOf([
        { name: `${history}_0.json`, data: good },
        { name: `${history}_1.json`, data: Buffer.alloc(50_000_000, 0x20), declaredSize: 1000 },
      ]),
    );
    const imported = await importSpotifyExport(zip, { userId: 'me', strict: false });
    expect(imported.plays.size).toBe(1);
    expect(imported.issues).toHaveLength(1);
    expect(imported.issues[0]).toMatchObject({
      code: 'EXPORT_BAD_ARCHIVE',
      file: `${history}_1.json`,
      row: null,
    });
  });

  it('describes a deeply nested row without recursing into it', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const folder = await exportFolder({
      'Streaming_History_Audio_2024_0.json': `[${JSON.stringify(row('2024-03-01T10:00:00Z'))},${deep},{"ts":"2024-03-01T11:00:00Z","ms_played":${deep}}]`,
    });
    const { items, issues } = await collect(folder, { userId: 'me', strict: false });
    expect(items).toHaveLength(1);
    expect(issues.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Row is not an object \(an array\)/),
      expect.stringMatching(/^Invalid ms_played\/msPlayed: an array/),
    ]);
  });
});

describe('periods at the edges of the calendar', () => {
  it('prints every period as ISO 8601 and refuses instants beyond the date range', () => {
    const plays = [play({ endedAt: Date.UTC(2024, 2, 1) })];
    for (const period of ['9999', { from: '0001-01-01', to: '9999-12-31' }] as const) {
      const { stats, profile } = buildListeningProfile(plays, { timeZone: 'Etc/GMT+12', period });
      expect(stats.period.to).toBe('9999-12-31T23:59:59.999Z');
      expect(profile.period.to).toBe(stats.period.to);
    }
    const far = computeStats([play({ endedAt: -8e15 }), ...plays], { timeZone: 'UTC' });
    expect(far.period.from).toBe('0000-01-01T00:00:00.000Z');
    let error: unknown;
    try {
      computeStats(plays, { timeZone: 'UTC', period: { from: 0, to: 1e300 } });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'AnalyticsError', code: 'INVALID_INPUT' });
  });
});
