/**
 * Listening-profile benchmark against @spoti/mock (real HTTP on 127.0.0.1): Web API calls and
 * time of a cold and a warm `collectListeningProfile` per app mode, for four periods, with a
 * year of the listener's history stored as imported plays. Baseline in the same run:
 * `buildListeningProfile` of `@spoti/analytics` over the same plays, in process (no Web API).
 * Writes its section of BENCHMARKS.md (between the profile-bench markers), leaving the rest.
 *
 *   pnpm --filter @spoti/sync bench:profile
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { buildListeningProfile } from '@spoti/analytics';
import { type Play, createMemoryStore, playFromSpotify } from '@spoti/catalog';
import { createMemoryTokenStore, createSpotifyClient } from '@spoti/client';
import { type ProfileName, startMock } from '@spoti/mock';
import { createMemoryProfileSourcesCache, collectListeningProfile } from '../src/index.js';

const START = '<!-- profile-bench:start -->';
const END = '<!-- profile-bench:end -->';
const PERIODS = ['short_term', 'medium_term', 'long_term', 'all'] as const;
const ROUNDS = 5;
const TZ = 'Europe/Berlin';

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

interface Row {
  mode: string;
  plays: number;
  coldCalls: number;
  coldByEndpoint: string;
  warmCalls: number;
  coldMs: number;
  warmMs: number;
  baselineMs: number;
  sources: string;
}

async function measure(
  profile: ProfileName,
  clientMode: 'development' | 'extended' | 'auto',
): Promise<Row> {
  const mock = await startMock({
    seed: 5,
    profile,
    port: 0,
    worldOptions: { size: 'small', historyDays: 365, personas: ['heavy-pop'] },
  });
  const user = [...mock.world.users.values()].find((u) => u.persona === 'heavy-pop');
  if (user === undefined) throw new Error('no heavy-pop listener in the world');
  const issued = mock.controls.auth.issueTokens({
    userId: user.id,
    expiresInSeconds: 10 * 365 * 86_400,
  });
  const client = createSpotifyClient({
    apiBaseUrl: mock.apiUrl,
    accountsBaseUrl: mock.accountsUrl,
    clientId: 'profile-bench',
    mode: clientMode,
    cache: false,
    tokenStore: createMemoryTokenStore({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: mock.controls.clock.now() + 10 * 365 * 86_400_000,
    }),
    clock: mock.controls.clock,
    rateLimit: { allowance: 1_000_000 },
  });
  const world = mock.world;
  const truth = mock.controls.truth.plays(user.id).filter((p) => p.msPlayed >= 30_000);
  const stored: Play[] = truth.slice(0, -50).map((p) => {
    const track = world.tracks.get(p.trackId);
    return {
      userId: user.id,
      trackId: p.trackId,
      trackName: track?.name ?? '',
      artistIds: [...(track?.artistIds ?? [])],
      artistName: world.artists.get(track?.artistIds[0] ?? '')?.name ?? '',
      albumId: track?.albumId ?? null,
      albumName: world.albums.get(track?.albumId ?? '')?.name ?? null,
      endedAt: p.endedAtMs,
      msPlayed: p.msPlayed,
      skipped: null,
      reasonStart: null,
      reasonEnd: null,
      shuffle: null,
      offline: null,
      offlineTimestamp: null,
      platform: null,
      source: 'export',
    };
  });
  const store = createMemoryStore();
  await store.appendPlays(stored);

  const now = mock.controls.clock.now();
  const coldTimes: number[] = [];
  const warmTimes: number[] = [];
  let coldCalls = 0;
  let warmCalls = 0;
  let coldByEndpoint = '';
  let sources = '';
  for (let round = 0; round < ROUNDS; round++) {
    const cache = createMemoryProfileSourcesCache();
    client.resetCallCounts();
    let t = performance.now();
    const cold = await collectListeningProfile({
      client,
      store,
      userId: user.id,
      timeZone: TZ,
      period: 'short_term',
      now,
      cache,
    });
    coldTimes.push(performance.now() - t);
    coldCalls = cold.calls;
    coldByEndpoint = Object.entries(client.callCounts())
      .map(([endpoint, n]) => `${endpoint} ×${n}`)
      .join(', ');
    const s = cold.profile.signals;
    sources = `energy ${s.energy.source} (${s.energy.confidence}), genreConsistency ${s.genreConsistency.source} (${s.genreConsistency.confidence}); from top lists: ${cold.fromTopLists.signals.length} signals, ${cold.fromTopLists.topArtists} artists`;
    warmCalls = 0;
    t = performance.now();
    for (const period of PERIODS) {
      const warm = await collectListeningProfile({
        client,
        store,
        userId: user.id,
        timeZone: TZ,
        period,
        now: now + 60_000,
        cache,
      });
      warmCalls += warm.calls;
    }
    warmTimes.push((performance.now() - t) / PERIODS.length);
  }
  // Baseline: analytics over the same plays in process.
  const recent = (await client.getRecentlyPlayed({ limit: 50 })).items.map((i) =>
    playFromSpotify(i, user.id),
  );
  const baselineTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t = performance.now();
    for (const period of PERIODS)
      buildListeningProfile([...stored, ...recent], { timeZone: TZ, period, now });
    baselineTimes.push((performance.now() - t) / PERIODS.length);
  }
  await client.close();
  await mock.close();
  return {
    mode: `${profile} / client \`${clientMode}\``,
    plays: stored.length + recent.length,
    coldCalls,
    coldByEndpoint,
    warmCalls,
    coldMs: median(coldTimes),
    warmMs: median(warmTimes),
    baselineMs: median(baselineTimes),
    sources,
  };
}

const rows = [
  await measure('development-2026', 'development'),
  await measure('development-2026', 'auto'),
  await measure('extended', 'extended'),
];

const lines = [
  START,
  '## Listening profile (`collectListeningProfile`)',
  '',
  `Generated by \`pnpm --filter @spoti/sync bench:profile\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} CPU(s), 1-minute load average ${loadavg()[0]?.toFixed(1)} at the end (the machine was shared with other work: times are indicative, call counts exact).`,
  '',
  `A \`small\` mock world, the heavy-pop listener with a year of history stored as imported plays; the client's HTTP cache off. Cold: an empty profile cache, period \`short_term\`. Warm: the four periods ${PERIODS.map((p) => `\`${p}\``).join(', ')} one minute later from the same cache (calls summed, time per profile). Baseline: \`buildListeningProfile\` of \`@spoti/analytics\` over the same plays in process, per profile. Medians of ${ROUNDS} rounds.`,
  '',
  '| App / client mode | Plays | Cold calls | Warm calls (4 periods) | Cold time | Warm time | Baseline (analytics only) | Warm / baseline |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.mode} | ${r.plays.toLocaleString('en')} | ${r.coldCalls} | ${r.warmCalls} | ${fmt(r.coldMs)} | ${fmt(r.warmMs)} | ${fmt(r.baselineMs)} | ${(r.warmMs / r.baselineMs).toFixed(2)}× |`,
  ),
  '',
  'Cold calls by endpoint:',
  ...rows.map((r) => `- ${r.mode}: ${r.coldByEndpoint}`),
  '',
  'Signal sources of the cold profile:',
  ...rows.map((r) => `- ${r.mode}: ${r.sources}`),
  '',
  'Budget: at most 8 calls cold on a Development Mode app, 0 warm within the cache lifetime (15 minutes by default). Extended Quota adds one artist batch (genres) and up to three audio-feature batches (300 tracks, most listened first). A client in `auto` mode has not learned its access level yet and fetches like Development Mode.',
  END,
];

const file = new URL('../BENCHMARKS.md', import.meta.url);
const current = await readFile(file, 'utf8').catch(() => '# @spoti/sync benchmarks\n');
const start = current.indexOf(START);
const end = current.indexOf(END);
const section = lines.join('\n');
const next =
  start >= 0 && end > start
    ? `${current.slice(0, start)}${section}${current.slice(end + END.length)}`
    : `${current.trimEnd()}\n\n${section}\n`;
await writeFile(file, next);
console.log(section);
