import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { z } from 'zod';
import { PERSONA_NAMES } from '../world/personas.js';
import type { PersonaName } from '../world/types.js';
import { DEFAULT_EXPORT_END_MS, type ExportRow, exportWorld, rowsOf } from './export-rows.js';
import { parseOptions } from '../server/parse-options.js';

const DAY_MS = 86_400_000;

/**
 * Options of {@link writeDataExport}. Heavy histories stay within a plausible span: when the
 * persona's usual rate cannot fit `plays` in 14 years (and after Spotify's 2008 launch), the
 * listener's sessions per day are raised; only millions of plays reach further back.
 */
export interface DataExportOptions {
  /** Everything is deterministic from this seed. */
  readonly seed: number;
  /** The listener persona whose history is exported. */
  readonly persona: PersonaName;
  /** Music plays to write (the most recent ones before `endTimeMs`). */
  readonly plays: number;
  /** Path of the zip file to write (Spotify calls it `my_spotify_data.zip`). */
  readonly out: string;
  /** `extended` (default): `Streaming_History_Audio_<years>_<n>.json`; `endsong`: the older `endsong_<n>.json`. */
  readonly naming?: 'extended' | 'endsong';
  /** Also write the one-year "Account data" files (default true). */
  readonly accountData?: boolean;
  /** Approximate size of each streaming-history file, bytes (default 12 MB). */
  readonly targetFileBytes?: number;
  /** When the history ends (the export's "now"), ms. Default 2026-11-01T12:00:00Z. */
  readonly endTimeMs?: number;
  /** Called after each file written. */
  readonly onProgress?: (progress: { plays: number; files: number; bytes: number }) => void;
}

/** One file of the zip. */
export interface DataExportFile {
  readonly name: string;
  readonly rows: number;
  /** Uncompressed size. */
  readonly bytes: number;
}

/** What {@link writeDataExport} wrote. */
export interface DataExportSummary {
  readonly path: string;
  /** Size of the zip file. */
  readonly bytes: number;
  /** Music plays written (not counting duplicate rows). */
  readonly plays: number;
  readonly files: readonly DataExportFile[];
  /** The exported user's id (the `username` of endsong rows). */
  readonly userId: string;
  /** Podcast-episode and audiobook rows of the streaming history. */
  readonly episodes: number;
  readonly audiobooks: number;
  /**
   * Rows that repeat a play already written: verbatim repeats of the row before them (within
   * files and across file boundaries) and re-synced offline plays (`resyncedPlays`).
   */
  readonly duplicates: number;
  /**
   * Offline plays written a second time with a later `ts` (the sync) and the same
   * `offline_timestamp`; counted in `duplicates` too.
   */
  readonly resyncedPlays: number;
  /** Music plays with `offline: true`. */
  readonly offlinePlays: number;
  /** End times of the first and last music play, ms. */
  readonly firstPlayMs: number;
  readonly lastPlayMs: number;
}

const schema = z.object({
  seed: z.number().int().safe(),
  persona: z.enum(PERSONA_NAMES as [PersonaName, ...PersonaName[]]),
  plays: z.number().int().min(0).max(5_000_000),
  out: z.string().min(1),
  naming: z.enum(['extended', 'endsong']).optional(),
  accountData: z.boolean().optional(),
  targetFileBytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 ** 3)
    .optional(),
  endTimeMs: z.number().int().min(0).optional(),
  onProgress: z
    .custom<DataExportOptions['onProgress'] & {}>((v) => typeof v === 'function')
    .optional(),
});

const EXTENDED_DIR = 'Spotify Extended Streaming History';
const ACCOUNT_DIR = 'Spotify Account Data';
const ACCOUNT_ROWS_PER_FILE = 10_000;

