import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDataExport } from '@spoti/mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importExport } from '../src/importer/import-spotify-export.js';
import type { ExportProgress, ImportedExport, ReadSpotifyExportOptions } from '../src/index.js';
import { computeStats, statsToJson } from '../src/index.js';
import { zipOf } from './zip-writer.js';

// The worker thread must give what reading on the main thread gives: the same index, issues,
// progress calls and errors, whatever the rows.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spoti-analytics-worker-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HISTORY = 'Spotify Extended Streaming History';
let zips = 0;
async function zipFile(files: Record<string, string | Buffer>): Promise<string> {
  const path = join(dir, `export-${zips++}.zip`);
  await writeFile(
    path,
    zipOf(
      Object.entries(files).map(([name, data]) => ({
        name: `${HISTORY}/${name}`,
        data: typeof data === 'string' ? Buffer.from(data) : data,
      })),
    ),
  );
  return path;
}

/** Everything observable of an import, as plain data. */
function snapshot(imported: ImportedExport) {
  const p = imported.plays;
  const n = p.size;
  return {
    size: n,
    duplicates: imported.duplicates,
    endedAt: [...p.endedAt.subarray(0, n)],
    msPlayed: [...p.msPlayed.subarray(0, n)],
    track: [...p.track.subarray(0, n)],
    skipped: [...p.skipped.subarray(0, n)],
    user: [...p.user.subarray(0, n)],
    offline: [...p.offline.subarray(0, n)],
    offlineTimestamp: [...p.offlineTimestamp.subarray(0, n)],
    order: [...p.order()],
    users: p.users,
    tracks: p.tracks,
    artists: p.artists,
    albums: p.albums,
    podcasts: imported.podcasts,
    audiobooks: imported.audiobooks,
    issues: imported.issues.map((e) => [e.code, e.message, e.file, e.row]),
    issueCount: imported.issueCount,
    progress: imported.progress,
  };
}

async function run(
  where: 'worker' | 'thread',
  source: string,
  options: ReadSpotifyExportOptions,
): Promise<{ result: unknown; progress: ExportProgress[]; onIssue: unknown[] }> {
  const progress: ExportProgress[] = [];
  const onIssue: unknown[] = [];
  try {
    const imported = await importExport(
      source,
      {
        ...options,
        onProgress: (p) => progress.push(p),
        onIssue: (e) => onIssue.push([e.code, e.file, e.row]),
      },
      where,
    );
    return { result: snapshot(imported), progress, onIssue };
  } catch (error) {
    const e = error as {
      name: string;
      code: string;
      message: string;
      file?: unknown;
      row?: unknown;
    };
    return {
      result: { thrown: [e.name, e.code, e.message, e.file ?? null, e.row ?? null] },
      progress,
      onIssue,
    };
  }
}

async function expectSame(source: string, options: ReadSpotifyExportOptions) {
  const thread = await run('thread', source, options);
  const worker = await run('worker', source, options);
  expect(worker).toEqual(thread);
  return thread;
}

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

