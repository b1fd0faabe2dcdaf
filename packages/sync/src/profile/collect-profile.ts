import {
  type AudioFeatureValues,
  type FeatureSource,
  buildListeningProfile,
  estimateFeaturesFromGenres,
  featureSourceFromMap,
  intensityOf,
  isAnalyticsError,
  type ListeningProfile,
  listeningProfileSchema,
  type PeriodSpec,
  type Signal,
} from '@spoti/analytics';
import { type CatalogStore, type Play, playFromSpotify } from '@spoti/catalog';
import type { SpotifyArtist, SpotifyClient, TimeRange } from '@spoti/client';
import { z } from 'zod';
import { SyncError } from '../errors/sync-error.js';
import {
  fetchProfileSources,
  type ProfileSources,
  type ProfileSourcesCache,
  TIME_RANGES,
} from './profile-sources.js';
import { parseWith } from '../sync/options.js';

/**
 * A source of audio features and genres beyond Spotify, such as `@spoti/enrich`'s `Enricher`
 * (any object of this shape works; `@spoti/sync` does not depend on that package).
 *
 * @example
 * ```ts
 * import { createEnricher, reccoBeatsProvider } from '@spoti/enrich';
 * const enricher: ProfileEnricher = createEnricher({ providers: [reccoBeatsProvider()] });
 * ```
 */
export interface ProfileEnricher {
  /** Looks up features of the tracks and genres of the artists (cached by the enricher). */
  enrich(
    input: {
      readonly tracks: Iterable<{
        readonly id: string;
        readonly name?: string;
        readonly artistName?: string;
      }>;
      readonly artists: Iterable<{
        readonly name: string;
        readonly id?: string | null;
        readonly genres?: readonly string[];
      }>;
    },
    options?: { readonly signal?: AbortSignal },
  ): Promise<{
    /** Measured features (source `enriched`, each naming its service). */
    readonly features: FeatureSource;
    /** Genres of an artist: its own when it had some, else a service's. */
    readonly genresOf: (artist: { readonly name: string }) => readonly string[] | undefined;
    /** The genre services that answered. */
    readonly genresVia: string | undefined;
  }>;
}

/** Options of {@link collectListeningProfile}. */
export interface CollectProfileOptions {
  /** A client signed in as the user. */
  readonly client: SpotifyClient;
  /** The catalog store holding the user's polled and imported plays (read only). */
  readonly store: CatalogStore;
  /** The user's id in the store (plays are listed by it). */
  readonly userId: string;
  /** The listener's IANA time zone (hours and calendar periods are local to it). */
  readonly timeZone: string;
  /** The period: `short_term`, `medium_term`, `long_term`, `all`, a year or `{ from, to }` (see `PeriodSpec`). */
  readonly period: PeriodSpec;
  /** "Now", Unix ms: relative periods count back from it and the cache compares against it. */
  readonly now: number;
  /** Where the Web API part is kept between calls; without one every call is cold. */
  readonly cache?: ProfileSourcesCache | undefined;
  /** How long cached Web API data is used, ms (default 15 minutes). */
  readonly cacheTtlMs?: number | undefined;
  /** Length of the profile's top artist and track lists (default 10, at most 50). */
  readonly topLimit?: number | undefined;
  /** Extended Quota: most tracks whose audio features are fetched (default 300, 100 per call). */
  readonly maxFeatureTracks?: number | undefined;
  /** Extended Quota: most artists fetched for their genres (default 50, one call). */
  readonly maxArtists?: number | undefined;
  /** Aborts the Web API calls. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Features and genres from services beyond Spotify (e.g. `@spoti/enrich`), for Development Mode
   * apps that get neither: asked for the tracks and artists of the plays and of the period's top
   * lists. Spotify's own audio features (Extended Quota) win where they exist.
   */
  readonly enricher?: ProfileEnricher | undefined;
}

