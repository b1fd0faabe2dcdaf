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

/** One provider's turn at a pass: what it was asked, found and how. */
interface Turn {
  readonly provider: EnrichmentProvider;
  readonly namespace: string;
  readonly total: number;
  done: number;
  found: number;
  fromCache: number;
  batches: number;
  failure: ProviderReport['failure'];
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
  for (const provider of deps.opts.providers) {
    if (provider.kind !== pass.kind || pass.pending.size === 0) continue;
    const keys = [...pass.pending.keys()];
    const turn: Turn = {
      provider,
      namespace: `${provider.kind}:${provider.name}`,
      total: keys.length,
      done: 0,
      found: 0,
      fromCache: 0,
      batches: 0,
      failure: undefined,
    };
    const toFetch = await takeCached(pass, deps, turn, keys);
    if (turn.done > 0) progress(pass, deps, turn);
    for (let i = 0; i < toFetch.length; i += provider.batchSize) {
      const batch = toFetch.slice(i, i + provider.batchSize);
      const answer = await fetchBatch(pass, deps, turn, batch, signal);
      if (answer === undefined) break;
      await keepAnswers(pass, deps, turn, batch, answer);
      turn.done += batch.length;
      progress(pass, deps, turn);
    }
    reports.push({
      kind: pass.kind,
      name: provider.name,
      asked: turn.total,
      found: turn.found,
      fromCache: turn.fromCache,
      batches: turn.batches,
      ...(turn.failure === undefined ? {} : { failure: turn.failure }),
    });
  }
}

function progress(pass: Pass<unknown, unknown>, deps: PassDeps, turn: Turn): void {
  deps.opts.onProgress?.({
    kind: pass.kind,
    provider: turn.provider.name,
    done: turn.done,
    total: turn.total,
  });
}

/** Takes the fresh cached answers of the provider; returns the keys left to ask it. */
async function takeCached<K, V>(
  pass: Pass<K, V>,
  deps: PassDeps,
  turn: Turn,
  keys: readonly string[],
): Promise<string[]> {
  const fresh = deps.now() - deps.opts.maxAgeMs;
  let cached: ReadonlyMap<string, CachedValue>;
  try {
    cached = await deps.cache.getMany(turn.namespace, keys);
  } catch {
    // A cache that fails costs calls, never the profile.
    deps.opts.logger?.warn(`enrich: cache read failed for ${turn.namespace}; asking the service`);
    cached = new Map();
  }
  const toFetch: string[] = [];
  for (const key of keys) {
    const hit = cached.get(key);
    if (hit === undefined || hit.fetchedAt < fresh) {
      toFetch.push(key);
      continue;
    }
    turn.fromCache++;
    turn.done++;
    if (hit.value !== null) {
      pass.found.set(key, { value: hit.value as V, via: turn.provider.name });
      pass.pending.delete(key);
      turn.found++;
    }
  }
  return toFetch;
}

function abortedError(provider: EnrichmentProvider, signal: AbortSignal | undefined): EnrichError {
  return new EnrichError({
    code: 'ABORTED',
    message: 'Enrichment was aborted',
    provider: provider.name,
    cause: signal?.reason,
  });
}

/**
 * Asks the provider for one batch. A failure is recorded in the turn and logged, and gives
 * `undefined` (the next provider takes over); an abort throws.
 */
async function fetchBatch<K, V>(
  pass: Pass<K, V>,
  deps: PassDeps,
  turn: Turn,
  batch: readonly string[],
  signal: AbortSignal | undefined,
): Promise<ReadonlyMap<string, unknown> | undefined> {
  const { provider } = turn;
  if (isAborted(signal)) throw abortedError(provider, signal);
  try {
    turn.batches++;
    return await (
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
    if (isAborted(signal)) throw abortedError(provider, signal);
    const code: EnrichErrorCode = isEnrichError(error) ? error.code : 'UNAVAILABLE';
    const message = error instanceof Error ? error.message : String(error);
    turn.failure = { code, message };
    deps.opts.logger?.warn(
      `enrich: ${provider.name} failed (${code}); the next source takes over: ${message}`,
    );
    return undefined;
  }
}

/** Records a batch's answers in the pass and caches every key's answer (a miss as `null`). */
async function keepAnswers<K, V>(
  pass: Pass<K, V>,
  deps: PassDeps,
  turn: Turn,
  batch: readonly string[],
  answer: ReadonlyMap<string, unknown>,
): Promise<void> {
  const entries = new Map<string, CachedValue>();
  const at = deps.now();
  for (const key of batch) {
    const ref = pass.pending.get(key) as K;
    const value = answer.get(answerKey(pass.kind, key, ref));
    entries.set(key, { value: value ?? null, fetchedAt: at });
    if (value !== undefined) {
      pass.found.set(key, { value: value as V, via: turn.provider.name });
      pass.pending.delete(key);
      turn.found++;
    }
  }
  try {
    await deps.cache.setMany(turn.namespace, entries);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.opts.logger?.warn(`enrich: cache write failed for ${turn.namespace}: ${message}`);
  }
}

/** Providers answer tracks by Spotify id and artists by the name they were given. */
function answerKey(kind: 'features' | 'genres', key: string, ref: unknown): string {
  return kind === 'features' ? key : (ref as ArtistKey).name;
}
