import type { CachedValue, EnrichmentCache } from '../cache/enrichment-cache.js';
import { EnrichError, type EnrichErrorCode, isEnrichError } from '../errors/enrich-error.js';
import type { EnrichProgress, ProviderReport } from '../report.js';
import type { ArtistKey, EnrichmentProvider } from '../types.js';
import { isAborted } from './sleep.js';

/** One kind's keys on their way through the providers. */
export interface Pass<K, V> {
  readonly kind: 'features' | 'genres';
  /** Keys still without a value, by cache key. */
  readonly pending: Map<string, K>;
  readonly found: Map<string, { value: V; via: string }>;
}

/** What a pass needs from the enricher. */
export interface PassDeps {
  readonly cache: EnrichmentCache;
  readonly now: () => number;
  readonly opts: {
    readonly providers: readonly EnrichmentProvider[];
    readonly maxAgeMs: number;
    readonly onProgress?: ((progress: EnrichProgress) => void) | undefined;
    readonly logger?: { warn(message: string): void } | undefined;
  };
}

/**
 * Asks the providers of the pass's kind, in order, for its pending keys: cached answers first
 * (fresh ones only), then the service in batches; every answer is cached, a failure ends that
 * provider's turn (its keys go to the next one), an abort ends the run.
 */
export async function runPass<K, V>(
  pass: Pass<K, V>,
  deps: PassDeps,
  signal: AbortSignal | undefined,
  reports: ProviderReport[],
): Promise<void> {
  const { cache, now, opts } = deps;
  for (const provider of opts.providers) {
    if (provider.kind !== pass.kind || pass.pending.size === 0) continue;
    const namespace = `${provider.kind}:${provider.name}`;
    const keys = [...pass.pending.keys()];
    const total = keys.length;
    let done = 0;
    let found = 0;
    let fromCache = 0;
    let batches = 0;
    let failure: ProviderReport['failure'];
    const fresh = now() - opts.maxAgeMs;
    let cached: ReadonlyMap<string, CachedValue>;
    try {
      cached = await cache.getMany(namespace, keys);
    } catch {
      // A cache that fails costs calls, never the profile.
      opts.logger?.warn(`enrich: cache read failed for ${namespace}; asking the service`);
      cached = new Map();
    }
    const toFetch: string[] = [];
    for (const key of keys) {
      const hit = cached.get(key);
      if (hit === undefined || hit.fetchedAt < fresh) {
        toFetch.push(key);
        continue;
      }
      fromCache++;
      done++;
      if (hit.value !== null) {
        pass.found.set(key, { value: hit.value as V, via: provider.name });
        pass.pending.delete(key);
        found++;
      }
    }
    if (done > 0) opts.onProgress?.({ kind: pass.kind, provider: provider.name, done, total });
    for (let i = 0; i < toFetch.length; i += provider.batchSize) {
      if (isAborted(signal))
        throw new EnrichError({
          code: 'ABORTED',
          message: 'Enrichment was aborted',
          provider: provider.name,
          cause: signal?.reason,
        });
      const batch = toFetch.slice(i, i + provider.batchSize);
      let answer: ReadonlyMap<string, unknown>;
      try {
        batches++;
        answer = await (
          provider.fetch as (
            keys: readonly K[],
            ctx: { signal: AbortSignal | undefined },
          ) => Promise<ReadonlyMap<string, unknown>>
        )(
          batch.map((k) => pass.pending.get(k) as K),
          { signal },
        );
      } catch (error) {
        if (isEnrichError(error) && error.code === 'ABORTED') throw error;
        if (isAborted(signal))
          throw new EnrichError({
            code: 'ABORTED',
            message: 'Enrichment was aborted',
            provider: provider.name,
            cause: signal?.reason,
          });
        const code: EnrichErrorCode = isEnrichError(error) ? error.code : 'UNAVAILABLE';
        const message = error instanceof Error ? error.message : String(error);
        failure = { code, message };
        opts.logger?.warn(
          `enrich: ${provider.name} failed (${code}); the next source takes over: ${message}`,
        );
        break;
      }
      const entries = new Map<string, CachedValue>();
      const at = now();
      for (const key of batch) {
        const ref = pass.pending.get(key) as K;
        const value = answer.get(answerKey(pass.kind, key, ref));
        entries.set(key, { value: value ?? null, fetchedAt: at });
        if (value !== undefined) {
          pass.found.set(key, { value: value as V, via: provider.name });
          pass.pending.delete(key);
          found++;
        }
      }
      try {
        await cache.setMany(namespace, entries);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        opts.logger?.warn(`enrich: cache write failed for ${namespace}: ${message}`);
      }
      done += batch.length;
      opts.onProgress?.({ kind: pass.kind, provider: provider.name, done, total });
    }
    reports.push({
      kind: pass.kind,
      name: provider.name,
      asked: total,
      found,
      fromCache,
      batches,
      ...(failure === undefined ? {} : { failure }),
    });
  }
}

/** Providers answer tracks by Spotify id and artists by the name they were given. */
function answerKey(kind: 'features' | 'genres', key: string, ref: unknown): string {
  return kind === 'features' ? key : (ref as ArtistKey).name;
}
