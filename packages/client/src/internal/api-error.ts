import {
  SpotifyError,
  type SpotifyErrorCode,
  type SpotifyErrorRequest,
} from '../errors/spotify-error.js';
import { sanitizeCause } from './redact.js';

/** The `error` object (or string) of a Spotify error body, and its message. */
export function errorBody(text: string): {
  apiError: { message?: unknown; reason?: string } | undefined;
  detail: string | undefined;
} {
  let body: { error?: { message?: unknown; reason?: string } | string } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  const apiError = typeof error === 'object' && error !== null ? error : undefined;
  const message = apiError?.message;
  const detail =
    typeof message === 'string' ? message : typeof error === 'string' ? error : undefined;
  return { apiError, detail };
}

/** The error code of an HTTP error status other than 429. */
export function codeOfStatus(status: number, modeGated: boolean | undefined): SpotifyErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return modeGated ? 'ENDPOINT_UNAVAILABLE' : 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  return status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST';
}

/**
 * The scopes a forbidden call could have used but the token was not granted. Known when the
 * method needs a scope and either the granted scopes show none of them, or Spotify said the
 * scope was insufficient (then: the ones not granted, or all when the grant is unknown).
 */
export function missingScopesOf(
  required: readonly string[] | undefined,
  granted: string | undefined,
  detail: string | undefined,
): readonly string[] | undefined {
  if (!required || required.length === 0) return undefined;
  const have = granted === undefined ? undefined : new Set(granted.split(/\s+/).filter(Boolean));
  const lacking = required.filter((scope) => !have?.has(scope));
  if (have !== undefined && lacking.length === required.length) return lacking;
  const saysScope = detail !== undefined && /insufficient client scope/i.test(detail);
  return saysScope && lacking.length > 0 ? lacking : undefined;
}

/** Any failure as a SpotifyError: SpotifyErrors as they are, anything else a `NETWORK` error. */
export function toSpotifyError(error: unknown, request: SpotifyErrorRequest): SpotifyError {
  if (error instanceof SpotifyError) return error;
  return new SpotifyError({
    code: 'NETWORK',
    message: error instanceof Error ? error.message : String(error),
    request,
    cause: sanitizeCause(error),
  });
}
