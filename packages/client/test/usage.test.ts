import type { MockServer } from '@spoti/mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpotifyClient } from '../src/index.js';
import { artistIds, mock, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe('per-operation usage (measure)', () => {
  it('gives concurrent operations on one client their own counts, even queued behind the limiter', async () => {
    server = await mock({ profile: 'development-2026' });
    // One request at a time: the operations' requests interleave in the limiter's queue.
    client = userClient(server, {
      cache: false,
      rateLimit: { allowance: 10_000, windowMs: 1000, maxConcurrent: 1 },
    });
    const ids = artistIds(server, 9);
    const before = client.totalCalls();
    const [a, b, c] = await Promise.all([
      client.measure(() => Promise.all(ids.slice(0, 2).map((id) => client!.getArtist(id)))),
      client.measure(() => Promise.all(ids.slice(2, 5).map((id) => client!.getArtist(id)))),
      client.measure(async () => {
        for (const id of ids.slice(5, 9)) await client!.getArtist(id);
        return client!.getMe();
      }),
    ]);
    expect(a.usage.calls).toBe(2);
    expect(b.usage.calls).toBe(3);
    expect(c.usage.calls).toBe(5);
    expect(c.usage.byEndpoint).toEqual({ 'GET /artists/{id}': 4, 'GET /me': 1 });
    expect(client.totalCalls() - before).toBe(10);
  });

  it('counts retries and 429s of the operation only; nested measurements both count', async () => {
    server = await mock({
      profile: 'development-2026',
      faults: { errorRate: 0.5, statuses: [503] },
    });
    client = userClient(server, { cache: false });
    const ids = artistIds(server, 6);
    const other = client.measure(() =>
      Promise.all(ids.slice(3).map((id) => client!.getArtist(id))),
    );
    let inner = -1;
    const outer = await client.measure(async () => {
      const nested = await client!.measure(() => client!.getArtist(ids[0] as string));
      inner = nested.usage.calls;
      await client!.getArtist(ids[1] as string);
      await client!.getArtist(ids[2] as string);
      return nested.usage;
    });
    const otherUsage = (await other).usage;
    // Each attempt beyond the first is a retry.
    expect(outer.usage.calls).toBe(3 + outer.usage.retries);
    expect(otherUsage.calls).toBe(3 + otherUsage.retries);
    expect(inner).toBe(1 + outer.value.retries);
    expect(outer.usage.calls).toBeGreaterThanOrEqual(inner + 2);
    expect(outer.usage.rateLimitWaits).toBe(0);
  });

  it("counts only its own client's calls when another client works inside the measurement", async () => {
    server = await mock({ profile: 'development-2026' });
    client = userClient(server, { cache: false });
    const other = userClient(server, { cache: false });
    try {
      const ids = artistIds(server, 5);
      let innerCalls = -1;
      const outer = await client.measure(async () => {
        await client!.getArtist(ids[0] as string);
        const inner = await other.measure(() =>
          Promise.all(ids.slice(1).map((id) => other.getArtist(id))),
        );
        innerCalls = inner.usage.calls;
        return null;
      });
      expect(outer.usage.calls).toBe(1);
      expect(innerCalls).toBe(4);
    } finally {
      await other.close();
    }
  });

  it('counts a 429 the operation met', async () => {
    server = await mock({
      profile: 'development-2026',
      rateLimit: { windowMs: 1000, allowance: 3, retryAfterSeconds: 1 },
    });
    client = userClient(server, {
      cache: false,
      rateLimit: { allowance: 100, windowMs: 1000, maxConcurrent: 8 },
    });
    const ids = artistIds(server, 8);
    const { usage } = await client.measure(() =>
      Promise.all(ids.map((id) => client!.getArtist(id))),
    );
    expect(usage.rateLimitWaits).toBeGreaterThan(0);
    expect(usage.calls).toBe(8 + usage.retries);
  });
});
