// Modes: what the app may call. `development` (almost every app since 2026) fetches several items
// with single gets within a call budget and reports audio features as unavailable; `extended`
// batches; `auto` tries, and remembers a 403 for the rest of the process.
import { type MockServer, startMock } from '@spoti/mock';
import { createSpotifyClient, createMemoryTokenStore, type SpotifyMode } from '@spoti/client';

function clientFor(mock: MockServer, mode: SpotifyMode) {
  const issued = mock.controls.auth.issueTokens({ clientId: 'my-app' });
  return createSpotifyClient({
    apiBaseUrl: mock.apiUrl,
    accountsBaseUrl: mock.accountsUrl,
    clientId: 'my-app',
    tokenStore: createMemoryTokenStore({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: Date.now() + issued.expires_in * 1000,
    }),
    mode,
    callBudget: 100, // at most 100 single gets for one development-mode batch
    rateLimit: { windowMs: 1_000, allowance: 1_000 }, // the mock has no limit; keep the defaults for Spotify
  });
}

for (const profile of ['development-2026', 'extended'] as const) {
  const mock = await startMock({ seed: 42, profile, worldOptions: { size: 'tiny' } });
  const ids = [...mock.world.artists.keys()].slice(0, 40);
  const trackIds = [...mock.world.tracks.keys()].slice(0, 5);
  for (const mode of ['development', 'extended', 'auto'] as const) {
    if (profile === 'development-2026' && mode === 'extended') continue; // would answer 403
    const client = clientFor(mock, mode);
    const artists = await client.getArtists(ids); // (SpotifyArtist | null)[] in input order
    const calls = client.totalCalls();
    const features = await client.getAudioFeatures(trackIds);
    console.log(
      `${profile} app, ${mode} mode: ${artists.length} artists in ${calls} call(s), ` +
        `audio features ${features.available ? 'available' : `unavailable (${features.reason})`}, ` +
        `access ${client.accessLevel}`,
    );
    await client.close();
  }
  await mock.close();
}
