/**
 * Benchmark of `@spoti/enrich` against `@spoti/mock` and its service stand-ins (one seeded world):
 * unknown face features and profile-level error against the world's ground truth, without and
 * with enrichment, on a development-2026 account and on a 30,000-play data export; provider calls
 * for a cold and a warm profile of 500 top tracks and of 10,000 history tracks; and the time of
 * each run against the offline baseline. Prints Markdown for BENCHMARKS.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type AudioFeatureValues,
  buildListeningProfile,
  createPlayIndex,
  featureSourceFromMap,
  importSpotifyExport,
  type ListeningProfile,
  type PlayIndex,
  type ProfileOptions,
} from '@spoti/analytics';
import type { Play } from '@spoti/catalog';
import { mapFace } from '@spoti/face';
import {
  type ProviderMockServer,
  startMock,
  startProviderMocks,
  type World,
  writeDataExport,
} from '@spoti/mock';
import { keysOf, unknownFeatures } from '../test/measure.js';
import {
  createEnricher,
  createMemoryCache,
  type EnrichmentCache,
  type EnrichmentProvider,
  type EnrichmentResult,
  deezerProvider,
  lastFmProvider,
  musicBrainzProvider,
  reccoBeatsProvider,
} from '../src/index.js';

const SEED = 7;
const EXPORT_PLAYS = 30_000;
const FAST = { minTimeMs: 0, timeoutMs: 30_000, retries: 2 } as const;
/** The spacing the providers keep against the public services (their defaults). */
const REAL_SPACING_MS = { reccobeats: 250, musicbrainz: 1_100 } as const;

const out: string[] = [];
const line = (text = '') => {
  out.push(text);
  console.error(text);
};
const ms = (t: number) => `${Math.round(t).toLocaleString('en-US')} ms`;
const f3 = (x: number) => x.toFixed(3);

type Config = 'truth' | 'priors' | 'genres' | 'lastfm' | 'deezer' | 'features';

function truthSource(world: World) {
  const map = new Map<string, AudioFeatureValues>();
  for (const t of world.tracks.values()) map.set(t.id, t.features);
  return featureSourceFromMap('supplied', map);
}

function truthGenres(world: World) {
  const byName = new Map<string, readonly string[]>();
  for (const a of world.artists.values()) byName.set(a.name.trim().toLowerCase(), a.genres);
  return (artist: { name: string }) => byName.get(artist.name.trim().toLowerCase());
}

async function enrichWith(
  providers: EnrichmentProvider[],
  plays: PlayIndex,
  ownGenres: ((a: { name: string }) => readonly string[] | undefined) | undefined,
): Promise<{ result: EnrichmentResult; timeMs: number }> {
  const keys = keysOf(plays);
  const artists = keys.artists.map((a) => {
    const own = ownGenres?.(a);
    return own === undefined || own.length === 0 ? a : { ...a, genres: own };
  });
  const started = performance.now();
  const result = await createEnricher({ providers }).enrich({ tracks: keys.tracks, artists });
  return { result, timeMs: performance.now() - started };
}

