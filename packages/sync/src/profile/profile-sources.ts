import type { AudioFeatureValues } from '@spoti/analytics';
import type {
  SpotifyArtist,
  SpotifyClient,
  SpotifyPlayHistory,
  SpotifySavedTrack,
  SpotifyTrack,
  TimeRange,
} from '@spoti/client';

/** The three ranges of Spotify's top items, shortest first. */
export const TIME_RANGES: readonly TimeRange[] = ['short_term', 'medium_term', 'long_term'];

/**
 * Everything a listening profile takes from the Web API for one user, as plain JSON (so any
 * cache, including a shared one, can hold it). Period-independent: one fetch serves every period.
 */
export interface ProfileSources {
  /** Unix ms (on the caller's clock) when the calls were made. */
  readonly fetchedAt: number;
  /** What the client knew of the app's access when fetching (`unknown` fetches like `development`). */
  readonly accessLevel: 'unknown' | 'development' | 'extended';
  /** Web API calls the fetch made (retries included). */
  readonly calls: number;
  /** Spotify's top artists per time range (up to 50 each, full artist objects). */
  readonly topArtists: Readonly<Record<TimeRange, readonly SpotifyArtist[]>>;
  /** Spotify's top tracks per time range (up to 50 each). */
  readonly topTracks: Readonly<Record<TimeRange, readonly SpotifyTrack[]>>;
  /** The last (up to 50) plays. */
  readonly recentlyPlayed: readonly SpotifyPlayHistory[];
  /** The newest (up to 50) saved tracks. */
  readonly savedTracks: readonly SpotifySavedTrack[];
  /** Full artist objects fetched for genres (Extended Quota only; empty otherwise). */
  readonly artists: readonly SpotifyArtist[];
  /** Spotify audio features by track id (Extended Quota only; empty otherwise). */
  readonly audioFeatures: Readonly<Record<string, AudioFeatureValues>>;
}

/**
 * Where {@link collectListeningProfile} keeps {@link ProfileSources} between profiles. Entries
 * are keyed by user id; the collector decides freshness from `fetchedAt` and its TTL, so a cache
 * only has to store and return what it was given (it may also expire entries on its own).
 *
 * @example
 * ```ts
 * const cache: ProfileSourcesCache = createMemoryProfileSourcesCache();
 * ```
 */
export interface ProfileSourcesCache {
  /** The entry stored for a user, or undefined. */
  get(userId: string): Promise<ProfileSources | undefined> | ProfileSources | undefined;
  /** Stores (replaces) a user's entry. */
  set(userId: string, sources: ProfileSources): Promise<void> | void;
  /** Forgets a user's entry (after a sync, to force a fresh fetch). */
  delete(userId: string): Promise<void> | void;
}

/**
 * A {@link ProfileSourcesCache} in process memory, holding at most `maxEntries` users (the
 * oldest written is dropped first).
 *
 * @example
 * ```ts
 * const cache = createMemoryProfileSourcesCache({ maxEntries: 1000 });
 * await collectListeningProfile({ client, store, userId, timeZone: 'UTC', period: 'short_term', now: Date.now(), cache });
 * ```
 */
export class MemoryProfileSourcesCache implements ProfileSourcesCache {
  readonly #entries = new Map<string, ProfileSources>();
  readonly #max: number;

  constructor(options: { maxEntries?: number } = {}) {
    this.#max = Math.max(1, Math.floor(options.maxEntries ?? 10_000));
  }

  /** The entry stored for a user, or undefined. */
  get(userId: string): ProfileSources | undefined {
    return this.#entries.get(userId);
  }

  /** Stores a user's entry, dropping the oldest when full. */
  set(userId: string, sources: ProfileSources): void {
    this.#entries.delete(userId);
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(userId, sources);
  }

  /** Forgets a user's entry. */
  delete(userId: string): void {
    this.#entries.delete(userId);
  }
}

/** Limits of one {@link fetchProfileSources} run. */
export interface FetchSourcesLimits {
  /** Most tracks whose audio features are asked for (Extended Quota; 100 per call). */
  readonly maxFeatureTracks: number;
  /** Most artists fetched for genres (Extended Quota; 50 per call). */
  readonly maxArtists: number;
  /** Tracks of the stored history worth measuring first (most listened first). */
  readonly historyTrackIds: readonly string[];
  readonly signal?: AbortSignal | undefined;
}

