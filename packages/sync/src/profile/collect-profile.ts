import {
  type AudioFeatureValues,
  buildListeningProfile,
  featureSourceFromMap,
  isAnalyticsError,
  type ListeningProfile,
  listeningProfileSchema,
  type PeriodSpec,
} from '@spoti/analytics';
import { type CatalogStore, type Play, playFromSpotify } from '@spoti/catalog';
import type { SpotifyClient } from '@spoti/client';
import { z } from 'zod';
import { SyncError } from '../errors/sync-error.js';
import {
  fetchProfileSources,
  type ProfileSources,
  type ProfileSourcesCache,
  TIME_RANGES,
} from './profile-sources.js';
import {
  enrichFor,
  fromStore,
  genreBook,
  mostListened,
  type ProfileEnricher,
} from './profile-inputs.js';
import { parseWith } from '../sync/options.js';

export type { ProfileEnricher } from './profile-inputs.js';
import { rangeOf, withTopLists } from './top-lists.js';

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
  const { store, userId } = options;
  const topLimit = options.topLimit ?? 10;
  const stored = await fromStore('list the plays', () => store.listPlays({ userId }));
  const { sources, fromCache } = await sourcesFor(options, stored);
  const plays: Play[] = [
    ...stored,
    ...sources.recentlyPlayed.map((i) => playFromSpotify(i, userId)),
  ];
  const genres = await genreBook(store, sources, plays);
  const features = new Map(Object.entries(sources.audioFeatures));
  const enriched =
    options.enricher === undefined
      ? undefined
      : await enrichFor(
          options.enricher,
          plays,
          sources,
          rangeOf(periodLabelOf(options.period)),
          genres,
          features,
          options.signal,
        );
  const { profile: built, plays: playCount } = buildFromPlays(
    options,
    plays,
    genres,
    features,
    enriched,
  );
  const added = withTopLists(built, sources, genres, topLimit);
  const profile: ListeningProfile = {
    ...built,
    signals: added.signals,
    topArtists: added.topArtists,
    topTracks: added.topTracks,
  };
  parseWith(listeningProfileSchema, profile, 'profile from the Web API data', 'SPOTIFY_FAILURE');
  return {
    profile,
    calls: fromCache ? 0 : sources.calls,
    fromCache,
    fetchedAt: sources.fetchedAt,
    accessLevel: sources.accessLevel,
    plays: playCount,
    fromTopLists: {
      signals: added.replaced,
      topArtists: added.topArtists.length - built.topArtists.length,
      topTracks: added.topTracks.length - built.topTracks.length,
    },
  };
}

/**
 * The Web API part: from the cache while fresh, else joined to a fetch already in flight for the
 * same user and cache, else fetched (and written to the cache).
 */
async function sourcesFor(
  options: CollectProfileOptions,
  stored: readonly Play[],
): Promise<{ sources: ProfileSources; fromCache: boolean }> {
  const { client, userId, now, cache } = options;
  const ttl = options.cacheTtlMs ?? DEFAULT_TTL_MS;
  const cached = cache === undefined ? undefined : await cache.get(userId);
  if (isSources(cached) && cached.fetchedAt <= now && now - cached.fetchedAt < ttl)
    return { sources: cached, fromCache: true };
  const pending = cache === undefined ? undefined : inFlight.get(cache)?.get(userId);
  if (pending !== undefined) return { sources: await pending, fromCache: true };
  const fetching = fetchProfileSources(client, now, {
    maxFeatureTracks: options.maxFeatureTracks ?? 300,
    maxArtists: options.maxArtists ?? 50,
    historyTrackIds: mostListened(stored),
    signal: options.signal,
  }).then(async (fetched) => {
    if (cache !== undefined) await cache.set(userId, fetched);
    return fetched;
  });
  if (cache === undefined) return { sources: await fetching, fromCache: false };
  const forCache = inFlight.get(cache) ?? new Map<string, Promise<ProfileSources>>();
  inFlight.set(cache, forCache);
  forCache.set(userId, fetching);
  try {
    return { sources: await fetching, fromCache: false };
  } finally {
    inFlight.get(cache)?.delete(userId);
  }
}

/** The profile `@spoti/analytics` computes from the plays, with the genres and features known. */
function buildFromPlays(
  options: CollectProfileOptions,
  plays: readonly Play[],
  genres: ReadonlyMap<string, readonly string[]>,
  features: ReadonlyMap<string, AudioFeatureValues>,
  enriched: Awaited<ReturnType<ProfileEnricher['enrich']>> | undefined,
): { profile: ListeningProfile; plays: number } {
  try {
    const result = buildListeningProfile(plays, {
      timeZone: options.timeZone,
      period: options.period,
      now: options.now,
      genresOf: (artist) =>
        (artist.id === null ? undefined : genres.get(artist.id)) ??
        enriched?.genresOf({ name: artist.name }),
      topLimit: options.topLimit ?? 10,
      ...(features.size > 0
        ? { features: featureSourceFromMap('spotify', features) }
        : enriched === undefined
          ? {}
          : { features: enriched.features }),
      ...(enriched?.genresVia === undefined ? {} : { genresVia: enriched.genresVia }),
    });
    return { profile: result.profile, plays: result.stats.totals.plays };
  } catch (error) {
    if (isAnalyticsError(error) && error.code === 'INVALID_INPUT') {
      throw new SyncError({ code: 'INVALID_OPTIONS', message: error.message, cause: error });
    }
    throw error;
  }
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

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