/** What {@link collectListeningProfile} returns. */
export interface CollectedProfile {
  /** The profile, validated against `listeningProfileSchema`. */
  readonly profile: ListeningProfile;
  /** Web API calls this collection made (0 when the cache answered). */
  readonly calls: number;
  /**
   * Whether the Web API part came from the cache, or from a fetch already in flight for the same
   * user and cache (concurrent collections for several periods share one fetch).
   */
  readonly fromCache: boolean;
  /** When the Web API part was fetched (Unix ms). */
  readonly fetchedAt: number;
  /** The access level the Web API part was fetched with. */
  readonly accessLevel: ProfileSources['accessLevel'];
  /** Plays the profile was computed from (stored plays plus recently played, duplicates counted once). */
  readonly plays: number;
  /** Which parts of the profile came from Spotify's top lists instead of the play history. */
  readonly fromTopLists: {
    /** Feature signals estimated from the genres of Spotify's top artists for the range. */
    readonly signals: readonly (keyof ListeningProfile['signals'])[];
    /** Entries of `topArtists` / `topTracks` appended from Spotify's top lists (with 0 plays). */
    readonly topArtists: number;
    readonly topTracks: number;
  };
}

const DEFAULT_TTL_MS = 15 * 60_000;

/** Fetches in flight per cache and user, so concurrent cold collections share one. */
const inFlight = new WeakMap<ProfileSourcesCache, Map<string, Promise<ProfileSources>>>();

const optionsSchema = z.object({
  client: z.custom<SpotifyClient>(
    (v) => typeof (v as SpotifyClient | null)?.getTopArtists === 'function',
    'expected a SpotifyClient',
  ),
  store: z.custom<CatalogStore>(
    (v) => typeof (v as CatalogStore | null)?.listPlays === 'function',
    'expected a CatalogStore',
  ),
  userId: z.string().min(1).max(256),
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .refine(isTimeZone, 'expected an IANA time zone such as Europe/Berlin'),
  period: z.union(
    [
      z.enum(['short_term', 'medium_term', 'long_term', 'all']),
      z.string().regex(/^\d{4}$/),
      z.object({ year: z.number().int().min(1900).max(9999) }),
      z.object({
        from: z.union([z.number().finite(), z.string().min(1).max(64)]),
        to: z.union([z.number().finite(), z.string().min(1).max(64)]),
        label: z.string().min(1).max(64).optional(),
      }),
    ],
    'expected short_term, medium_term, long_term, all, a year or { from, to }',
  ),
  now: z.number().finite().min(0),
  cache: z
    .custom<ProfileSourcesCache>(
      (v) =>
        typeof (v as ProfileSourcesCache | null)?.get === 'function' &&
        typeof (v as ProfileSourcesCache).set === 'function',
      'expected an object with get and set',
    )
    .optional(),
  cacheTtlMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400_000)
    .optional(),
  topLimit: z.number().int().min(1).max(50).optional(),
  maxFeatureTracks: z.number().int().min(0).max(1000).optional(),
  maxArtists: z.number().int().min(0).max(500).optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  enricher: z
    .custom<ProfileEnricher>(
      (v) => typeof (v as ProfileEnricher | null)?.enrich === 'function',
      'expected an object with enrich()',
    )
    .optional(),
});

const FEATURE_SIGNALS = [
  'energy',
  'valence',
  'acousticness',
  'instrumentalness',
  'danceability',
  'intensity',
] as const;
type FeatureSignal = (typeof FEATURE_SIGNALS)[number];

/**
 * The share of trust a rank-weighted estimate from Spotify's top artists gets compared with the
 * same estimate over listening time: a top list says who, not how much.
 */
const TOP_LIST_TRUST = 0.6;

