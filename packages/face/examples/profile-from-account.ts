// A face from a live Spotify account: recent plays and the artists' genres through
// @spoti/client, the profile through @spoti/analytics. (A profile collector in @spoti/sync that
// does this from the stored play history is planned; until then this is the way.) Runs against
// a local Spotify (@spoti/mock); against the real API, drop the two base URLs and use the
// user's tokens (scopes: user-read-recently-played).
import { buildListeningProfile } from '@spoti/analytics';
import { playFromSpotify } from '@spoti/catalog';
import { createSpotifyClient, createMemoryTokenStore } from '@spoti/client';
import { mapFace, toNotionFaceUrl } from '@spoti/face';
import { startMock } from '@spoti/mock';

const mock = await startMock({ seed: 42, profile: 'extended', worldOptions: { size: 'tiny' } });
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

const me = await client.getMe();
const recent = await client.getRecentlyPlayed({ limit: 50 });
const plays = recent.items.map((item) => playFromSpotify(item, me.id));
const artistIds = [...new Set(plays.flatMap((p) => p.artistIds))];
const genres = new Map<string, readonly string[]>();
for (const artist of await client.getArtists(artistIds))
  if (artist !== null) genres.set(artist.id, artist.genres ?? []);

const { profile } = buildListeningProfile(plays, {
  timeZone: 'Europe/Berlin',
  period: 'all',
  genresOf: (artist) => (artist.id === null ? undefined : genres.get(artist.id)),
});
console.log(
  `${profile.totals.plays} recent plays, top genre ${profile.topGenre?.name ?? 'unknown'}`,
);
console.log(toNotionFaceUrl(mapFace(profile)));

await client.close();
await mock.close();
