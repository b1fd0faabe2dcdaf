import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { PERSONA_NAMES } from '../world/personas.js';
import type { PersonaName } from '../world/types.js';
import {
  AccountFiles,
  type DataExportFile,
  ExportTally,
  ExportZip,
  HistoryFiles,
} from './export-files.js';
import { DEFAULT_EXPORT_END_MS, exportWorld, rowsOf } from './export-rows.js';
import { parseOptions } from '../server/parse-options.js';

export { accountEndTime, type DataExportFile } from './export-files.js';

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
  const endTimeMs = options.endTimeMs ?? DEFAULT_EXPORT_END_MS;
  const { world, userId } = exportWorld(options.seed, options.persona, options.plays, endTimeMs);

  const output = createWriteStream(options.out);
  // Fail early (unwritable path) before any work; later errors surface when the zip is awaited.
  await once(output, 'open');
  const finished = once(output, 'close');
  finished.catch(() => undefined);
  const zip = new ExportZip(new Date(endTimeMs));
  zip.outputStream.pipe(output);
  const tally = new ExportTally();
  const report = () =>
    options.onProgress?.({ plays: tally.plays, files: zip.files.length, bytes: zip.jsonBytes });
  const target = options.targetFileBytes ?? 12 * 1024 * 1024;
  const history = new HistoryFiles(zip, naming, target, report);
  const account = new AccountFiles(zip, endTimeMs - 365 * DAY_MS, options.accountData ?? true);
  try {
    for (const r of rowsOf(world, userId, options.plays, endTimeMs, naming, options.seed)) {
      const text = `  ${JSON.stringify(r.row)}`;
      if (await history.add(text, new Date(r.endedAtMs).getUTCFullYear())) tally.duplicates++;
      tally.count(r);
      await account.add(r);
    }
    await history.finish(endTimeMs);
    await account.finish();
    await zip.end();
    await finished;
  } catch (error) {
    output.destroy();
    throw error;
  }
  report();
  const { size } = await stat(options.out);
  const { plays, episodes, audiobooks, duplicates, resyncedPlays, offlinePlays } = tally;
  return {
    path: options.out,
    bytes: size,
    plays,
    files: zip.files,
    userId,
    episodes,
    audiobooks,
    duplicates,
    resyncedPlays,
    offlinePlays,
    firstPlayMs: tally.firstPlayMs,
    lastPlayMs: tally.lastPlayMs,
  };
}
