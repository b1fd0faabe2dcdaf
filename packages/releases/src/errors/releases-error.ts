/**
 * Every failure code a {@link ReleasesError} can carry.
 *
 * - `INVALID_OPTIONS`: options or input rejected at the boundary (the message names the field).
 * - `NOT_FOUND`: an unknown subscriber, digest or record.
 * - `STORE_FAILURE`: the state store failed (the `cause` holds the database error).
 * - `MAIL_FAILED`: a {@link Mailer} could not send a message (transient: retry later).
 * - `MAIL_REJECTED`: the mail server refused a message for good (SMTP 5xx): do not retry.
 * - `INVALID_TOKEN`: a confirmation or unsubscribe token is malformed, forged or for another purpose.
 * - `TOKEN_EXPIRED`: a confirmation token is genuine but too old.
 *
 * @example
 * ```ts
 * const retryable = (code: ReleasesErrorCode) => code === 'MAIL_FAILED' || code === 'STORE_FAILURE';
 * ```
 */
export type ReleasesErrorCode =
  | 'INVALID_OPTIONS'
  | 'NOT_FOUND'
  | 'STORE_FAILURE'
  | 'MAIL_FAILED'
  | 'MAIL_REJECTED'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED';

/**
 * Options accepted by the {@link ReleasesError} constructor.
 *
 * @example
 * ```ts
 * throw new ReleasesError({ code: 'NOT_FOUND', message: 'No subscriber u1' });
 * ```
 */
export interface ReleasesErrorOptions {
  /** Machine-readable reason. */
  readonly code: ReleasesErrorCode;
  /** Human-readable explanation (never contains tokens or secrets). */
  readonly message: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

const brand = Symbol.for('@spoti/releases/ReleasesError');

/**
 * The one error class thrown by `@spoti/releases`. Spotify failures during a sweep are not thrown:
 * they are listed in the {@link SweepReport}.
 *
 * @example
 * ```ts
 * try {
 *   await watcher.upsertSubscriber({ id: '', email: 'x' });
 * } catch (error) {
 *   if (isReleasesError(error) && error.code === 'INVALID_OPTIONS') console.log(error.message);
 * }
 * ```
 */
export class ReleasesError extends Error {
  /** Literal name, stable across bundles. */
  override readonly name = 'ReleasesError' as const;
  /** Machine-readable reason. */
  readonly code: ReleasesErrorCode;

  constructor(options: ReleasesErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    Object.defineProperty(this, brand, { value: true, enumerable: false });
  }
}

/**
 * True when `value` is a {@link ReleasesError}, even one from another copy of this package
 * (the check uses a global symbol brand, not `instanceof`).
 *
 * @example
 * ```ts
 * if (isReleasesError(error) && error.code === 'INVALID_TOKEN') respond(400);
 * ```
 */
export function isReleasesError(value: unknown): value is ReleasesError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}
