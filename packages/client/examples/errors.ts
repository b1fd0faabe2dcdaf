// Errors: every failure is a SpotifyError with a `code`, the HTTP `status`, the redacted request
// and the `cause`; rate-limit errors say when to come back.
import { startMock } from '@spoti/mock';
import {
  createSpotifyClient,
  isSpotifyError,
  isSpotifyRateLimitError,
  createMemoryTokenStore,
} from '@spoti/client';

const mock = await startMock({
  seed: 42,
  worldOptions: { size: 'tiny' },
  quota: { daily: 2, retryAfterSeconds: 86_207 }, // a tiny daily quota, to see it run out
});
const issued = mock.controls.auth.issueTokens({ clientId: 'my-app' });
const tokenStore = createMemoryTokenStore({
  accessToken: issued.access_token,
  refreshToken: issued.refresh_token,
  expiresAt: Date.now() + issued.expires_in * 1000,
});
const client = createSpotifyClient({
  apiBaseUrl: mock.apiUrl,
  accountsBaseUrl: mock.accountsUrl,
  clientId: 'my-app',
  tokenStore,
  cache: false,
});

async function explain(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
    console.log('ok');
  } catch (error) {
    if (isSpotifyRateLimitError(error)) {
      // The daily quota (scope 'quota') or a Retry-After above rateLimit.maxRetryAfterMs:
      // the client fails fast instead of sleeping for hours. Schedule the work for later.
      console.log(
        `rate limited (${error.scope}): come back in ${Math.round(error.retryAfterMs / 3_600_000)} h`,
      );
    } else if (isSpotifyError(error)) {
      switch (error.code) {
        case 'NOT_FOUND':
          console.log(
            `not found: ${error.request?.method} ${error.request?.path} (${error.status})`,
          );
          break;
        case 'REAUTHORIZATION_REQUIRED':
          console.log('the grant is gone: send the user through login again');
          break;
        default:
          console.log(`${error.code}: ${error.message}`);
      }
    } else {
      throw error;
    }
  }
}

await explain(() => client.getArtist('0000000000000000000000'));
const [artistId] = mock.world.artists.keys();
await explain(() => client.getArtist(artistId ?? ''));
await explain(() => client.getMe()); // Spotify answers 429 QUOTA_EXCEEDED, Retry-After 86207
await explain(() => client.getMe()); // fails fast without calling Spotify again

mock.controls.auth.expireAccessTokens();
mock.controls.auth.expireRefreshTokens(); // refresh tokens now expire six months after login
await explain(() => client.getSavedTracks());

await client.close();
await mock.close();
