import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { MockServer } from '@spoti/mock';
import { isSpotifyRateLimitError, type SpotifyClient } from '../src/index.js';
import { artistIds, mock, profiles, userClient } from './helpers.js';

const id = `spoti-client-test-${randomUUID()}`;
const clients: SpotifyClient[] = [];
const servers: MockServer[] = [];

afterAll(async () => {
  for (const c of clients) await c.close();
  for (const s of servers) await s.close();
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  await redis.connect();
  const keys = await redis.keys(`b_${id}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe.each(profiles)('Redis clustering (%s)', (profile) => {
  it('two clients share one limiter through Redis', async () => {
    const server = await mock({ profile, rateLimit: { windowMs: 1000, allowance: 15 } });
    servers.push(server);
    const rateLimit = {
      windowMs: 1000,
      allowance: 12,
      maxConcurrent: 2,
      redis: { id: `${id}-${profile}`, clientOptions: { host: '127.0.0.1', port: 6379 } },
    };
    const a = userClient(server, { cache: false, rateLimit });
    const b = userClient(server, { cache: false, rateLimit });
    clients.push(a, b);
    const ids = artistIds(server, 24);
    await Promise.all(ids.map((artistId, i) => (i % 2 === 0 ? a : b).getArtist(artistId)));
    // Each client alone may send 12 per second; unshared, the two together would send 24 and be
    // refused. Sharing one Redis-backed limiter keeps them within the server's allowance.
    expect(server.controls.requests.log().filter((e) => e.status === 429)).toHaveLength(0);
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    const keys = await redis.keys(`b_${id}-${profile}*`);
    await redis.quit();
    expect(keys.length).toBeGreaterThan(0);
  });

  it('a 429 seen by one client pauses the other: one cooldown for the whole app', async () => {
    const s = await mock({ profile });
    servers.push(s);
    const rateLimit = {
      windowMs: 1000,
      allowance: 1000,
      maxConcurrent: 2,
      redis: { id: `${id}-${profile}-cooldown`, clientOptions: { host: '127.0.0.1', port: 6379 } },
    };
    const a = userClient(s, { cache: false, rateLimit });
    const b = userClient(s, { cache: false, rateLimit });
    clients.push(a, b);
    await Promise.all([a.getMe(), b.getMe()]);
    s.controls.requests.reset();
    s.controls.faults.script([{ status: 429, retryAfterSeconds: 2 }]);
    const [first, second] = artistIds(s, 2);
    const rateLimited = new Promise<void>((resolve) => a.on('rateLimit', () => resolve()));
    const pendingA = a.getArtist(first!);
    await rateLimited;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pendingB = b.getArtist(second!);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Well inside the 2 s Retry-After: neither A's retry nor B's first call has been sent.
    expect(s.controls.requests.log().map((e) => e.status)).toEqual([429]);
    await Promise.all([pendingA, pendingB]);
    expect(s.controls.requests.log().map((e) => e.status)).toEqual([429, 200, 200]);
  });

  it('a quota block seen by one process makes the others fail fast too, without calling', async () => {
    const s = await mock({ profile, quota: { daily: 2, retryAfterSeconds: 86_207 } });
    servers.push(s);
    const rateLimit = {
      windowMs: 1000,
      allowance: 1000,
      redis: { id: `${id}-${profile}-quota`, clientOptions: { host: '127.0.0.1', port: 6379 } },
    };
    const a = userClient(s, { cache: false, rateLimit });
    const b = userClient(s, { cache: false, rateLimit });
    clients.push(a, b);
    const ids = artistIds(s, 4);
    await a.getArtist(ids[0]!);
    await a.getArtist(ids[1]!);
    const first = await a.getArtist(ids[2]!).catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(first) && first.scope).toBe('quota');
    const before = s.controls.requests.log().length;
    const started = Date.now();
    const other = await b.getArtist(ids[3]!).catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(other) && other.scope).toBe('quota');
    expect(isSpotifyRateLimitError(other) && other.retryAfterMs).toBeGreaterThan(86_000_000);
    expect(isSpotifyRateLimitError(other) && other.resumeAt).toBeGreaterThan(started + 86_000_000);
    expect(b.totalCalls()).toBe(0);
    expect(s.controls.requests.log()).toHaveLength(before);
  });
});
