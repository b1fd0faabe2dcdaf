/** How long a {@link FreshCache} keeps and serves a value. */
export interface FreshCacheOptions {
  /** Unix ms. */
  readonly now: () => number;
  /** A value younger than this is served as is. */
  readonly freshMs: number;
  /**
   * A value between `freshMs` and this age is still served while one refresh runs behind it;
   * older than this, callers wait for the refresh.
   */
  readonly maxAgeMs: number;
  /** Keys kept at most (the least recently computed go first). */
  readonly maxEntries: number;
}

interface Entry<T> {
  value: T | undefined;
  /** When the value's computation started (Unix ms). */
  at: number;
  refresh: Promise<T> | undefined;
  /** Set by {@link FreshCache.delete}: a computation still running must not put it back. */
  dropped: boolean;
}

/**
 * A small in-process cache for reads that many requests ask at once: one computation per key at a
 * time (the others wait for it), values served for `freshMs`, then served stale for at most
 * `maxAgeMs` while a single refresh runs. A failed computation is not kept.
 *
 * @example
 * ```ts
 * const cache = new FreshCache<number>({ now: Date.now, freshMs: 5_000, maxAgeMs: 30_000, maxEntries: 100 });
 * await cache.get('week', () => countPlays());
 * ```
 */
export class FreshCache<T> {
  readonly #entries = new Map<string, Entry<T>>();

  constructor(private readonly options: FreshCacheOptions) {}

  /** The value of `key`: cached, stale while it refreshes, or computed by `compute` now. */
  get(key: string, compute: () => Promise<T>): Promise<T> {
    const { now, freshMs, maxAgeMs } = this.options;
    const entry = this.#entries.get(key);
    if (entry?.value !== undefined) {
      const age = now() - entry.at;
      if (age < freshMs) return Promise.resolve(entry.value);
      if (age < maxAgeMs) {
        this.#refresh(key, entry, compute).catch(() => undefined);
        return Promise.resolve(entry.value);
      }
    }
    return this.#refresh(key, entry ?? this.#add(key), compute);
  }

  /** Forgets `key` (after a write that changes its value); a computation running now is not kept. */
  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry !== undefined) entry.dropped = true;
    this.#entries.delete(key);
  }

  /** Forgets every key. */
  clear(): void {
    for (const entry of this.#entries.values()) entry.dropped = true;
    this.#entries.clear();
  }

  #add(key: string): Entry<T> {
    const entry: Entry<T> = { value: undefined, at: 0, refresh: undefined, dropped: false };
    this.#set(key, entry);
    return entry;
  }

  /** Puts `entry` last (most recently computed) and drops the first keys beyond `maxEntries`. */
  #set(key: string, entry: Entry<T>): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.options.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  #refresh(key: string, entry: Entry<T>, compute: () => Promise<T>): Promise<T> {
    if (entry.refresh !== undefined) return entry.refresh;
    const started = this.options.now();
    const run = compute().then(
      (value) => {
        entry.value = value;
        entry.at = started;
        entry.refresh = undefined;
        if (!entry.dropped) this.#set(key, entry);
        return value;
      },
      (error: unknown) => {
        entry.refresh = undefined;
        if (entry.value === undefined) this.#entries.delete(key);
        throw error;
      },
    );
    entry.refresh = run;
    return run;
  }
}

/**
 * One {@link FreshCache} per database, made at first use and shared by every repository on that
 * database: for short-lived answers (entries are fresh for `ttlMs` and never served older, at most
 * 10,000 of them). Writes through a repository drop their entries at once; only a write from
 * another process is seen up to `ttlMs` late.
 */
export function freshCachePerDatabase<T>(ttlMs: number): (db: object) => FreshCache<T> {
  const caches = new WeakMap<object, FreshCache<T>>();
  return (db) => {
    let cache = caches.get(db);
    if (cache === undefined) {
      cache = new FreshCache<T>({
        now: () => performance.now(),
        freshMs: ttlMs,
        maxAgeMs: ttlMs,
        maxEntries: 10_000,
      });
      caches.set(db, cache);
    }
    return cache;
  };
}
