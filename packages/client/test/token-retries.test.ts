import type { MockServer } from '@spoti/mock';
import { afterEach, describe, expect, it } from 'vitest';
import { isSpotifyError, type RetryEvent, type SpotifyClient } from '../src/index.js';
import { mock, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

/**
 * A fetch that answers the first `answers.length` token requests itself (a status, or a dropped
 * connection), then lets them through to the mock; it counts every token request.
 */
function tokenEndpointFaults(answers: Array<number | 'drop'>) {
  let calls = 0;
  const fetchWithFaults: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.endsWith('/api/token')) return fetch(request);
    const answer = answers[calls];
    calls += 1;
    if (answer === 'drop') throw new TypeError('fetch failed');
    if (answer === undefined) return fetch(request);
    const body = answer === 400 ? { error: 'invalid_client' } : { error: 'server_error' };
    return new Response(JSON.stringify(body), { status: answer });
  };
  return { fetch: fetchWithFaults, calls: () => calls };
}

describe('token endpoint retries', () => {
  it('retries 5xx answers and dropped connections, then refreshes', async () => {
    server = await mock({});
    const faults = tokenEndpointFaults([503, 'drop', 502]);
    client = userClient(server, { cache: false, fetch: faults.fetch });
    server.controls.auth.expireAccessTokens();
    const me = await client.getMe();
    expect(me.type).toBe('user');
    expect(faults.calls()).toBe(4);
  });

  it('gives up after three retries with the last failure', async () => {
    server = await mock({});
    const faults = tokenEndpointFaults([503, 503, 503, 503, 503]);
    client = userClient(server, { cache: false, fetch: faults.fetch });
    const error = await client.refreshTokens().catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('SERVER_ERROR');
    expect(isSpotifyError(error) && error.status).toBe(503);
    expect(faults.calls()).toBe(4);
  });

  it('does not resend a refused request (4xx)', async () => {
    server = await mock({});
    const faults = tokenEndpointFaults([400]);
    client = userClient(server, { cache: false, fetch: faults.fetch });
    const retries: RetryEvent[] = [];
    client.on('retry', (e) => retries.push(e));
    const error = await client.refreshTokens().catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('UNAUTHORIZED');
    expect(isSpotifyError(error) && error.apiReason).toBe('invalid_client');
    expect(faults.calls()).toBe(1);
    expect(retries).toEqual([]);
  });

  it('keeps to a smaller retry budget', async () => {
    server = await mock({});
    const faults = tokenEndpointFaults([503, 503, 503]);
    client = userClient(server, {
      cache: false,
      fetch: faults.fetch,
      retry: { retries: 1, minTimeout: 5, maxTimeout: 20, factor: 2 },
    });
    const error = await client.refreshTokens().catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('SERVER_ERROR');
    expect(faults.calls()).toBe(2);
  });
});
