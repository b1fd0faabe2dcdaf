import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataExportSummary, writeDataExport } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ExportImportError,
  type ExportItem,
  type ExportProgress,
  importSpotifyExport,
  isAnalyticsError,
  isExportImportError,
  readSpotifyExport,
} from '../src/index.js';

let dir: string;
let zip: string;
let summary: DataExportSummary;

const collect = async (source: string, options: Parameters<typeof readSpotifyExport>[1]) => {
  const items: ExportItem[] = [];
  for await (const item of readSpotifyExport(source, options)) items.push(item);
  return items;
};
const failure = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spoti-analytics-import-'));
  zip = join(dir, 'my_spotify_data.zip');
  summary = await writeDataExport({
    seed: 5,
    persona: 'night-owl',
    plays: 3000,
    out: zip,
    targetFileBytes: 200_000,
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readSpotifyExport on a generated export', () => {
  it('reads every row of the extended history and separates podcasts and audiobooks', async () => {
    const imported = await importSpotifyExport(zip, { userId: 'me' });
    const extendedFiles = summary.files.filter((f) => f.name.includes('Extended'));
    expect(extendedFiles.length).toBeGreaterThan(3);
    expect(imported.plays.size).toBe(summary.plays);
    expect(imported.duplicates).toBe(summary.duplicates);
    expect(imported.podcasts.count).toBe(summary.episodes);
    expect(imported.audiobooks.count).toBe(summary.audiobooks);
    expect(imported.progress.files).toBe(extendedFiles.length);
    expect(imported.progress.rows).toBe(extendedFiles.reduce((s, f) => s + f.rows, 0));
    expect(imported.issues).toEqual([]);
    const order = imported.plays.order();
    // ts has whole seconds.
    const second = (ms: number) => Math.floor(ms / 1000) * 1000;
    expect(imported.plays.endedAt[order[0] as number]).toBe(second(summary.firstPlayMs));
    expect(imported.plays.endedAt[order[order.length - 1] as number]).toBe(
      second(summary.lastPlayMs),
    );
  });

  it('maps every field of a music row onto a Play', async () => {
    const items = await collect(zip, { userId: 'me' });
    const music = items.filter((i) => i.kind === 'music');
    const first = music[0];
    if (first?.kind !== 'music') throw new Error('no music');
    expect(first.play).toMatchObject({
      userId: 'me',
      source: 'export',
      artistIds: [],
      albumId: null,
    });
    expect(first.play.trackId).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(first.play.trackName).not.toBe('');
    expect(typeof first.play.skipped).toBe('boolean');
    expect(first.play.platform).not.toBeNull();
    // Re-synced offline plays repeat with a new ts and the same offline_timestamp.
    const offline = new Set(
      music
        .map((i) =>
          i.kind === 'music' && i.play.offline === true
            ? `${i.play.trackId}@${i.play.offlineTimestamp}`
            : '',
        )
        .filter((k) => k !== ''),
    );
    expect(offline.size).toBe(summary.offlinePlays);
    expect(
      music.every(
        (i) =>
          i.kind !== 'music' || i.play.offline !== true || (i.play.offlineTimestamp ?? 0) > 1e12,
      ),
    ).toBe(true);
    const podcast = items.find((i) => i.kind === 'podcast');
    expect(podcast).toMatchObject({ kind: 'podcast' });
    if (podcast?.kind === 'podcast') {
      expect(podcast.title).not.toBe('');
      expect(podcast.show).not.toBeNull();
    }
  });

  it('reports progress up to every file and byte', async () => {
    const seen: ExportProgress[] = [];
    await collect(zip, { userId: 'me', onProgress: (p) => seen.push(p) });
    const last = seen[seen.length - 1] as ExportProgress;
    expect(last.bytes).toBe(last.bytesTotal);
    expect(last.files).toBe(last.filesTotal);
    for (let i = 1; i < seen.length; i++) {
      expect((seen[i] as ExportProgress).bytes).toBeGreaterThanOrEqual(
        (seen[i - 1] as ExportProgress).bytes,
      );
      expect((seen[i] as ExportProgress).rows).toBeGreaterThanOrEqual(
        (seen[i - 1] as ExportProgress).rows,
      );
    }
  });

  it('resumes from a checkpoint right after a given item', async () => {
    const all = await collect(zip, { userId: 'me' });
    const cut = all[Math.floor(all.length / 2)] as ExportItem;
    const rest = await collect(zip, { userId: 'me', from: { file: cut.file, row: cut.row + 1 } });
    expect(rest).toEqual(all.slice(Math.floor(all.length / 2) + 1));
    await expect(
      collect(zip, { userId: 'me', from: { file: 'nope.json', row: 0 } }),
    ).rejects.toThrow(/not part of this export/);
  });

  it('reads the Account data when asked to, with minute precision and no ids', async () => {
    const items = await collect(zip, { userId: 'me', accountData: 'include' });
    const account = items.filter((i) => i.file.includes('Account Data'));
    expect(account.length).toBeGreaterThan(0);
    const music = account.find((i) => i.kind === 'music');
    if (music?.kind !== 'music') throw new Error('no account music');
    expect(music.play.trackId).toBeNull();
    expect(music.play.endedAt % 60_000).toBe(0);
    expect(account.some((i) => i.kind === 'podcast')).toBe(true);
  });

  it('reads the older endsong naming', async () => {
    const out = join(dir, 'endsong.zip');
    const old = await writeDataExport({
      seed: 6,
      persona: 'heavy-pop',
      plays: 500,
      out,
      naming: 'endsong',
      accountData: false,
    });
    const imported = await importSpotifyExport(out, { userId: 'me' });
    expect(imported.plays.size).toBe(old.plays);
    expect(imported.progress.files).toBe(old.files.length);
  });

  it('aborts when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(collect(zip, { userId: 'me', signal: controller.signal }));
    expect(isAnalyticsError(error) && error.code === 'ABORTED').toBe(true);
  });
});

