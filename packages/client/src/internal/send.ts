import ky, { type BeforeRequestHook, type KyInstance, TimeoutError } from 'ky';
import { SpotifyError, type SpotifyErrorRequest } from '../errors/spotify-error.js';
import { sanitizeCause } from './redact.js';

/** A raw HTTP answer with its body read. */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The scopes granted to the token the request was sent with, when the store knows them. */
  grantedScopes?: string | undefined;
}

/** One HTTP exchange. */
export interface SendInit {
  method: string;
  url: string;
  headers?: Record<string, string> | undefined;
  /** An access token, sent as `Authorization: Bearer` by the transport's hook. */
  bearer?: string | undefined;
  /** A JSON body (ky serialises it and sets its content type). */
  json?: unknown;
  /** A form body. */
  body?: string | URLSearchParams | undefined;
  signal?: AbortSignal | undefined;
  /** What errors name as the request (redacted path). */
  request: SpotifyErrorRequest;
}

/** Sends requests: one ky instance per client (timeout, fetch, auth header). */
export interface Transport {
  send(init: SendInit): Promise<RawResponse>;
}

/** Sets the bearer token a request carries in its ky `context`. */
const bearerHeader: BeforeRequestHook = (request, options) => {
  const token = options.context.bearer;
  if (typeof token === 'string') request.headers.set('authorization', `Bearer ${token}`);
};

/**
 * The client's HTTP transport on ky. ky's own retries stay off (`retry: 0`): p-retry resends,
 * and every resend must go back through the rate limiter, the cooldown and the token check. HTTP
 * error statuses are answers, not exceptions (`throwHttpErrors: false`): 304, 401 and 429 each
 * lead somewhere else, and the body of every error is read for its reason.
 */
export function createTransport(settings: {
  timeoutMs: number;
  fetch?: typeof fetch | undefined;
}): Transport {
  const http = ky.create({
    timeout: settings.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
    hooks: { beforeRequest: [bearerHeader] },
  });
  return { send: (init) => send(http, settings.timeoutMs, init) };
}

/**
 * Sends one request and reads the body. Transport failures become `NETWORK`, `TIMEOUT` or
 * `ABORTED` SpotifyErrors; HTTP statuses are returned, not thrown.
 */
async function send(http: KyInstance, timeoutMs: number, init: SendInit): Promise<RawResponse> {
  try {
    const response = await http(init.url, {
      method: init.method,
      ...(init.headers ? { headers: init.headers } : {}),
      ...(init.json !== undefined ? { json: init.json } : {}),
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.bearer !== undefined ? { context: { bearer: init.bearer } } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (caught) {
    throw transportError(caught, init, timeoutMs);
  }
}

function transportError(caught: unknown, init: SendInit, timeoutMs: number): SpotifyError {
  // ky's errors carry the Request (and its Authorization header): keep a redacted copy only.
  const error = sanitizeCause(caught);
  if (init.signal?.aborted) {
    return new SpotifyError({
      code: 'ABORTED',
      message: 'The request was aborted',
      request: init.request,
      cause: error,
    });
  }
  if (caught instanceof TimeoutError) {
    return new SpotifyError({
      code: 'TIMEOUT',
      message: `No response within ${timeoutMs} ms`,
      request: init.request,
      cause: error,
    });
  }
  return new SpotifyError({
    code: 'NETWORK',
    message: `Network error: ${error instanceof Error ? error.message : String(error)}`,
    request: init.request,
    cause: error,
  });
}