/**
 * Builds the {@link ListeningProfile} of a user for a period from the Web API plus the catalog
 * store, spending a fixed, small number of Web API calls.
 *
 * What it reads:
 * - Web API (cached per user for `cacheTtlMs`, whatever the period): top artists and top tracks
 *   for the three time ranges, recently played, the newest saved tracks: 8 calls on a
 *   Development Mode app. With Extended Quota (`client.accessLevel === 'extended'`) also one batch
 *   of artists for genres and up to `maxFeatureTracks / 100` audio-feature batches (the most
 *   listened tracks of the history first). A warm collection makes 0 calls.
 * - The store (every collection, so a finished sync shows at once): every play of the user,
 *   polled and imported, and the genres of the stored artists of those plays.
 *
 * How the profile is made:
 * 1. The stored plays plus the recently played ones (duplicates counted once) go through
 *    `buildListeningProfile` of `@spoti/analytics`, so every history signal, the hours, totals and
 *    the play-ranked lists are exactly what analytics computes from the same plays. Artist genres
 *    come from the artist objects fetched (top artists, and Extended Quota's batch) and, where
 *    Spotify sent none (often in Development Mode), from the artists stored in the catalog.
 *    Extended Quota audio features are handed over as a `spotify` feature source; without them
 *    the feature signals are `estimated` from the genre priors.
 * 2. When the history says little about a feature signal (its confidence is below what the top
 *    list gives), the signal is replaced by the genre-prior estimate of Spotify's top artists for
 *    the matching range (`short_term`, `medium_term`, otherwise `long_term`), weighted by rank:
 *    source `estimated`, confidence = the estimator's confidence x genre coverage x 0.6.
 * 3. When the history has fewer than `topLimit` artists or tracks, Spotify's top items for the
 *    range are appended with `plays: 0, msPlayed: 0` (ranked by Spotify, not heard in the history).
 *
 * `CollectedProfile.fromTopLists` says which parts came from steps 2 and 3.
 *
 * Errors: a 429 the client does not wait out (rolling window above its ceiling, or the daily
 * quota) propagates as the client's `SpotifyRateLimitError` with `resumeAt`; other Web API
 * failures propagate as the client's `SpotifyError`. Bad options, an unknown time zone or
 * period: `SyncError` `INVALID_OPTIONS`. A failing store: `SyncError` `STORE_FAILURE`.
 *
 * @example
 * ```ts
 * const cache = createMemoryProfileSourcesCache();
 * const { profile, calls } = await collectListeningProfile({
 *   client, store, userId: 'u1', timeZone: 'Europe/Berlin', period: 'short_term', now: Date.now(), cache,
 * });
 * console.log(calls, profile.signals.energy, profile.topGenre?.family);
 * ```
 */
