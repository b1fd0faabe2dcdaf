/** Emitted before each HTTP attempt. */
export interface RequestEvent {
  method: string;
  /** Endpoint template, e.g. `GET /artists/{id}`. */
  endpoint: string;
  /** Redacted path and query. */
  path: string;
  attempt: number;
}
/** Emitted after each HTTP response (including 304 and errors). */
export interface ResponseEvent extends RequestEvent {
  status: number;
  durationMs: number;
  /** True when served from cache (fresh entry or 304). */
  fromCache: boolean;
}
/** Emitted when a failed attempt will be retried. */
export interface RetryEvent extends RequestEvent {
  /** The error code of the failed attempt. */
  code: string;
  status?: number | undefined;
  /** Milliseconds the client waits before the next attempt. */
  delayMs: number;
}
/** Emitted on every 429, from the Web API or the token endpoint (`endpoint` `POST /api/token`). */
export interface RateLimitEvent extends RequestEvent {
  retryAfterMs: number;
  scope: 'window' | 'quota';
  /** `cooldown`: all requests pause and retry; `fail`: the caller gets a rate-limited error. */
  action: 'cooldown' | 'fail';
}
/**
 * What the `onRateLimit` option is asked about: a 429 (from the Web API or the
 * token endpoint) the client could wait out.
 */
export interface RateLimitInfo {
  /** HTTP method of the refused request. */
  method: string;
  /** Endpoint template, e.g. `GET /artists/{id}`, or `POST /api/token`. */
  endpoint: string;
  /** Redacted path and query. */
  path: string;
  /** Which attempt of this call was refused (1 = the first). */
  attempt: number;
  /** Milliseconds Spotify asked to wait (`Retry-After`). */
  retryAfterMs: number;
  /** Epoch milliseconds (on the client's clock) when calls may resume. */
  resumeAt: number;
  /** Always `window` here: quota 429s and waits above the ceiling fail without asking. */
  scope: 'window';
}

/** Emitted when a body did not match its schema under `validation: 'tolerant'`. */
export interface ValidationEvent {
  endpoint: string;
  issues: ReadonlyArray<{ path: ReadonlyArray<string | number>; message: string }>;
}

/** Listeners for the client's events (Octokit-style hooks for logging and metrics). */
export interface SpotifyClientHooks {
  /** Before each HTTP attempt. */
  request?: (event: RequestEvent) => void;
  /** After each response. */
  response?: (event: ResponseEvent) => void;
  /** Before a retry. */
  retry?: (event: RetryEvent) => void;
  /** On each 429. */
  rateLimit?: (event: RateLimitEvent) => void;
  /** On a tolerated schema mismatch. */
  validation?: (event: ValidationEvent) => void;
}

/** Names of the client's events. */
export type SpotifyClientEventName = keyof SpotifyClientHooks;
