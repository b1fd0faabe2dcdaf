const brand = Symbol.for('@spoti/sync/SyncError');

/**
 * Every failure `@spoti/sync` reports carries one of these codes.
 *
 * - `invalid_options`: options rejected at the boundary (the message names the field).
 * - `rate_limited`: Spotify refused more calls (window or daily quota); `resumeAt` says when to come back.
 * - `spotify_failure`: a Web API call failed for another reason (the client's error is the `cause`).
 * - `store_failure`: the catalog store or the sync-state store failed.
 * - `import_failed`: the data export could not be read, or a strict import met a bad row.
 * - `aborted`: the caller's `AbortSignal` fired.
 */
export type SyncErrorCode =
  | 'invalid_options'
  | 'rate_limited'
  | 'spotify_failure'
  | 'store_failure'
  | 'import_failed'
  | 'aborted';

/** Constructor options of {@link SyncError}. */
export interface SyncErrorOptions {
  /** What went wrong. */
  readonly code: SyncErrorCode;
  /** A human readable message (never holds a token or secret). */
  readonly message: string;
  /** Epoch ms when calls may resume (for `rate_limited`). */
  readonly resumeAt?: number | undefined;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * The one error class of `@spoti/sync`. Check it with {@link isSyncError} (works across bundles)
 * and branch on `code`.
 *
 * @example
 * ```ts
 * try {
 *   await sync.syncRecentPlays(user);
 * } catch (error) {
 *   if (isSyncError(error) && error.code === 'invalid_options') console.error(error.message);
 *   else throw error;
 * }
 * ```
 */
export class SyncError extends Error {
  /** Literal name, stable across bundles. */
  override readonly name: string = 'SyncError';
  /** What went wrong. */
  readonly code: SyncErrorCode;
  /** Epoch ms when calls may resume, for `rate_limited`. */
  readonly resumeAt: number | undefined;

  constructor(options: SyncErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.resumeAt = options.resumeAt;
    Object.defineProperty(this, brand, { value: true, enumerable: false });
  }
}

/**
 * True when `value` is a {@link SyncError}, even one created by another copy of this package.
 *
 * @example
 * ```ts
 * if (isSyncError(error)) console.log(error.code);
 * ```
 */
export function isSyncError(value: unknown): value is SyncError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}