describe('importing in a worker thread', () => {
  it('gives the same index, totals and progress as on the main thread for a generated export', async () => {
    const zip = join(dir, 'generated.zip');
    await writeDataExport({
      seed: 11,
      persona: 'night-owl',
      plays: 25_000,
      out: zip,
      targetFileBytes: 3_000_000,
    });
    const thread = await expectSame(zip, { userId: 'me' });
    expect((thread.result as { size: number }).size).toBe(25_000);
    // More than one chunk of 10,000 rows per file, so progress is reported inside files too.
    expect(thread.progress.length).toBeGreaterThan(6);
    const a = await importExport(zip, { userId: 'me' }, 'thread');
    const b = await importExport(zip, { userId: 'me' }, 'worker');
    expect(statsToJson(computeStats(b.plays, { timeZone: 'Europe/Paris' }))).toBe(
      statsToJson(computeStats(a.plays, { timeZone: 'Europe/Paris' })),
    );
    const files = (thread.result as { progress: ExportProgress }).progress.filesTotal;
    expect(files).toBeGreaterThan(1);
  }, 120_000);

  it('reports malformed rows, repairs and unusable files the same way, strict or not', async () => {
    const long = 'x'.repeat(1_500);
    const rows = [
      row('2024-01-01T10:00:00Z'),
      {},
      row('2024-01-01T10:05:00Z', { master_metadata_track_name: long }),
      row('2024-01-01T10:05:00Z'),
      row('2024-01-01T10:00:00Z'), // a duplicate of row 0
      row('2024-01-01T10:10:00Z', { spotify_track_uri: null, master_metadata_track_name: 'Bare' }),
      row('2024-01-01T10:11:00Z', { spotify_track_uri: 'spotify:track:a|b' }),
      row('2024-01-01T10:11:00Z', { spotify_track_uri: 'spotify:track:a|b' }),
      row('2024-01-01T10:12:00Z', {
        spotify_track_uri: null,
        master_metadata_track_name: null,
        episode_name: 'Episode',
        episode_show_name: 'Show',
      }),
      row('2024-01-01T10:13:00Z', {
        spotify_track_uri: null,
        master_metadata_track_name: null,
        audiobook_title: 'Book',
      }),
      row('2024-01-01T10:14:00Z', { offline: true, offline_timestamp: 1_704_103_000 }),
      row('2024-01-01T10:15:00Z', { skipped: null, reason_end: 'fwdbtn' }),
      row('1999-01-01T10:15:00Z'),
      row('2024-01-01T10:16:00Z', { ms_played: -1 }),
      row('2024-01-01T09:00:00Z', { spotify_track_uri: 'spotify:track:other' }),
    ];
    const bad = Buffer.concat([
      Buffer.from(
        '[{"ts":"2024-01-02T10:00:00Z","ms_played":1000,"master_metadata_track_name":"Caf',
      ),
      Buffer.from([0xe9]),
      Buffer.from('","spotify_track_uri":"spotify:track:cafe"}]'),
    ]);
    const zip = await zipFile({
      'Streaming_History_Audio_2024_1.json': JSON.stringify(rows),
      'Streaming_History_Audio_2024_2.json': bad,
      'Streaming_History_Audio_2024_3.json': '{"not": "an array"}',
      'Streaming_History_Audio_2024_4.json': '',
      'Streaming_History_Audio_2024_5.json': '[1, 2',
      'Streaming_History_Audio_2024_6.json': JSON.stringify([row('2024-01-03T10:00:00Z')]),
    });
    const tolerant = await expectSame(zip, { userId: 'me', strict: false });
    expect((tolerant.result as { issueCount: number }).issueCount).toBeGreaterThan(5);
    const strict = await expectSame(zip, { userId: 'me' });
    expect(strict.result).toHaveProperty('thrown');
    await expectSame(zip, { userId: 'a|b', strict: false });
    await expectSame(zip, {
      userId: 'me',
      strict: false,
      from: { file: `${HISTORY}/Streaming_History_Audio_2024_1.json`, row: 3 },
    });
    await expectSame(zip, {
      userId: 'me',
      strict: false,
      from: { file: `${HISTORY}/Streaming_History_Audio_2024_1.json`, row: 99 },
    });
    await expectSame(zip, { userId: 'me', strict: false, maxFileBytes: 100 });
  });

  it('agrees with the main thread on random rows across chunk boundaries', async () => {
    const arbitraryRow = fc.record({
      minute: fc.integer({ min: 0, max: 400 }),
      track: fc.constantFrom('spotify:track:A', 'spotify:track:B', 'spotify:track:c|d', null),
      name: fc.constantFrom('Song', 'song', 'Sóng', ''),
      artist: fc.constantFrom('Artist', 'ARTIST', 'Other'),
      offline: fc.constantFrom(true, false, null),
      offlineAt: fc.constantFrom(0, 1_704_103_000, 1_704_103_000_123),
      ms: fc.oneof(fc.integer({ min: 0, max: 400_000 }), fc.constant(-5)),
      broken: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbitraryRow, { minLength: 9_990, maxLength: 10_020 }),
        fc.boolean(),
        async (specs, strict) => {
          const rows = specs.map((s) =>
            s.broken && s.minute % 7 === 0
              ? { ts: 'not a date', ms_played: 1 }
              : row(new Date(Date.UTC(2024, 0, 1) + s.minute * 60_000).toISOString(), {
                  spotify_track_uri: s.track,
                  master_metadata_track_name: s.name,
                  master_metadata_album_artist_name: s.artist,
                  offline: s.offline,
                  offline_timestamp: s.offlineAt,
                  ms_played: s.ms,
                }),
          );
          const zip = await zipFile({
            'Streaming_History_Audio_2024_0.json': JSON.stringify(rows),
          });
          await expectSame(zip, { userId: 'me', strict });
          await rm(zip);
        },
      ),
      { numRuns: 4, seed: 20 },
    );
  }, 120_000);

  it('stops when the signal fires', async () => {
    const zip = await zipFile({
      'Streaming_History_Audio_2024_0.json': JSON.stringify(
        Array.from({ length: 25_000 }, (_, i) =>
          row(new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString()),
        ),
      ),
    });
    const controller = new AbortController();
    let calls = 0;
    const error = await importExport(
      zip,
      {
        userId: 'me',
        signal: controller.signal,
        onProgress: () => {
          if (++calls === 2) controller.abort();
        },
      },
      'worker',
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ABORTED' });
  });
});
