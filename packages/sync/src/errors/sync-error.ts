const brand = Symbol.for('@spoti/sync/SyncError');

/**
 * Every failure `@spoti/sync` reports carries one of these codes.
 *
 * - `INVALID_OPTIONS`: options rejected at the boundary (the message names the field).
 * - `RATE_LIMITED`: Spotify refused more calls (window or daily quota); `resumeAt` says when to come back.
 * - `SPOTIFY_FAILURE`: a Web API call failed for another reason (the client's error is the `cause`).
 * - `STORE_FAILURE`: the catalog store or the sync-state store failed.
 * - `IMPORT_FAILED`: the data export could not be read, or a strict import met a bad row.
 * - `ABORTED`: the caller's `AbortSignal` fired.
 */
export type SyncErrorCode =
  | 'INVALID_OPTIONS'
  | 'RATE_LIMITED'
  | 'SPOTIFY_FAILURE'
  | 'STORE_FAILURE'
  | 'IMPORT_FAILED'
  | 'ABORTED';

/** Constructor options of {@link SyncError}. */
export interface SyncErrorOptions {
  /** What went wrong. */
  readonly code: SyncErrorCode;
  /** A human readable message (never holds a token or secret). */
  readonly message: string;
  /** Epoch ms when calls may resume (for `RATE_LIMITED`). */
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
 *   if (isSyncError(error) && error.code === 'INVALID_OPTIONS') console.error(error.message);
 *   else throw error;
 * }
 * ```
 */
export class SyncError extends Error {
  /** Literal name, stable across bundles. */
  override readonly name: string = 'SyncError';
  /** What went wrong. */
  readonly code: SyncErrorCode;
  /** Epoch ms when calls may resume, for `RATE_LIMITED`. */
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
