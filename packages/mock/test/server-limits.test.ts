import { describe, expect, it } from 'vitest';
import { api, start } from './helpers.js';

describe('rate limit', () => {
  it('answers 429 with Retry-After once the rolling window is full, per client', async () => {
    const mock = await start({ rateLimit: { allowance: 3, windowMs: 30_000 } });
    const a = api(mock, mock.controls.auth.issueTokens({ clientId: 'a' }).access_token);
    const b = api(mock, mock.controls.auth.issueTokens({ clientId: 'b' }).access_token);
    for (let i = 0; i < 3; i++) expect((await a('/me')).status).toBe(200);
    const limited = await a('/me');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: { status: 429, message: 'API rate limit exceeded' } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    // As on Spotify since mid-2026, a 429 carries no CORS header (browsers cannot read it).
    expect(limited.headers.get('access-control-allow-origin')).toBeNull();
    const other = await b('/me');
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBe('*');
    // Moving the clock past the window frees the client again.
    mock.controls.clock.advance(30_001);
    expect((await a('/me')).status).toBe(200);
  });

  it('uses a fixed Retry-After when configured', async () => {
    const mock = await start({ rateLimit: { allowance: 0, retryAfterSeconds: 7 } });
    const limited = await api(mock)('/me');
    expect(limited.headers.get('retry-after')).toBe('7');
  });
});

describe('daily quota', () => {
  it('answers QUOTA_EXCEEDED with a long Retry-After until the next mock day', async () => {
    const mock = await start({ quota: { daily: 2 } });
    const call = api(
      mock,
      mock.controls.auth.issueTokens({ expiresInSeconds: 30 * 86_400 }).access_token,
    );
    expect((await call('/me')).status).toBe(200);
    expect((await call('/me')).status).toBe(200);
    const over = await call('/me');
    expect(over.status).toBe(429);
    expect(over.body).toEqual({
      error: { status: 429, message: 'Too many requests', reason: 'QUOTA_EXCEEDED' },
    });
    // The fixture starts at 12:00 UTC: twelve hours to midnight.
    expect(Number(over.headers.get('retry-after'))).toBe(12 * 3600);
    mock.controls.clock.advance(12 * 3600 * 1000);
    expect((await call('/me')).status).toBe(200);
  });
});
