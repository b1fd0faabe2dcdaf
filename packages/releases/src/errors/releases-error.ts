/**
 * Every failure code a {@link ReleasesError} can carry.
 *
 * - `invalid_options`: options or input rejected at the boundary (the message names the field).
 * - `not_found`: an unknown subscriber, digest or record.
 * - `store_failure`: the state store failed (the `cause` holds the database error).
 * - `mail_failed`: a {@link Mailer} could not send a message (transient: retry later).
 * - `mail_rejected`: the mail server refused a message for good (SMTP 5xx): do not retry.
 * - `invalid_token`: a confirmation or unsubscribe token is malformed, forged or for another purpose.
 * - `token_expired`: a confirmation token is genuine but too old.
 *
 * @example
 * ```ts
 * const retryable = (code: ReleasesErrorCode) => code === 'mail_failed' || code === 'store_failure';
 * ```
 */
export type ReleasesErrorCode =
  | 'invalid_options'
  | 'not_found'
  | 'store_failure'
  | 'mail_failed'
  | 'mail_rejected'
  | 'invalid_token'
  | 'token_expired';

/**
 * Options accepted by the {@link ReleasesError} constructor.
 *
 * @example
 * ```ts
 * throw new ReleasesError({ code: 'not_found', message: 'No subscriber u1' });
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
 *   if (isReleasesError(error) && error.code === 'invalid_options') console.log(error.message);
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
 * if (isReleasesError(error) && error.code === 'invalid_token') respond(400);
 * ```
 */
export function isReleasesError(value: unknown): value is ReleasesError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}
