import { afterEach, describe, expect, it } from 'vitest';
import type { MockServer } from '@spoti/mock';
import { isSpotifyError, type SpotifyClient } from '../src/index.js';
import { artistIds, mock, profiles, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe.each(profiles)('fault storms (%s)', (profile) => {
  it('every operation ends in a result or a typed error, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      server = await mock({
        profile,
        rateLimit: { windowMs: 1000, allowance: 60, retryAfterSeconds: 1 },
        faults: {
          errorRate: 0.2,
          statuses: [500, 502, 503, 504],
          dropRate: 0.05,
          malformedRate: 0.05,
          earlyExpiryRate: 0.05,
        },
      });
      client = userClient(server, {
        cache: false,
        rateLimit: { windowMs: 1000, allowance: 200, maxConcurrent: 6 },
        retry: { retries: 6, minTimeout: 2, maxTimeout: 20, factor: 2 },
      });
      const ids = artistIds(server, 40);
      const ops: Array<Promise<unknown>> = [
        ...ids.map((id) => client!.getArtist(id)),
        client.getMe(),
        client.getTopTracks({ limit: 10 }),
        client.getSavedTracks({ limit: 10 }),
      ];
      // Token expiry mid-run.
      setTimeout(() => server?.controls.auth.expireAccessTokens(), 100);
      const settled = await Promise.allSettled(ops);
      const failures = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(failures.every((f) => isSpotifyError(f.reason))).toBe(true);
      // With 6 retries the storm should almost never win; a handful of typed failures is tolerated.
      expect(settled.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(
        ops.length - 2,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
