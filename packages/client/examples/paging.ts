// Paging: one async iterator for offset pages (saved tracks, playlists, ...) and cursor pages
// (recently played, followed artists), with maxItems and an AbortSignal.
import { startMock } from '@spoti/mock';
import { createSpotifyClient, isSpotifyError, createMemoryTokenStore } from '@spoti/client';

const mock = await startMock({ seed: 42, worldOptions: { size: 'tiny' } });
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
});

// Offset pages: follows `next` until the end or maxItems.
let saved = 0;
for await (const item of client.paginate(client.getSavedTracks, { limit: 50 }, { maxItems: 120 })) {
  if (saved === 0) console.log(`newest saved track: ${item.track.name} (${item.added_at})`);
  saved += 1;
}
console.log(`saved tracks read: ${saved}`);

// Cursor pages: recently played follows `before`; never sends `after` and `before` together.
const plays = [];
for await (const play of client.paginate(
  client.getRecentlyPlayed,
  { limit: 20 },
  { maxItems: 50 },
)) {
  plays.push(play.played_at);
}
console.log(`recent plays read: ${plays.length}`);

// Abort: the iterator stops with an `ABORTED` SpotifyError.
const controller = new AbortController();
try {
  for await (const artist of client.paginate(
    client.getFollowedArtists,
    { limit: 2 },
    { signal: controller.signal },
  )) {
    console.log(`followed: ${artist.name}`);
    controller.abort();
  }
} catch (error) {
  if (!(isSpotifyError(error) && error.code === 'ABORTED')) throw error;
  console.log('stopped: aborted');
}

await client.close();
await mock.close();
