// Demo step of @spoti/releases: watch the demo user's followed artists on the local Spotify,
// sweep, send the first digest, let two weeks pass, sweep and digest again.
import { createMemoryTokenStore, createSpotifyClient } from '@spoti/client';
import type { MockServer } from '@spoti/mock';
import {
  createMemoryMailer,
  createMemoryReleaseStore,
  createReleaseWatcher,
} from '@spoti/releases';

/** What this step needs from the demo: the running mock. */
export interface ReleasesDemoContext {
  readonly mock: MockServer;
}

const DAY = 86_400_000;

export async function runReleasesStep(ctx: ReleasesDemoContext): Promise<void> {
  const { mock } = ctx;
  const clock = mock.controls.clock;
  const startedAt = clock.now();
  const clientFor = (userId?: string) => {
    const issued = mock.controls.auth.issueTokens({
      clientId: 'spoti-demo',
      ...(userId === undefined ? {} : { userId }),
    });
    return createSpotifyClient({
      apiBaseUrl: mock.apiUrl,
      accountsBaseUrl: mock.accountsUrl,
      clientId: 'spoti-demo',
      tokenStore: createMemoryTokenStore({
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        expiresAt: clock.now() + issued.expires_in * 1000,
      }),
      clock,
      cache: false,
    });
  };
  const user = [...mock.world.users.values()][0];
  if (user === undefined) return;
  const watcher = createReleaseWatcher({
    store: createMemoryReleaseStore(),
    client: clientFor(),
    clock,
    concurrency: 8,
  });
  const mailer = createMemoryMailer();
  const unsubscribe = {
    secret: 'demo-unsubscribe-secret-1234',
    baseUrl: 'http://127.0.0.1:5173/unsubscribe',
  };
  await watcher.upsertSubscriber({
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    timeZone: user.timezone,
  });
  const refresh = await watcher.refreshSubscriberArtists(user.id, clientFor(user.id));
  console.log(
    `\nReleases: watching ${refresh.artists} artists ${user.displayName} follows (${user.timezone})`,
  );

  try {
    for (const label of ['today', '14 days later']) {
      const report = await watcher.sweep();
      console.log(
        `  sweep ${label}: ${report.artistsScanned} artists scanned with ${report.calls} calls, ` +
          `${report.releasesFound} releases not seen before, ${report.failures.length} failures`,
      );
      const run = await watcher.sendDueDigests({
        mailer,
        from: 'releases@example.com',
        unsubscribe,
      });
      const message = mailer.sent.at(-1);
      if (run.sent.length === 1 && message !== undefined) {
        console.log(`  digest: "${message.subject}"`);
        const lines = message.text.split('\n').filter((l) => l.startsWith('  - '));
        for (const line of lines.slice(0, 4)) console.log(`  ${line.trim()}`);
        if (lines.length > 4) console.log(`    ... and ${lines.length - 4} more`);
      } else {
        console.log('  digest: nothing new');
      }
      clock.advance(14 * DAY);
    }
  } finally {
    clock.set(startedAt); // leave the local Spotify's clock where the demo had it
  }
}
