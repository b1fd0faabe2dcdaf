import { describe, expect, it } from 'vitest';
import { fixtureId } from './fixtures/tiny-world.js';
import { api, start } from './helpers.js';

describe('caching', () => {
  it('sends ETag and Cache-Control, and 304 for a matching If-None-Match', async () => {
    const mock = await start();
    const call = api(mock);
    const first = await call(`/artists/${fixtureId('Art', 1)}`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    const again = await call(`/artists/${fixtureId('Art', 1)}`, {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
    const other = await call(`/artists/${fixtureId('Art', 2)}`, {
      headers: { 'If-None-Match': etag ?? '' },
    });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).not.toBe(etag);
  });
});

describe('browsers', () => {
  it('answers CORS preflights', async () => {
    const mock = await start();
    const response = await fetch(`${mock.apiUrl}/me`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('answers malformed ids with 400, not a crash', async () => {
    const mock = await start();
    const response = await api(mock)('/artists/%E0%A4%A');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe('Invalid base62 id');
  });
});

describe('introspection', () => {
  it('counts requests per endpoint and logs them without tokens', async () => {
    const mock = await start();
    const { access_token } = mock.controls.auth.issueTokens();
    const call = api(mock, access_token);
    await call('/me/top/artists?time_range=short_term');
    await call('/me/top/tracks');
    await call('/me');
    await call('/nope');
    expect(mock.controls.requests.counts()).toEqual({
      'GET /v1/me/top/{type}': 2,
      'GET /v1/me': 1,
      'GET (unknown)': 1,
      total: 4,
    });
    const log = mock.controls.requests.log();
    expect(log[0]).toEqual({
      method: 'GET',
      path: '/v1/me/top/artists',
      query: { time_range: 'short_term' },
      endpoint: 'GET /v1/me/top/{type}',
      status: 200,
      timeMs: mock.controls.clock.now(),
    });
    expect(JSON.stringify(log)).not.toContain(access_token);
    mock.controls.requests.reset();
    expect(mock.controls.requests.counts()).toEqual({});
  });

  it('exposes the ground truth', async () => {
    const mock = await start();
    expect(mock.controls.truth.user('user0').displayName).toBe('User 0');
    expect(() => mock.controls.truth.user('nobody')).toThrow(/No such user/);
    const plays = mock.controls.truth.plays('user0');
    expect(plays.at(-1)?.endedAtMs).toBeLessThanOrEqual(mock.controls.clock.now());
  });

  it('validates its options', async () => {
    await expect(start({ profile: 'free' as 'extended' })).rejects.toMatchObject({
      name: 'MockError',
      code: 'INVALID_OPTIONS',
    });
    await expect(start({ rateLimit: { allowance: -1 } })).rejects.toThrow(/rateLimit.allowance/);
  });
});