async function compare(
  label: string,
  plays: PlayIndex,
  world: World,
  services: ProviderMockServer,
  base: Omit<ProfileOptions, 'features' | 'genresOf'>,
  ownGenres: ((a: { name: string }) => readonly string[] | undefined) | undefined,
): Promise<void> {
  const profiles = new Map<Config, ListeningProfile>();
  const times = new Map<Config, number>();
  const buildTimes = new Map<Config, number>();
  const build = (config: Config, extra: Partial<ProfileOptions>) => {
    const started = performance.now();
    profiles.set(config, buildListeningProfile(plays, { ...base, ...extra }).profile);
    buildTimes.set(config, performance.now() - started);
  };
  build('truth', { features: truthSource(world), genresOf: truthGenres(world) });
  build('priors', ownGenres === undefined ? {} : { genresOf: ownGenres });
  const mb = () => musicBrainzProvider({ baseUrl: services.musicBrainzUrl, ...FAST });
  const rb = () => reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST });
  services.controls.reset();
  const genresOnly = await enrichWith([mb()], plays, ownGenres);
  const genreCalls = services.controls.counts();
  times.set('genres', genresOnly.timeMs);
  build('genres', {
    genresOf: genresOnly.result.genresOf,
    ...(genresOnly.result.genresVia === undefined
      ? {}
      : { genresVia: genresOnly.result.genresVia }),
  });
  services.controls.reset();
  const tags = await enrichWith(
    [
      lastFmProvider({
        baseUrl: services.lastFmUrl,
        apiKey: '0123456789abcdef0123456789abcdef',
        ...FAST,
      }),
    ],
    plays,
    ownGenres,
  );
  const tagCalls = services.controls.counts();
  times.set('lastfm', tags.timeMs);
  build('lastfm', {
    genresOf: tags.result.genresOf,
    ...(tags.result.genresVia === undefined ? {} : { genresVia: tags.result.genresVia }),
  });
  services.controls.reset();
  const albums = await enrichWith(
    [deezerProvider({ baseUrl: services.deezerUrl, ...FAST })],
    plays,
    ownGenres,
  );
  const albumCalls = services.controls.counts();
  times.set('deezer', albums.timeMs);
  build('deezer', {
    genresOf: albums.result.genresOf,
    ...(albums.result.genresVia === undefined ? {} : { genresVia: albums.result.genresVia }),
  });
  services.controls.reset();
  const full = await enrichWith([rb(), mb()], plays, ownGenres);
  const fullCalls = services.controls.counts();
  times.set('features', full.timeMs);
  build('features', {
    features: full.result.features,
    genresOf: full.result.genresOf,
    ...(full.result.genresVia === undefined ? {} : { genresVia: full.result.genresVia }),
  });

  const truth = profiles.get('truth') as ListeningProfile;
  line(`### ${label}`);
  line();
  line(
    `${plays.size.toLocaleString('en-US')} plays, ${full.result.report.tracks.total.toLocaleString('en-US')} tracks with ids, ${full.result.report.artists.total.toLocaleString('en-US')} artists; features found for ${full.result.report.tracks.withFeatures.toLocaleString('en-US')} tracks, genres for ${full.result.report.artists.withGenres.toLocaleString('en-US')} artists.`,
  );
  line();
  line(
    '| profile | unknown face features | MAE energy | MAE valence | MAE acousticness | enrichment time (mock, no limits) | provider calls |',
  );
  line('|---|---|---|---|---|---|---|');
  const names: Record<Config, string> = {
    truth: 'ground truth (every track measured, true genres)',
    priors: 'offline: genre priors from the genres the source has',
    genres: 'genres only (MusicBrainz) -> genre priors',
    lastfm: 'genres only (Last.fm tags) -> genre priors',
    deezer: 'genres only (Deezer album genres) -> genre priors',
    features: 'features provider (ReccoBeats) + MusicBrainz',
  };
  for (const config of ['priors', 'genres', 'lastfm', 'deezer', 'features', 'truth'] as const) {
    const p = profiles.get(config) as ListeningProfile;
    const unknown = unknownFeatures(mapFace(p));
    const err = (k: 'energy' | 'valence' | 'acousticness') =>
      f3(Math.abs(p.signals[k].value - truth.signals[k].value));
    const calls =
      config === 'genres'
        ? `MusicBrainz ${genreCalls.musicbrainz}`
        : config === 'lastfm'
          ? `Last.fm ${tagCalls.lastfm}`
          : config === 'deezer'
            ? `Deezer ${albumCalls.deezer}`
            : config === 'features'
              ? `ReccoBeats ${fullCalls.reccobeats}, MusicBrainz ${fullCalls.musicbrainz}`
              : '0';
    const time = times.has(config) ? ms(times.get(config) ?? 0) : '-';
    line(
      `| ${names[config]} | ${unknown.length} of 8${unknown.length > 0 ? ` (${unknown.join(', ')})` : ''} | ${err('energy')} | ${err('valence')} | ${err('acousticness')} | ${time} | ${calls} |`,
    );
  }
  line();
  line(
    `Profile build alone: offline ${ms(buildTimes.get('priors') ?? 0)}, with enriched values ${ms(buildTimes.get('features') ?? 0)} (ratio ${f3((buildTimes.get('features') ?? 0) / (buildTimes.get('priors') ?? 1))}); the cost of enriching is the network. At the public services' spacing (ReccoBeats ${REAL_SPACING_MS.reccobeats} ms, MusicBrainz ${REAL_SPACING_MS.musicbrainz} ms per request) the cold enrichment above would take about ${ms(fullCalls.reccobeats * REAL_SPACING_MS.reccobeats + fullCalls.musicbrainz * REAL_SPACING_MS.musicbrainz)} (MusicBrainz dominates); a warm run asks nothing.`,
  );
  line();
}

async function calls(
  label: string,
  services: ProviderMockServer,
  tracks: { id: string }[],
  artists: { name: string }[],
): Promise<void> {
  const cache: EnrichmentCache = createMemoryCache();
  const run = async () => {
    services.controls.reset();
    const started = performance.now();
    await createEnricher({
      providers: [
        reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST }),
        musicBrainzProvider({ baseUrl: services.musicBrainzUrl, ...FAST }),
      ],
      cache,
    }).enrich({ tracks, artists });
    return { counts: services.controls.counts(), timeMs: performance.now() - started };
  };
  const cold = await run();
  const warm = await run();
  line(
    `| ${label} | ${tracks.length.toLocaleString('en-US')} / ${artists.length.toLocaleString('en-US')} | ${cold.counts.reccobeats} | ${cold.counts.musicbrainz} | ${ms(cold.timeMs)} | ${warm.counts.reccobeats + warm.counts.musicbrainz} | ${ms(warm.timeMs)} | ${f3(warm.timeMs / cold.timeMs)} |`,
  );
}

