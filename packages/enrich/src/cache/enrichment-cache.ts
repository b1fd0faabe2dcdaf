/**
 * One cached answer of a provider: its value, or `null` when the provider does not know the key
 * (so it is not asked again), and when it was fetched (Unix ms).
 */
export interface CachedValue {
  readonly value: unknown;
  readonly fetchedAt: number;
}

/**
 * A persistent store of provider answers, keyed by namespace (`features:ReccoBeats`,
 * `genres:MusicBrainz`) and id (a Spotify track id, a normalised artist name), so a track is
 * asked for once. Implementations: {@link createMemoryCache} (default), `createFileCache` (a
 * folder, for the CLI) and `createSqlCache` (`@spoti/enrich/sql`, a Kysely database).
 */
export interface EnrichmentCache {
  /** The cached answers among `keys` (missing keys were never fetched). */
  getMany(namespace: string, keys: readonly string[]): Promise<ReadonlyMap<string, CachedValue>>;
  /** Stores answers, replacing older ones. */
  setMany(namespace: string, entries: ReadonlyMap<string, CachedValue>): Promise<void>;
}

/**
 * An in-memory {@link EnrichmentCache} (lives as long as the process).
 *
 * @example
 * ```ts
 * const cache = createMemoryCache();
 * await cache.setMany('features:ReccoBeats', new Map([['4uLU6hMCjMI75M1A2tKUQC', { value: null, fetchedAt: 0 }]]));
 * ```
 */
export function createMemoryCache(): EnrichmentCache {
  const spaces = new Map<string, Map<string, CachedValue>>();
  return {
    async getMany(namespace, keys) {
      const space = spaces.get(namespace);
      const out = new Map<string, CachedValue>();
      if (space === undefined) return out;
      for (const key of keys) {
        const hit = space.get(key);
        if (hit !== undefined) out.set(key, hit);
      }
      return out;
    },
    async setMany(namespace, entries) {
      let space = spaces.get(namespace);
      if (space === undefined) {
        space = new Map();
        spaces.set(namespace, space);
      }
      for (const [key, value] of entries) space.set(key, value);
    },
  };
}
