/** Every failure code an {@link AnalyticsError} can carry. */
export type AnalyticsErrorCode =
  /** Options or arguments failed validation. */
  | 'INVALID_INPUT'
  /** The export path does not exist or cannot be read. */
  | 'EXPORT_NOT_FOUND'
  /** The export is not a readable ZIP archive. */
  | 'EXPORT_BAD_ARCHIVE'
  /** A file of the export is not valid JSON or not an array of rows. */
  | 'EXPORT_MALFORMED_FILE'
  /** One row of an export file has missing or wrongly typed fields. */
  | 'EXPORT_MALFORMED_ROW'
  /** The export holds no streaming-history file at all. */
  | 'EXPORT_EMPTY'
  /** History files were found but none yielded a music play; `files` says why for each. */
  | 'EXPORT_NO_PLAYS'
  /** A row was kept with an over-long text field cut to `EXPORT_LIMITS.maxTextLength` characters. */
  | 'EXPORT_TRUNCATED_FIELD'
  /** A file held bytes that are not UTF-8; they were replaced with U+FFFD (reported once per file). */
  | 'EXPORT_INVALID_UTF8'
  /** The caller aborted the import through its `AbortSignal`. */
  | 'ABORTED';

/** Options accepted by the {@link AnalyticsError} constructor. */
export interface AnalyticsErrorOptions {
  /** Machine-readable reason. */
  readonly code: AnalyticsErrorCode;
  /** Human-readable explanation (never contains secrets). */
  readonly message: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

const brand = Symbol.for('@spoti/analytics/AnalyticsError');

/**
 * The one error base class of `@spoti/analytics`.
 *
 * @example
 * ```ts
 * try {
 *   computeStats(plays, { timeZone: 'Mars/Olympus' });
 * } catch (e) {
 *   if (isAnalyticsError(e) && e.code === 'INVALID_INPUT') console.error(e.message);
 * }
 * ```
 */
export class AnalyticsError extends Error {
  override readonly name: 'AnalyticsError' | 'ExportImportError' = 'AnalyticsError';
  /** Machine-readable reason. */
  readonly code: AnalyticsErrorCode;
  readonly [brand] = true;

  constructor(options: AnalyticsErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}

/**
 * Type guard for {@link AnalyticsError} (and its subclass {@link ExportImportError}) that works
 * across bundles (ESM/CJS copies).
 *
 * @example
 * ```ts
 * if (isAnalyticsError(error)) console.error(error.code, error.message);
 * ```
 */
export function isAnalyticsError(value: unknown): value is AnalyticsError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true &&
    ((value as { name?: unknown }).name === 'AnalyticsError' ||
      (value as { name?: unknown }).name === 'ExportImportError')
  );
}
