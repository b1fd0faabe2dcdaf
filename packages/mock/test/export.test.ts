import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { type ExportRow, exportWorld, streamExportRows } from '../src/export/export-rows.js';
import { writeDataExport } from '../src/export/write-data-export.js';
import { isMockError } from '../src/server/mock-error.js';

const dir = mkdtempSync(join(tmpdir(), 'spoti-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXTENDED_FIELDS = [
  'ts',
  'platform',
  'ms_played',
  'conn_country',
  'ip_addr',
  'master_metadata_track_name',
  'master_metadata_album_artist_name',
  'master_metadata_album_album_name',
  'spotify_track_uri',
  'episode_name',
  'episode_show_name',
  'spotify_episode_uri',
  'audiobook_title',
  'audiobook_uri',
  'audiobook_chapter_uri',
  'audiobook_chapter_title',
  'reason_start',
  'reason_end',
  'shuffle',
  'skipped',
  'offline',
  'offline_timestamp',
  'incognito_mode',
];
/** Every field SPOTIFY-PLATFORM.md lists, plus the three older files add. */
const ENDSONG_FIELDS = [
  'ts',
  'username',
  'platform',
  'ms_played',
  'conn_country',
  'ip_addr',
  'ip_addr_decrypted',
  'user_agent_decrypted',
  'master_metadata_track_name',
  'master_metadata_album_artist_name',
  'master_metadata_album_album_name',
  'spotify_track_uri',
  'episode_name',
  'episode_show_name',
  'spotify_episode_uri',
  'audiobook_title',
  'audiobook_uri',
  'audiobook_chapter_uri',
  'audiobook_chapter_title',
  'reason_start',
  'reason_end',
  'shuffle',
  'skipped',
  'offline',
  'offline_timestamp',
  'incognito_mode',
];

type Row = Record<string, unknown>;

/** Reads every entry of a zip into memory (test-sized zips only). */
function readZip(path: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || zip === undefined) return reject(error);
      const out = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || stream === undefined) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const historyFiles = (files: Map<string, string>, prefix: string) =>
  [...files.keys()]
    .filter((name) => name.startsWith(prefix))
    .sort((a, b) => Number(/_(\d+)\.json$/.exec(a)?.[1]) - Number(/_(\d+)\.json$/.exec(b)?.[1]));

