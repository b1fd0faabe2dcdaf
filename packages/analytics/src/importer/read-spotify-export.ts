import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { AnalyticsError, type AnalyticsErrorCode } from '../errors/analytics-error.js';
import { ExportImportError, exportIssue } from '../errors/export-import-error.js';
import { decodeText } from './decode-text.js';
import { EXPORT_LIMITS } from './export-limits.js';
import { type ExportFile, isAccountDataFile, listExportSource } from './export-source.js';
import type {
  ExportCheckpoint,
  ExportItem,
  ExportProgress,
  ReadSpotifyExportOptions,
} from './export-types.js';
import { createIdTable, type PlayTimeRange, parseRows } from './parse-rows.js';

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

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/** Why a file's text is not usable JSON rows, in words ("empty", "not valid JSON (...)"). */
function unusable(text: string): string {
  return text.trim() === '' ? 'is empty' : 'is not valid JSON';
}

type Read = { bytes: Buffer } | { error: unknown };

type Report = (
  code: AnalyticsErrorCode,
  message: string,
  file: string | null,
  row: number | null,
  cause?: unknown,
) => void;

/**
 * The rows of one file, or null when it is unusable (reported through `issue` for a read error,
 * `fileProblem` for a file that is not a JSON array; non-UTF-8 bytes through `issue`).
 */
function parseFile(
  read: Read,
  path: string,
  issue: Report,
  fileProblem: (code: AnalyticsErrorCode, reason: string, cause?: unknown) => void,
): unknown[] | null {
  if ('error' in read) {
    fileProblem('EXPORT_BAD_ARCHIVE', `cannot be read: ${messageOf(read.error)}`, read.error);
    return null;
  }
  const { text, replaced } = decodeText(read.bytes);
  if (replaced) {
    issue(
      'EXPORT_INVALID_UTF8',
      `${path} holds bytes that are not UTF-8; they were replaced with U+FFFD`,
      path,
      null,
    );
  }
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (cause) {
    const reason = unusable(text);
    fileProblem(
      'EXPORT_MALFORMED_FILE',
      reason === 'is empty' ? reason : `${reason}: ${messageOf(cause)}`,
      cause,
    );
    return null;
  }
  if (!Array.isArray(rows)) {
    fileProblem(
      'EXPORT_MALFORMED_FILE',
      `does not hold a JSON array of rows (it holds ${rows === null ? 'null' : typeof rows === 'object' ? 'an object' : `a ${typeof rows}`})`,
    );
    return null;
  }
  return rows;
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
 * path), so memory is bounded by one export file (Spotify's are about 12 MB).
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
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new AnalyticsError({
      code: 'INVALID_INPUT',
      message: `Invalid readSpotifyExport options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      cause: parsed.error,
    });
  }
  if (typeof source !== 'string' || source === '') {
    throw new AnalyticsError({
      code: 'INVALID_INPUT',
      message: 'The export source must be a path',
    });
  }
  const strict = options.strict ?? true;
  const maxFileBytes = options.maxFileBytes ?? 256 * 1024 * 1024;
  const signal = options.signal;
  const checkAbort = () => {
    if (signal?.aborted === true) {
      throw new AnalyticsError({
        code: 'ABORTED',
        message: 'The export import was aborted',
        cause: signal.reason,
      });
    }
  };
  checkAbort();
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

  const listing = await listExportSource(source);
  try {
    const accountData = options.accountData ?? 'auto';
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
    const range = playTimeRange(listing.files, options.exportedAt);
    const ids = createIdTable();
    const progress: ExportProgress = {
      files: 0,
      filesTotal: files.length,
      bytes: 0,
      bytesTotal: files.reduce((sum, f) => sum + f.size, 0),
      rows: 0,
    };
    const from: ExportCheckpoint | undefined = options.from;
    const startIndex = from === undefined ? 0 : files.findIndex((f) => f.path === from.file);
    if (from !== undefined && startIndex < 0) {
      throw new AnalyticsError({
        code: 'INVALID_INPUT',
        message: `The checkpoint file ${from.file} is not part of this export`,
      });
    }
    const report = () => options.onProgress?.({ ...progress });
    report();
    const issue = (
      code: AnalyticsErrorCode,
      message: string,
      file: string | null,
      row: number | null,
      cause?: unknown,
    ) => {
      if (strict && !REPAIRS.has(code)) {
        throw new ExportImportError({ code, message, file, row, cause });
      }
      observer.issue(code, message, file, row);
    };
    // The next file is read (unzipped off the main thread by zlib) while this one is parsed.
    const fits = (f: ExportFile | undefined) => f !== undefined && f.size <= maxFileBytes;
    const readFile = (f: ExportFile): Promise<Read> =>
      listing.read(f).then(
        (bytes) => ({ bytes }),
        (error: unknown) => ({ error }),
      );
    let pending: Promise<Read> | null = null;

    for (let index = 0; index < files.length; index++) {
      const file = files[index] as ExportFile;
      checkAbort();
      if (index < startIndex) {
        progress.files++;
        progress.bytes += file.size;
        continue;
      }
      let current = pending ?? (fits(file) ? readFile(file) : null);
      pending = null;
      const next = files[index + 1];
      const firstRow = index === startIndex && from !== undefined ? from.row : 0;
      let rowsRead = 0;
      let music = 0;
      let other = 0;
      let skipped = 0;
      let problem: string | null = null;
      let firstSkip: string | null = null;
      const fileProblem = (code: AnalyticsErrorCode, reason: string, cause?: unknown) => {
        problem = reason;
        issue(code, `${file.path} ${reason}`, file.path, null, cause);
      };
      if (current === null) {
        fileProblem(
          'EXPORT_MALFORMED_FILE',
          `is ${file.size} bytes, more than the ${maxFileBytes} accepted (maxFileBytes)`,
        );
      } else {
        const read = await current;
        current = null;
        if (fits(next)) pending = readFile(next as ExportFile);
        // In a helper, so the bytes and the text are garbage once parsed (a generator's locals
        // live until it returns).
        const rows = parseFile(read, file.path, issue, fileProblem);
        if (rows !== null) {
          rowsRead = rows.length;
          const onRowIssue = (problemRow: {
            row: number;
            code: AnalyticsErrorCode;
            message: string;
          }) => {
            if (problemRow.code === 'EXPORT_MALFORMED_ROW') {
              skipped++;
              firstSkip ??= `row ${problemRow.row}: ${problemRow.message}`;
            }
            issue(problemRow.code, problemRow.message, file.path, problemRow.row);
          };
          let sinceReport = 0;
          let batch: ExportItem[] = [];
          try {
            for (const item of parseRows(
              rows,
              file,
              firstRow,
              options.userId,
              range,
              ids,
              onRowIssue,
            )) {
              if (item !== null) {
                if (item.kind === 'music') music++;
                else other++;
                batch.push(item);
              }
              progress.rows++;
              if (++sinceReport >= PROGRESS_EVERY_ROWS) {
                sinceReport = 0;
                yield batch;
                batch = [];
                checkAbort();
                report();
              }
            }
          } catch (error) {
            // Strict mode: what came before the malformed row is still delivered.
            if (batch.length > 0) yield batch;
            throw error;
          }
          if (batch.length > 0) yield batch;
        }
      }
      observer.fileDone?.({
        path: file.path,
        rows: rowsRead,
        music,
        other,
        skipped,
        problem,
        firstSkip,
      });
      progress.files++;
      progress.bytes += file.size;
      report();
    }
  } finally {
    listing.close();
  }
}
