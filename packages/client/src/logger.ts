/**
 * One log method: pino's `(object, message)` form. Every object the client logs is already
 * redacted (no token, secret or authorization code).
 */
export type SpotifyLogFn = (data: Record<string, unknown>, message: string) => void;

/**
 * Where the client writes what it does: the `{ debug, info, warn, error }` subset of a pino (or
 * bunyan, or `console`) logger. Silent unless given.
 *
 * - `debug`: every HTTP attempt and answer;
 * - `info`: a change of the learned rate-limit allowance;
 * - `warn`: 429s (cooldowns and fail-fast blocks), retries;
 * - `error`: a grant that is gone (`REAUTHORIZATION_REQUIRED`).
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * const client = createSpotifyClient({ clientId, tokenStore, logger: pino({ level: 'debug' }) });
 * ```
 */
export interface SpotifyLogger {
  /** Every HTTP attempt and answer. */
  debug: SpotifyLogFn;
  /** Changes of the learned allowance. */
  info: SpotifyLogFn;
  /** Rate limits and retries. */
  warn: SpotifyLogFn;
  /** Failures the app must act on. */
  error: SpotifyLogFn;
}
