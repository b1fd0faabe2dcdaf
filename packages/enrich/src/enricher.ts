import type { FeatureSource, MeasuredFeatures } from '@spoti/analytics';
import { z } from 'zod';
import { createMemoryCache, type EnrichmentCache } from './cache/enrichment-cache.js';
import { EnrichError } from './errors/enrich-error.js';
import { parseOptions } from './internal/parse-options.js';
import { type Pass, runPass } from './internal/provider-pass.js';
import type { EnrichProgress, ProviderReport } from './report.js';
import type {
  ArtistKey,
  EnrichmentProvider,
  FeatureResult,
  GenreResult,
  TrackKey,
} from './types.js';

/** The outcome of {@link Enricher.enrich}. */
export interface EnrichmentResult {
  /**
   * Measured features for `buildListeningProfile({ features })`; each names its service in `via`
   * and carries the provider's `confidence`.
   */
  readonly features: FeatureSource;
  /** Genres for `buildListeningProfile({ genresOf })`: the artist's own when given, else a provider's. */
  readonly genresOf: (artist: { readonly name: string }) => readonly string[] | undefined;
  /** The genre services that answered, for `buildListeningProfile({ genresVia })`. */
  readonly genresVia: string | undefined;
  readonly report: {
    readonly providers: readonly ProviderReport[];
    readonly tracks: { readonly total: number; readonly withFeatures: number };
    readonly artists: { readonly total: number; readonly withGenres: number };
  };
}

/** What to enrich. */
export interface EnrichInput {
  readonly tracks?: Iterable<TrackKey>;
  readonly artists?: Iterable<ArtistKey & { readonly genres?: readonly string[] }>;
}

/** Options of {@link createEnricher}. */
export interface EnricherOptions {
  /** Providers, tried in this order within each kind. */
  readonly providers: readonly EnrichmentProvider[];
  /** Where answers are kept (default: in memory). */
  readonly cache?: EnrichmentCache;
  /** Answers older than this are fetched again (default: 180 days). */
  readonly maxAgeMs?: number;
  /** Unix ms now (default `Date.now`). */
  readonly now?: () => number;
  /** Called after every batch. */
  readonly onProgress?: (progress: EnrichProgress) => void;
  /** Receives one line per provider failure (never a key or token). */
  readonly logger?: { warn(message: string): void };
}

/** Runs providers over tracks and artists. */
export interface Enricher {
  enrich(
    input: EnrichInput,
    options?: { readonly signal?: AbortSignal },
  ): Promise<EnrichmentResult>;
}

const optionsSchema = z.object({
  providers: z.array(z.custom<EnrichmentProvider>()).readonly(),
  cache: z
    .custom<EnrichmentCache>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as EnrichmentCache).getMany === 'function' &&
        typeof (v as EnrichmentCache).setMany === 'function',
      { message: 'expected an EnrichmentCache (getMany, setMany)' },
    )
    .optional(),
  maxAgeMs: z
    .number()
    .int()
    .positive()
    .default(180 * 86_400_000),
  now: z.custom<() => number>((v) => typeof v === 'function').optional(),
  onProgress: z.custom<(p: EnrichProgress) => void>((v) => typeof v === 'function').optional(),
  logger: z
    .custom<{ warn(message: string): void }>(
      (v) =>
        typeof v === 'object' && v !== null && typeof (v as { warn?: unknown }).warn === 'function',
    )
    .optional(),
});

