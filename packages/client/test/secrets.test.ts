import { format, inspect } from 'node:util';
import type { MockServer } from '@spoti/mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSpotifyClient,
  isSpotifyError,
  createMemoryTokenStore,
  type SpotifyClient,
  type SpotifyLogger,
} from '../src/index.js';
import { mock } from './helpers.js';

// Fake credentials, long enough to be recognised as secrets.
const SECRET = 'fake-client-secret-7f3a9c';
const ACCESS = 'fake-access-token-1b2c3d4e';
const REFRESH = 'fake-refresh-token-5f6a7b8c';
const REDIS_PASSWORD = 'fake-redis-password-9d0e';
const CODE = 'fake-authorization-code-2468';
const VERIFIER = 'fake-code-verifier-13579-abcdefghijklmnopqrstuvwxyz';
const ALL = [SECRET, ACCESS, REFRESH, REDIS_PASSWORD, CODE, VERIFIER];

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

/** Every way a value gets printed: inspect (deep, hidden), JSON, console.log's format. */
function printed(value: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(value) ?? '';
  } catch {
    json = '';
  }
  return [
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: true }),
    json,
    format('%o', value),
    format('%s', value),
    value instanceof Error ? `${value.stack ?? ''}` : '',
  ].join('\n');
}

function expectNoSecret(text: string): void {
  for (const secret of ALL) expect(text).not.toContain(secret);
}

/** A fetch that answers every request with `answer(url)`, recording nothing. */
function fakeFetch(answer: (url: string) => Response | Promise<Response>): typeof fetch {
  return async (input) => answer(input instanceof Request ? input.url : String(input));
}

function fullClient(extra: Parameters<typeof createSpotifyClient>[0] | object = {}) {
  const logged: string[] = [];
  const line = (level: string) => (data: Record<string, unknown>, message: string) => {
    logged.push(`${level} ${message} ${JSON.stringify(data)}`);
  };
  const logger: SpotifyLogger = {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
  };
  const events: unknown[] = [];
  const created = createSpotifyClient({
    apiBaseUrl: 'http://127.0.0.1:9/v1',
    accountsBaseUrl: 'http://127.0.0.1:9',
    clientId: 'test-app',
    clientSecret: SECRET,
    redirectUri: 'http://127.0.0.1:3000/callback',
    tokenStore: createMemoryTokenStore({
      accessToken: ACCESS,
      refreshToken: REFRESH,
      expiresAt: Date.now() + 3_600_000,
      scope: 'user-read-private',
    }),
    rateLimit: { windowMs: 1000, allowance: 1000 },
    retry: { retries: 0 },
    cache: false,
    logger,
    hooks: {
      request: (e) => events.push(e),
      response: (e) => events.push(e),
      retry: (e) => events.push(e),
      rateLimit: (e) => events.push(e),
    },
    ...extra,
  });
  return { client: created, logged, events };
}

describe('secrets stay private (issue 13 item 10)', () => {
  it('inspect, JSON and console output of the client show no secret, token or option object', () => {
    const { client: c } = fullClient({
      // Never connected: no call is made.
      rateLimit: {
        windowMs: 1000,
        allowance: 1000,
        redis: { id: 'never-connected', clientOptions: { password: REDIS_PASSWORD } },
      },
    });
    const text = printed(c);
    expectNoSecret(text);
    expect(JSON.parse(JSON.stringify(c))).toEqual({
      clientId: 'test-app',
      mode: 'development',
      accessLevel: 'development',
    });
    expect(inspect(c)).toContain('test-app');
    expect('options' in c).toBe(false);
    // Nothing reachable through public properties holds a secret either.
    for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(c))) {
      const value = (c as unknown as Record<string, unknown>)[key];
      if (typeof value !== 'function') expectNoSecret(printed(value));
    }
  });

  it('the token store and the errors of rejected options print no secret', async () => {
    const store = createMemoryTokenStore({
      accessToken: ACCESS,
      refreshToken: REFRESH,
      expiresAt: 0,
    });
    expectNoSecret(printed(store));
    const error = (() => {
      try {
        createSpotifyClient({ clientId: 'test-app', clientSecret: SECRET, apiBaseUrl: 'nope' });
      } catch (e) {
        return e;
      }
    })();
    expect(isSpotifyError(error) && error.code).toBe('INVALID_OPTIONS');
    expectNoSecret(printed(error));
  });
});

describe('known secrets are redacted literally (issue 13 item 12)', () => {
  it('an API error body echoing the access token verbatim', async () => {
    const {
      client: c,
      logged,
      events,
    } = fullClient({
      fetch: fakeFetch(
        () =>
          new Response(
            JSON.stringify({ error: { status: 400, message: `token ${ACCESS} is odd` } }),
            { status: 400, headers: { 'content-type': 'application/json' } },
          ),
      ),
    });
    client = c;
    const error = await c.getMe().catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('BAD_REQUEST');
    expect(isSpotifyError(error) && error.apiMessage).toBe('token [redacted] is odd');
    expectNoSecret(printed(error));
    expectNoSecret(logged.join('\n'));
    expectNoSecret(printed(events));
  });

  it('a transport failure whose message and cause hold the token', async () => {
    const { client: c, logged } = fullClient({
      fetch: () => Promise.reject(new Error(`socket closed while sending ${ACCESS}`)),
    });
    client = c;
    const error = await c.getMe().catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('NETWORK');
    expect(isSpotifyError(error) && error.message).toContain('[redacted]');
    expectNoSecret(printed(error));
    expectNoSecret(logged.join('\n'));
  });

  it('a token endpoint echoing the client secret, refresh token, code or verifier', async () => {
    const echo = `secret ${SECRET} refresh ${REFRESH} code ${CODE} verifier ${VERIFIER}`;
    const { client: c, logged } = fullClient({
      fetch: fakeFetch(
        () =>
          new Response(
            JSON.stringify({ error: `invalid_client ${echo}`, error_description: echo }),
            {
              status: 400,
              headers: { 'content-type': 'application/json' },
            },
          ),
      ),
    });
    client = c;
    const exchanged = await c
      .exchangeCode({ code: CODE, codeVerifier: VERIFIER })
      .catch((e: unknown) => e);
    expect(isSpotifyError(exchanged) && exchanged.code).toBe('UNAUTHORIZED');
    // What the exchange sent (the store's refresh token was not read yet, nor sent).
    for (const sent of [SECRET, CODE, VERIFIER]) expect(printed(exchanged)).not.toContain(sent);
    // The refresh token is known from the store, the code and verifier from the exchange.
    const refreshed = await c.refreshTokens().catch((e: unknown) => e);
    expect(isSpotifyError(refreshed) && refreshed.code).toBe('UNAUTHORIZED');
    expectNoSecret(printed(refreshed));
    expectNoSecret(logged.join('\n'));
  });

  it('a token store that fails with the token in its message', async () => {
    server = await mock({});
    const store = {
      get: () => {
        throw new Error(`cannot decrypt ${ACCESS}`);
      },
      set: () => undefined,
      clear: () => undefined,
    };
    client = createSpotifyClient({
      apiBaseUrl: server.apiUrl,
      accountsBaseUrl: server.accountsUrl,
      clientId: 'test-app',
      tokenStore: store,
      retry: { retries: 0 },
    });
    // The client learns the token from a working store first.
    await client.setTokens({ accessToken: ACCESS, expiresAt: Date.now() + 60_000 });
    const error = await client.getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expectNoSecret(printed(error));
  });
});
