import Bottleneck from 'bottleneck';
import pRetry from 'p-retry';
import { EnrichError, isEnrichError } from '../errors/enrich-error.js';
import { aborted, isAborted, sleep } from './sleep.js';

/** How one provider talks HTTP: its own limiter, retry rules and timeout. */
export interface HttpSettings {
  /** Provider name, for errors. */
  readonly provider: string;
  /** Sent with every request (MusicBrainz requires one that identifies the application). */
  readonly userAgent: string;
  /** Minimum milliseconds between two request starts (the service's rate limit). */
  readonly minTimeMs: number;
  /** Requests in flight at once. */
  readonly maxConcurrent: number;
  /** Retries of 429/5xx/network failures. */
  readonly retries: number;
  /** Per-request timeout. */
  readonly timeoutMs: number;
  /** The longest Retry-After the provider will sleep through; longer ones fail RATE_LIMITED. */
  readonly maxRetryAfterMs: number;
  /** Statuses that mean "slow down" besides 429 (MusicBrainz answers 503). */
  readonly rateLimitStatuses?: readonly number[];
  /** 4xx statuses whose JSON body the provider reads itself (Last.fm's `{ error, message }`). */
  readonly bodyOnStatuses?: readonly number[];
  /**
   * Reads errors a service sends in a 200 body (Deezer's `{ error: { code } }`): an error returned
   * here is thrown and retried like the HTTP one (a rate limit waits, a refusal does not).
   */
  readonly bodyError?: (body: unknown) => EnrichError | undefined;
  /** Substrings removed from URLs in error messages (API keys). */
  readonly secrets?: readonly string[];
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

/** A JSON GET through the limiter and retries. */
export type GetJson = (url: string, signal: AbortSignal | undefined) => Promise<unknown>;

const DEFAULT_WAIT_MS = 1_000;

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** One provider's settings, with what every request of it needs ready. */
interface Provider {
  readonly settings: HttpSettings;
  readonly name: string;
  readonly doFetch: typeof fetch;
  readonly limited: ReadonlySet<number>;
  readonly redact: (url: string) => string;
}

/** Sends one GET with the provider's timeout; a failed connection becomes a typed error. */
async function send(p: Provider, url: string, signal: AbortSignal | undefined): Promise<Response> {
  const { name, settings } = p;
  if (isAborted(signal)) throw aborted(name, signal?.reason);
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
  try {
    return await p.doFetch(url, {
      headers: { Accept: 'application/json', 'User-Agent': settings.userAgent },
      signal: combined,
    });
  } catch (error) {
    if (isAborted(signal)) throw aborted(name, signal?.reason);
    if (timeout.aborted)
      throw new EnrichError({
        code: 'TIMEOUT',
        message: `${name}: no answer within ${settings.timeoutMs} ms from ${p.redact(url)}`,
        provider: name,
        cause: error,
      });
    throw new EnrichError({
      code: 'UNAVAILABLE',
      message: `${name}: the connection failed for ${p.redact(url)}`,
      provider: name,
      cause: error,
    });
  }
}

/** A rate-limit or 5xx answer as its typed error (the body is discarded); otherwise undefined. */
async function overloaded(p: Provider, url: string, response: Response) {
  const name = p.name;
  if (p.limited.has(response.status)) {
    await response.body?.cancel();
    const wait = retryAfterMs(response.headers.get('retry-after')) ?? DEFAULT_WAIT_MS;
    return new EnrichError({
      code: 'RATE_LIMITED',
      message: `${name}: rate limited (HTTP ${response.status}), asked to wait ${wait} ms`,
      provider: name,
      status: response.status,
      retryAfterMs: wait,
    });
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    return new EnrichError({
      code: 'UNAVAILABLE',
      message: `${name}: HTTP ${response.status} from ${p.redact(url)}`,
      provider: name,
      status: response.status,
    });
  }
  return undefined;
}

/** The JSON body of an answer: `null` for 404, typed errors for refusals and non-JSON. */
async function readAnswer(p: Provider, url: string, response: Response): Promise<unknown> {
  const name = p.name;
  const text = await response.text();
  const own = p.settings.bodyOnStatuses?.includes(response.status) === true;
  if (response.status === 404 && !own) return null;
  if (response.status >= 400 && !own) {
    throw new EnrichError({
      code: 'REFUSED',
      message: `${name}: HTTP ${response.status} from ${p.redact(url)}`,
      provider: name,
      status: response.status,
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new EnrichError({
      code: 'BAD_RESPONSE',
      message: `${name}: the answer from ${p.redact(url)} is not JSON`,
      provider: name,
      status: response.status,
      cause: error,
    });
  }
  const bodyError = p.settings.bodyError?.(body);
  if (bodyError !== undefined) throw bodyError;
  return body;
}

/** One attempt: send, then read the answer. */
async function attempt(
  p: Provider,
  url: string,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  const response = await send(p, url, signal);
  const error = await overloaded(p, url, response);
  if (error !== undefined) throw error;
  return readAnswer(p, url, response);
}

/** Whether a failed attempt is worth another: rate limits we may wait out, 5xx, timeouts. */
function retryable(settings: HttpSettings, error: unknown): boolean {
  if (!isEnrichError(error)) return false;
  if (error.code === 'RATE_LIMITED') return (error.retryAfterMs ?? 0) <= settings.maxRetryAfterMs;
  return error.code === 'UNAVAILABLE' || error.code === 'TIMEOUT';
}

/**
 * Makes the JSON getter of one provider: requests are spaced by bottleneck, each has a timeout
 * and follows the caller's AbortSignal; 429 (and the provider's extra rate-limit statuses) wait
 * for Retry-After and are retried, 5xx and dropped connections are retried with backoff, other
 * 4xx fail at once as REFUSED.
 */
export function createGetJson(settings: HttpSettings): GetJson {
  const limiter = new Bottleneck({
    maxConcurrent: settings.maxConcurrent,
    minTime: settings.minTimeMs,
  });
  const name = settings.provider;
  const provider: Provider = {
    settings,
    name,
    doFetch: settings.fetch ?? fetch,
    limited: new Set([429, ...(settings.rateLimitStatuses ?? [])]),
    redact: (url) =>
      (settings.secrets ?? []).reduce((text, secret) => text.split(secret).join('***'), url),
  };
  return (url, signal) =>
    pRetry(() => limiter.schedule(() => attempt(provider, url, signal)), {
      retries: settings.retries,
      minTimeout: 200,
      factor: 2,
      maxTimeout: 5_000,
      ...(signal === undefined ? {} : { signal }),
      shouldRetry: ({ error }) => retryable(settings, error),
      onFailedAttempt: async ({ error, retriesLeft }) => {
        // A rate limit waits for the time the service asked, on top of the backoff.
        if (
          retriesLeft > 0 &&
          isEnrichError(error) &&
          error.code === 'RATE_LIMITED' &&
          retryable(settings, error)
        )
          await sleep(error.retryAfterMs ?? DEFAULT_WAIT_MS, signal, name);
      },
    }).catch((error: unknown) => {
      if (isEnrichError(error)) throw error;
      if (isAborted(signal)) throw aborted(name, signal?.reason);
      throw new EnrichError({
        code: 'UNAVAILABLE',
        message: `${name}: the request failed`,
        provider: name,
        cause: error,
      });
    });
}
