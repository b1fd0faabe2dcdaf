// Learning the allowance, deciding about 429s, logging: the client is not told the allowance
// (Spotify does not publish it) and learns it from the first 429; `onRateLimit` decides whether
// a 429 is waited out; a pino-compatible logger (pino itself, or this small one) sees it all.
import { startMock } from '@spoti/mock';
import { createSpotifyClient, createMemoryTokenStore, type SpotifyLogger } from '@spoti/client';

// Time compressed: a 1 s window allowing 25 calls stands for Spotify's 30 s window.
const mock = await startMock({
  seed: 42,
  worldOptions: { size: 'tiny' },
  rateLimit: { windowMs: 1_000, allowance: 25 },
});
const issued = mock.controls.auth.issueTokens({ clientId: 'my-app' });

const learned: string[] = [];
const warnings: string[] = [];
const logger: SpotifyLogger = {
  debug: () => undefined, // every request and answer: too chatty here
  info: (_data, message) => learned.push(message), // changes of the learned allowance
  warn: (data, message) => warnings.push(`${String(data.endpoint)}: ${message}`),
  error: (_data, message) => console.error(message),
};

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
  rateLimit: { windowMs: 1_000, maxConcurrent: 4 }, // no `allowance`: learned from 429s
  // Octokit-style decision: wait out short cooldowns, fail long ones now (with `resumeAt`).
  onRateLimit: ({ retryAfterMs }) => retryAfterMs <= 5_000,
  logger,
});

const ids = [...mock.world.artists.keys()].slice(0, 50); // two windows of calls
const artists = await Promise.all(ids.map((id) => client.getArtist(id)));
console.log(`fetched ${artists.length} artists, ${warnings.length > 0 ? 'after' : 'without'} 429s`);
console.log(`first change: ${learned[0] ?? 'none'}`);
console.log(`allowance now: ${client.allowance} calls per window`);

await client.close();
await mock.close();
