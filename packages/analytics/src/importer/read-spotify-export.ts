import { checkSchema } from '../errors/check-schema.js';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { AnalyticsError, type AnalyticsErrorCode } from '../errors/analytics-error.js';
import { ExportImportError, exportIssue } from '../errors/export-import-error.js';
import { EXPORT_LIMITS } from './export-limits.js';
import {
  type ExportFile,
  type ExportListing,
  isAccountDataFile,
  listExportSource,
} from './export-source.js';
import type {
  ExportCheckpoint,
  ExportItem,
  ExportProgress,
  ReadSpotifyExportOptions,
} from './export-types.js';
import type { Read } from './parse-file.js';
import { type ChunkedRead, parseFileInSlices, releaseChunks } from './row-slices.js';
import { createIdTable, type PlayTimeRange, parseRows, type RowIssue } from './parse-rows.js';

const optionsSchema = z.object({
  userId: z.string().min(1),
  strict: z.boolean().optional(),
  accountData: z.enum(['auto', 'include', 'skip']).optional(),
  maxFileBytes: z.number().int().positive().optional(),
  exportedAt: z.number().finite().optional(),
  from: z.object({ file: z.string().min(1), row: z.number().int().nonnegative() }).optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  onProgress: z.custom<(p: ExportProgress) => void>((v) => typeof v === 'function').optional(),
  onIssue: z.custom<(e: ExportImportError) => void>((v) => typeof v === 'function').optional(),
});

const PROGRESS_EVERY_ROWS = 10_000;

/** Codes of problems that lose no play: reported, never thrown, in strict mode too. */
const REPAIRS: ReadonlySet<AnalyticsErrorCode> = new Set([
  'EXPORT_TRUNCATED_FIELD',
  'EXPORT_INVALID_UTF8',
]);

/** What one history file gave (for the per-file reasons of `EXPORT_NO_PLAYS`). */
export interface FileReport {
  readonly path: string;
  /** Rows read (0 when the file itself was unusable). */
  readonly rows: number;
  /** Music plays yielded. */
  readonly music: number;
  /** Podcast and audiobook rows yielded. */
  readonly other: number;
  /** Rows skipped as malformed. */
  readonly skipped: number;
  /** Why the whole file was unusable, or null. */
  readonly problem: string | null;
  /** The message of the first skipped row, or null. */
  readonly firstSkip: string | null;
}

/** Receives problems without building an error object for each (ten million bad rows stay cheap). */
export interface ExportObserver {
  issue(code: AnalyticsErrorCode, message: string, file: string | null, row: number | null): void;
  fileDone?(report: FileReport): void;
}

/** Latest instant a play may end at, and where it came from. */
function playTimeRange(
  files: readonly ExportFile[],
  exportedAt: number | undefined,
): PlayTimeRange {
  const earliest = EXPORT_LIMITS.earliestPlayMs;
  const slack = EXPORT_LIMITS.exportSlackMs;
  if (exportedAt !== undefined) {
    return {
      earliest,
      latest: exportedAt + slack,
      latestSource: `exportedAt ${new Date(exportedAt).toISOString()}`,
    };
  }
  let newest = Number.NEGATIVE_INFINITY;
  for (const f of files) if (f.modifiedAt !== null && f.modifiedAt > newest) newest = f.modifiedAt;
  if (newest >= earliest && newest <= 8.64e15 - slack) {
    return {
      earliest,
      latest: newest + slack,
      latestSource: `its files are dated ${new Date(newest).toISOString()}; pass exportedAt to override`,
    };
  }
  const now = Date.now();
  return { earliest, latest: now + slack, latestSource: `now, ${new Date(now).toISOString()}` };
}

