import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { AnalyticsError } from '../errors/analytics-error.js';
import { ExportImportError } from '../errors/export-import-error.js';
import { isAccountDataFile, listExportSource } from './export-source.js';
import type {
  ExportCheckpoint,
  ExportItem,
  ExportProgress,
  ReadSpotifyExportOptions,
} from './export-types.js';
import { parseRows, type RowIssue } from './parse-rows.js';

const optionsSchema = z.object({
  userId: z.string().min(1),
  strict: z.boolean().optional(),
  accountData: z.enum(['auto', 'include', 'skip']).optional(),
  maxFileBytes: z.number().int().positive().optional(),
  from: z.object({ file: z.string().min(1), row: z.number().int().nonnegative() }).optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  onProgress: z.custom<(p: ExportProgress) => void>((v) => typeof v === 'function').optional(),
  onIssue: z.custom<(e: ExportImportError) => void>((v) => typeof v === 'function').optional(),
});

const PROGRESS_EVERY_ROWS = 10_000;

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
 * Mapping of an extended row to a {@link @spoti/catalog!Play}: `ts` -> `endedAt`; `ms_played` -> `msPlayed`;
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
    const issue = (error: ExportImportError) => {
      if (strict) throw error;
      options.onIssue?.(error);
    };

    for (let index = 0; index < files.length; index++) {
      const file = files[index] as (typeof files)[number];
      checkAbort();
      if (index < startIndex) {
        progress.files++;
        progress.bytes += file.size;
        continue;
      }
      const firstRow = index === startIndex && from !== undefined ? from.row : 0;
      if (file.size > maxFileBytes) {
        issue(
          new ExportImportError({
            code: 'EXPORT_MALFORMED_FILE',
            message: `${file.path} is ${file.size} bytes, more than the ${maxFileBytes} accepted (maxFileBytes)`,
            file: file.path,
            row: null,
          }),
        );
        progress.files++;
        progress.bytes += file.size;
        report();
        continue;
      }
      let text: string;
      try {
        text = await listing.read(file);
      } catch (cause) {
        issue(
          new ExportImportError({
            code: 'EXPORT_BAD_ARCHIVE',
            message: `Cannot read ${file.path}: ${cause instanceof Error ? cause.message : String(cause)}`,
            file: file.path,
            row: null,
            cause,
          }),
        );
        progress.files++;
        progress.bytes += file.size;
        report();
        continue;
      }
      let rows: unknown;
      try {
        rows = JSON.parse(text);
      } catch (cause) {
        issue(
          new ExportImportError({
            code: 'EXPORT_MALFORMED_FILE',
            message: `${file.path} is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`,
            file: file.path,
            row: null,
            cause,
          }),
        );
        rows = undefined;
      }
      if (rows !== undefined && !Array.isArray(rows)) {
        issue(
          new ExportImportError({
            code: 'EXPORT_MALFORMED_FILE',
            message: `${file.path} does not hold a JSON array of rows`,
            file: file.path,
            row: null,
          }),
        );
        rows = undefined;
      }
      if (Array.isArray(rows)) {
        const onRowIssue = (problem: RowIssue) =>
          issue(
            new ExportImportError({
              code: 'EXPORT_MALFORMED_ROW',
              message: problem.message,
              file: file.path,
              row: problem.row,
            }),
          );
        let sinceReport = 0;
        for (const item of parseRows(rows, file, firstRow, options.userId, onRowIssue)) {
          if (item !== null) yield item;
          progress.rows++;
          if (++sinceReport >= PROGRESS_EVERY_ROWS) {
            sinceReport = 0;
            checkAbort();
            report();
          }
        }
      }
      progress.files++;
      progress.bytes += file.size;
      report();
    }
  } finally {
    listing.close();
  }
}
