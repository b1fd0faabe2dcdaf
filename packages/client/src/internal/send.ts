import ky, { TimeoutError } from 'ky';
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

/** One HTTP exchange through ky. */
export interface SendInit {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | URLSearchParams | undefined;
  timeoutMs: number;
  fetch?: typeof fetch | undefined;
  signal?: AbortSignal | undefined;
  request: SpotifyErrorRequest;
}

/**
 * Sends one request (no retries: ky's own are off) and reads the body. Transport failures become
 * `NETWORK`, `TIMEOUT` or `ABORTED` SpotifyErrors; HTTP statuses are returned, not thrown.
 */
export async function send(init: SendInit): Promise<RawResponse> {
  try {
    const response = await ky(init.url, {
      method: init.method,
      headers: init.headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      timeout: init.timeoutMs,
      retry: 0,
      throwHttpErrors: false,
      ...(init.fetch ? { fetch: init.fetch } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (caught) {
    // ky's errors carry the Request (and its Authorization header): keep a redacted copy only.
    const error = sanitizeCause(caught);
    if (init.signal?.aborted) {
      throw new SpotifyError({
        code: 'ABORTED',
        message: 'The request was aborted',
        request: init.request,
        cause: error,
      });
    }
    if (caught instanceof TimeoutError) {
      throw new SpotifyError({
        code: 'TIMEOUT',
        message: `No response within ${init.timeoutMs} ms`,
        request: init.request,
        cause: error,
      });
    }
    throw new SpotifyError({
      code: 'NETWORK',
      message: `Network error: ${error instanceof Error ? error.message : String(error)}`,
      request: init.request,
      cause: error,
    });
  }
}