const pad = (n: number) => String(n).padStart(2, '0');
/** Account-data time: "YYYY-MM-DD HH:MM" in UTC. */
export function accountEndTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * Writes a user's listening history as Spotify's data export does: `my_spotify_data.zip` with
 * `Spotify Extended Streaming History/Streaming_History_Audio_<years>_<n>.json` (or, with naming
 * `endsong`, `MyData/endsong_<n>.json`), JSON arrays of about `targetFileBytes` each holding music
 * plays, podcast episodes, audiobook chapters and offline plays, with duplicates as real exports
 * have them (a few verbatim repeats, the last row of each file again at the start of the next,
 * and re-synced offline plays: the same play again later with a later `ts` and the same
 * `offline_timestamp`, which is in ms); plus the
 * one-year account data `Spotify Account Data/StreamingHistory_music_<n>.json` and
 * `StreamingHistory_podcast_<n>.json`. Streams: rows are generated from the world's play stream
 * and only one file's text is held at a time, so any number of plays fits in bounded memory.
 * Deterministic from the options; {@link streamExportRows} yields the same rows.
 *
 * @throws MockError with code `INVALID_OPTIONS` for invalid options.
 * @example
 * ```ts
 * const summary = await writeDataExport({ seed: 42, persona: 'night-owl', plays: 500_000, out: 'my_spotify_data.zip' });
 * console.log(summary.files.length, summary.bytes);
 * ```
 */
