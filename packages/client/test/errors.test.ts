import { describe, expect, it } from 'vitest';
import {
  isSpotifyError,
  isSpotifyRateLimitError,
  SpotifyError,
  SpotifyRateLimitError,
} from '../src/index.js';

describe('SpotifyError', () => {
  it('carries code, status, request and cause, and has a literal name', () => {
    const cause = new Error('socket hang up');
    const error = new SpotifyError({
      code: 'SERVER_ERROR',
      status: 503,
      message: 'boom',
      request: { method: 'GET', path: '/me' },
      cause,
    });
    expect(error.name).toBe('SpotifyError');
    expect(error.code).toBe('SERVER_ERROR');
    expect(error.status).toBe(503);
    expect(error.request).toEqual({ method: 'GET', path: '/me' });
    expect(error.cause).toBe(cause);
  });

  it('redacts tokens, codes and secrets from messages and paths', () => {
    const error = new SpotifyError({
      code: 'BAD_REQUEST',
      message: 'failed with Bearer abc.def-ghi at /cb?code=SECRETCODE&state=xyz',
      request: { method: 'GET', path: '/x?access_token=TOKEN123&limit=5' },
    });
    expect(error.message).not.toMatch(/abc\.def|SECRETCODE|xyz/);
    expect(error.request?.path).toBe('/x?access_token=[redacted]&limit=5');
  });

  it('is recognised by the guard through its global brand, not instanceof', () => {
    const error = new SpotifyError({ code: 'NOT_FOUND', message: 'nope' });
    // A copy of the package loaded twice would have another class but the same Symbol.for brand.
    const foreign = Object.assign(Object.create(null) as object, {
      [Symbol.for('@spoti/client/SpotifyError')]: true,
      code: 'NOT_FOUND',
    });
    expect(isSpotifyError(error)).toBe(true);
    expect(isSpotifyError(foreign)).toBe(true);
    expect(isSpotifyError(new Error('plain'))).toBe(false);
    expect(isSpotifyError({ code: 'NOT_FOUND' })).toBe(false);
    expect(isSpotifyError(null)).toBe(false);
  });

  it('rate-limit errors say when to come back and why', () => {
    const error = new SpotifyRateLimitError({
      retryAfterMs: 3_600_000,
      resumeAt: 5_000,
      scope: 'quota',
    });
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.status).toBe(429);
    expect(isSpotifyRateLimitError(error)).toBe(true);
    expect(isSpotifyError(error)).toBe(true);
    expect(error.resumeAt).toBe(5_000);
    expect(error.scope).toBe('quota');
    expect(isSpotifyRateLimitError(new SpotifyError({ code: 'RATE_LIMITED', message: 'x' }))).toBe(
      false,
    );
  });
});
