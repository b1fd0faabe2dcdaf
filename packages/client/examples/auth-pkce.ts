// Authorization code with PKCE (public clients need no secret) and state, then API calls with
// tokens kept in a TokenStore and persisted through onTokens.
import { startMock } from '@spoti/mock';
import {
  buildAuthorizeUrl,
  createPkcePair,
  createSpotifyClient,
  createState,
  createMemoryTokenStore,
} from '@spoti/client';

const redirectUri = 'http://127.0.0.1:3000/callback';
const mock = await startMock({
  seed: 42,
  worldOptions: { size: 'tiny' },
  clients: [{ clientId: 'my-public-app', redirectUris: [redirectUri] }],
});

// 1. Login: keep the verifier and the state in the user's session, redirect to the URL.
const pkce = createPkcePair();
const state = createState();
const url = buildAuthorizeUrl({
  accountsBaseUrl: mock.accountsUrl,
  clientId: 'my-public-app',
  redirectUri,
  scopes: ['user-read-private', 'user-top-read', 'user-read-recently-played', 'user-library-read'],
  state,
  codeChallenge: pkce.challenge,
});

// (Here the mock plays the user who consents; a browser would follow the redirect.)
const consent = await fetch(url, { redirect: 'manual' });
const callback = new URL(consent.headers.get('location') ?? '');

// 2. Callback: check the state, then exchange the code with the verifier.
if (callback.searchParams.get('state') !== state) throw new Error('state mismatch: not our login');
const tokenStore = createMemoryTokenStore(); // implement TokenStore over your database
const client = createSpotifyClient({
  apiBaseUrl: mock.apiUrl,
  accountsBaseUrl: mock.accountsUrl,
  clientId: 'my-public-app',
  redirectUri,
  tokenStore,
  refreshSkewMs: 60_000, // refresh a minute before expiry
  onTokens: (tokens) => {
    console.log(`tokens saved, valid until ${new Date(tokens.expiresAt).toISOString()}`);
  },
});
await client.exchangeCode({
  code: callback.searchParams.get('code') ?? '',
  codeVerifier: pkce.verifier,
});

// 3. Use the API: refreshes (ahead of expiry, or once on a 401) happen by themselves.
console.log(`logged in as ${(await client.getMe()).id}`);
mock.controls.auth.expireAccessTokens();
console.log(`after a silent refresh: ${(await client.getMe()).id}`);

await client.close();
await mock.close();
