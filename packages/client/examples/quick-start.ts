// Quick start: a user client against a local Spotify (@spoti/mock). Against the real API, drop
// the two base URLs and load the user's tokens from your database.
import { startMock } from '@spoti/mock';
import { createSpotifyClient, createMemoryTokenStore } from '@spoti/client';

const mock = await startMock({
  seed: 42,
  profile: 'development-2026',
  worldOptions: { size: 'tiny' },
});
const issued = mock.controls.auth.issueTokens({ clientId: 'my-app' });

const client = createSpotifyClient({
  apiBaseUrl: mock.apiUrl,
  accountsBaseUrl: mock.accountsUrl,
  clientId: 'my-app',
  tokenStore: createMemoryTokenStore({
    accessToken: issued.access_token,
    refreshToken: issued.refresh_token,
    expiresAt: Date.now() + issued.expires_in * 1000,
  }),
  mode: 'development',
});

const me = await client.getMe();
const top = await client.getTopTracks({ timeRange: 'short_term', limit: 3 });
console.log(`signed in as ${me.id}`);
console.log(`top tracks: ${top.items.map((t) => t.name).join(', ')}`);

await client.close();
await mock.close();