export async function collectListeningProfile(
  options: CollectProfileOptions,
): Promise<CollectedProfile> {
  parseWith(optionsSchema, options, 'profile options');
  const { client, store, userId, now, cache } = options;
  const ttl = options.cacheTtlMs ?? DEFAULT_TTL_MS;
  const topLimit = options.topLimit ?? 10;

  const stored = await fromStore('list the plays', () => store.listPlays({ userId }));

  const cached = cache === undefined ? undefined : await cache.get(userId);
  const fresh =
    isSources(cached) && cached.fetchedAt <= now && now - cached.fetchedAt < ttl
      ? cached
      : undefined;
  let joined = false;
  let sources: ProfileSources;
  if (fresh !== undefined) {
    sources = fresh;
  } else {
    const pending = cache === undefined ? undefined : inFlight.get(cache)?.get(userId);
    if (pending !== undefined) {
      joined = true;
      sources = await pending;
    } else {
      const fetching = fetchProfileSources(client, now, {
        maxFeatureTracks: options.maxFeatureTracks ?? 300,
        maxArtists: options.maxArtists ?? 50,
        historyTrackIds: mostListened(stored),
        signal: options.signal,
      }).then(async (fetched) => {
        if (cache !== undefined) await cache.set(userId, fetched);
        return fetched;
      });
      if (cache !== undefined) {
        const forCache = inFlight.get(cache) ?? new Map<string, Promise<ProfileSources>>();
        inFlight.set(cache, forCache);
        forCache.set(userId, fetching);
      }
      try {
        sources = await fetching;
      } finally {
        if (cache !== undefined) inFlight.get(cache)?.delete(userId);
      }
    }
  }

  const plays: Play[] = [
    ...stored,
    ...sources.recentlyPlayed.map((i) => playFromSpotify(i, userId)),
  ];
  const genres = await genreBook(store, sources, plays);
  const features = new Map(Object.entries(sources.audioFeatures));
  const range0 = rangeOf(periodLabelOf(options.period));
  const enriched =
    options.enricher === undefined
      ? undefined
      : await enrichFor(options.enricher, plays, sources, range0, genres, features, options.signal);

  let built: ListeningProfile;
  let playCount: number;
  try {
    const result = buildListeningProfile(plays, {
      timeZone: options.timeZone,
      period: options.period,
      now,
      genresOf: (artist) =>
        (artist.id === null ? undefined : genres.get(artist.id)) ??
        enriched?.genresOf({ name: artist.name }),
      topLimit,
      ...(features.size > 0
        ? { features: featureSourceFromMap('spotify', features) }
        : enriched === undefined
          ? {}
          : { features: enriched.features }),
      ...(enriched?.genresVia === undefined ? {} : { genresVia: enriched.genresVia }),
    });
    built = result.profile;
    playCount = result.stats.totals.plays;
  } catch (error) {
    if (isAnalyticsError(error) && error.code === 'INVALID_INPUT') {
      throw new SyncError({ code: 'INVALID_OPTIONS', message: error.message, cause: error });
    }
    throw error;
  }

  const range = rangeOf(built.period.label);
  const topArtists = sources.topArtists[range];
  const replaced: FeatureSignal[] = [];
  const taste = tasteEstimate(topArtists, genres, sources.audioFeatures, sources, range);
  const signals = { ...built.signals };
  if (taste !== null) {
    for (const key of FEATURE_SIGNALS) {
      if (taste[key].confidence > signals[key].confidence) {
        signals[key] = taste[key];
        replaced.push(key);
      }
    }
  }

  const artistList = [...built.topArtists];
  const knownArtists = new Set(artistList.map((a) => a.id ?? `n:${a.name}`));
  for (const a of topArtists) {
    if (artistList.length >= topLimit) break;
    if (knownArtists.has(a.id)) continue;
    knownArtists.add(a.id);
    artistList.push({ id: a.id, name: a.name, plays: 0, msPlayed: 0 });
  }
  const trackList = [...built.topTracks];
  const knownTracks = new Set(trackList.map((t) => t.id ?? `n:${t.artistName}/${t.name}`));
  for (const t of sources.topTracks[range]) {
    if (trackList.length >= topLimit) break;
    if (knownTracks.has(t.id)) continue;
    knownTracks.add(t.id);
    trackList.push({
      id: t.id,
      name: t.name,
      artistName: t.artists[0]?.name ?? '',
      plays: 0,
      msPlayed: 0,
    });
  }

  const profile: ListeningProfile = {
    ...built,
    signals,
    topArtists: artistList,
    topTracks: trackList,
  };
  parseWith(listeningProfileSchema, profile, 'profile from the Web API data', 'SPOTIFY_FAILURE');
  return {
    profile,
    calls: fresh === undefined && !joined ? sources.calls : 0,
    fromCache: fresh !== undefined || joined,
    fetchedAt: sources.fetchedAt,
    accessLevel: sources.accessLevel,
    plays: playCount,
    fromTopLists: {
      signals: replaced,
      topArtists: artistList.length - built.topArtists.length,
      topTracks: trackList.length - built.topTracks.length,
    },
  };
}

/**
 * Whether a cache entry has the shape {@link fetchProfileSources} writes (a shared cache may hand
 * back an entry of another version or a damaged one: that is a miss, not a crash).
 */
