import { createWorld, type MockServer, startMock } from '@spoti/mock';
import {
  type SpotifyClient,
  type SpotifyClientOptions,
  createSpotifyClient,
  createMemoryTokenStore,
} from '../src/index.js';

/** Both platform profiles the mock serves. */
export const profiles = ['development-2026', 'extended'] as const;
/** A profile name. */
export type Profile = (typeof profiles)[number];

let sharedWorld: ReturnType<typeof createWorld> | undefined;

/**
 * Starts a mock with the given options. Generating the world is the slow part, so the mocks of one
 * test file share one seed-42 world (tests that write to it use their own ids or playlists).
 */
export function mock(options: Parameters<typeof startMock>[0] = {}): Promise<MockServer> {
  if (options.world || options.worldOptions || options.seed !== undefined) {
    return startMock({ seed: 42, port: 0, ...options });
  }
  sharedWorld ??= createWorld({ seed: 42 });
  return startMock({ seed: 42, port: 0, world: sharedWorld, ...options });
}

/** A client logged in as the mock's consent user, with tiny retry delays. */
export function userClient(
  server: MockServer,
  options: Partial<SpotifyClientOptions> = {},
): SpotifyClient {
  const issued = server.controls.auth.issueTokens({ clientId: 'test-app' });
  return createSpotifyClient({
    apiBaseUrl: server.apiUrl,
    accountsBaseUrl: server.accountsUrl,
    clientId: 'test-app',
    mode: server.profile === 'extended' ? 'extended' : 'development',
    tokenStore: createMemoryTokenStore({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: Date.now() + issued.expires_in * 1000,
    }),
    retry: { retries: 5, minTimeout: 5, maxTimeout: 20, factor: 2 },
    rateLimit: { allowance: 10_000, windowMs: 1000, maxConcurrent: 8 },
    timeoutMs: 2000,
    ...options,
  });
}

/** Ids of some artists of the mock world. */
export function artistIds(server: MockServer, count: number): string[] {
  return [...server.world.artists.keys()].slice(0, count);
}

/** Ids of some tracks of the mock world whose album is released at the mock's now. */
export function trackIds(server: MockServer, count: number): string[] {
  const now = server.controls.clock.now();
  return [...server.world.tracks.values()]
    .filter((t) => server.world.isReleased(t.albumId, now))
    .slice(0, count)
    .map((t) => t.id);
}

/** Ids of some albums of the mock world that are released at the mock's now. */
export function albumIds(server: MockServer, count: number): string[] {
  const now = server.controls.clock.now();
  return [...server.world.albums.keys()]
    .filter((id) => server.world.isReleased(id, now))
    .slice(0, count);
}

/**
 * A fetch that marks every successful GET fresh for an hour (Spotify sends playlists and `/me`
 * with `max-age=0`): what a cache-friendly server or proxy may send, and the worst case for a
 * client that trusts its cache after a write.
 */
export const keptForAnHour: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await fetch(request);
  if (request.method !== 'GET' || response.status !== 200) return response;
  const headers = new Headers(response.headers);
  headers.set('cache-control', 'private, max-age=3600');
  return new Response(await response.text(), { status: 200, headers });
};