describe('broken exports', () => {
  const row = (ts: string, extra: Record<string, unknown> = {}) => ({
    ts,
    platform: 'linux',
    ms_played: 200_000,
    conn_country: 'DE',
    ip_addr: '10.0.0.1',
    master_metadata_track_name: 'Track',
    master_metadata_album_artist_name: 'Artist',
    master_metadata_album_album_name: 'Album',
    spotify_track_uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC',
    episode_name: null,
    episode_show_name: null,
    spotify_episode_uri: null,
    reason_start: 'trackdone',
    reason_end: 'trackdone',
    shuffle: false,
    skipped: false,
    offline: false,
    offline_timestamp: 0,
    incognito_mode: false,
    ...extra,
  });
  let folder: string;
  beforeAll(async () => {
    folder = join(dir, 'broken');
    const history = join(folder, 'Spotify Extended Streaming History');
    await mkdir(history, { recursive: true });
    await writeFile(
      join(history, 'Streaming_History_Audio_2024_0.json'),
      JSON.stringify([row('2024-01-01T10:00:00Z'), row('2024-01-01T10:05:00Z')]),
    );
    await writeFile(
      join(history, 'Streaming_History_Audio_2024_1.json'),
      '[{"ts": "2024-01-02T10:00:00Z", ',
    );
    await writeFile(
      join(history, 'Streaming_History_Audio_2024_2.json'),
      JSON.stringify([
        row('2024-01-03T10:00:00Z'),
        row('yesterday'),
        row('2024-01-03T10:10:00Z', { ms_played: -5 }),
        row('2024-01-03T10:20:00Z'),
      ]),
    );
    await writeFile(
      join(history, 'Streaming_History_Audio_2024_10.json'),
      JSON.stringify({ not: 'an array' }),
    );
    await writeFile(join(folder, 'Userdata.json'), '{"username": "x"}');
  });

  it('strict mode stops at the first malformed file, naming it', async () => {
    const error = await failure(collect(folder, { userId: 'me' }));
    expect(isExportImportError(error)).toBe(true);
    const e = error as ExportImportError;
    expect(e.code).toBe('EXPORT_MALFORMED_FILE');
    expect(e.file).toBe('Spotify Extended Streaming History/Streaming_History_Audio_2024_1.json');
    expect(e.row).toBeNull();
    expect(e.message).toContain('Streaming_History_Audio_2024_1.json');
  });

  it('strict mode names the file and row of a malformed row', async () => {
    const file = 'Spotify Extended Streaming History/Streaming_History_Audio_2024_2.json';
    const error = await failure(collect(folder, { userId: 'me', from: { file, row: 0 } }));
    expect(error).toMatchObject({ code: 'EXPORT_MALFORMED_ROW', file, row: 1 });
    expect((error as Error).message).toMatch(/Invalid ts: "yesterday" \(file .*_2\.json, row 1\)/);
  });

  it('tolerant mode skips and reports every problem, in natural file order', async () => {
    const issues: ExportImportError[] = [];
    const items = await collect(folder, {
      userId: 'me',
      strict: false,
      onIssue: (e) => issues.push(e),
    });
    expect(items.map((i) => i.kind === 'music' && new Date(i.play.endedAt).toISOString())).toEqual([
      '2024-01-01T10:00:00.000Z',
      '2024-01-01T10:05:00.000Z',
      '2024-01-03T10:00:00.000Z',
      '2024-01-03T10:20:00.000Z',
    ]);
    expect(issues.map((e) => [e.code, e.file?.split('/')[1], e.row])).toEqual([
      ['EXPORT_MALFORMED_FILE', 'Streaming_History_Audio_2024_1.json', null],
      ['EXPORT_MALFORMED_ROW', 'Streaming_History_Audio_2024_2.json', 1],
      ['EXPORT_MALFORMED_ROW', 'Streaming_History_Audio_2024_2.json', 2],
      ['EXPORT_MALFORMED_FILE', 'Streaming_History_Audio_2024_10.json', null],
    ]);
  });

  it('refuses a file larger than maxFileBytes before reading it', async () => {
    const issues: ExportImportError[] = [];
    const items = await collect(folder, {
      userId: 'me',
      strict: false,
      maxFileBytes: 100,
      onIssue: (e) => issues.push(e),
    });
    expect(items).toEqual([]);
    expect(issues.map((e) => e.message).join('\n')).toMatch(/more than the 100 accepted/);
  });

  it('reads a single Account-data file', async () => {
    const file = join(dir, 'StreamingHistory0.json');
    await writeFile(
      file,
      JSON.stringify([
        { endTime: '2024-05-01 21:03', artistName: 'A', trackName: 'T', msPlayed: 1000 },
        { endTime: '2024-05-01 21:07', artistName: 'A', trackName: 'U', msPlayed: 2000 },
      ]),
    );
    const items = await collect(file, { userId: 'me' });
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      kind: 'music',
      file: 'StreamingHistory0.json',
      row: 0,
      play: { endedAt: Date.UTC(2024, 4, 1, 21, 3), trackId: null, artistName: 'A' },
    });
  });

  it('fails clearly on a missing path, a broken zip and an export without history', async () => {
    expect(await failure(collect(join(dir, 'missing.zip'), { userId: 'me' }))).toMatchObject({
      code: 'EXPORT_NOT_FOUND',
    });
    const truncated = join(dir, 'truncated.zip');
    const bytes = await readFile(zip);
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await failure(collect(truncated, { userId: 'me' }))).toMatchObject({
      code: 'EXPORT_BAD_ARCHIVE',
    });
    const empty = join(dir, 'empty');
    await mkdir(empty);
    expect(await failure(collect(empty, { userId: 'me' }))).toMatchObject({ code: 'EXPORT_EMPTY' });
    expect(await failure(collect(zip, { userId: '' }))).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
