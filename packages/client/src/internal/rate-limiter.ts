import Bottleneck from 'bottleneck';
import { SpotifyError } from '../errors/spotify-error.js';
import { sleep } from './sleep.js';

/** The two ioredis commands the shared cooldown needs. */
interface RedisCommands {
  pttl(key: string): Promise<number>;
  set(key: string, value: string, mode: 'PX', ms: number): Promise<unknown>;
}

/** Settings of {@link RateLimiter}. */
export interface RateLimiterSettings {
  windowMs: number;
  allowance: number;
  maxConcurrent: number;
  /** Extra time added to the window so arrival jitter cannot push `allowance + 1` calls into it. */
  safetyMarginMs?: number | undefined;
  redis?: { id: string; clientOptions: Record<string, unknown> } | undefined;
}

/**
 * Paces requests to the rolling window and holds one shared cooldown.
 *
 * - Starts are spaced `(windowMs + margin) / allowance` apart, so any window of `windowMs` holds at
 *   most `allowance` calls even when arrival times jitter by less than the margin (a fixed-interval
 *   reservoir would allow twice the allowance across a window boundary). Bottleneck enforces the
 *   spacing and `maxConcurrent` (across processes with Redis); a local pacer re-spaces requests
 *   that were held by a cooldown, so they do not all fire at the moment it ends.
 * - After a 429 every queued or retrying request waits until Retry-After has passed; with Redis,
 *   so does every other process sharing the limiter id.
 */
export class RateLimiter {
  readonly #settings: RateLimiterSettings;
  #limiter: Bottleneck | undefined;
  #ready: Promise<Bottleneck> | undefined;
  #cooldownUntil = 0;
  #nextSlot = 0;

  constructor(settings: RateLimiterSettings) {
    this.#settings = settings;
  }

  /** Minimum spacing between two request starts, in (fractional) milliseconds. */
  get minTime(): number {
    const { windowMs, allowance, safetyMarginMs } = this.#settings;
    // Across processes (Redis) start times jitter more: Redis round trips and separate timers.
    const margin =
      safetyMarginMs ??
      (this.#settings.redis ? Math.max(50, windowMs * 0.05) : Math.max(10, windowMs * 0.02));
    return (windowMs + margin) / allowance;
  }

  /** Epoch ms (system time) until which requests are paused. */
  get cooldownUntil(): number {
    return this.#cooldownUntil;
  }

  /**
   * Pauses all requests for `ms` (extends, never shortens, a running cooldown). With Redis the
   * cooldown is shared: every process of the app waits it out.
   */
  cooldown(ms: number): void {
    this.#cooldownUntil = Math.max(this.#cooldownUntil, Date.now() + ms);
    const redis = this.#redis();
    if (!redis || ms <= 0) return;
    const key = this.#cooldownKey();
    redis
      .pttl(key)
      .then((ttl) => (ttl < ms ? redis.set(key, '1', 'PX', Math.ceil(ms)) : undefined))
      .catch(() => undefined);
  }

  /** Adopts a cooldown another process announced through Redis. */
  async #syncCooldown(): Promise<void> {
    const redis = this.#redis();
    if (!redis) return;
    try {
      const ttl = await redis.pttl(this.#cooldownKey());
      if (ttl > 0) this.#cooldownUntil = Math.max(this.#cooldownUntil, Date.now() + ttl);
    } catch {
      // Redis trouble must not stop requests; the local cooldown still applies.
    }
  }

  #redis(): RedisCommands | undefined {
    if (!this.#settings.redis || !this.#limiter) return undefined;
    return this.#limiter.clients().client as RedisCommands | undefined;
  }

  /** Under bottleneck's own key prefix, so cleaning `b_<id>*` removes it too. */
  #cooldownKey(): string {
    return `b_${this.#settings.redis?.id ?? ''}_spoti_cooldown`;
  }

  /** Waits until the cooldown (if any) has passed. */
  async waitCooldown(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const remaining = this.#cooldownUntil - Date.now();
      if (remaining <= 0) return;
      await sleep(remaining, signal);
    }
  }

  /** Runs `task` under the limiter once the cooldown has passed. */
  async schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.waitCooldown(signal);
    const limiter = await this.#getLimiter();
    const run = limiter.schedule(async () => {
      if (signal?.aborted) throw abortedError();
      await this.#syncCooldown();
      await this.waitCooldown(signal);
      await this.#pace(signal);
      return task();
    });
    if (!signal) return run;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(abortedError());
      signal.addEventListener('abort', onAbort, { once: true });
      run.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /** Takes the next local start slot and waits for it (a no-op while bottleneck's spacing holds). */
  async #pace(signal: AbortSignal | undefined): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.#nextSlot);
    this.#nextSlot = slot + this.minTime;
    if (slot > now) await sleep(slot - now, signal);
  }

  /** Stops the limiter and closes Redis connections. */
  async disconnect(): Promise<void> {
    const limiter = this.#limiter;
    this.#limiter = undefined;
    this.#ready = undefined;
    if (limiter) await limiter.disconnect(true);
  }

  #getLimiter(): Promise<Bottleneck> {
    this.#ready ??= this.#create();
    return this.#ready;
  }

  async #create(): Promise<Bottleneck> {
    const base = { maxConcurrent: this.#settings.maxConcurrent, minTime: this.minTime };
    const redis = this.#settings.redis;
    let limiter: Bottleneck;
    if (redis) {
      const ioredis = (await import('ioredis')) as unknown as { default: unknown };
      limiter = new Bottleneck({
        ...base,
        id: redis.id,
        datastore: 'ioredis',
        clearDatastore: false,
        clientOptions: redis.clientOptions,
        Redis: ioredis.default,
      } as Bottleneck.ConstructorOptions);
      await limiter.ready();
    } else {
      limiter = new Bottleneck(base);
    }
    limiter.on('error', () => {
      // Datastore errors surface through the scheduled jobs; keep the emitter from throwing.
    });
    this.#limiter = limiter;
    return limiter;
  }
}

function abortedError(): SpotifyError {
  return new SpotifyError({ code: 'aborted', message: 'The request was aborted' });
}
