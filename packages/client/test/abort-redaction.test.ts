import { inspect } from 'node:util';
import type { MockServer } from '@spoti/mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isSpotifyError,
  createMemoryTokenStore,
  SpotifyError,
  type SpotifyClient,
} from '../src/index.js';
import { artistIds, mock, profiles, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe.each(profiles)('abort and redaction (%s)', (profile) => {
  it('an aborted call stops waiting for a shared token refresh (the refresh itself goes on)', async () => {
    server = await mock({ profile });
    const issued = server.controls.auth.issueTokens({ clientId: 'test-app' });
    const order: string[] = [];
    client = userClient(server, {
      cache: false,
      tokenStore: createMemoryTokenStore({
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        expiresAt: Date.now() - 1,
      }),
      onTokens: () => {
        order.push('refreshed');
      },
    });
    // The refresh is the first request the mock sees; it answers slowly.
    server.controls.faults.script([{ latencyMs: 400 }]);
    const controller = new AbortController();
    const aborted = client.getMe({ signal: controller.signal }).catch((e: unknown) => {
      order.push(isSpotifyError(e) ? e.code : 'untyped');
    });
    const other = client.getMe().then(() => order.push('other done'));
    setTimeout(() => controller.abort(), 30);
    await Promise.all([aborted, other]);
    expect(order).toEqual(['ABORTED', 'refreshed', 'other done']);
  });

  it('a timed-out call carries no token anywhere, not even deep in its cause', async () => {
    server = await mock({ profile });
    const issued = server.controls.auth.issueTokens({ clientId: 'test-app' });
    client = userClient(server, {
      cache: false,
      timeoutMs: 50,
      retry: { retries: 0 },
      tokenStore: createMemoryTokenStore({
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        expiresAt: Date.now() + 3_600_000,
      }),
    });
    server.controls.faults.script([{ latencyMs: 300 }]);
    const error = await client.getArtist(artistIds(server, 1)[0]!).catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('TIMEOUT');
    const text = inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true });
    expect(text).not.toContain(issued.access_token);
  });
});

describe('redaction', () => {
  it('removes secrets written as JSON, form fields, query parameters and headers', () => {
    const error = new SpotifyError({
      code: 'BAD_REQUEST',
      message:
        'body {"access_token":"AT-1","refresh_token": "RT-2","client_secret":"CS-3","code":"C-4"} ' +
        'form grant_type=refresh_token&refresh_token=RT-5&client_id=x ' +
        'header Authorization: Basic YWJjOmRlZg== and authorization=Bearer%20AT-6',
    });
    for (const secret of ['AT-1', 'RT-2', 'CS-3', 'C-4', 'RT-5', 'YWJjOmRlZg', 'AT-6']) {
      expect(error.message).not.toContain(secret);
    }
    expect(error.message).toContain('client_id=x');
  });
});

describe('abort on the auth calls', () => {
  it('refreshTokens takes a signal (exchangeCode: see auth.test.ts)', async () => {
    server = await mock({});
    client = userClient(server, { cache: false });
    const refreshed = await client
      .refreshTokens({ signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(isSpotifyError(refreshed) && refreshed.code).toBe('ABORTED');
    const tokens = await client.refreshTokens();
    expect(tokens.accessToken).toBeTruthy();
  });
});