describe('writeDataExport (extended naming)', async () => {
  const out = join(dir, 'my_spotify_data.zip');
  const options = {
    seed: 42,
    persona: 'night-owl' as const,
    plays: 20_000,
    targetFileBytes: 2_000_000,
  };
  const progress: number[] = [];
  const summary = await writeDataExport({
    ...options,
    out,
    onProgress: (p) => progress.push(p.files),
  });
  const files = await readZip(out);
  const names = historyFiles(files, 'Spotify Extended Streaming History/');
  const perFile = names.map((name) => JSON.parse(files.get(name) as string) as Row[]);
  const truth: ExportRow[] = [...streamExportRows(options)];

  it('names files as Spotify does and splits them near the target size', () => {
    expect(names.length).toBeGreaterThan(4);
    expect(summary.files.map((f) => f.name).sort()).toEqual([...files.keys()].sort());
    names.forEach((name, n) => {
      const match =
        /^Spotify Extended Streaming History\/Streaming_History_Audio_(\d{4})(?:-(\d{4}))?_(\d+)\.json$/.exec(
          name,
        );
      expect(match?.[3]).toBe(String(n));
      const rows = perFile[n] as Row[];
      const years = rows.map((r) => Number((r.ts as string).slice(0, 4)));
      expect(Number(match?.[1])).toBe(years[0]);
      expect(Number(match?.[2] ?? match?.[1])).toBe(years[years.length - 1]);
      expect(Buffer.byteLength(files.get(name) as string)).toBeLessThan(2_000_000 + 2_000);
    });
    expect(progress.length).toBeGreaterThanOrEqual(names.length);
  });

  it('writes every field of every row, with plays, episodes, audiobooks and offline rows', () => {
    const rows = perFile.flat();
    expect(new Set(rows.map((row) => Object.keys(row).join(',')))).toEqual(
      new Set([EXTENDED_FIELDS.join(',')]),
    );
    const music = rows.filter((r) => r.spotify_track_uri !== null);
    const episodes = rows.filter((r) => r.spotify_episode_uri !== null);
    const books = rows.filter((r) => r.audiobook_uri !== null);
    expect(episodes.length).toBeGreaterThan(5);
    expect(books.length).toBeGreaterThan(0);
    for (const e of [...episodes, ...books]) expect(e.master_metadata_track_name).toBeNull();
    const bad = music.filter(
      (m) =>
        !/^spotify:track:[0-9A-Za-z]{22}$/.test(m.spotify_track_uri as string) ||
        !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(m.ts as string) ||
        !/^\d+\.\d+\.\d+\.\d+$/.test(m.ip_addr as string),
    );
    expect(bad).toEqual([]);
    const offline = music.filter((r) => r.offline === true);
    expect(offline.length).toBeGreaterThan(10);
    expect(
      offline.every(
        (r) =>
          (r.offline_timestamp as number) > 0 &&
          (r.offline_timestamp as number) < Date.parse(r.ts as string),
      ),
    ).toBe(true);
    expect(music.filter((x) => x.offline === false && x.offline_timestamp !== 0)).toEqual([]);
    expect(music.some((r) => r.skipped === true && (r.ms_played as number) < 30_000)).toBe(true);
  });

  it('matches the ground truth, with duplicates within files and across boundaries', () => {
    expect(summary.plays).toBe(options.plays);
    expect(truth.filter((r) => r.kind === 'music' && !r.duplicate).length).toBe(options.plays);
    // Files = truth, plus the last row of each file repeated at the start of the next.
    const withoutBoundary = perFile.flatMap((rows, n) => (n === 0 ? rows : rows.slice(1)));
    expect(withoutBoundary).toEqual(truth.map((r) => r.row));
    perFile.slice(1).forEach((rows, n) => {
      expect(rows[0]).toEqual(perFile[n]?.at(-1));
    });
    const inner = truth.filter((r) => r.duplicate).length;
    expect(inner).toBeGreaterThan(10);
    expect(summary.duplicates).toBe(inner + names.length - 1);
    expect(summary.episodes).toBe(truth.filter((r) => r.kind === 'episode' && !r.duplicate).length);
    expect(summary.offlinePlays).toBe(
      truth.filter((r) => r.kind === 'music' && !r.duplicate && r.play?.offline).length,
    );
    // The plays end at the export's end and run in order.
    const plays = truth.filter((r) => r.kind === 'music' && !r.duplicate);
    expect(plays.at(-1)?.endedAtMs).toBe(summary.lastPlayMs);
    expect(summary.lastPlayMs).toBeGreaterThan(Date.UTC(2026, 10, 1, 12) - 3 * 86_400_000);
    for (let i = 1; i < plays.length; i++)
      expect(plays[i]?.endedAtMs).toBeGreaterThan(plays[i - 1]?.endedAtMs as number);
  });

  it('repeats some offline plays later with the same offline_timestamp, as a re-sync does', () => {
    const rows = perFile.flatMap((file, n) => (n === 0 ? file : file.slice(1)));
    const music = rows.filter((r) => r.spotify_track_uri !== null);
    const resynced = truth.filter((r) => r.resynced);
    expect(resynced.length).toBeGreaterThan(3);
    expect(summary.resyncedPlays).toBe(resynced.length);
    const firstSeen = new Map<number, Row>();
    let repeats = 0;
    for (const row of music) {
      if (row.offline !== true) continue;
      const stamp = row.offline_timestamp as number;
      const first = firstSeen.get(stamp);
      if (first === undefined) {
        firstSeen.set(stamp, row);
        continue;
      }
      if (first === row || JSON.stringify(first) === JSON.stringify(row)) continue; // verbatim
      repeats++;
      expect(Date.parse(row.ts as string)).toBeGreaterThan(Date.parse(first.ts as string));
      expect({ ...row, ts: first.ts }).toEqual(first);
    }
    expect(repeats).toBe(resynced.length);
    // offline_timestamp is the play's start in ms (SPOTIFY-PLATFORM.md), before its ts.
    for (const r of truth.filter((x) => x.kind === 'music' && x.row.offline && !x.duplicate)) {
      const play = r.play as NonNullable<typeof r.play>;
      expect(r.row.offline_timestamp).toBe(play.endedAtMs - play.msPlayed);
    }
    // The rows written in order of ts, re-synced ones included.
    const times = rows.map((r) => Date.parse(r.ts as string));
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] as number))).toBe(true);
  });

  it('dedupes to exactly its plays with the catalogue key (offline plays by offline_timestamp)', () => {
    const keys = new Set<string>();
    let music = 0;
    for (const r of truth) {
      if (r.kind !== 'music') continue;
      music++;
      const row = r.row;
      const offline = row.offline && row.offline_timestamp > 0;
      const time = offline
        ? `o:${Math.floor(row.offline_timestamp / 1000)}`
        : `s:${Math.floor(Date.parse(row.ts) / 1000)}`;
      keys.add(`${row.spotify_track_uri}|${time}`);
    }
    expect(music).toBeGreaterThan(options.plays);
    expect(keys.size).toBe(options.plays);
  });

  it('writes the one-year account data', () => {
    const music = historyFiles(files, 'Spotify Account Data/StreamingHistory_music_');
    const podcasts = historyFiles(files, 'Spotify Account Data/StreamingHistory_podcast_');
    expect(music.length).toBeGreaterThan(0);
    expect(podcasts.length).toBe(1);
    const rows = music.flatMap((name) => JSON.parse(files.get(name) as string) as Row[]);
    const yearAgo = Date.UTC(2025, 10, 1, 12);
    const expected = truth.filter(
      (r) => r.kind === 'music' && !r.duplicate && r.endedAtMs >= yearAgo,
    );
    expect(rows.length).toBe(expected.length);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['endTime', 'artistName', 'trackName', 'msPlayed']);
      expect(row.endTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    }
    expect(rows[0]?.trackName).toBe(expected[0]?.row.master_metadata_track_name);
    expect(rows[0]?.endTime).toBe(
      new Date(expected[0]?.endedAtMs as number).toISOString().slice(0, 16).replace('T', ' '),
    );
    const pods = JSON.parse(files.get(podcasts[0] as string) as string) as Row[];
    for (const p of pods)
      expect(Object.keys(p)).toEqual(['endTime', 'podcastName', 'episodeName', 'msPlayed']);
  });

  it('is deterministic', async () => {
    const again = await writeDataExport({ ...options, out: join(dir, 'again.zip') });
    expect(again.files).toEqual(summary.files);
    expect(again.bytes).toBe(summary.bytes);
  });
});

