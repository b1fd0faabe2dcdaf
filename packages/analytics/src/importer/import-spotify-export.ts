import {
  type ExportFileOutcome,
  ExportImportError,
  exportIssue,
} from '../errors/export-import-error.js';
import { createPlayIndex, type PlayIndex } from '../stats/play-index.js';
import type { ExportProgress, ReadSpotifyExportOptions } from './export-types.js';
import { type ImportTarget, readExportInWorker, workerEntry } from './read-export-in-worker.js';
import {
  type ExportObserver,
  type FileReport,
  type OpenedExport,
  openExport,
  readOpened,
} from './read-spotify-export.js';

/**
 * How many issues {@link importSpotifyExport} keeps in full; the rest are only counted.
 *
 * @example
 * ```ts
 * const imported = await importSpotifyExport('my_spotify_data.zip', { userId: 'me', strict: false });
 * if (imported.issueCount > MAX_KEPT_ISSUES) console.warn(`${imported.issueCount - MAX_KEPT_ISSUES} more`);
 * ```
 */
export const MAX_KEPT_ISSUES = 1_000;

/** What {@link importSpotifyExport} read. */
export interface ImportedExport {
  /** Distinct music plays (deduplicated by `@spoti/catalog`'s `playKey`), ready for `computeStats`. */
  plays: PlayIndex;
  /** Music rows dropped as duplicates. */
  duplicates: number;
  podcasts: { count: number; msPlayed: number };
  audiobooks: { count: number; msPlayed: number };
  /**
   * The first {@link MAX_KEPT_ISSUES} problems in full (file, row, reason): malformed rows and
   * files skipped (tolerant mode) and repairs (both modes). `issueCount` counts them all.
   */
  issues: ExportImportError[];
  /** Every problem reported, including those beyond the ones kept in `issues`. */
  issueCount: number;
  /** Last progress reported (files, bytes and rows read). */
  progress: ExportProgress;
}

const plural = (n: number, word: string) =>
  `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** Why a file that yielded no music play gave none. */
function reasonOf(report: FileReport): string {
  if (report.problem !== null) return report.problem;
  if (report.rows === 0) return 'holds an empty array (no rows)';
  const parts = [`${plural(report.rows, 'row')}, none a music play`];
  if (report.other > 0) parts.push(`${plural(report.other, 'podcast or audiobook row')}`);
  if (report.skipped > 0)
    parts.push(`${plural(report.skipped, 'row')} skipped, first ${report.firstSkip ?? ''}`);
  return parts.join('; ');
}

/**
 * Reads a whole export into a {@link PlayIndex}, dropping duplicate plays (the `playKey` rule of
 * `@spoti/catalog`: same track and second, offline plays by their offline timestamp) and counting
 * podcast and audiobook rows apart. Memory: one export file at a time plus the compact index, and
 * at most {@link MAX_KEPT_ISSUES} issue objects however many rows are bad.
 *
 * @throws ExportImportError `EXPORT_NO_PLAYS` when no history file yields a music play, with
 *   every file and its reason in `files` and in the message (not JSON, a JSON object, empty, only
 *   malformed rows, ...); the errors of {@link readSpotifyExport} otherwise.
 * @example
 * ```ts
 * const imported = await importSpotifyExport('my_spotify_data.zip', { userId: 'me', strict: false });
 * const stats = computeStats(imported.plays, { timeZone: 'Europe/Berlin' });
 * ```
 */
export async function importSpotifyExport(
  source: string,
  options: ReadSpotifyExportOptions,
): Promise<ImportedExport> {
  return importExport(source, options, 'auto');
}

/**
 * Exports with at least this many bytes of history are parsed in a worker thread (starting one
 * costs more than parsing a small file on this thread).
 */
const WORKER_MIN_BYTES = 4 * 1024 * 1024;

/**
 * {@link importSpotifyExport}, choosing where files are parsed: `auto` in a worker thread for
 * exports of at least {@link WORKER_MIN_BYTES} (when the worker's code is found), `worker` in a
 * worker whatever the size (when found), `thread` on this thread.
 */
export async function importExport(
  source: string,
  options: ReadSpotifyExportOptions,
  where: 'auto' | 'worker' | 'thread',
): Promise<ImportedExport> {
  const plays = createPlayIndex();
  const issues: ExportImportError[] = [];
  let issueCount = 0;
  const reports: FileReport[] = [];
  const podcasts = { count: 0, msPlayed: 0 };
  const audiobooks = { count: 0, msPlayed: 0 };
  let progress: ExportProgress = { files: 0, filesTotal: 0, bytes: 0, bytesTotal: 0, rows: 0 };
  const onIssue = options.onIssue;
  const observer: ExportObserver = {
    issue: (code, message, file, row) => {
      issueCount++;
      if (issues.length >= MAX_KEPT_ISSUES && onIssue === undefined) return;
      const error = exportIssue({ code, message, file, row });
      if (issues.length < MAX_KEPT_ISSUES) issues.push(error);
      onIssue?.(error);
    },
    fileDone: (report) => {
      if (report.music === 0) reports.push(report);
    },
  };
  const opened = await openExport(
    source,
    {
      ...options,
      onProgress: (p) => {
        progress = p;
        options.onProgress?.(p);
      },
    },
    observer,
  );
  const entry =
    where === 'worker' || (where === 'auto' && opened.progress.bytesTotal >= WORKER_MIN_BYTES)
      ? workerEntry()
      : null;
  const target: ImportTarget = { plays, podcasts, audiobooks };
  if (entry !== null) {
    try {
      await readExportInWorker(opened, entry, target);
    } finally {
      opened.listing.close();
    }
  } else await readOnThisThread(opened, target);
  if (plays.size === 0 && options.from === undefined) throw noPlaysError(source, reports);
  return {
    plays,
    duplicates: plays.duplicates,
    podcasts,
    audiobooks,
    issues,
    issueCount,
    progress,
  };
}

/** Reads the files of an opened export on this thread into the target. */
async function readOnThisThread(opened: OpenedExport, target: ImportTarget): Promise<void> {
  const { plays, podcasts, audiobooks } = target;
  for await (const batch of readOpened(opened)) {
    for (const item of batch) {
      if (item.kind === 'music') plays.add(item.play);
      else {
        const bucket = item.kind === 'podcast' ? podcasts : audiobooks;
        bucket.count++;
        bucket.msPlayed += item.msPlayed;
      }
    }
  }
}

/** `EXPORT_NO_PLAYS`, naming every history file and why it gave no music play. */
function noPlaysError(source: string, reports: readonly FileReport[]): ExportImportError {
  const files: ExportFileOutcome[] = reports.map((r) => ({ file: r.path, reason: reasonOf(r) }));
  return new ExportImportError({
    code: 'EXPORT_NO_PLAYS',
    message: `No music play found in ${source}; ${plural(files.length, 'history file')} read:\n${files
      .map((f) => `  ${f.file}: ${f.reason}`)
      .join('\n')}`,
    file: null,
    row: null,
    files,
  });
}
