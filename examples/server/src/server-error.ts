const brand = Symbol.for('@spoti/example-server/ServerError');

/** What went wrong, as a code the pages and tests can act on. */
export type ServerErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'UPLOAD_TOO_LARGE'
  | 'UNSUPPORTED_FILE'
  | 'TOKEN_DECRYPT_FAILED'
  | 'NOT_SIGNED_IN'
  | 'STORE_FAILURE'
  | 'RATE_LIMITED';

/**
 * The server's one error class: a literal code, a message safe to show, and the cause.
 *
 * @example
 * ```ts
 * throw new ServerError('INVALID_INPUT', 'from must be a date (YYYY-MM-DD)');
 * ```
 */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;
  readonly [brand] = true;

  constructor(code: ServerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** True for a {@link ServerError}, across bundled copies. */
export function isServerError(value: unknown): value is ServerError {
  return typeof value === 'object' && value !== null && brand in value;
}
