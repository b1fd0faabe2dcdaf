import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { MockServer } from '@spoti/mock';
import {
  buildAuthorizeUrl,
  createPkcePair,
  createSpotifyClient,
  createState,
  isSpotifyError,
  createMemoryTokenStore,
  type SpotifyClient,
  type SpotifyTokens,
} from '../src/index.js';
import { mock, profiles, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

const redirectUri = 'http://127.0.0.1:9/callback';

function tokenCalls(s: MockServer): number {
  return s.controls.requests.log().filter((e) => e.path === '/api/token').length;
}

describe('PKCE helpers', () => {
  it('derive an S256 challenge and build the authorize URL', () => {
    const pkce = createPkcePair({ randomBytes: (n) => new Uint8Array(n).fill(7) });
    expect(pkce.challenge).toBe(createHash('sha256').update(pkce.verifier).digest('base64url'));
    expect(pkce.verifier.length).toBeGreaterThanOrEqual(43);
    const url = new URL(
      buildAuthorizeUrl({
        accountsBaseUrl: 'http://127.0.0.1:1',
        clientId: 'abc',
        redirectUri,
        scopes: ['user-top-read', 'user-read-recently-played'],
        state: 'state-123456',
        codeChallenge: pkce.challenge,
      }),
    );
    expect(url.pathname).toBe('/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'abc',
      redirect_uri: redirectUri,
      state: 'state-123456',
      scope: 'user-top-read user-read-recently-played',
      code_challenge_method: 'S256',
      code_challenge: pkce.challenge,
    });
    expect(createState()).not.toBe(createState());
  });
});

