/**
 * `@spoti/enrich`: audio features and genres from services beyond Spotify (ReccoBeats,
 * MusicBrainz, Last.fm, Deezer, or your own provider), each with its own rate limit, retries,
 * timeout and cache, degrading provider by provider down to the genre priors, for the
 * `ListeningProfile`.
 *
 * @packageDocumentation
 */
export { EnrichError, isEnrichError } from './errors/enrich-error.js';
export type { EnrichErrorCode, EnrichErrorOptions } from './errors/enrich-error.js';
export { defineEnrichmentProvider } from './define-provider.js';
export type {
  ArtistKey,
  EnrichmentProvider,
  FeatureProvider,
  FeatureResult,
  GenreProvider,
  GenreResult,
  ProviderCallContext,
  TrackKey,
} from './types.js';
export { createEnricher } from './enricher.js';
export type { EnrichInput, EnrichmentResult, Enricher, EnricherOptions } from './enricher.js';
export type { EnrichProgress, ProviderReport } from './report.js';
export { createMemoryCache } from './cache/enrichment-cache.js';
export type { CachedValue, EnrichmentCache } from './cache/enrichment-cache.js';
export { createFileCache } from './cache/file-cache.js';
export type { FileCacheOptions } from './cache/file-cache.js';
export { RECCOBEATS_BATCH_SIZE, reccoBeatsProvider } from './providers/reccobeats.js';
export { musicBrainzProvider } from './providers/musicbrainz.js';
export { lastFmProvider } from './providers/lastfm.js';
export { deezerProvider } from './providers/deezer.js';
export type { LastFmOptions } from './providers/lastfm.js';
export { DEFAULT_USER_AGENT } from './providers/http-options.js';
export type { ProviderHttpOptions } from './providers/http-options.js';
