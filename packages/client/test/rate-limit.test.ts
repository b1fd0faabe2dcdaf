import { afterEach, describe, expect, it } from 'vitest';
import type { MockServer } from '@spoti/mock';
import { isSpotifyRateLimitError, type RateLimitEvent, type SpotifyClient } from '../src/index.js';
import { artistIds, mock, profiles, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe.each(profiles)('rate limits (%s)', (profile) => {
  it('paces to the window so nothing is refused', async () => {
    // The client is configured a little below the server's allowance (Spotify does not publish
    // it, so real apps do the same); the headroom absorbs scheduling jitter on a loaded machine.
    // Unpaced, 36 requests at once would see 16 refusals.
    server = await mock({ profile, rateLimit: { windowMs: 1000, allowance: 20 } });
    client = userClient(server, {
      cache: false,
      rateLimit: { windowMs: 1000, allowance: 16, maxConcurrent: 4 },
    });
    const ids = artistIds(server, 36);
    const artists = await Promise.all(ids.map((id) => client!.getArtist(id)));
    expect(artists.map((a) => a.id)).toEqual(ids);
    expect(server.controls.requests.log().filter((e) => e.status === 429)).toHaveLength(0);
  });

  it('shares one cooldown after a 429: queued work waits, then completes', async () => {
    server = await mock({
      profile,
      rateLimit: { windowMs: 1000, allowance: 10, retryAfterSeconds: 1 },
    });
    // The client believes it may send far more than the server allows.
    client = userClient(server, {
      cache: false,
      rateLimit: { windowMs: 1000, allowance: 1000, maxConcurrent: 4 },
    });
    const events: RateLimitEvent[] = [];
    client.on('rateLimit', (e) => events.push(e));
    const ids = artistIds(server, 24);
    const results = await Promise.allSettled(ids.map((id) => client!.getArtist(id)));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const statuses = server.controls.requests.log().map((e) => e.status);
    const refused = statuses.filter((s) => s === 429).length;
    expect(refused).toBeGreaterThan(0);
    // Only what was already in flight when the first 429 landed can be refused in the same burst.
    const bursts: number[] = [];
    let run = 0;
    for (const status of statuses) {
      if (status === 429) run += 1;
      else if (run > 0) {
        bursts.push(run);
        run = 0;
      }
    }
    expect(Math.max(...bursts, run)).toBeLessThanOrEqual(4);
    expect(events.every((e) => e.action === 'cooldown' && e.scope === 'window')).toBe(true);
  });

  it('fails fast on QUOTA_EXCEEDED with resumeAt, and keeps failing fast without calling', async () => {
    server = await mock({ profile, quota: { daily: 3, retryAfterSeconds: 86_207 } });
    const now = 1_000_000;
    client = userClient(server, { cache: false, clock: { now: () => now } });
    const ids = artistIds(server, 5);
    for (const id of ids.slice(0, 3)) await client.getArtist(id);
    const error = await client.getArtist(ids[3]!).catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(error)).toBe(true);
    if (!isSpotifyRateLimitError(error)) return;
    expect(error.scope).toBe('quota');
    expect(error.retryAfterMs).toBe(86_207_000);
    expect(error.resumeAt).toBe(now + 86_207_000);
    const calls = client.totalCalls();
    const again = await client.getArtist(ids[4]!).catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(again) && again.scope).toBe('quota');
    expect(client.totalCalls()).toBe(calls);
  });

  it('fails fast when Retry-After is above the ceiling instead of hanging', async () => {
    server = await mock({ profile });
    client = userClient(server, { cache: false, rateLimit: { maxRetryAfterMs: 5_000 } });
    server.controls.faults.script([{ status: 429, retryAfterSeconds: 3_600 }]);
    const error = await client.getMe().catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(error) && error.scope).toBe('window');
    expect(isSpotifyRateLimitError(error) && error.retryAfterMs).toBe(3_600_000);
  });

  it('retries 429s after the cooldown, and when they never stop says when to come back', async () => {
    server = await mock({ profile });
    client = userClient(server, { cache: false, retry: { retries: 2, minTimeout: 1 } });
    const actions: string[] = [];
    client.on('rateLimit', (e) => actions.push(e.action));
    server.controls.faults.script([{ status: 429, retryAfterSeconds: 0 }]);
    expect((await client.getMe()).type).toBe('user');
    server.controls.faults.script(Array.from({ length: 3 }, () => ({ status: 429 })));
    const error = await client.getMe().catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(error) && error.scope).toBe('window');
    expect(isSpotifyRateLimitError(error) && error.resumeAt).toBeGreaterThan(0);
    expect(actions).toEqual(['cooldown', 'cooldown', 'cooldown', 'cooldown']);
    // 2 for the first call, 1 + 2 retries for the second.
    expect(client.callCounts()['GET /me']).toBe(5);
  });
});
