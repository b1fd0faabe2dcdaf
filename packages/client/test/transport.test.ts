import type { MockServer } from '@spoti/mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSpotifyClient,
  isSpotifyError,
  createMemoryTokenStore,
  type RequestEvent,
  type SpotifyClient,
} from '../src/index.js';
import { artistIds, mock, userClient, profiles } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe.each(profiles)('transport (%s)', (profile) => {
  it('sends every call through an injected fetch and a base URL with a trailing slash', async () => {
    server = await mock({ profile });
    const seen: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      seen.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    client = userClient(server, { fetch: countingFetch, apiBaseUrl: `${server.apiUrl}/` });
    const [id] = artistIds(server, 1);
    await client.getArtist(id!);
    expect(seen).toEqual([`${server.apiUrl}/artists/${id}`]);
  });

  it('never puts a token in an error message, request path or hook event', async () => {
    server = await mock({ profile });
    const token = 'not-a-real-token-but-secret';
    const events: RequestEvent[] = [];
    client = createSpotifyClient({
      apiBaseUrl: server.apiUrl,
      accountsBaseUrl: server.accountsUrl,
      clientId: 'test-app',
      clientSecret: 'client-secret-value',
      tokenStore: createMemoryTokenStore({
        accessToken: token,
        refreshToken: 'refresh-secret-value',
        expiresAt: Date.now() + 3_600_000,
      }),
      retry: { retries: 0 },
      hooks: { request: (e) => events.push(e) },
    });
    // The token is unknown to the mock: 401, then a refresh that fails (unknown refresh token).
    const error = await client
      .request({
        method: 'GET',
        endpoint: 'GET /me',
        path: `/me?access_token=${token}`,
      })
      .catch((e: unknown) => e);
    expect(isSpotifyError(error)).toBe(true);
    const text = JSON.stringify({
      message: (error as Error).message,
      request: isSpotifyError(error) ? error.request : undefined,
      events,
    });
    for (const secret of [token, 'refresh-secret-value', 'client-secret-value']) {
      expect(text).not.toContain(secret);
    }
    expect(events[0]?.path).toBe('/me?access_token=[redacted]');
  });
});
