import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { MockServer } from '@spoti/mock';
import type { SpotifyClient } from '../src/index.js';
import { artistIds, mock, userClient } from './helpers.js';

const id = `spoti-client-test-${randomUUID()}`;
const clients: SpotifyClient[] = [];
let server: MockServer | undefined;
const servers: MockServer[] = [];

afterAll(async () => {
  for (const c of clients) await c.close();
  await server?.close();
  for (const s of servers) await s.close();
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  await redis.connect();
  const keys = await redis.keys(`b_${id}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('Redis clustering', () => {
  it('two clients share one limiter through Redis', async () => {
    server = await mock({ rateLimit: { windowMs: 1000, allowance: 15 } });
    const rateLimit = {
      windowMs: 1000,
      allowance: 12,
      maxConcurrent: 2,
      redis: { id, clientOptions: { host: '127.0.0.1', port: 6379 } },
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
    const keys = await redis.keys(`b_${id}*`);
    await redis.quit();
    expect(keys.length).toBeGreaterThan(0);
  });

  it('a 429 seen by one client pauses the other: one cooldown for the whole app', async () => {
    const s = await mock({});
    servers.push(s);
    const rateLimit = {
      windowMs: 1000,
      allowance: 1000,
      maxConcurrent: 2,
      redis: { id: `${id}-cooldown`, clientOptions: { host: '127.0.0.1', port: 6379 } },
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
});
