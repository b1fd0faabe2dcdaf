import { readFileSync } from 'node:fs';
import type { MockServer } from '@spoti/mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isSpotifyError,
  createMemoryTokenStore,
  SCOPES_BY_METHOD,
  SpotifyClient,
} from '../src/index.js';
import { mock, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const allScopes = [
  'user-read-private',
  'user-read-email',
  'user-top-read',
  'user-read-recently-played',
  'user-library-read',
  'user-library-modify',
  'user-follow-read',
  'user-follow-modify',
  'playlist-read-private',
  'playlist-read-collaborative',
  'playlist-modify-public',
  'playlist-modify-private',
];

/** A user client whose token lacks `missing`; the store knows the granted scopes or not. */
function clientWithout(s: MockServer, missing: string, storeKnowsScopes: boolean) {
  const issued = s.controls.auth.issueTokens({
    clientId: 'test-app',
    scopes: allScopes.filter((scope) => scope !== missing),
  });
  return userClient(s, {
    cache: false,
    tokenStore: createMemoryTokenStore({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: Date.now() + issued.expires_in * 1000,
      ...(storeKnowsScopes ? { scope: issued.scope } : {}),
    }),
  });
}

describe('a 403 for a missing scope names it (issue 14 item 6)', () => {
  it.each([true, false])('granted scopes known to the store: %s', async (known) => {
    server = await mock({});
    client = clientWithout(server, 'user-read-recently-played', known);
    const error = await client.getRecentlyPlayed({ limit: 5 }).catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('FORBIDDEN');
    if (!isSpotifyError(error)) return;
    expect(error.missingScopes).toEqual(['user-read-recently-played']);
    expect(error.message).toContain('user-read-recently-played');
    expect(error.apiMessage).toBe('Insufficient client scope');
  });

  it('a 403 that is not about scopes names none', async () => {
    server = await mock({});
    client = userClient(server, { cache: false });
    server.controls.faults.script([{ status: 403 }]);
    const error = await client.getTopTracks().catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('FORBIDDEN');
    expect(isSpotifyError(error) && error.missingScopes).toBeUndefined();
  });
});

describe('the scope table', () => {
  const infrastructure = new Set([
    'constructor',
    'on',
    'callCounts',
    'totalCalls',
    'resetCallCounts',
    'measure',
    'paginate',
    'hasCapability',
    'toJSON',
    'close',
    'request',
    'exchangeCode',
    'setTokens',
    'refreshTokens',
  ]);
  const endpoints = Object.getOwnPropertyNames(SpotifyClient.prototype).filter((name) => {
    const d = Object.getOwnPropertyDescriptor(SpotifyClient.prototype, name);
    return typeof d?.value === 'function' && !infrastructure.has(name);
  });

  it('lists every endpoint method, and only those', () => {
    expect(Object.keys(SCOPES_BY_METHOD).sort()).toEqual([...endpoints].sort());
  });

  it('is in the README, row by row, with the same scopes', () => {
    for (const [method, need] of Object.entries(SCOPES_BY_METHOD)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${method}\``));
      expect(row, method).toBeDefined();
      for (const scope of [...need.anyOf, ...need.optional]) expect(row).toContain(scope);
    }
  });

  it('the PKCE example asks for every scope the README examples use', () => {
    const example = readFileSync(new URL('../examples/auth-pkce.ts', import.meta.url), 'utf8');
    expect(example).toContain("'user-read-recently-played'");
  });
});