describe.each(profiles)('auth (%s)', (profile) => {
  it('runs the authorization-code flow with PKCE and state, then calls the API', async () => {
    server = await mock({
      profile,
      clients: [{ clientId: 'public-app', redirectUris: [redirectUri] }],
    });
    const saved: SpotifyTokens[] = [];
    client = createSpotifyClient({
      apiBaseUrl: server.apiUrl,
      accountsBaseUrl: server.accountsUrl,
      clientId: 'public-app',
      redirectUri,
      onTokens: (t) => {
        saved.push(t);
      },
    });
    const pkce = createPkcePair();
    const state = createState();
    const url = buildAuthorizeUrl({
      accountsBaseUrl: server.accountsUrl,
      clientId: 'public-app',
      redirectUri,
      scopes: ['user-read-private'],
      state,
      codeChallenge: pkce.challenge,
    });
    const consent = await fetch(url, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location') ?? '');
    expect(callback.searchParams.get('state')).toBe(state);
    const code = callback.searchParams.get('code') ?? '';
    const tokens = await client.exchangeCode({ code, codeVerifier: pkce.verifier });
    expect(tokens.refreshToken).toBeTruthy();
    expect(saved).toHaveLength(1);
    expect((await client.getMe()).type).toBe('user');
  });

  it('rejects a code exchange with the wrong verifier as REAUTHORIZATION_REQUIRED', async () => {
    server = await mock({
      profile,
      clients: [{ clientId: 'public-app', redirectUris: [redirectUri] }],
    });
    client = createSpotifyClient({
      apiBaseUrl: server.apiUrl,
      accountsBaseUrl: server.accountsUrl,
      clientId: 'public-app',
      redirectUri,
    });
    const pkce = createPkcePair();
    const url = buildAuthorizeUrl({
      accountsBaseUrl: server.accountsUrl,
      clientId: 'public-app',
      redirectUri,
      state: createState(),
      codeChallenge: pkce.challenge,
    });
    const consent = await fetch(url, { redirect: 'manual' });
    const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const error = await client
      .exchangeCode({ code, codeVerifier: createPkcePair().verifier })
      .catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('REAUTHORIZATION_REQUIRED');
    expect(String((error as Error).message)).not.toContain(code);
  });

  it('uses client credentials when there is a secret and no user', async () => {
    server = await mock({ profile, clients: [{ clientId: 'server-app', clientSecret: 's3cret' }] });
    client = createSpotifyClient({
      apiBaseUrl: server.apiUrl,
      accountsBaseUrl: server.accountsUrl,
      clientId: 'server-app',
      clientSecret: 's3cret',
    });
    const [artistId] = [...server.world.artists.keys()];
    expect((await client.getArtist(artistId!)).id).toBe(artistId);
    await client.getArtist([...server.world.artists.keys()][1]!);
    expect(tokenCalls(server)).toBe(1);
  });

  it('refreshes ahead of expiry, once for many concurrent requests', async () => {
    server = await mock({ profile });
    const issued = server.controls.auth.issueTokens({ clientId: 'test-app' });
    let now = 1_000_000;
    const store = createMemoryTokenStore({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: now + 30_000,
    });
    client = userClient(server, {
      tokenStore: store,
      clock: { now: () => now },
      refreshSkewMs: 60_000,
      cache: false,
    });
    const results = await Promise.all(Array.from({ length: 6 }, () => client!.getMe()));
    expect(results.every((me) => me.type === 'user')).toBe(true);
    expect(tokenCalls(server)).toBe(1);
    const stored = await store.get();
    expect(stored?.accessToken).not.toBe(issued.access_token);
    expect(stored?.expiresAt).toBeGreaterThan(now + 60_000);
    now += 1_000;
    await client.getMe();
    expect(tokenCalls(server)).toBe(1);
  });

  it('refreshes and retries once on a 401, sharing one refresh', async () => {
    server = await mock({ profile });
    client = userClient(server, { cache: false });
    server.controls.auth.expireAccessTokens();
    const results = await Promise.all(Array.from({ length: 4 }, () => client!.getMe()));
    expect(results).toHaveLength(4);
    expect(tokenCalls(server)).toBe(1);
  });

  it('turns invalid_grant into REAUTHORIZATION_REQUIRED and clears the store', async () => {
    server = await mock({ profile });
    const store = createMemoryTokenStore();
    client = userClient(server, { cache: false, tokenStore: store });
    const issued = server.controls.auth.issueTokens({ clientId: 'test-app' });
    await client.setTokens({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: Date.now() + 3_600_000,
    });
    server.controls.auth.expireAccessTokens();
    server.controls.auth.expireRefreshTokens();
    const error = await client.getMe().catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('REAUTHORIZATION_REQUIRED');
    expect(store.get()).toBeUndefined();
  });

  it('reports unauthorized when there are no credentials at all', async () => {
    server = await mock({ profile });
    client = createSpotifyClient({
      apiBaseUrl: server.apiUrl,
      accountsBaseUrl: server.accountsUrl,
      clientId: 'x',
    });
    const error = await client.getMe().catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('UNAUTHORIZED');
  });

  it('a failed or aborted code exchange leaves the stored tokens alone', async () => {
    server = await mock({
      profile,
      clients: [{ clientId: 'public-app', redirectUris: [redirectUri] }],
    });
    const issued = server.controls.auth.issueTokens({ clientId: 'public-app' });
    const tokens: SpotifyTokens = {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: Date.now() + 3_600_000,
    };
    const store = createMemoryTokenStore(tokens);
    client = createSpotifyClient({
      apiBaseUrl: server.apiUrl,
      accountsBaseUrl: server.accountsUrl,
      clientId: 'public-app',
      redirectUri,
      tokenStore: store,
    });
    const bad = await client
      .exchangeCode({ code: 'not-a-code', codeVerifier: createPkcePair().verifier })
      .catch((e: unknown) => e);
    expect(isSpotifyError(bad) && bad.code).toBe('REAUTHORIZATION_REQUIRED');
    const aborted = await client
      .exchangeCode({ code: 'not-a-code', signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(isSpotifyError(aborted) && aborted.code).toBe('ABORTED');
    expect(store.get()).toEqual(tokens);
    expect((await client.getMe()).type).toBe('user');
  });
});
