// Demo step for @spoti/sync: poll a listener's recent plays, catch a gap, mirror the library,
// notice a track that became unavailable, and show the run log.
import { createMemoryStore } from '@spoti/catalog';
import { createMemoryTokenStore, createSpotifyClient } from '@spoti/client';
import type { MockServer } from '@spoti/mock';
import { createMemorySyncStateStore, createSync } from '@spoti/sync';

/** What this step needs from the demo: the running mock. */
export interface SyncDemoContext {
  readonly mock: MockServer;
}

const MINUTE = 60_000;

export async function runSyncStep(ctx: SyncDemoContext): Promise<void> {
  const { mock } = ctx;
  const clock = mock.controls.clock;
  const start = clock.now();
  const users = [...mock.world.users.values()];
  const userId = (users.find((u) => u.persona === 'heavy-pop') ?? users[0])?.id ?? '';
  const issued = mock.controls.auth.issueTokens({ userId, clientId: 'spoti-demo' });
  const client = createSpotifyClient({
    apiBaseUrl: mock.apiUrl,
    accountsBaseUrl: mock.accountsUrl,
    clientId: 'spoti-demo',
    mode: 'development',
    clock,
    tokenStore: createMemoryTokenStore({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: start + issued.expires_in * 1000,
    }),
  });
  const store = createMemoryStore();
  const state = createMemorySyncStateStore();
  const sync = createSync({ store, state, clock });
  const user = { id: userId, client };
  console.log('\n@spoti/sync: keeping a listening history');
  try {
    const first = await sync.syncRecentPlays(user);
    let polls = 1;
    for (let i = 0; i < 18; i++) {
      clock.advance(10 * MINUTE);
      await sync.syncRecentPlays(user);
      polls += 1;
    }
    const stored = await store.countPlays();
    const interval = (await sync.syncRecentPlays(user)).recommendedIntervalMs;
    console.log(
      `  ${polls} polls, every 10 min for 3 h: ${stored} plays stored (${first.inserted} on the first poll), next poll in ${Math.round(interval / MINUTE)} min`,
    );
    clock.advance(2 * 24 * 60 * MINUTE);
    const late = await sync.syncRecentPlays(user);
    if (late.gap)
      console.log(
        `  after 2 days without polling: gap recorded, ~${late.gap.estimatedMissed} plays missed -> import the data export`,
      );
    else console.log('  after 2 days without polling: no gap (a quiet listener)');
    const library = await sync.syncLibrary(user);
    console.log(
      `  library (${library.mode}): ${library.added.track} saved tracks, ${library.added.album} albums (${library.albumTracksFetched} track lists), ${library.added.artist} followed artists in ${library.run.calls} calls`,
    );
    const saved = (await state.listLibrary(userId, 'track')).map((e) => e.id).sort();
    const restricted = saved[0];
    const catalog = (
      mock.controls as unknown as {
        catalog?: { restrictTrack(id: string, markets: readonly string[] | null): void };
      }
    ).catalog;
    if (restricted !== undefined && catalog !== undefined) {
      const country = mock.world.users.get(userId)?.country ?? 'US';
      catalog.restrictTrack(restricted, [country === 'JP' ? 'DE' : 'JP']);
      clock.advance(2 * 60 * MINUTE);
      const check = await sync.checkAvailability(user, { trackIds: saved.slice(0, 10) });
      for (const r of check.changed)
        console.log(
          `  availability: ${r.trackId} is ${r.status} (${r.reason}) since ${new Date(r.noticedAt).toISOString().slice(0, 16)}`,
        );
      catalog.restrictTrack(restricted, null);
    }
    const runs = await sync.runs(userId, { limit: 100 });
    const calls = runs.reduce((n, r) => n + r.calls, 0);
    console.log(
      `  run log: ${runs.length} runs, ${calls} Web API calls, statuses ${[...new Set(runs.map((r) => r.status))].join(', ')}`,
    );
  } finally {
    clock.set(start);
    await client.close();
  }
}
