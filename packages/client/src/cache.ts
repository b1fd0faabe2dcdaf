/** One cached GET response. */
export interface CacheEntry {
  /** The parsed JSON body. */
  body: unknown;
  /** The `ETag` Spotify sent, used for `If-None-Match`. */
  etag?: string | undefined;
  /** Epoch ms until which the entry is fresh (from `Cache-Control: max-age`); 0 when not fresh. */
  freshUntil: number;
}

/**
 * A pluggable response cache (in-memory LRU by default; use Redis or similar to share).
 * Keys are `<identity>|<url>`: the identity is the client's `cacheScope` or an opaque hash of
 * its credentials, so one cache can serve many users' clients without mixing their data, and no
 * token ever appears in a key.
 */
export interface Cache {
  /** Reads an entry. */
  get(key: string): CacheEntry | undefined | Promise<CacheEntry | undefined>;
  /** Writes an entry. */
  set(key: string, entry: CacheEntry): void | Promise<void>;
  /** Removes an entry. */
  delete(key: string): void | Promise<void>;
}

/**
 * An in-memory least-recently-used cache.
 *
 * @example
 * ```ts
 * const client = createSpotifyClient({ clientId, cache: createMemoryCache({ maxEntries: 1000 }) });
 * ```
 */
export class MemoryCache implements Cache {
  readonly #entries = new Map<string, CacheEntry>();
  readonly #maxEntries: number;

  /** @param options.maxEntries - entries kept before the least recently used is dropped (default 500). */
  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 500;
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.size;
  }

  get(key: string): CacheEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CacheEntry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}

/**
 * Creates a {@link Cache} in memory, bounded to `maxEntries` (least recently used first out).
 *
 * @example
 * ```ts
 * const client = createSpotifyClient({ ...options, cache: createMemoryCache({ maxEntries: 500 }) });
 * ```
 */
export function createMemoryCache(options: { maxEntries?: number } = {}): MemoryCache {
  return new MemoryCache(options);
}