function isSources(value: unknown): value is ProfileSources {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof ProfileSources, unknown>>;
  const ranges = (x: unknown) =>
    typeof x === 'object' &&
    x !== null &&
    TIME_RANGES.every((r) => Array.isArray((x as Record<string, unknown>)[r]));
  return (
    typeof v.fetchedAt === 'number' &&
    Number.isFinite(v.fetchedAt) &&
    typeof v.calls === 'number' &&
    (v.accessLevel === 'unknown' ||
      v.accessLevel === 'development' ||
      v.accessLevel === 'extended') &&
    ranges(v.topArtists) &&
    ranges(v.topTracks) &&
    Array.isArray(v.recentlyPlayed) &&
    Array.isArray(v.savedTracks) &&
    Array.isArray(v.artists) &&
    typeof v.audioFeatures === 'object' &&
    v.audioFeatures !== null
  );
}

/** The label `buildListeningProfile` gives a period, as far as the top-list range goes. */
function periodLabelOf(period: CollectProfileOptions['period']): string {
  return typeof period === 'string' ? period : 'custom';
}

/**
 * Asks the enricher for the tracks and artists of the plays and of the range's top lists, and
 * writes the genres it found into the genre book (by artist id), so the top-list estimate uses
 * them too.
 */
async function enrichFor(
  enricher: ProfileEnricher,
  plays: readonly Play[],
  sources: ProfileSources,
  range: TimeRange,
  genres: Map<string, readonly string[]>,
  spotifyFeatures: ReadonlyMap<string, AudioFeatureValues>,
  signal: AbortSignal | undefined,
): Promise<Awaited<ReturnType<ProfileEnricher['enrich']>>> {
  const tracks = new Map<string, { id: string; name: string; artistName: string }>();
  const artists = new Map<
    string,
    { name: string; id: string | null; genres?: readonly string[] }
  >();
  const addArtist = (id: string | null, name: string) => {
    const key = id ?? `n:${name}`;
    if (name === '' || artists.has(key)) return;
    const known = id === null ? undefined : genres.get(id);
    artists.set(key, { name, id, ...(known === undefined ? {} : { genres: known }) });
  };
  for (const p of plays) {
    if (p.trackId !== null && !spotifyFeatures.has(p.trackId))
      tracks.set(p.trackId, { id: p.trackId, name: p.trackName, artistName: p.artistName });
    addArtist(p.artistIds[0] ?? null, p.artistName);
  }
  for (const t of sources.topTracks[range]) {
    if (!spotifyFeatures.has(t.id))
      tracks.set(t.id, { id: t.id, name: t.name, artistName: t.artists[0]?.name ?? '' });
  }
  for (const a of sources.topArtists[range]) addArtist(a.id, a.name);
  let result: Awaited<ReturnType<ProfileEnricher['enrich']>>;
  try {
    result = await enricher.enrich(
      { tracks: tracks.values(), artists: artists.values() },
      signal === undefined ? {} : { signal },
    );
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new SyncError({
      code: 'SPOTIFY_FAILURE',
      message: 'The enricher failed (it should degrade to the genre priors on its own)',
      cause: error,
    });
  }
  for (const a of artists.values()) {
    if (a.id === null || genres.has(a.id)) continue;
    const found = result.genresOf({ name: a.name });
    if (found !== undefined && found.length > 0) genres.set(a.id, found);
  }
  return result;
}

/** Spotify's top-items range closest to a period label. */
function rangeOf(label: string): TimeRange {
  return label === 'short_term' || label === 'medium_term' ? label : 'long_term';
}

