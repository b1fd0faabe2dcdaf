import type { EnrichErrorCode } from './errors/enrich-error.js';

/** Progress of one provider's pass, reported after each batch. */
export interface EnrichProgress {
  readonly kind: 'features' | 'genres';
  readonly provider: string;
  /** Keys of this pass answered so far (from the cache or the service). */
  readonly done: number;
  /** Keys this provider is asked about (those earlier providers left unanswered). */
  readonly total: number;
}

/** Where things stand after one provider's pass. */
export interface ProviderReport {
  readonly kind: 'features' | 'genres';
  readonly name: string;
  /** Keys it was asked about (cache included). */
  readonly asked: number;
  /** Keys it had a value for. */
  readonly found: number;
  /** Answers read from the cache (values and known misses). */
  readonly fromCache: number;
  /** Calls of its `fetch` (one batch each). */
  readonly batches: number;
  /** Why it stopped, when it failed: the rest fell to the next provider (or the genre priors). */
  readonly failure?: { readonly code: EnrichErrorCode; readonly message: string };
}