const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;
/** Longest artist name sent to a service. */
const MAX_NAME = 300;
/** True when the text holds a control character (no artist is called that). */
const hasControl = (text: string) => [...text].some((c) => (c.codePointAt(0) ?? 0) < 0x20);
/** The cache key of an artist name. */
const artistKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Creates an enricher: for every track without audio features and every artist without genres,
 * it asks the providers of that kind in order. Each answer (including "unknown to this
 * service") is cached per provider, so a track is asked for once; a provider that fails
 * (down, refusing, rate-limited beyond its wait) is skipped for the rest of the run and its keys
 * fall to the next provider, finally to the genre priors of `@spoti/analytics`. Only an abort
 * stops the run.
 *
 * @example
 * ```ts
 * const enricher = createEnricher({
 *   providers: [reccoBeatsProvider(), musicBrainzProvider({ userAgent: 'my-app/1.0 ( me@example.org )' })],
 * });
 * const enriched = await enricher.enrich({ tracks: [{ id: '4uLU6hMCjMI75M1A2tKUQC' }], artists: [{ name: 'Daft Punk' }] });
 * const { profile } = buildListeningProfile(plays, {
 *   timeZone: 'Europe/Berlin',
 *   features: enriched.features,
 *   genresOf: enriched.genresOf,
 *   genresVia: enriched.genresVia,
 * });
 * ```
 */
export function createEnricher(options: EnricherOptions): Enricher {
  const opts = parseOptions(optionsSchema, options, 'enricher options');
  checkProviders(opts.providers);
  const cache = opts.cache ?? createMemoryCache();
  const now = opts.now ?? Date.now;
  const deps = { cache, now, opts };

  return {
    async enrich(input, enrichOptions = {}) {
      const signal = enrichOptions.signal;
      const tracks = trackPassOf(input.tracks ?? []);
      const artists = artistPassOf(input.artists ?? []);
      const reports: ProviderReport[] = [];
      await runPass(tracks.pass, deps, signal, reports);
      await runPass(artists.pass, deps, signal, reports);
      return enrichmentOf(opts.providers, tracks, artists, reports);
    },
  };
}

/** Throws `INVALID_PROVIDER` for a provider not made by a factory, or one given twice. */
function checkProviders(providers: readonly EnrichmentProvider[]): void {
  const seen = new Set<string>();
  for (const provider of providers) {
    if (
      typeof provider !== 'object' ||
      provider === null ||
      (provider.kind !== 'features' && provider.kind !== 'genres') ||
      typeof provider.fetch !== 'function'
    )
      throw new EnrichError({
        code: 'INVALID_PROVIDER',
        message: 'Every provider must be made by defineEnrichmentProvider or a built-in factory',
      });
    const id = `${provider.kind}:${provider.name}`;
    if (seen.has(id))
      throw new EnrichError({
        code: 'INVALID_PROVIDER',
        message: `The ${provider.kind} provider "${provider.name}" is given twice`,
        provider: provider.name,
      });
    seen.add(id);
  }
}

/** The features pass over the tracks with a valid Spotify id, and how many distinct ones. */
interface TrackPass {
  readonly pass: Pass<TrackKey, FeatureResult>;
  readonly total: number;
}

function trackPassOf(tracks: Iterable<TrackKey>): TrackPass {
  const pass: Pass<TrackKey, FeatureResult> = {
    kind: 'features',
    pending: new Map(),
    found: new Map(),
  };
  let total = 0;
  for (const track of tracks) {
    if (typeof track?.id !== 'string' || !SPOTIFY_ID.test(track.id)) continue;
    if (!pass.pending.has(track.id)) total++;
    pass.pending.set(track.id, track);
  }
  return { pass, total };
}

/** The genres pass over the artists without genres of their own, and the genres given. */
interface ArtistPass {
  readonly pass: Pass<ArtistKey, GenreResult>;
  /** Genres the input gave, per artist key. */
  readonly own: ReadonlyMap<string, readonly string[]>;
  /** Distinct artists asked about (counted before the pass empties `pending`). */
  readonly total: number;
}

function artistPassOf(
  artists: Iterable<ArtistKey & { readonly genres?: readonly string[] }>,
): ArtistPass {
  const own = new Map<string, readonly string[]>();
  const pass: Pass<ArtistKey, GenreResult> = {
    kind: 'genres',
    pending: new Map(),
    found: new Map(),
  };
  for (const artist of artists) {
    if (typeof artist?.name !== 'string') continue;
    const name = artist.name.trim();
    // An empty or absurd name cannot be looked up; asking would only get a refusal.
    if (name === '' || name.length > MAX_NAME || hasControl(name)) continue;
    const key = artistKey(artist.name);
    if (artist.genres !== undefined && artist.genres.length > 0) {
      own.set(key, artist.genres);
      pass.pending.delete(key);
    } else if (!own.has(key)) pass.pending.set(key, { ...artist, name: artist.name.trim() });
  }
  return { pass, own, total: own.size + pass.pending.size };
}

/** The result of both passes: features with their confidence, genres, and the report. */
function enrichmentOf(
  providers: readonly EnrichmentProvider[],
  tracks: TrackPass,
  artists: ArtistPass,
  reports: readonly ProviderReport[],
): EnrichmentResult {
  const features = new Map<string, MeasuredFeatures>();
  const confidenceOf = new Map(providers.map((p) => [`${p.kind}:${p.name}`, p.confidence]));
  for (const [id, { value, via }] of tracks.pass.found)
    features.set(id, {
      ...value,
      via,
      confidence: confidenceOf.get(`features:${via}`) ?? 1,
    });
  const genres = new Map<string, readonly string[]>(artists.own);
  const genreServices = new Set<string>();
  for (const [key, { value, via }] of artists.pass.found) {
    genres.set(key, value.genres);
    genreServices.add(via);
  }
  return {
    features: {
      source: 'enriched',
      get: (track) => (track.id === null ? undefined : features.get(track.id)),
    },
    genresOf: (artist) => genres.get(artistKey(artist.name)),
    genresVia: genreServices.size === 0 ? undefined : [...genreServices].join(' and '),
    report: {
      providers: reports,
      tracks: { total: tracks.total, withFeatures: features.size },
      artists: { total: artists.total, withGenres: genres.size },
    },
  };
}
