import { afterEach, describe, expect, it } from 'vitest';
import type { MockServer } from '@spoti/mock';
import { isSpotifyError, type SpotifyClient } from '../src/index.js';
import { artistIds, mock, profiles, trackIds, userClient } from './helpers.js';

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

  it('every kind of operation (reads, paging, batches, writes, aborts) settles typed in a storm', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      server = await mock({
        profile,
        rateLimit: { windowMs: 1000, allowance: 80, retryAfterSeconds: 1 },
        faults: {
          errorRate: 0.2,
          statuses: [500, 502, 503, 504],
          dropRate: 0.05,
          malformedRate: 0.05,
          earlyExpiryRate: 0.05,
        },
      });
      client = userClient(server, {
        mode: 'auto',
        rateLimit: { windowMs: 1000, allowance: 300, maxConcurrent: 6 },
        retry: { retries: 6, minTimeout: 2, maxTimeout: 20, factor: 2 },
        callBudget: 40,
      });
      const c = client;
      const tracks = trackIds(server, 12);
      const uris = tracks.map((id) => `spotify:track:${id}`);
      const collect = async <T>(iterable: AsyncIterable<T>) => {
        const out: T[] = [];
        for await (const item of iterable) out.push(item);
        return out;
      };
      const controller = new AbortController();
      const ops: Record<string, () => Promise<unknown>> = {
        me: () => c.getMe(),
        top: () => c.getTopArtists({ timeRange: 'long_term', limit: 5 }),
        savedPages: () => collect(c.paginate(c.getSavedTracks, { limit: 5 }, { maxItems: 15 })),
        recentPages: () =>
          collect(c.paginate(c.getRecentlyPlayed, { limit: 10 }, { maxItems: 20 })),
        followed: () => collect(c.paginate(c.getFollowedArtists, { limit: 3 }, { maxItems: 6 })),
        albums: () => c.getSavedAlbums({ limit: 5 }),
        batchArtists: () => c.getArtists(artistIds(server!, 12)),
        batchTracks: () => c.getTracks(tracks),
        features: () => c.getAudioFeatures(tracks),
        search: () => c.search({ q: 'a', type: ['artist', 'track'], limit: 20 }),
        library: async () => {
          await c.saveLibraryItems({ type: 'track', ids: tracks.slice(0, 3) });
          return c.libraryItemsContain({ type: 'track', ids: tracks.slice(0, 3) });
        },
        playlist: async () => {
          const p = await c.createPlaylist({ name: 'storm' });
          const added = await c.addPlaylistItems(p.id, uris);
          await c.removePlaylistItems(p.id, uris.slice(0, 4), { snapshotId: added.snapshot_id });
          return c.replacePlaylistItems(p.id, uris.slice(0, 2));
        },
        aborted: () => c.getArtist(artistIds(server!, 1)[0]!, { signal: controller.signal }),
        abortedPaging: () =>
          collect(c.paginate(c.getSavedTracks, { limit: 2 }, { signal: controller.signal })),
      };
      setTimeout(() => controller.abort(), 5);
      setTimeout(() => server?.controls.auth.expireAccessTokens(), 60);
      const names = Object.keys(ops);
      const settled = await Promise.allSettled(names.map((name) => ops[name]!()));
      const outcome = Object.fromEntries(
        settled.map((r, i) => [
          names[i],
          r.status === 'fulfilled' ? 'ok' : isSpotifyError(r.reason) ? r.reason.code : 'UNTYPED',
        ]),
      );
      expect(Object.values(outcome)).not.toContain('UNTYPED');
      expect(outcome.aborted).toBe('ABORTED');
      // Idempotent reads survive the storm through retries.
      for (const name of ['me', 'top', 'albums', 'batchArtists', 'batchTracks', 'search']) {
        expect([name, outcome[name]]).toEqual([name, 'ok']);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