/**
 * Reads a Spotify data export as a stream of {@link ExportItem}s: `my_spotify_data.zip` read
 * entry by entry (yauzl), an unpacked folder, or a single JSON file.
 *
 * Files read: Extended streaming history (`Streaming_History_Audio_*.json`, older
 * `endsong_*.json`) and Account data (`StreamingHistory*.json` music, minute precision and no ids;
 * `StreamingHistory_podcast_*.json`). Account data repeats the last year of the Extended history,
 * so by default (`accountData: 'auto'`) it is read only when the source has no Extended-history
 * file. Other files of the export (playlists, library, video
 * history, ...) are ignored. Files are read one at a time in a stable order (natural sort of their
 * path), in 64 KiB chunks, and their rows parsed a slice of about 96 KiB at a time, so memory is
 * bounded by the bytes of two export files (the next is read while one is parsed; Spotify's are
 * about 12 MB), never their whole text or all their rows at once.
 *
 * Mapping of an extended row to a `Play`: `ts` -> `endedAt`; `ms_played` -> `msPlayed`;
 * `spotify_track_uri` -> `trackId` (the id part); `master_metadata_*` -> track, artist and album
 * names; `reason_start`/`reason_end`/`shuffle`/`skipped`/`offline`/`platform` as they are;
 * `offline_timestamp` -> `offlineTimestamp` (ms; 0 -> null; a value in seconds is scaled);
 * `conn_country`, `ip_addr*`, `user_agent_decrypted`, `incognito_mode` and `username` are read and
 * dropped (personal data the statistics do not need). Rows with an episode are `podcast` items,
 * rows with an audiobook `audiobook` items; rows with no track, episode or book at all (removed
 * content) are skipped silently.
 *
 * Plays are **not** deduplicated: dedupe with `@spoti/catalog`'s `playKey` (or use
 * {@link importSpotifyExport}, which does).
 *
 * Rows a history cannot hold are malformed (skipped in tolerant mode): a play ending before 2006
 * or more than a day after the export was made (`exportedAt`), or lasting more than 24 hours;
 * text fields longer than `EXPORT_LIMITS.maxTextLength` are cut with an ellipsis and reported;
 * bytes that are not UTF-8 are replaced and reported once per file.
 *
 * @throws ExportImportError (strict mode) naming the file and row of the first malformed row;
 *   `EXPORT_NOT_FOUND`, `EXPORT_BAD_ARCHIVE` or `EXPORT_EMPTY` for an unusable source in any mode.
 * @example
 * ```ts
 * for await (const item of readSpotifyExport('my_spotify_data.zip', { userId: 'me' })) {
 *   if (item.kind === 'music') console.log(item.play.trackName);
 * }
 * ```
 */
export async function* readSpotifyExport(
  source: string,
  options: ReadSpotifyExportOptions,
): AsyncGenerator<ExportItem, void, undefined> {
  for await (const batch of readExport(source, options, {
    issue: (code, message, file, row) =>
      options.onIssue?.(exportIssue({ code, message, file, row })),
  }))
    yield* batch;
}

/**
 * {@link readSpotifyExport} in batches of up to 10,000 rows' items (one await per batch, not per
 * item), reporting problems to an observer as plain values (the caller decides which become error
 * objects) and telling what each file gave.
 */
export async function* readExport(
  source: string,
  options: ReadSpotifyExportOptions,
  observer: ExportObserver,
): AsyncGenerator<ExportItem[], void, undefined> {
  yield* readOpened(await openExport(source, options, observer));
}

/** {@link readExport} of an export already opened; closes it when done. */
export async function* readOpened(
  opened: OpenedExport,
): AsyncGenerator<ExportItem[], void, undefined> {
  try {
    const { files, progress } = opened;
    const ids = createIdTable();
    let pending: Promise<ChunkedRead> | null = null;
    for (let index = 0; index < files.length; index++) {
      const file = files[index] as ExportFile;
      opened.checkAbort();
      if (index < opened.startIndex) {
        opened.skipFile(file);
        continue;
      }
      let current = pending ?? (opened.fits(file) ? opened.readChunks(file) : null);
      pending = null;
      const next = files[index + 1];
      const tally = new FileTally(opened, file);
      if (current === null) tally.tooLarge();
      else {
        const read = await current;
        current = null;
        if (next !== undefined && opened.fits(next)) pending = opened.readChunks(next);
        // Parsed a slice of rows at a time: the file's text and all its rows are never in
        // memory at once, only its bytes and the rows of one slice.
        const rows = parseFileInSlices(read, () => tally.replaced(), tally.fileProblem);
        if (rows !== null) {
          tally.rows = rows.count;
          const onRowIssue = (problem: RowIssue) => tally.rowIssue(problem);
          const firstRow = opened.firstRowOf(index);
          let sinceReport = 0;
          let batch: ExportItem[] = [];
          try {
            for (const slice of rows.slices()) {
              for (const item of parseRows(
                slice.rows,
                file,
                firstRow,
                opened.userId,
                opened.range,
                ids,
                onRowIssue,
                slice.base,
              )) {
                if (item !== null) {
                  if (item.kind === 'music') tally.music++;
                  else tally.other++;
                  batch.push(item);
                }
                progress.rows++;
                if (++sinceReport >= PROGRESS_EVERY_ROWS) {
                  sinceReport = 0;
                  yield batch;
                  batch = [];
                  opened.checkAbort();
                  opened.report();
                }
              }
            }
          } catch (error) {
            // Strict mode: what came before the malformed row is still delivered.
            if (batch.length > 0) yield batch;
            throw error;
          }
          if (batch.length > 0) yield batch;
        }
        releaseChunks(read);
      }
      tally.done();
    }
  } finally {
    opened.listing.close();
  }
}

