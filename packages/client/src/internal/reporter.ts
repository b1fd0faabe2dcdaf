import type { RateLimitInfo, SpotifyClientHooks } from '../hooks.js';
import type { SpotifyLogger } from '../logger.js';
import type { KnownSecrets } from './secrets.js';

type Listeners = {
  [K in keyof SpotifyClientHooks]-?: Set<NonNullable<SpotifyClientHooks[K]>>;
};

/** Log levels of {@link SpotifyLogger}. */
export type LogLevel = keyof SpotifyLogger;

/**
 * Tells the outside what the client does: hook listeners, the optional logger and the
 * `onRateLimit` decision. Everything it hands out is redacted with the client's known secrets;
 * a listener, logger or callback that throws never breaks a request.
 */
export class Reporter {
  readonly #listeners: Listeners = {
    request: new Set(),
    response: new Set(),
    retry: new Set(),
    rateLimit: new Set(),
    validation: new Set(),
  };
  readonly #logger: SpotifyLogger | undefined;
  readonly #onRateLimit: ((info: RateLimitInfo) => boolean | Promise<boolean>) | undefined;
  readonly #secrets: KnownSecrets;

  constructor(deps: {
    hooks: SpotifyClientHooks | undefined;
    logger: SpotifyLogger | undefined;
    onRateLimit: ((info: RateLimitInfo) => boolean | Promise<boolean>) | undefined;
    secrets: KnownSecrets;
  }) {
    this.#logger = deps.logger;
    this.#onRateLimit = deps.onRateLimit;
    this.#secrets = deps.secrets;
    const hooks = deps.hooks ?? {};
    for (const name of Object.keys(this.#listeners) as (keyof SpotifyClientHooks)[]) {
      const listener = hooks[name];
      if (listener) this.on(name, listener);
    }
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof SpotifyClientHooks>(
    name: K,
    listener: NonNullable<SpotifyClientHooks[K]>,
  ): () => void {
    const set = this.#listeners[name] as Set<NonNullable<SpotifyClientHooks[K]>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Calls the listeners of `name` with a redacted copy of `event`. */
  emit<K extends keyof SpotifyClientHooks>(
    name: K,
    event: Parameters<NonNullable<SpotifyClientHooks[K]>>[0],
  ): void {
    const listeners = this.#listeners[name];
    if (listeners.size === 0) return;
    const safe = this.#redactEvent(event);
    for (const listener of listeners) {
      try {
        (listener as (e: typeof event) => void)(safe);
      } catch {
        // A failing listener must not break the request.
      }
    }
  }

  /** Writes one log line (nothing without a logger). */
  log(level: LogLevel, data: Record<string, unknown>, message: string): void {
    const logger = this.#logger;
    if (!logger) return;
    try {
      logger[level](this.#redactEvent(data), this.#secrets.redact(message));
    } catch {
      // A failing logger must not break the request.
    }
  }

  /**
   * Asks `onRateLimit` whether to wait out a 429 (true without a callback). A callback that
   * throws or rejects counts as "do not wait".
   */
  async shouldWait(info: RateLimitInfo): Promise<boolean> {
    if (!this.#onRateLimit) return true;
    try {
      return (await this.#onRateLimit(this.#redactEvent(info))) === true;
    } catch (error) {
      this.log(
        'warn',
        { endpoint: info.endpoint, error: error instanceof Error ? error.message : String(error) },
        'onRateLimit threw: failing the call instead of waiting',
      );
      return false;
    }
  }

  /** A shallow copy with every string field redacted. */
  #redactEvent<T>(event: T): T {
    if (typeof event !== 'object' || event === null) return event;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(event)) {
      copy[key] = typeof value === 'string' ? this.#secrets.redact(value) : value;
    }
    return copy as T;
  }
}