/**
 * Fetches the Web API part of a profile. Development Mode (and `unknown` access): exactly 8
 * calls (3 top-artist and 3 top-track pages, recently played, one page of saved tracks).
 * Extended Quota adds one batch of artists lacking genres and batches of audio features.
 * Rate-limit and quota errors propagate as the client's `SpotifyRateLimitError`.
 */
export async function fetchProfileSources(
  client: SpotifyClient,
  now: number,
  limits: FetchSourcesLimits,
): Promise<ProfileSources> {
  const { value, usage } = await client.measure(() => fetchSources(client, now, limits));
  return { ...value, calls: usage.calls };
}

async function fetchSources(
  client: SpotifyClient,
  now: number,
  limits: FetchSourcesLimits,
): Promise<ProfileSources> {
  const signal = limits.signal;
  const accessLevel = client.accessLevel;
  const [artistPages, trackPages, recent, saved] = await Promise.all([
    Promise.all(
      TIME_RANGES.map((timeRange) => client.getTopArtists({ timeRange, limit: 50, signal })),
    ),
    Promise.all(
      TIME_RANGES.map((timeRange) => client.getTopTracks({ timeRange, limit: 50, signal })),
    ),
    client.getRecentlyPlayed({ limit: 50, signal }),
    client.getSavedTracks({ limit: 50, signal }),
  ]);
  const topArtists = byRange(artistPages.map((p) => p.items));
  const topTracks = byRange(trackPages.map((p) => p.items));
  let artists: SpotifyArtist[] = [];
  const audioFeatures: Record<string, AudioFeatureValues> = {};
  if (accessLevel === 'extended') {
    const withGenres = new Set<string>();
    for (const range of TIME_RANGES)
      for (const a of topArtists[range]) if ((a.genres ?? []).length > 0) withGenres.add(a.id);
    const tracks = [
      ...recent.items.map((i) => i.track),
      ...TIME_RANGES.flatMap((r) => topTracks[r]),
      ...saved.items.map((s) => s.track),
    ];
    const artistIds = unique(
      tracks.flatMap((t) => t.artists.map((a) => a.id)).filter((id) => !withGenres.has(id)),
    ).slice(0, limits.maxArtists);
    if (artistIds.length > 0) {
      artists = (await client.getArtists(artistIds, { signal })).filter(
        (a): a is SpotifyArtist => a !== null,
      );
    }
    const trackIds = unique([...limits.historyTrackIds, ...tracks.map((t) => t.id)]).slice(
      0,
      limits.maxFeatureTracks,
    );
    if (trackIds.length > 0) {
      const result = await client.getAudioFeatures(trackIds, { signal });
      if (result.available) {
        for (const f of result.features) {
          if (f === null) continue;
          audioFeatures[f.id] = {
            energy: f.energy,
            valence: f.valence,
            acousticness: f.acousticness,
            instrumentalness: f.instrumentalness,
            danceability: f.danceability,
            loudness: f.loudness,
          };
        }
      }
    }
  }
  return {
    fetchedAt: now,
    accessLevel,
    calls: 0, // set by fetchProfileSources from the measured usage
    topArtists,
    topTracks,
    recentlyPlayed: recent.items,
    savedTracks: saved.items,
    artists,
    audioFeatures,
  };
}

function byRange<T>(lists: readonly (readonly T[])[]): Record<TimeRange, readonly T[]> {
  return { short_term: lists[0] ?? [], medium_term: lists[1] ?? [], long_term: lists[2] ?? [] };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/**
 * Creates a {@link ProfileSourcesCache} in memory, bounded to `maxEntries`.
 *
 * @example
 * ```ts
 * const cache = createMemoryProfileSourcesCache({ maxEntries: 1000 });
 * ```
 */
export function createMemoryProfileSourcesCache(
  options: { maxEntries?: number } = {},
): MemoryProfileSourcesCache {
  return new MemoryProfileSourcesCache(options);
}
