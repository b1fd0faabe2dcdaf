import type { EncodedJson } from '../encoded-json.js';
import { FreshCache } from './fresh-cache.js';

/**
 * Trending answers are shared for this long (then served while one refresh runs, for at most
 * {@link TRENDING_MAX_AGE_MS}): a play or like shows in trending within about 5 s.
 */
export const TRENDING_FRESH_MS = 5_000;
/** The oldest trending answer ever served (ms); older ones are recomputed before answering. */
export const TRENDING_MAX_AGE_MS = 30_000;

/** Search answers are shared between callers asking the same for this long (ms). */
export const SEARCH_FRESH_MS = 2_000;
/** The oldest search answer ever served (ms), while a refresh runs. */
export const SEARCH_MAX_AGE_MS = 10_000;

/** Answers shared between callers asking the same, on the monotonic clock. */
function sharedCache(freshMs: number, maxAgeMs: number, maxEntries: number) {
  return new FreshCache<EncodedJson>({
    now: () => performance.now(),
    freshMs,
    maxAgeMs,
    maxEntries,
  });
}

/**
 * The search and trending answers this server shares between callers asking the same thing,
 * serialized once ({@link EncodedJson}). A change of what others may see (a song made private or
 * deleted, an artist's account deleted) through this server drops them all at once
 * ({@link SharedAnswers.forget}); plays, likes and new songs show when an answer is refreshed.
 */
export class SharedAnswers {
  readonly search = sharedCache(SEARCH_FRESH_MS, SEARCH_MAX_AGE_MS, 5_000);
  readonly trending = sharedCache(TRENDING_FRESH_MS, TRENDING_MAX_AGE_MS, 1_000);

  /** Forgets every shared answer: the next request of each computes it again. */
  forget(): void {
    this.search.clear();
    this.trending.clear();
  }
}