describe('writeDataExport (endsong naming)', () => {
  it('writes endsong files with the older fields, username and null skips', async () => {
    const out = join(dir, 'endsong.zip');
    const summary = await writeDataExport({
      seed: 7,
      persona: 'heavy-pop',
      plays: 8_000,
      out,
      naming: 'endsong',
      accountData: false,
      endTimeMs: Date.UTC(2020, 0, 20),
      targetFileBytes: 1_000_000,
    });
    const files = await readZip(out);
    const names = [...files.keys()];
    expect(names.every((n) => /^MyData\/endsong_\d+\.json$/.test(n))).toBe(true);
    expect(names.length).toBeGreaterThan(2);
    const rows = names.flatMap((n) => JSON.parse(files.get(n) as string) as Row[]);
    expect(new Set(rows.map((row) => Object.keys(row).join(',')))).toEqual(
      new Set([ENDSONG_FIELDS.join(',')]),
    );
    expect(EXTENDED_FIELDS.every((field) => ENDSONG_FIELDS.includes(field))).toBe(true);
    expect(rows.every((r) => r.username === summary.userId)).toBe(true);
    expect(rows.every((r) => r.ip_addr === r.ip_addr_decrypted)).toBe(true);
    expect(rows.some((r) => r.skipped === null)).toBe(true);
    expect(rows.some((r) => r.skipped === true)).toBe(true);
    expect(rows.some((r) => r.spotify_episode_uri !== null)).toBe(true);
    expect(summary.audiobooks).toBe(0);
  });

  it('rejects an unwritable path with the file-system error', async () => {
    await expect(
      writeDataExport({
        seed: 1,
        persona: 'night-owl',
        plays: 10,
        out: join(dir, 'missing', 'x.zip'),
      }),
    ).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('rejects invalid options', async () => {
    await expect(
      writeDataExport({
        seed: 1,
        persona: 'nobody' as 'night-owl',
        plays: 1,
        out: join(dir, 'x.zip'),
      }),
    ).rejects.toSatisfy((e: unknown) => isMockError(e) && e.code === 'INVALID_OPTIONS');
    expect(() => [...streamExportRows({ seed: 1, persona: 'night-owl', plays: -1 })]).toThrow(
      /Invalid export row options: plays/,
    );
  });
});

describe('export histories', () => {
  it('fit half a million plays of a heavy listener into 14 years by raising the rate', () => {
    const end = Date.UTC(2026, 10, 1, 12);
    const { world, userId, activity } = exportWorld(42, 'night-owl', 500_000, end);
    expect(activity).toBeGreaterThan(1.5);
    // Nothing before late 2012, and listening at this rate for 14 years gives enough plays.
    expect([...world.streamPlays(userId, 0, Date.UTC(2012, 9, 1))]).toEqual([]);
    let lastHalfYear = 0;
    for (const _ of world.streamPlays(userId, end - 182 * 86_400_000, end)) lastHalfYear++;
    expect(((lastHalfYear * 365) / 182) * 14).toBeGreaterThan(500_000 * 1.05);
    // Small exports keep the persona's usual rate.
    expect(exportWorld(42, 'night-owl', 5_000, end).activity).toBe(1);
  });
});

describe('writeDataExport at size', () => {
  it('streams a 50k-play export in files of bounded size', async () => {
    const out = join(dir, 'big.zip');
    const summary = await writeDataExport({
      seed: 3,
      persona: 'weekend-raver',
      plays: 50_000,
      out,
      targetFileBytes: 4_000_000,
    });
    expect(summary.plays).toBe(50_000);
    const history = summary.files.filter((f) => f.name.includes('Streaming_History_Audio_'));
    expect(history.length).toBeGreaterThan(6);
    for (const f of history) expect(f.bytes).toBeLessThan(4_000_000 + 2_000);
    const rows = history.reduce((sum, f) => sum + f.rows, 0);
    expect(rows).toBe(summary.plays + summary.episodes + summary.audiobooks + summary.duplicates);
    expect(summary.bytes).toBeLessThan(history.reduce((sum, f) => sum + f.bytes, 0) / 4);
  });
});