export async function writeDataExport(options: DataExportOptions): Promise<DataExportSummary> {
  parseOptions(schema, options, 'data export options');
  const naming = options.naming ?? 'extended';
  const accountData = options.accountData ?? true;
  const target = options.targetFileBytes ?? 12 * 1024 * 1024;
  const endTimeMs = options.endTimeMs ?? DEFAULT_EXPORT_END_MS;
  const mtime = new Date(endTimeMs);
  const { world, userId } = exportWorld(options.seed, options.persona, options.plays, endTimeMs);

  const output = createWriteStream(options.out);
  // Fail early (unwritable path) before any work; later errors surface when the zip is awaited.
  await once(output, 'open');
  const finished = once(output, 'close');
  finished.catch(() => undefined);
  const zip = new ZipFile();
  zip.outputStream.pipe(output);
  const files: DataExportFile[] = [];
  // Files handed to the zip but not yet consumed; generation waits when two are queued.
  const pending: Promise<unknown>[] = [];
  let jsonBytes = 0;

  /** Adds one file; waits while two earlier ones are still queued, so at most three are in memory. */
  const addFile = async (name: string, chunks: readonly string[], rows: number): Promise<void> => {
    while (pending.length >= 2) await pending.shift();
    const buffer = Buffer.from(chunks.join(''), 'utf8');
    const size = buffer.length;
    // The zip keeps every entry's stream until it ends: hand the bytes over once, keep no reference.
    let data: Buffer | null = buffer;
    const stream = new Readable({
      read() {
        this.push(data);
        data = null;
        this.push(null);
      },
    });
    pending.push(once(stream, 'end'));
    zip.addReadStream(stream, name, { mtime, size });
    files.push({ name, rows, bytes: size });
    jsonBytes += size;
  };

  let plays = 0;
  let episodes = 0;
  let audiobooks = 0;
  let duplicates = 0;
  let resyncedPlays = 0;
  let offlinePlays = 0;
  let firstPlayMs = 0;
  let lastPlayMs = 0;
  const report = () => options.onProgress?.({ plays, files: files.length, bytes: jsonBytes });

  // Streaming history: one file's rows at a time.
  let fileIndex = 0;
  let chunks: string[] = [];
  let fileRows = 0;
  let fileBytes = 0;
  let firstYear = 0;
  let lastYear = 0;
  let lastText: string | undefined;
  let lastYearOfRow = 0;
  const startFile = () => {
    chunks = ['[\n'];
    fileRows = 0;
    fileBytes = 2;
    firstYear = 0;
  };
  const pushRow = (text: string, year: number) => {
    if (fileRows > 0) chunks.push(',\n');
    chunks.push(text);
    fileRows++;
    fileBytes += text.length + 2;
    if (firstYear === 0) firstYear = year;
    lastYear = year;
  };
  const closeFile = async () => {
    chunks.push('\n]\n');
    const years = firstYear === lastYear ? `${firstYear}` : `${firstYear}-${lastYear}`;
    const name =
      naming === 'extended'
        ? `${EXTENDED_DIR}/Streaming_History_Audio_${years}_${fileIndex}.json`
        : `MyData/endsong_${fileIndex}.json`;
    await addFile(name, chunks, fileRows);
    fileIndex++;
    report();
  };

  // Account data (last year only), written as files of 10,000 rows while the history streams.
  const accountFrom = endTimeMs - 365 * DAY_MS;
  let music: string[] = [];
  let podcasts: string[] = [];
  let musicIndex = 0;
  let podcastIndex = 0;
  const flushAccount = async (kind: 'music' | 'podcast') => {
    const rows = kind === 'music' ? music : podcasts;
    if (rows.length === 0) return;
    const index = kind === 'music' ? musicIndex++ : podcastIndex++;
    await addFile(
      `${ACCOUNT_DIR}/StreamingHistory_${kind}_${index}.json`,
      ['[\n', rows.join(',\n'), '\n]\n'],
      rows.length,
    );
    if (kind === 'music') music = [];
    else podcasts = [];
  };
  const accountRow = async (r: ExportRow) => {
    if (!accountData || r.duplicate || r.endedAtMs < accountFrom || r.kind === 'audiobook') return;
    const f = r.row;
    const endTime = accountEndTime(r.endedAtMs);
    if (r.kind === 'music') {
      music.push(
        `  ${JSON.stringify({ endTime, artistName: f.master_metadata_album_artist_name, trackName: f.master_metadata_track_name, msPlayed: f.ms_played })}`,
      );
      if (music.length >= ACCOUNT_ROWS_PER_FILE) await flushAccount('music');
    } else {
      podcasts.push(
        `  ${JSON.stringify({ endTime, podcastName: f.episode_show_name, episodeName: f.episode_name, msPlayed: f.ms_played })}`,
      );
      if (podcasts.length >= ACCOUNT_ROWS_PER_FILE) await flushAccount('podcast');
    }
  };

  try {
    startFile();
    for (const r of rowsOf(world, userId, options.plays, endTimeMs, naming, options.seed)) {
      const text = `  ${JSON.stringify(r.row)}`;
      const year = new Date(r.endedAtMs).getUTCFullYear();
      if (fileRows > 0 && fileBytes + text.length > target) {
        await closeFile();
        startFile();
        // Real exports overlap: the last row of a file comes again at the start of the next.
        if (lastText !== undefined) {
          pushRow(lastText, lastYearOfRow);
          duplicates++;
        }
      }
      pushRow(text, year);
      lastText = text;
      lastYearOfRow = year;
      if (r.duplicate) {
        duplicates++;
        if (r.resynced) resyncedPlays++;
      } else if (r.kind === 'episode') episodes++;
      else if (r.kind === 'audiobook') audiobooks++;
      else {
        plays++;
        if (r.row.offline) offlinePlays++;
        if (firstPlayMs === 0) firstPlayMs = r.endedAtMs;
        lastPlayMs = r.endedAtMs;
      }
      await accountRow(r);
    }
    if (fileRows > 0 || fileIndex === 0) {
      if (fileRows === 0) firstYear = lastYear = new Date(endTimeMs).getUTCFullYear();
      await closeFile();
    }
    if (accountData) {
      await flushAccount('music');
      await flushAccount('podcast');
    }
    await Promise.all(pending);
    zip.end();
    await finished;
  } catch (error) {
    output.destroy();
    throw error;
  }
  report();
  const { size } = await stat(options.out);
  return {
    path: options.out,
    bytes: size,
    plays,
    files,
    userId,
    episodes,
    audiobooks,
    duplicates,
    resyncedPlays,
    offlinePlays,
    firstPlayMs,
    lastPlayMs,
  };
}
