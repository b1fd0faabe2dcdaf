import { createWorld, startProviderMocks, type ProviderMockServer, type World } from '@spoti/mock';

/** One small world shared by the tests of a file. */
export const world: World = createWorld({ seed: 19, size: 'tiny' });

/** Stand-ins with limits loose enough for tests (the services' own are 1/s and 60/10 s). */
export function startServices(
  overrides: Parameters<typeof startProviderMocks>[0] = {},
): Promise<ProviderMockServer> {
  return startProviderMocks({
    world,
    rateLimits: {
      reccobeats: { allowance: 1_000, windowMs: 1_000 },
      musicbrainz: { allowance: 1_000, windowMs: 1_000 },
    },
    ...overrides,
  });
}

/** Fast HTTP settings for tests. */
export const FAST = { minTimeMs: 0, timeoutMs: 2_000, retries: 2, maxRetryAfterMs: 2_000 } as const;
