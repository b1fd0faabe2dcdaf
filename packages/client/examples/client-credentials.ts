// Client credentials: an app token for catalog data (no user). The client fetches and renews
// the token itself; keep the secret on the server.
import { startMock } from '@spoti/mock';
import { createSpotifyClient } from '@spoti/client';

const mock = await startMock({
  seed: 42,
  worldOptions: { size: 'tiny' },
  clients: [{ clientId: 'my-server-app', clientSecret: 'my-client-secret' }],
});

const client = createSpotifyClient({
  apiBaseUrl: mock.apiUrl,
  accountsBaseUrl: mock.accountsUrl,
  clientId: 'my-server-app',
  clientSecret: 'my-client-secret', // in production: process.env.SPOTIFY_CLIENT_SECRET
});

const found = await client.search({ q: 'a', type: ['artist'], limit: 3 });
const first = found.artists?.items[0];
if (first) {
  const artist = await client.getArtist(first.id);
  const albums = await client.getArtistAlbums(artist.id, { includeGroups: ['album'], limit: 5 });
  console.log(`${artist.name}: ${albums.total} album(s)`);
}
console.log(`calls: ${JSON.stringify(client.callCounts())}`);

await client.close();
await mock.close();
