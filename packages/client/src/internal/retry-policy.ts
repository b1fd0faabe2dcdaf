import type { Options as RetryOptions } from 'p-retry';
import { SpotifyRateLimitError } from '../errors/rate-limit-error.js';
import { SpotifyResponseValidationError } from '../errors/response-validation-error.js';
import type { SpotifyError } from '../errors/spotify-error.js';

const retryableStatuses = new Set([500, 502, 503, 504]);

/**
 * Whether a failed attempt may be sent again. A 429 the client waits out is (the limiter holds
 * it until the cooldown ends); one it fails fast on is not. Anything whose outcome is unknown
 * (network, timeout, 5xx, a body cut short) is, for idempotent requests only.
 */
export function isRetryable(error: SpotifyError, idempotent: boolean): boolean {
  if (error instanceof SpotifyRateLimitError) return false;
  if (error.code === 'RATE_LIMITED') return true;
  if (!idempotent) return false;
  if (error.code === 'NETWORK' || error.code === 'TIMEOUT') return true;
  if (error.code === 'SERVER_ERROR')
    return error.status !== undefined && retryableStatuses.has(error.status);
  // A 2xx body that is not JSON (truncated or corrupted in transit) is worth one more try.
  return (
    error.code === 'RESPONSE_VALIDATION' &&
    error instanceof SpotifyResponseValidationError &&
    error.issues.length === 0
  );
}

/** How one call is retried: the budget, the decision, and what happens before a resend. */
export interface RetryPlan {
  retries: number;
  signal?: AbortSignal | undefined;
  /** Whether this failure (attempt `attemptNumber`) is worth another attempt. */
  decide(error: Error, attemptNumber: number): boolean;
  /** Reports the retry and waits before it is sent. */
  beforeRetry(error: Error, attemptNumber: number): Promise<void>;
}

/**
 * p-retry options for a {@link RetryPlan}. p-retry counts the attempts against the budget, asks
 * `shouldRetry` (only while retries are left), stops on the signal, and resends. It waits nothing
 * itself (`minTimeout: 0`): its delay is `minTimeout × factor^n` times a random factor in [1, 2)
 * drawn from `Math.random`, while the client's backoff is full jitter (uniform in [0, ceiling))
 * from the injectable `random`, reported in the `retry` event before it starts; and a 429's wait
 * is the limiter's shared cooldown, which every queued request waits out, not this one alone. So
 * the wait runs in `shouldRetry`, after the decision and before p-retry resends.
 */
export function retryOptions(plan: RetryPlan): RetryOptions {
  return {
    retries: plan.retries,
    minTimeout: 0,
    maxTimeout: 0,
    randomize: false,
    ...(plan.signal ? { signal: plan.signal } : {}),
    shouldRetry: async ({ error, attemptNumber }) => {
      if (!plan.decide(error, attemptNumber)) return false;
      await plan.beforeRetry(error, attemptNumber);
      return true;
    },
  };
}