/** Reports a problem: throws in strict mode unless it is a repair. */
export type Report = (
  code: AnalyticsErrorCode,
  message: string,
  file: string | null,
  row: number | null,
  cause?: unknown,
) => void;

/** An export opened for reading: its files in order and what every reader of it shares. */
export interface OpenedExport {
  readonly listing: ExportListing;
  /** The history files to read, in order. */
  readonly files: readonly ExportFile[];
  readonly range: PlayTimeRange;
  readonly progress: ExportProgress;
  readonly userId: string;
  /** Largest file read, in bytes. */
  readonly maxFileBytes: number;
  /** Files before this position are skipped (checkpoint). */
  readonly startIndex: number;
  readonly observer: ExportObserver;
  /** Reports a problem: throws in strict mode unless it is a repair. */
  readonly issue: Report;
  checkAbort(): void;
  report(): void;
  /** True when the file is small enough to be read. */
  fits(file: ExportFile): boolean;
  read(file: ExportFile): Promise<Read>;
  /** The file's bytes in chunks (see `ExportListing.readChunks`). */
  readChunks(file: ExportFile): Promise<ChunkedRead>;
  /** The first row to read of the file at `index` (the checkpoint's row in its file, else 0). */
  firstRowOf(index: number): number;
  /** Counts a file before the checkpoint as done without reading it. */
  skipFile(file: ExportFile): void;
}

/** Throws an `INVALID_INPUT` {@link AnalyticsError} for invalid options or a source that is no path. */
function checkOpenArguments(source: string, options: ReadSpotifyExportOptions): void {
  checkSchema(optionsSchema, options, 'Invalid readSpotifyExport options');
  if (typeof source !== 'string' || source === '') {
    throw new AnalyticsError({
      code: 'INVALID_INPUT',
      message: 'The export source must be a path',
    });
  }
}

/** A function that throws an `ABORTED` {@link AnalyticsError} once the signal is aborted. */
function abortCheck(signal: AbortSignal | undefined): () => void {
  return () => {
    if (signal?.aborted === true) {
      throw new AnalyticsError({
        code: 'ABORTED',
        message: 'The export import was aborted',
        cause: signal.reason,
      });
    }
  };
}

/** Throws `EXPORT_NOT_FOUND` when nothing can be read at `source`. */
async function assertReadable(source: string): Promise<void> {
  try {
    await stat(source);
  } catch (cause) {
    throw new ExportImportError({
      code: 'EXPORT_NOT_FOUND',
      message: `Cannot read the export at ${source}`,
      file: null,
      row: null,
      cause,
    });
  }
}

/** The history files of a listing to read, account data kept or left as `accountData` says. */
function historyFiles(
  listing: ExportListing,
  accountData: NonNullable<ReadSpotifyExportOptions['accountData']>,
  source: string,
): ExportFile[] {
  const hasExtended = listing.files.some((f) => !isAccountDataFile(f.path));
  const files = listing.files.filter(
    (f) =>
      !isAccountDataFile(f.path) ||
      accountData === 'include' ||
      (accountData === 'auto' && !hasExtended),
  );
  if (files.length === 0) {
    throw new ExportImportError({
      code: 'EXPORT_EMPTY',
      message: `No streaming-history file (Streaming_History_Audio_*.json, endsong_*.json, StreamingHistory*.json) found in ${source}`,
      file: null,
      row: null,
    });
  }
  return files;
}

