/** Every failure code an {@link EnrichError} can carry. */
export type EnrichErrorCode =
  /** Options of a provider, cache or enricher were invalid. */
  | 'INVALID_OPTIONS'
  /** A provider definition was invalid (name, kind, functions) or registered twice. */
  | 'INVALID_PROVIDER'
  /** The service answered 429 (or MusicBrainz's 503) and the wait was longer than allowed. */
  | 'RATE_LIMITED'
  /** The service refused the request (400, 401, 403, an invalid key). */
  | 'REFUSED'
  /** The service failed (5xx, a dropped connection) after the retries. */
  | 'UNAVAILABLE'
  /** The request took longer than the provider's timeout. */
  | 'TIMEOUT'
  /** The caller's AbortSignal fired. */
  | 'ABORTED'
  /** The service answered something that is not the documented shape. */
  | 'BAD_RESPONSE'
  /** The persistent cache failed (a database or file error). */
  | 'CACHE_FAILURE';

/** Options accepted by the {@link EnrichError} constructor. */
export interface EnrichErrorOptions {
  readonly code: EnrichErrorCode;
  /** Human-readable explanation; never holds an API key. */
  readonly message: string;
  /** The provider at fault, when one was. */
  readonly provider?: string;
  /** HTTP status of the failed answer, when there was one. */
  readonly status?: number;
  /** For RATE_LIMITED: how long the service asked to wait. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

const brand = Symbol.for('@spoti/enrich/EnrichError');

/**
 * The one error class thrown by `@spoti/enrich`. Provider failures carry the provider's name,
 * the HTTP status and, for rate limits, how long to wait.
 *
 * @example
 * ```ts
 * try {
 *   await enricher.enrich({ tracks, artists });
 * } catch (e) {
 *   if (isEnrichError(e) && e.code === 'ABORTED') console.log('stopped');
 * }
 * ```
 */
export class EnrichError extends Error {
  override readonly name = 'EnrichError' as const;
  readonly code: EnrichErrorCode;
  readonly provider: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly [brand] = true;

  constructor(options: EnrichErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.provider = options.provider;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Type guard for {@link EnrichError} that works across bundles (ESM/CJS copies).
 *
 * @example
 * ```ts
 * if (isEnrichError(err) && err.code === 'RATE_LIMITED') console.log(err.retryAfterMs);
 * ```
 */
export function isEnrichError(value: unknown): value is EnrichError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true &&
    (value as { name?: unknown }).name === 'EnrichError'
  );
}