function topTracks(plays: PlayIndex, n: number): { id: string }[] {
  const count = new Map<number, number>();
  for (let i = 0; i < plays.size; i++) {
    const t = plays.track[i] as number;
    count.set(t, (count.get(t) ?? 0) + 1);
  }
  return [...count]
    .sort((a, b) => b[1] - a[1])
    .map(([t]) => plays.tracks[t]?.id)
    .filter((id): id is string => typeof id === 'string')
    .slice(0, n)
    .map((id) => ({ id }));
}

async function main(): Promise<void> {
  line(
    `Machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} at start (shared with other work).`,
  );
  line();

  // A development-2026 account: its history as plays, artist genres as the API serves them.
  const mock = await startMock({ seed: SEED, profile: 'development-2026' });
  const services = await startProviderMocks({
    world: mock.world,
    rateLimits: { reccobeats: null, musicbrainz: null, lastfm: null, deezer: null },
  });
  const userId = mock.world.users.keys().next().value as string;
  const now = mock.controls.clock.now();
  const index = createPlayIndex();
  for (const p of mock.controls.truth.plays(userId)) {
    const track = mock.world.tracks.get(p.trackId);
    if (track === undefined) continue;
    const play: Play = {
      userId,
      trackId: track.id,
      trackName: track.name,
      artistIds: track.artistIds,
      artistName: mock.world.artists.get(track.artistIds[0] as string)?.name ?? '',
      albumId: track.albumId,
      albumName: mock.world.albums.get(track.albumId)?.name ?? null,
      endedAt: p.endedAtMs,
      msPlayed: p.msPlayed,
      skipped: p.skipped,
      reasonStart: p.reasonStart,
      reasonEnd: p.reasonEnd,
      shuffle: p.shuffle,
      offline: p.offline,
      offlineTimestamp: p.offlineTimestampMs === 0 ? null : p.offlineTimestampMs,
      platform: null,
      source: 'api',
    };
    index.add(play);
  }
  const { access_token } = mock.controls.auth.issueTokens({ userId });
  const served = new Map<string, readonly string[]>();
  for (const artist of index.artists) {
    if (artist.id === null || served.has(artist.name.toLowerCase())) continue;
    const res = await fetch(`${mock.apiUrl}/artists/${artist.id}`, {
      headers: { Authorization: `Bearer ${access_token}` },
    });
    const body = (await res.json()) as { genres?: string[] };
    served.set(artist.name.toLowerCase(), body.genres ?? []);
  }
  const withServed = [...served.values()].filter((g) => g.length > 0).length;
  line('## Unknown face features and profile error against the ground truth');
  line();
  await compare(
    `development-2026 account (medium_term; the API serves genres for ${withServed} of ${served.size} artists)`,
    index,
    mock.world,
    services,
    { timeZone: 'UTC', period: 'medium_term', now },
    (a) => served.get(a.name.toLowerCase()),
  );
  await services.close();
  await mock.close();

  // A 30,000-play data export of the same seed.
  const dir = await mkdtemp(join(tmpdir(), 'enrich-bench-'));
  const exportServices = await startProviderMocks({
    seed: SEED,
    rateLimits: { reccobeats: null, musicbrainz: null, lastfm: null, deezer: null },
  });
  try {
    const zip = join(dir, 'my_spotify_data.zip');
    await writeDataExport({
      seed: SEED,
      persona: 'eclectic-explorer',
      plays: EXPORT_PLAYS,
      out: zip,
    });
    const imported = await importSpotifyExport(zip, { userId: 'export' });
    await compare(
      `${EXPORT_PLAYS.toLocaleString('en-US')}-play data export (all time; an export has no genres)`,
      imported.plays,
      exportServices.world,
      exportServices,
      { timeZone: 'UTC', period: 'all' },
      undefined,
    );

    line('## Provider calls, cold and warm (same cache)');
    line();
    line(
      '| input | tracks / artists | ReccoBeats calls cold | MusicBrainz calls cold | time cold (mock, no limits) | calls warm | time warm | warm/cold time |',
    );
    line('|---|---|---|---|---|---|---|---|');
    const top = topTracks(imported.plays, 500);
    const world = exportServices.world;
    const artistOf = (id: string) => {
      const t = world.tracks.get(id);
      return world.artists.get(t?.artistIds[0] ?? '')?.name ?? '';
    };
    const artistsOf = (tracks: { id: string }[]) =>
      [...new Set(tracks.map((t) => artistOf(t.id)).filter((n) => n !== ''))].map((name) => ({
        name,
      }));
    await calls('500 top tracks of the export', exportServices, top, artistsOf(top));
    const history = [...world.tracks.keys()].slice(0, 10_000).map((id) => ({ id }));
    await calls('10,000 history tracks', exportServices, history, artistsOf(history));
    line();
  } finally {
    await exportServices.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(out.join('\n'));
}

await main();
