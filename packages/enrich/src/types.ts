import type { AudioFeatureValues } from '@spoti/analytics';

/** A track to enrich: the Spotify id is the key; ISRC and names help providers that need them. */
export interface TrackKey {
  /** Spotify track id (22 base62 characters). */
  readonly id: string;
  readonly name?: string;
  readonly artistName?: string;
  /** ISRC when known (a provider may also learn it, see {@link FeatureResult.isrc}). */
  readonly isrc?: string;
}

/** An artist to enrich: the name is the key (a data export has no artist ids). */
export interface ArtistKey {
  readonly name: string;
  /** Spotify artist id, when known. */
  readonly id?: string | null;
}

/** Audio features a provider returned for one track (Spotify's names and scales). */
export interface FeatureResult extends AudioFeatureValues {
  /** Beats per minute, when the service gives it. */
  readonly tempo?: number;
  /** The track's ISRC, when the service told it. */
  readonly isrc?: string;
}

/** Genres a provider returned for one artist, most relevant first. */
export interface GenreResult {
  readonly genres: readonly string[];
}

/** What every provider call receives besides its keys. */
export interface ProviderCallContext {
  /** Aborts the call (and its waits for the rate limiter and retries). */
  readonly signal: AbortSignal | undefined;
}

/**
 * A source of audio features keyed by Spotify track id. `fetch` answers a batch of at most
 * `batchSize` tracks: a map with an entry for every track the service knows; tracks left out
 * are unknown to it (cached as such, so they are not asked again). It throws an
 * `EnrichError` when the service is down, refuses or rate-limits beyond what is allowed.
 */
export interface FeatureProvider {
  readonly kind: 'features';
  /** Unique name, shown to users ("energy from audio features ... via ReccoBeats"). */
  readonly name: string;
  /** 0..1: how far its values can be trusted as Spotify-like audio features. */
  readonly confidence: number;
  /** Tracks per `fetch` call (1 when the service has no batch endpoint). */
  readonly batchSize: number;
  fetch(
    tracks: readonly TrackKey[],
    context: ProviderCallContext,
  ): Promise<ReadonlyMap<string, FeatureResult>>;
}

/**
 * A source of genres keyed by artist name. `fetch` answers a batch of at most `batchSize`
 * artists, keyed by the artist's name as given; artists left out are unknown to it.
 */
export interface GenreProvider {
  readonly kind: 'genres';
  readonly name: string;
  readonly confidence: number;
  readonly batchSize: number;
  fetch(
    artists: readonly ArtistKey[],
    context: ProviderCallContext,
  ): Promise<ReadonlyMap<string, GenreResult>>;
}

/** Either kind of provider. */
export type EnrichmentProvider = FeatureProvider | GenreProvider;
