// The spoti demo: a local Spotify (seeded, Development Mode rules of 2026), an app that signs in
// with the authorization-code flow + PKCE using plain fetch, and what that app gets to see.
import { createHash, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { startMock } from '@spoti/mock';
import { runAnalyticsStep } from './steps/analytics.js';
import { runFaceStep } from './steps/face.js';
import { runPlaylistsStep } from './steps/playlists.js';
import { runReleasesStep } from './steps/releases.js';
import { runSyncStep } from './steps/sync.js';

const REDIRECT_URI = 'http://127.0.0.1:5173/callback';
const SCOPES =
  'user-read-private user-top-read user-read-recently-played user-library-read user-follow-read playlist-read-private';

const mock = await startMock({ seed: 42, profile: 'development-2026' });
console.log(`Local Spotify (development-2026, seed 42) on ${mock.url}\n`);

// 1. Authorization code flow with PKCE, as a browser app would do it.
const verifier = randomBytes(48).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');
const state = randomBytes(8).toString('hex');
const authorize = new URL('/authorize', mock.accountsUrl);
authorize.search = new URLSearchParams({
  client_id: 'spoti-demo',
  response_type: 'code',
  redirect_uri: REDIRECT_URI,
  state,
  scope: SCOPES,
  code_challenge_method: 'S256',
  code_challenge: challenge,
}).toString();
const consent = await fetch(authorize, { redirect: 'manual' });
const callback = new URL(consent.headers.get('location') ?? '');
if (callback.searchParams.get('state') !== state) throw new Error('state mismatch');
const tokenResponse = await fetch(`${mock.accountsUrl}/api/token`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code') ?? '',
    redirect_uri: REDIRECT_URI,
    client_id: 'spoti-demo',
    code_verifier: verifier,
  }),
});
const tokens = (await tokenResponse.json()) as {
  access_token: string;
  expires_in: number;
  scope: string;
};
console.log(
  `Signed in with PKCE: token valid ${tokens.expires_in / 60} min, ${tokens.scope.split(' ').length} scopes`,
);

// biome-ignore lint/suspicious/noExplicitAny: the demo reads JSON loosely, as a quick script would
async function get(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${mock.apiUrl}${path}`, {
    headers: { Authorization: `Bearer ${tokens.access_token}` },
  });
  return { status: response.status, body: await response.json() };
}
const names = (items: { name: string }[]) => items.map((item) => item.name).join(', ');
const artistsOf = (track: { artists: { name: string }[] }) => names(track.artists);

const me = (await get('/me')).body;
console.log(
  `User: ${me.display_name} (${me.id})  [country/email/product are not served in Development Mode]\n`,
);

const topArtists = (await get('/me/top/artists?time_range=short_term&limit=5')).body;
console.log(`Top artists, last 4 weeks: ${names(topArtists.items)}`);
const topTracks = (await get('/me/top/tracks?limit=5')).body;
console.log('Top tracks, last 6 months:');
for (const [i, track] of topTracks.items.entries())
  console.log(`  ${i + 1}. ${track.name} - ${artistsOf(track)}`);

const recent = (await get('/me/player/recently-played?limit=5')).body;
console.log('\nLast plays:');
for (const play of recent.items)
  console.log(
    `  ${play.played_at.slice(0, 16).replace('T', ' ')}  ${play.track.name} - ${artistsOf(play.track)}`,
  );

const albums = (await get('/me/albums?limit=3')).body;
console.log(`\nSaved albums (${albums.total}):`);
for (const saved of albums.items)
  console.log(`  ${saved.album.name} (${saved.album.release_date}) - ${artistsOf(saved.album)}`);

const following = (await get('/me/following?type=artist&limit=5')).body.artists;
console.log(`\nFollowing ${following.total} artists, e.g. ${names(following.items)}`);

const playlists = (await get('/me/playlists?limit=5')).body;
console.log(`\nPlaylists (${playlists.total}):`);
for (const playlist of playlists.items) {
  const mine = playlist.owner.id === me.id ? 'own' : `by ${playlist.owner.display_name}`;
  console.log(`  ${playlist.name} - ${playlist.items.total} tracks (${mine})`);
}

const batchIds = topArtists.items.map((artist: { id: string }) => artist.id).join(',');
const batch = await get(`/artists?ids=${batchIds}`);
console.log(
  `\nGET /v1/artists?ids=... (a batch endpoint removed in 2026) -> ${batch.status} ${JSON.stringify(batch.body)}`,
);

const counts = mock.controls.requests.counts();
console.log(`\n${counts.total} requests served so far.`);

// 2. The spoti packages on the same local Spotify.
const section = (title: string) => console.log(`\n== ${title}`);
section('@spoti/sync: recent plays and the library into a catalog store');
await runSyncStep({ mock });
section('@spoti/playlists: smart playlists from rules');
await runPlaylistsStep({ mock });
section('@spoti/releases: new releases of followed artists');
await runReleasesStep({ mock });
await mock.close();

// 3. No Spotify app at all: a data export.
section('@spoti/analytics: statistics from a data export (my_spotify_data.zip)');
await runAnalyticsStep();
section('@spoti/face: the listener as a Notion-style face');
await runFaceStep({ outDir: resolve('demo-output') });
