import { redactText } from '../internal/redact.js';

const brand = Symbol.for('@spoti/client/SpotifyError');

/**
 * Every failure the client reports carries one of these codes.
 *
 * - `RATE_LIMITED`: a 429 that cannot be waited out (Retry-After above the ceiling, or the daily quota).
 * - `UNAUTHORIZED`: 401 that survived one refresh-and-retry, or no credentials.
 * - `REAUTHORIZATION_REQUIRED`: the refresh token is gone (`invalid_grant`); the user must log in again.
 * - `FORBIDDEN`: 403 not caused by the app's mode.
 * - `ENDPOINT_UNAVAILABLE`: 403 on an endpoint the app's mode lacks (batch gets, audio features, ...).
 * - `NOT_FOUND`, `BAD_REQUEST`, `SERVER_ERROR`: 404, other 4xx, 5xx.
 * - `NETWORK`, `TIMEOUT`, `ABORTED`: transport failures.
 * - `RESPONSE_VALIDATION`: the body did not match the schema (`validation: 'strict'`), or was not JSON.
 * - `CALL_BUDGET_EXCEEDED`: a development-mode fallback would need more calls than `callBudget` allows.
 * - `INVALID_OPTIONS`: options rejected at the boundary.
 */
export type SpotifyErrorCode =
  | 'RATE_LIMITED'
  | 'UNAUTHORIZED'
  | 'REAUTHORIZATION_REQUIRED'
  | 'FORBIDDEN'
  | 'ENDPOINT_UNAVAILABLE'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'SERVER_ERROR'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'RESPONSE_VALIDATION'
  | 'ABORTED'
  | 'CALL_BUDGET_EXCEEDED'
  | 'INVALID_OPTIONS';

/** The request an error belongs to, with tokens, secrets and codes redacted from the path. */
export interface SpotifyErrorRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path and query relative to the base URL, redacted. */
  readonly path: string;
}

/** Constructor options of {@link SpotifyError}. */
export interface SpotifyErrorOptions {
  /** The error code. */
  code: SpotifyErrorCode;
  /** A human readable message (must not contain secrets; it is redacted anyway). */
  message: string;
  /** HTTP status when a response was received. */
  status?: number | undefined;
  /** The request that failed. */
  request?: SpotifyErrorRequest | undefined;
  /** The underlying error. */
  cause?: unknown;
  /** The message of Spotify's error body (`error.message`), when there was one. */
  apiMessage?: string | undefined;
  /** The reason of Spotify's error body (`error.reason`, e.g. `QUOTA_EXCEEDED`), when there was one. */
  apiReason?: string | undefined;
  /** On a 403 for a missing scope: the scopes the token lacks (one of them is needed). */
  missingScopes?: readonly string[] | undefined;
}

/**
 * The one error class of `@spoti/client`. Check it with {@link isSpotifyError} (works across bundles)
 * and branch on `code`.
 *
 * @example
 * ```ts
 * try {
 *   await client.getArtist('0OdUWJ0sBjDrqHygGUXeCF');
 * } catch (error) {
 *   if (isSpotifyError(error) && error.code === 'NOT_FOUND') console.log('no such artist');
 *   else throw error;
 * }
 * ```
 */
export class SpotifyError extends Error {
  /** Literal name, stable across bundles. */
  override readonly name: string = 'SpotifyError';
  /** What went wrong. */
  readonly code: SpotifyErrorCode;
  /** HTTP status, when a response was received. */
  readonly status: number | undefined;
  /** Method and redacted path of the failed request. */
  readonly request: SpotifyErrorRequest | undefined;
  /**
   * Spotify's own message from the error body (`{"error":{"message":...}}`), redacted; undefined
   * when the answer had none. Branch on `code` and `status`; this is for people to read.
   */
  readonly apiMessage: string | undefined;
  /** Spotify's `error.reason` (e.g. `QUOTA_EXCEEDED`), when the body had one. */
  readonly apiReason: string | undefined;
  /**
   * On a `FORBIDDEN` 403 of a method that needs a scope the token was not granted: the scopes
   * that would allow the call (any one of them; see `SCOPES_BY_METHOD`). Undefined otherwise.
   */
  readonly missingScopes: readonly string[] | undefined;

  constructor(options: SpotifyErrorOptions) {
    super(
      redactText(options.message),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = options.code;
    this.status = options.status;
    this.request = options.request
      ? { method: options.request.method, path: redactText(options.request.path) }
      : undefined;
    this.apiMessage = options.apiMessage === undefined ? undefined : redactText(options.apiMessage);
    this.apiReason = options.apiReason;
    this.missingScopes = options.missingScopes;
    Object.defineProperty(this, brand, { value: true, enumerable: false });
  }
}

/**
 * True when `value` is a {@link SpotifyError}, even one created by another copy of this package
 * (the check uses a global symbol brand, not `instanceof`).
 */
export function isSpotifyError(value: unknown): value is SpotifyError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}
