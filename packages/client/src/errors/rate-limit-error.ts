import { SpotifyError, type SpotifyErrorRequest, isSpotifyError } from './spotify-error.js';

/** Why a request was rate limited: the rolling window, or the daily quota. */
export type RateLimitScope = 'window' | 'quota';

/** Constructor options of {@link SpotifyRateLimitError}. */
export interface SpotifyRateLimitErrorOptions {
  /** Milliseconds until Spotify accepts calls again. */
  retryAfterMs: number;
  /** Epoch milliseconds (on the client's clock) when calls may resume. */
  resumeAt: number;
  /** `quota` when the body said `QUOTA_EXCEEDED`, otherwise `window`. */
  scope: RateLimitScope;
  /** Overrides the default message. */
  message?: string | undefined;
  /** The failed request. */
  request?: SpotifyErrorRequest | undefined;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * A 429 the client did not wait out: the daily quota, a Retry-After above the
 * `rateLimit.maxRetryAfterMs` ceiling, an `onRateLimit` callback that said no, or 429s that
 * outlasted the retries; from the Web API or the token endpoint (`request.path` `/api/token`).
 * Tells the caller when to come back.
 *
 * @example
 * ```ts
 * if (isSpotifyRateLimitError(error)) scheduleAt(error.resumeAt);
 * ```
 */
export class SpotifyRateLimitError extends SpotifyError {
  override readonly code = 'RATE_LIMITED' as const;
  /** Milliseconds until calls may resume. */
  readonly retryAfterMs: number;
  /** Epoch milliseconds when calls may resume. */
  readonly resumeAt: number;
  /** Window or daily quota. */
  readonly scope: RateLimitScope;

  constructor(options: SpotifyRateLimitErrorOptions) {
    super({
      code: 'RATE_LIMITED',
      status: 429,
      message:
        options.message ??
        (options.scope === 'quota'
          ? `Spotify daily quota exceeded; retry after ${Math.ceil(options.retryAfterMs / 1000)} s`
          : `Spotify rate limit: Retry-After ${Math.ceil(options.retryAfterMs / 1000)} s is above the ceiling`),
      request: options.request,
      cause: options.cause,
    });
    this.retryAfterMs = options.retryAfterMs;
    this.resumeAt = options.resumeAt;
    this.scope = options.scope;
  }
}

/** True for a rate-limited {@link SpotifyError} (works across bundles). */
export function isSpotifyRateLimitError(value: unknown): value is SpotifyRateLimitError {
  return isSpotifyError(value) && value.code === 'RATE_LIMITED' && 'resumeAt' in value;
}
