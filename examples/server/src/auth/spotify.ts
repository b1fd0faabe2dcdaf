import { type SpotifyClient, type TokenStore, createSpotifyClient } from '@spoti/client';
import { type MockServer, startMock } from '@spoti/mock';
import type { SpotifyConfig } from '../config.js';

/**
 * The scopes the app asks for, each with the reason (shown in the docs and on the home page).
 * Nothing else is requested.
 */
export const SCOPES = [
  { scope: 'user-read-recently-played', reason: 'to record your plays as they happen' },
  { scope: 'user-top-read', reason: 'to compare the dashboard with what Spotify ranks for you' },
  { scope: 'user-library-read', reason: 'to mirror your saved tracks and albums' },
  { scope: 'user-follow-read', reason: 'to know the artists you follow' },
  { scope: 'playlist-read-private', reason: 'to read the smart playlists you save to Spotify' },
  { scope: 'playlist-modify-private', reason: 'to create and update those smart playlists' },
] as const;

/** Where Spotify is and how to reach it as one user. */
export interface SpotifyAccess {
  readonly kind: 'embedded' | 'real';
  readonly clientId: string;
  readonly accountsBaseUrl: string;
  readonly apiBaseUrl: string;
  /** The mock, in zero-config mode (or when a test hands one in). */
  readonly mock: MockServer | undefined;
  /** A client for one user's tokens (or for the code exchange, with a memory store). */
  clientFor(tokenStore: TokenStore, redirectUri: string): SpotifyClient;
  close(): Promise<void>;
}

/** The local client id the embedded Spotify accepts. */
export const EMBEDDED_CLIENT_ID = 'spoti-local-server';

/**
 * Connects to real Spotify, or starts the embedded mock (development-2026 profile) when no
 * Spotify app is configured. `mock` lets a test hand in a mock it controls.
 */
export async function openSpotify(
  config: SpotifyConfig,
  options: { mock?: MockServer | undefined; clock: { now(): number } },
): Promise<SpotifyAccess> {
  if (config.kind === 'real') {
    return {
      kind: 'real',
      clientId: config.clientId,
      accountsBaseUrl: config.accountsBaseUrl,
      apiBaseUrl: config.apiBaseUrl,
      mock: undefined,
      clientFor: (tokenStore, redirectUri) =>
        createSpotifyClient({
          clientId: config.clientId,
          ...(config.clientSecret === undefined ? {} : { clientSecret: config.clientSecret }),
          redirectUri,
          tokenStore,
          mode: 'development',
          clock: options.clock,
        }),
      close: async () => {},
    };
  }
  const owned = options.mock === undefined;
  const mock =
    options.mock ??
    (await startMock({
      seed: config.seed,
      profile: 'development-2026',
      // The embedded world's history runs up to the moment the server started.
      startTimeMs: Math.floor(options.clock.now() / 60_000) * 60_000,
      worldOptions: {
        size: 'small',
        startTimeMs: Math.floor(options.clock.now() / 60_000) * 60_000,
      },
    }));
  return {
    kind: 'embedded',
    clientId: EMBEDDED_CLIENT_ID,
    accountsBaseUrl: mock.accountsUrl,
    apiBaseUrl: mock.apiUrl,
    mock,
    clientFor: (tokenStore, redirectUri) =>
      createSpotifyClient({
        apiBaseUrl: mock.apiUrl,
        accountsBaseUrl: mock.accountsUrl,
        clientId: EMBEDDED_CLIENT_ID,
        redirectUri,
        tokenStore,
        mode: 'development',
        clock: options.clock,
        retry: { retries: 2, minTimeout: 50, maxTimeout: 500 },
      }),
    close: async () => {
      if (owned) await mock.close();
    },
  };
}