/** Track ids of the stored history, most listened first. */
function mostListened(plays: readonly Play[]): string[] {
  const ms = new Map<string, number>();
  for (const p of plays)
    if (p.trackId !== null) ms.set(p.trackId, (ms.get(p.trackId) ?? 0) + p.msPlayed);
  return [...ms.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
}

/**
 * Genres per artist id: non-empty genres of the fetched artist objects first, then those of the
 * artists stored in the catalog for every artist of the plays and top lists.
 */
async function genreBook(
  store: CatalogStore,
  sources: ProfileSources,
  plays: readonly Play[],
): Promise<Map<string, readonly string[]>> {
  const genres = new Map<string, readonly string[]>();
  const fetched: SpotifyArtist[] = [
    ...TIME_RANGES.flatMap((r) => sources.topArtists[r]),
    ...sources.artists,
  ];
  for (const a of fetched) {
    if ((a.genres ?? []).length > 0 && !genres.has(a.id)) genres.set(a.id, a.genres ?? []);
  }
  const wanted = new Set<string>();
  for (const p of plays) for (const id of p.artistIds) if (!genres.has(id)) wanted.add(id);
  for (const a of fetched) if (!genres.has(a.id)) wanted.add(a.id);
  for (const id of wanted) {
    const artist = await fromStore('read an artist', () => store.getArtist(id));
    if (artist !== null && artist.genres.length > 0) genres.set(id, artist.genres);
  }
  return genres;
}

/**
 * The rank-weighted (1 / (rank + 1)) feature estimate of a top-artist list: measured audio
 * features of the range's top tracks by that artist when Extended Quota gave them, else the genre
 * prior of the artist's genres. Null when nothing is known about any of them.
 */
function tasteEstimate(
  artists: readonly SpotifyArtist[],
  genres: ReadonlyMap<string, readonly string[]>,
  audio: Readonly<Record<string, AudioFeatureValues>>,
  sources: ProfileSources,
  range: TimeRange,
): Record<FeatureSignal, Signal> | null {
  const sums: Record<FeatureSignal, number> = {
    energy: 0,
    valence: 0,
    acousticness: 0,
    instrumentalness: 0,
    danceability: 0,
    intensity: 0,
  };
  let totalWeight = 0;
  let coveredWeight = 0;
  let confidenceSum = 0;
  let measuredWeight = 0;
  for (const [rank, artist] of artists.entries()) {
    const weight = 1 / (rank + 1);
    totalWeight += weight;
    const measured = sources.topTracks[range]
      .filter((t) => t.artists[0]?.id === artist.id)
      .map((t) => audio[t.id])
      .filter((f): f is AudioFeatureValues => f !== undefined);
    let values: AudioFeatureValues;
    let confidence: number;
    if (measured.length > 0) {
      values = meanFeatures(measured);
      confidence = 1;
      measuredWeight += weight;
    } else {
      const estimate = estimateFeaturesFromGenres(genres.get(artist.id) ?? []);
      if (estimate === null) continue;
      values = estimate.features;
      confidence = estimate.confidence;
    }
    coveredWeight += weight;
    confidenceSum += weight * confidence;
    for (const key of FEATURE_SIGNALS) {
      sums[key] += weight * (key === 'intensity' ? intensityOf(values) : values[key]);
    }
  }
  if (coveredWeight === 0) return null;
  const source: Signal['source'] = measuredWeight >= totalWeight / 2 ? 'spotify' : 'estimated';
  const confidence = round((TOP_LIST_TRUST * confidenceSum) / totalWeight);
  const out = {} as Record<FeatureSignal, Signal>;
  for (const key of FEATURE_SIGNALS) {
    out[key] = { value: round(clamp01(sums[key] / coveredWeight)), source, confidence };
  }
  return out;
}

function meanFeatures(list: readonly AudioFeatureValues[]): AudioFeatureValues {
  const mean = (pick: (f: AudioFeatureValues) => number) =>
    list.reduce((s, f) => s + pick(f), 0) / list.length;
  const loud = list.filter((f) => f.loudness !== undefined);
  return {
    energy: mean((f) => f.energy),
    valence: mean((f) => f.valence),
    acousticness: mean((f) => f.acousticness),
    instrumentalness: mean((f) => f.instrumentalness),
    danceability: mean((f) => f.danceability),
    ...(loud.length === list.length ? { loudness: mean((f) => f.loudness ?? 0) } : {}),
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const round = (x: number) => Math.round(x * 1e4) / 1e4;

async function fromStore<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new SyncError({
      code: 'STORE_FAILURE',
      message: `The catalog store failed to ${what}`,
      cause: error,
    });
  }
}
