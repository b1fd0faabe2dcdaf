import type { Cache, CacheEntry } from '../cache.js';
import type { Clock } from '../clock.js';
import { isUnder, touchedPrefixes } from './cache-invalidation.js';

/** Keys remembered for invalidation before the list starts over. */
const MAX_REMEMBERED_KEYS = 10_000;

/**
 * The client's use of a {@link Cache}: entries keyed by identity and URL, freshness from
 * `Cache-Control`, and invalidation of what a write touched. A failing cache is never a failing
 * request: reads miss, writes and deletes are dropped.
 */
export class ResponseCache {
  readonly #cache: Cache | undefined;
  readonly #clock: Clock;
  readonly #base: string;
  /** Keys written to the cache, so a write can invalidate what it changed. */
  readonly #keys = new Set<string>();
  /** Bumped by every invalidation: a read begun before one neither stores nor is joined after. */
  #generation = 0;

  constructor(cache: Cache | undefined, clock: Clock, base: string) {
    this.#cache = cache;
    this.#clock = clock;
    this.#base = base;
  }

  /** Whether responses are cached at all (`cache: false` turns it off). */
  get enabled(): boolean {
    return this.#cache !== undefined;
  }

  /** Bumped by every write: what a read saw before it may be stale after it. */
  get generation(): number {
    return this.#generation;
  }

  async read(key: string): Promise<CacheEntry | undefined> {
    try {
      return (await this.#cache?.get(key)) ?? undefined;
    } catch {
      // A failing cache is a cache miss, not a failed request.
      return undefined;
    }
  }

  /** Stores a body when its headers allow (`no-store`, or neither an ETag nor a `max-age`: not). */
  store(key: string, body: unknown, headers: Headers, etag: string | undefined): void {
    if (!this.#cache) return;
    const control = headers.get('cache-control') ?? '';
    if (/no-store/i.test(control)) return;
    const maxAge = /max-age=(\d+)/i.exec(control);
    const freshUntil =
      maxAge && !/no-cache/i.test(control) ? this.#clock.now() + Number(maxAge[1]) * 1000 : 0;
    if (!etag && freshUntil === 0) return;
    if (this.#keys.size > MAX_REMEMBERED_KEYS) this.#keys.clear();
    this.#keys.add(key);
    // A failing cache must not fail the request (nor leave an unhandled rejection).
    Promise.resolve()
      .then(() => this.#cache?.set(key, { body, etag, freshUntil }))
      .catch(() => undefined);
  }

  /** Drops cached GETs of what a write to `path` touched (see `touchedPrefixes`). */
  invalidate(path: string): void {
    this.#generation += 1;
    if (!this.#cache) return;
    const prefixes = touchedPrefixes(this.#base, path);
    // Every identity's copy goes: a playlist write changes the playlist for all its readers.
    for (const key of this.#keys) {
      const url = key.slice(key.indexOf('|') + 1);
      if (prefixes.some((prefix) => isUnder(url, prefix))) {
        this.#keys.delete(key);
        try {
          Promise.resolve(this.#cache.delete(key)).catch(() => undefined);
        } catch {
          // A failing cache must not fail the write.
        }
      }
    }
  }
}

/** `<identity>|<url>`: the identity is an opaque hash (see TokenManager.scopeOf), never a token. */
export function cacheKey(scope: string, url: string): string {
  return `${scope}|${url}`;
}
