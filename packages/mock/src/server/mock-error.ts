/** Codes carried by {@link MockError}. */
export type MockErrorCode =
  | 'INVALID_OPTIONS'
  | 'LISTEN_FAILED'
  | 'UNKNOWN_USER'
  | 'UNKNOWN_CLIENT'
  | 'UNKNOWN_TRACK'
  | 'UNKNOWN_ARTIST';

/**
 * The one error class of `@spoti/mock` (thrown by `startMock` and the controls, never sent over HTTP).
 *
 * @example
 * ```ts
 * try { await startMock({ port: -1 }); } catch (e) { if (isMockError(e)) console.log(e.code); }
 * ```
 */
export class MockError extends Error {
  override readonly name = 'MockError' as const;
  /** What went wrong, as a stable string. */
  readonly code: MockErrorCode;

  constructor(options: { code: MockErrorCode; message: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
  }
}

/**
 * True when `value` is a {@link MockError}, also across bundles (checks the `name` and `code`).
 *
 * @example
 * ```ts
 * if (isMockError(error) && error.code === 'INVALID_OPTIONS') process.exit(2);
 * ```
 */
export function isMockError(value: unknown): value is MockError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'MockError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
