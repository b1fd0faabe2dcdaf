// Rate limits and retries: pace to Spotify's rolling window, share one cooldown after a 429, fail
// fast on long Retry-After values, retry transient faults with jittered backoff, and watch it all
// through hooks. Set REDIS_URL to share the limit between processes of one app.
import { startMock } from '@spoti/mock';
import { createSpotifyClient, createMemoryTokenStore } from '@spoti/client';

// Time compressed: a 1 s window allowing 20 calls stands for Spotify's 30 s window.
const mock = await startMock({
  seed: 42,
  worldOptions: { size: 'tiny' },
  rateLimit: { windowMs: 1_000, allowance: 20, retryAfterSeconds: 1 },
  faults: { errorRate: 0.1, statuses: [502, 503] },
});
const issued = mock.controls.auth.issueTokens({ clientId: 'my-app' });
const redisUrl = process.env.REDIS_URL ? new URL(process.env.REDIS_URL) : undefined;
const retries: string[] = [];
const rateLimits: string[] = [];

const client = createSpotifyClient({
  apiBaseUrl: mock.apiUrl,
  accountsBaseUrl: mock.accountsUrl,
  clientId: 'my-app',
  tokenStore: createMemoryTokenStore({
    accessToken: issued.access_token,
    refreshToken: issued.refresh_token,
    expiresAt: Date.now() + issued.expires_in * 1000,
  }),
  cache: false,
  rateLimit: {
    windowMs: 1_000, // Spotify: 30_000
    allowance: 18, // a little under what you observe (Spotify does not publish it)
    maxConcurrent: 4,
    maxRetryAfterMs: 60_000, // longer Retry-After values fail fast with resumeAt
    ...(redisUrl
      ? {
          redis: {
            id: 'my-app', // every process of the app uses the same id
            clientOptions: { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) },
          },
        }
      : {}),
  },
  retry: { retries: 5, minTimeout: 50, maxTimeout: 2_000, factor: 2 },
  timeoutMs: 5_000,
  hooks: {
    retry: (e) => retries.push(`${e.code}${e.status ? ` ${e.status}` : ''}`),
    rateLimit: (e) => rateLimits.push(`${e.scope} ${e.action}`),
  },
});

// The first answer is a 429: every queued request waits out one shared cooldown, then resumes.
mock.controls.faults.script([{ status: 429, retryAfterSeconds: 1 }]);
const ids = [...mock.world.artists.keys()].slice(0, 40);
const artists = await Promise.all(ids.map((id) => client.getArtist(id)));
const refused = mock.controls.requests.log().filter((e) => e.status === 429).length;
console.log(`fetched ${artists.length} artists; 429s received: ${refused}`);
console.log(`retries: ${retries.length}; rate-limit events: ${rateLimits.join(', ')}`);
console.log(`calls per endpoint: ${JSON.stringify(client.callCounts())}`);

await client.close();
await mock.close();
