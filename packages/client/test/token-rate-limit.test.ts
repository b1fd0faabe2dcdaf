import type { MockServer } from '@spoti/mock';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  createSpotifyClient,
  isSpotifyRateLimitError,
  type RateLimitEvent,
  type RateLimitInfo,
  type SpotifyClient,
  type SpotifyClientOptions,
} from '../src/index.js';
import { artistIds, mock } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

const SECRET = 'fake-server-secret-0001';

/** An app-only client (client credentials) and the times its token requests were sent. */
async function appClient(options: Partial<SpotifyClientOptions> = {}) {
  server = await mock({ clients: [{ clientId: 'server-app', clientSecret: SECRET }] });
  const tokenRequests: number[] = [];
  const timedFetch: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith('/api/token')) tokenRequests.push(Date.now());
    return fetch(input, init);
  };
  client = createSpotifyClient({
    apiBaseUrl: server.apiUrl,
    accountsBaseUrl: server.accountsUrl,
    clientId: 'server-app',
    clientSecret: SECRET,
    fetch: timedFetch,
    cache: false,
    retry: { retries: 5, minTimeout: 5, maxTimeout: 20, factor: 2 },
    rateLimit: { windowMs: 1000, allowance: 1000 },
    ...options,
  });
  return { client, server, tokenRequests };
}

describe('a 429 from the token endpoint (issue 13 item 11)', () => {
  it('waits Retry-After once, then gets the token: no hammering', async () => {
    const events: RateLimitEvent[] = [];
    const {
      client: c,
      server: s,
      tokenRequests,
    } = await appClient({
      hooks: { rateLimit: (e) => events.push(e) },
    });
    s.controls.faults.script([{ status: 429, retryAfterSeconds: 1 }]);
    const artist = await c.getArtist(artistIds(s, 1)[0]!);
    expect(artist.id).toBeTruthy();
    expect(tokenRequests).toHaveLength(2);
    // Retry-After is a contract, not a hint: the second request waited for it.
    expect(tokenRequests[1]! - tokenRequests[0]!).toBeGreaterThanOrEqual(950);
    expect(events).toEqual([
      expect.objectContaining({
        endpoint: 'POST /api/token',
        retryAfterMs: 1000,
        scope: 'window',
        action: 'cooldown',
      }),
    ]);
  });

  it('fails fast with resumeAt when Retry-After is above the ceiling, and stays blocked', async () => {
    const now = 5_000_000;
    const {
      client: c,
      server: s,
      tokenRequests,
    } = await appClient({
      clock: { now: () => now },
      rateLimit: { windowMs: 1000, allowance: 1000, maxRetryAfterMs: 10_000 },
    });
    s.controls.faults.script([{ status: 429, retryAfterSeconds: 3_600 }]);
    const [id] = artistIds(s, 1);
    const error = await c.getArtist(id!).catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(error)).toBe(true);
    if (!isSpotifyRateLimitError(error)) return;
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(error.resumeAt).toBe(now + 3_600_000);
    expect(error.request).toEqual({ method: 'POST', path: '/api/token' });
    const again = await c.getArtist(id!).catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(again) && again.resumeAt).toBe(now + 3_600_000);
    expect(tokenRequests).toHaveLength(1);
  });

  it('asks onRateLimit, and fails with resumeAt when it says no', async () => {
    const asked: RateLimitInfo[] = [];
    const {
      client: c,
      server: s,
      tokenRequests,
    } = await appClient({
      onRateLimit: (info) => {
        asked.push(info);
        return false;
      },
    });
    s.controls.faults.script([{ status: 429, retryAfterSeconds: 2 }]);
    const error = await c.getArtist(artistIds(s, 1)[0]!).catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(error) && error.retryAfterMs).toBe(2000);
    expect(isSpotifyRateLimitError(error) && error.resumeAt).toBeGreaterThan(0);
    expect(asked).toEqual([
      expect.objectContaining({ endpoint: 'POST /api/token', retryAfterMs: 2000, attempt: 1 }),
    ]);
    expect(tokenRequests).toHaveLength(1);
  });

  it('429s that outlast the retries end in a rate-limit error with resumeAt', async () => {
    const {
      client: c,
      server: s,
      tokenRequests,
    } = await appClient({
      retry: { retries: 1, minTimeout: 5, maxTimeout: 20, factor: 2 },
    });
    s.controls.faults.script([
      { status: 429, retryAfterSeconds: 0 },
      { status: 429, retryAfterSeconds: 0 },
      { status: 429, retryAfterSeconds: 0 },
    ]);
    const error = await c.getArtist(artistIds(s, 1)[0]!).catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(error)).toBe(true);
    expect(isSpotifyRateLimitError(error) && error.message).toMatch(/still rate limited/);
    expect(tokenRequests).toHaveLength(2);
  });
});

describe('the token endpoint cooldown is shared through Redis', () => {
  const redisId = `spoti-client-token-test-${process.pid}-${Date.now()}`;
  afterAll(async () => {
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    const keys = await redis.keys(`b_${redisId}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('a 429 one process got makes the others wait before asking for tokens', async () => {
    server = await mock({ clients: [{ clientId: 'server-app', clientSecret: SECRET }] });
    const tokenRequests: Array<{ who: string; at: number }> = [];
    const make = (who: string) =>
      createSpotifyClient({
        apiBaseUrl: server!.apiUrl,
        accountsBaseUrl: server!.accountsUrl,
        clientId: 'server-app',
        clientSecret: SECRET,
        cache: false,
        fetch: (input, init) => {
          const url = input instanceof Request ? input.url : String(input);
          if (url.endsWith('/api/token')) tokenRequests.push({ who, at: Date.now() });
          return fetch(input, init);
        },
        rateLimit: {
          windowMs: 1000,
          allowance: 1000,
          redis: { id: redisId, clientOptions: { host: '127.0.0.1', port: 6379 } },
        },
      });
    const a = make('a');
    const b = make('b');
    try {
      const refused = new Promise<void>((resolve) => a.on('rateLimit', () => resolve()));
      server.controls.faults.script([{ status: 429, retryAfterSeconds: 1 }]);
      const [id] = artistIds(server, 1);
      const first = a.getArtist(id!);
      await refused;
      const refusedAt = Date.now();
      await Promise.all([first, b.getArtist(id!)]);
      const fromB = tokenRequests.filter((r) => r.who === 'b');
      expect(fromB).toHaveLength(1);
      // b never asked during a's cooldown.
      expect(fromB[0]!.at).toBeGreaterThanOrEqual(refusedAt + 800);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