/** The position of the checkpoint's file (0 without a checkpoint). */
function checkpointIndex(files: readonly ExportFile[], from: ExportCheckpoint | undefined): number {
  const startIndex = from === undefined ? 0 : files.findIndex((f) => f.path === from.file);
  if (from !== undefined && startIndex < 0) {
    throw new AnalyticsError({
      code: 'INVALID_INPUT',
      message: `The checkpoint file ${from.file} is not part of this export`,
    });
  }
  return startIndex;
}

/**
 * Validates the options, lists the source and prepares the shared state of a read. The caller
 * closes `listing`.
 */
export async function openExport(
  source: string,
  options: ReadSpotifyExportOptions,
  observer: ExportObserver,
): Promise<OpenedExport> {
  checkOpenArguments(source, options);
  const strict = options.strict ?? true;
  const maxFileBytes = options.maxFileBytes ?? 256 * 1024 * 1024;
  const checkAbort = abortCheck(options.signal);
  checkAbort();
  await assertReadable(source);
  const listing = await listExportSource(source);
  try {
    const files = historyFiles(listing, options.accountData ?? 'auto', source);
    const progress: ExportProgress = {
      files: 0,
      filesTotal: files.length,
      bytes: 0,
      bytesTotal: files.reduce((sum, f) => sum + f.size, 0),
      rows: 0,
    };
    const from: ExportCheckpoint | undefined = options.from;
    const startIndex = checkpointIndex(files, from);
    const report = () => options.onProgress?.({ ...progress });
    report();
    return {
      listing,
      files,
      range: playTimeRange(listing.files, options.exportedAt),
      progress,
      userId: options.userId,
      maxFileBytes,
      startIndex,
      observer,
      issue: (code, message, file, row, cause) => {
        if (strict && !REPAIRS.has(code)) {
          throw new ExportImportError({ code, message, file, row, cause });
        }
        observer.issue(code, message, file, row);
      },
      checkAbort,
      report,
      fits: (f) => f.size <= maxFileBytes,
      // The next file is read (unzipped off the main thread by zlib) while this one is parsed.
      read: (f) =>
        listing.read(f).then(
          (bytes) => ({ bytes }),
          (error: unknown) => ({ error }),
        ),
      // The next file is read (inflated on libuv's thread pool) while this one is parsed.
      readChunks: (f) =>
        listing.readChunks(f).then(
          (chunks) => ({ chunks }),
          (error: unknown) => ({ error }),
        ),
      firstRowOf: (index) => (index === startIndex && from !== undefined ? from.row : 0),
      skipFile: (f) => {
        progress.files++;
        progress.bytes += f.size;
      },
    };
  } catch (error) {
    listing.close();
    throw error;
  }
}

/** What one file gave so far, and the problems of the file and its rows, reported as they come. */
export class FileTally {
  rows = 0;
  music = 0;
  other = 0;
  skipped = 0;
  problem: string | null = null;
  firstSkip: string | null = null;

  constructor(
    private readonly opened: OpenedExport,
    private readonly file: ExportFile,
  ) {}

  /** A problem with the whole file. */
  readonly fileProblem = (code: AnalyticsErrorCode, reason: string, cause?: unknown): void => {
    this.problem = reason;
    this.opened.issue(code, `${this.file.path} ${reason}`, this.file.path, null, cause);
  };

  tooLarge(): void {
    this.fileProblem(
      'EXPORT_MALFORMED_FILE',
      `is ${this.file.size} bytes, more than the ${this.opened.maxFileBytes} accepted (maxFileBytes)`,
    );
  }

  replaced(): void {
    const path = this.file.path;
    this.opened.issue(
      'EXPORT_INVALID_UTF8',
      `${path} holds bytes that are not UTF-8; they were replaced with U+FFFD`,
      path,
      null,
    );
  }

  rowIssue(problem: RowIssue): void {
    if (problem.code === 'EXPORT_MALFORMED_ROW') {
      this.skipped++;
      this.firstSkip ??= `row ${problem.row}: ${problem.message}`;
    }
    this.opened.issue(problem.code, problem.message, this.file.path, problem.row);
  }

  /** Tells the observer what the file gave and counts it in the progress. */
  done(): void {
    this.opened.observer.fileDone?.({
      path: this.file.path,
      rows: this.rows,
      music: this.music,
      other: this.other,
      skipped: this.skipped,
      problem: this.problem,
      firstSkip: this.firstSkip,
    });
    this.opened.skipFile(this.file);
    this.opened.report();
  }
}
