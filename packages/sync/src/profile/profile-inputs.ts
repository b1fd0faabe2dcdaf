import type { AudioFeatureValues, FeatureSource } from '@spoti/analytics';
import type { CatalogStore, Play } from '@spoti/catalog';
import type { SpotifyArtist, TimeRange } from '@spoti/client';
import { SyncError } from '../errors/sync-error.js';
import { type ProfileSources, TIME_RANGES } from './profile-sources.js';

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

/** Track ids of the stored history, most listened first. */
export function mostListened(plays: readonly Play[]): string[] {
  const ms = new Map<string, number>();
  for (const p of plays)
    if (p.trackId !== null) ms.set(p.trackId, (ms.get(p.trackId) ?? 0) + p.msPlayed);
  return [...ms.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
}

/**
 * Genres per artist id: non-empty genres of the fetched artist objects first, then those of the
 * artists stored in the catalog for every artist of the plays and top lists.
 */
export async function genreBook(
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
 * Asks the enricher for the tracks and artists of the plays and of the range's top lists, and
 * writes the genres it found into the genre book (by artist id), so the top-list estimate uses
 * them too.
 */
export async function enrichFor(
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

/** Runs a store read; a failure becomes `SyncError` `STORE_FAILURE` naming what was read. */
export async function fromStore<T>(what: string, run: () => Promise<T>): Promise<T> {
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
