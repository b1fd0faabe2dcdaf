import { AnalyticsError, type AnalyticsErrorCode, isAnalyticsError } from './analytics-error.js';

/** Options accepted by the {@link ExportImportError} constructor. */
export interface ExportImportErrorOptions {
  /** Machine-readable reason. */
  readonly code: AnalyticsErrorCode;
  /** Human-readable explanation; the file and row are appended by the constructor. */
  readonly message: string;
  /** Path of the file inside the export (zip entry or path relative to the folder); null when the problem is the export itself. */
  readonly file: string | null;
  /** Zero-based index of the row in that file; null when the whole file is at fault. */
  readonly row: number | null;
  /** The underlying error, if any. */
  readonly cause?: unknown;
  /** For `EXPORT_NO_PLAYS`: every history file read and why it yielded no play. */
  readonly files?: readonly ExportFileOutcome[];
}

/** Why one history file of an export yielded no music play (see `EXPORT_NO_PLAYS`). */
export interface ExportFileOutcome {
  /** Path of the file inside the export. */
  readonly file: string;
  /** What was wrong: "not valid JSON (...)", "a JSON object, not an array of rows", "empty", ... */
  readonly reason: string;
}

/**
 * A problem while reading a Spotify data export. The message names the file and the row, and
 * both are also available as fields.
 *
 * @example
 * ```ts
 * for await (const item of readSpotifyExport('my_spotify_data.zip', {
 *   userId: 'me',
 *   strict: false,
 *   onIssue: (e) => console.warn(e.file, e.row, e.message),
 * })) {
 *   // ...
 * }
 * ```
 */
export class ExportImportError extends AnalyticsError {
  override readonly name = 'ExportImportError' as const;
  /** Path of the file inside the export; null when the problem is the export itself. */
  readonly file: string | null;
  /** Zero-based row index in {@link ExportImportError.file}; null for whole-file problems. */
  readonly row: number | null;
  /**
   * For `EXPORT_NO_PLAYS`: each history file with the reason it yielded no play (also listed in
   * the message). Empty for every other code.
   */
  readonly files: readonly ExportFileOutcome[];

  constructor(options: ExportImportErrorOptions) {
    const where =
      options.file === null
        ? ''
        : options.row === null
          ? ` (file ${options.file})`
          : ` (file ${options.file}, row ${options.row})`;
    super({
      code: options.code,
      message: `${options.message}${where}`,
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.file = options.file;
    this.row = options.row;
    this.files = options.files ?? [];
  }
}

/**
 * Type guard for {@link ExportImportError} that works across bundles.
 *
 * @example
 * ```ts
 * if (isExportImportError(e)) console.error(`${e.file}#${e.row}: ${e.code}`);
 * ```
 */
export function isExportImportError(value: unknown): value is ExportImportError {
  return isAnalyticsError(value) && value.name === 'ExportImportError';
}

/**
 * An {@link ExportImportError} that reports a problem rather than being thrown: it carries no
 * stack trace, so it keeps nothing of the import alive (a captured stack would hold the closures
 * of the reader, and with them a whole parsed file, for every issue kept).
 */
export function exportIssue(options: ExportImportErrorOptions): ExportImportError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new ExportImportError(options);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
