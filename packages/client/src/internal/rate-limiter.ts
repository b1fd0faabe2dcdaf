import Bottleneck from 'bottleneck';
import { SpotifyError } from '../errors/spotify-error.js';
import { abortable } from './abortable.js';
import { type AllowanceChange, AllowanceLearner } from './allowance-learner.js';
import { sleep } from './sleep.js';

/** The ioredis commands the shared cooldown and fail-fast blocks need. */
interface RedisCommands {
  get(key: string): Promise<string | null>;
  pttl(key: string): Promise<number>;
  set(key: string, value: string, mode: 'PX', ms: number): Promise<unknown>;
}

/** A fail-fast block (after a quota 429 or an over-ceiling Retry-After) as shared through Redis. */
export interface SharedBlock {
  /** Milliseconds until it ends. */
  remainingMs: number;
  scope: 'window' | 'quota';
}

/** Settings of {@link RateLimiter}. */
export interface RateLimiterSettings {
  windowMs: number;
  /** Calls per window; undefined: learned from 429s, starting at `initialAllowance`. */
  allowance?: number | undefined;
  /** The first guess when learning. Default 180. */
  initialAllowance?: number | undefined;
  maxConcurrent: number;
  /** Extra time added to the window so arrival jitter cannot push `allowance + 1` calls into it. */
  safetyMarginMs?: number | undefined;
  redis?: { id: string; clientOptions: Record<string, unknown> } | undefined;
}

/**
 * Paces requests to the rolling window and holds one shared cooldown.
 *
 * - Starts are spaced `(windowMs + margin) / allowance` apart on average, and a log of recent
 *   starts guarantees that any window of `windowMs + margin` holds at most `allowance` calls, so
 *   arrival jitter below the margin cannot push a call over (a fixed-interval reservoir would
 *   allow twice the allowance across a window boundary). Bottleneck caps `maxConcurrent` (and,
 *   with Redis, spaces the starts of every process); the local pacer catches up on timers that
 *   fired late and re-spaces requests held by a cooldown, so they do not all fire when it ends.
 * - After a 429 every queued or retrying request waits until Retry-After has passed; with Redis,
 *   so does every other process sharing the limiter id.
 */
export class RateLimiter {
  readonly #settings: RateLimiterSettings;
  #limiter: Bottleneck | undefined;
  #ready: Promise<Bottleneck> | undefined;
  #cooldownUntil = 0;
  /** Epoch ms (system time) until which the token endpoint is not called. */
  #accountsUntil = 0;
  /** Start credits (token bucket): refilled at `allowance / (windowMs + margin)` per ms. */
  #credits = 1;
  #refilledAt = 0;
  /** Start times of the last `allowance` requests (oldest first): the rolling-window log. */
  readonly #starts: number[] = [];
  /** Learns the allowance from 429s when none is configured. */
  readonly #learner: AllowanceLearner | undefined;

  constructor(settings: RateLimiterSettings) {
    this.#settings = settings;
    this.#learner =
      settings.allowance === undefined
        ? new AllowanceLearner({
            windowMs: settings.windowMs,
            initial: settings.initialAllowance ?? 180,
          })
        : undefined;
  }

  /** Calls per window the pacer allows now: the configured one, or the learned one. */
  get allowance(): number {
    return this.#learner?.allowance ?? this.#settings.allowance ?? 180;
  }

  /** True when the allowance is learned from 429s. */
  get learning(): boolean {
    return this.#learner !== undefined;
  }

  /**
   * Tells the learner how a call that started at `startedAt` (epoch ms) fared: refused by a
   * window 429, or accepted. Returns the change of the allowance it caused, if any.
   */
  recordOutcome(startedAt: number, refused: boolean): AllowanceChange | undefined {
    const learner = this.#learner;
    if (!learner) return undefined;
    const now = Date.now();
    const change = refused ? learner.refused(startedAt, now) : learner.accepted(startedAt, now);
    if (change) this.#applyAllowance();
    return change;
  }

  #applyAllowance(): void {
    const allowance = this.allowance;
    while (this.#starts.length > allowance) this.#starts.shift();
    if (this.#settings.redis && this.#limiter) {
      try {
        this.#limiter.updateSettings({ minTime: this.minTime });
      } catch {
        // Redis trouble: the local pacer still applies the new allowance.
      }
    }
  }

  /** Minimum spacing between two request starts, in (fractional) milliseconds. */
  get minTime(): number {
    const { windowMs, safetyMarginMs } = this.#settings;
    const allowance = this.allowance;
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
    this.#pauseUntil(Date.now() + ms);
    const redis = this.#redis();
    if (!redis || ms <= 0) return;
    const key = this.#cooldownKey();
    redis
      .pttl(key)
      .then((ttl) => (ttl < ms ? redis.set(key, '1', 'PX', Math.ceil(ms)) : undefined))
      .catch(() => undefined);
  }

  #pauseUntil(until: number): void {
    if (until <= this.#cooldownUntil) return;
    this.#cooldownUntil = until;
    // Credits earned while paused would be spent in one burst at its end: start afresh instead.
    this.#credits = 0;
    this.#refilledAt = until;
  }

  /**
   * Starts (or extends) the token endpoint's cooldown after its 429; with Redis every process of
   * the app sees it. The Web API's pacing is not touched: the accounts service limits apart.
   */
  async accountsCooldown(ms: number): Promise<void> {
    this.#accountsUntil = Math.max(this.#accountsUntil, Date.now() + ms);
    if (!this.#settings.redis || ms <= 0) return;
    try {
      await this.#getLimiter();
      const redis = this.#redis();
      if (!redis) return;
      const key = this.#accountsKey();
      const ttl = await redis.pttl(key);
      if (ttl < ms) await redis.set(key, '1', 'PX', Math.ceil(ms));
    } catch {
      // Redis trouble: the local cooldown still applies.
    }
  }

  /** Waits until the token endpoint's cooldown (this process's, or with Redis the app's) has passed. */
  async waitAccountsCooldown(signal?: AbortSignal): Promise<void> {
    if (this.#settings.redis) {
      try {
        await this.#getLimiter();
        const ttl = (await this.#redis()?.pttl(this.#accountsKey())) ?? 0;
        if (ttl > 0) this.#accountsUntil = Math.max(this.#accountsUntil, Date.now() + ttl);
      } catch {
        // Redis trouble: the local cooldown still applies.
      }
    }
    for (;;) {
      const remaining = this.#accountsUntil - Date.now();
      if (remaining <= 0) return;
      await sleep(remaining, signal);
    }
  }

  #accountsKey(): string {
    return `b_${this.#settings.redis?.id ?? ''}_spoti_accounts_cooldown`;
  }

  /** Adopts a cooldown another process announced through Redis. */
  async #syncCooldown(): Promise<void> {
    const redis = this.#redis();
    if (!redis) return;
    try {
      const ttl = await redis.pttl(this.#cooldownKey());
      if (ttl > 0) this.#pauseUntil(Date.now() + ttl);
    } catch {
      // Redis trouble must not stop requests; the local cooldown still applies.
    }
  }

  #redis(): RedisCommands | undefined {
    if (!this.#settings.redis || !this.#limiter) return undefined;
    return this.#limiter.clients().client as RedisCommands | undefined;
  }

  /** True when blocks and cooldowns are shared through Redis. */
  get shared(): boolean {
    return this.#settings.redis !== undefined;
  }

  /**
   * Announces a fail-fast block to every process of the app (no-op without Redis). The key
   * expires with the block, so nothing needs cleaning up.
   */
  async shareBlock(name: string, ms: number, scope: 'window' | 'quota'): Promise<void> {
    if (!this.#settings.redis || ms <= 0) return;
    try {
      await this.#getLimiter();
      const redis = this.#redis();
      if (!redis) return;
      const key = this.#blockKey(name);
      const ttl = await redis.pttl(key);
      if (ttl < ms) await redis.set(key, scope, 'PX', Math.ceil(ms));
    } catch {
      // Redis trouble must not turn a rate-limit error into another error.
    }
  }

  /** The longest running shared block among `names`, if any (always undefined without Redis). */
  async sharedBlock(names: readonly string[]): Promise<SharedBlock | undefined> {
    if (!this.#settings.redis) return undefined;
    try {
      await this.#getLimiter();
      const redis = this.#redis();
      if (!redis) return undefined;
      const answers = await Promise.all(
        names.flatMap((name) => {
          const key = this.#blockKey(name);
          return [redis.get(key), redis.pttl(key)] as const;
        }),
      );
      let found: SharedBlock | undefined;
      for (let i = 0; i < names.length; i++) {
        const scope = answers[i * 2];
        const ttl = answers[i * 2 + 1];
        if ((scope !== 'quota' && scope !== 'window') || typeof ttl !== 'number' || ttl <= 0) {
          continue;
        }
        if (!found || ttl > found.remainingMs) found = { remainingMs: ttl, scope };
      }
      return found;
    } catch {
      // Without Redis the local blocks still apply.
      return undefined;
    }
  }

  #blockKey(name: string): string {
    return `b_${this.#settings.redis?.id ?? ''}_spoti_block_${name}`;
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
    return abortable(run, signal);
  }

  /**
   * Waits for a start slot. Two rules, both checked at the moment of starting:
   * - a token bucket refilled at `allowance / (windowMs + margin)` per ms and holding at most
   *   `maxConcurrent` credits: starts are evenly spaced, yet a timer that fires late (a busy
   *   machine) does not lose the time it overslept, it is caught up in a short burst;
   * - a log of the last `allowance` starts: a start waits until the oldest of them is more than
   *   `windowMs + margin` ago, so no rolling window ever holds more than `allowance` calls.
   */
  async #pace(signal: AbortSignal | undefined): Promise<void> {
    const { maxConcurrent } = this.#settings;
    for (;;) {
      // The allowance may change while this call waits (learning).
      const allowance = this.allowance;
      const span = this.minTime * allowance; // windowMs + margin
      const rate = 1 / this.minTime;
      const capacity = Math.max(1, Math.min(allowance, maxConcurrent));
      const now = Date.now();
      this.#credits = Math.min(
        capacity,
        this.#credits + Math.max(0, now - this.#refilledAt) * rate,
      );
      this.#refilledAt = Math.max(this.#refilledAt, now);
      const oldest = this.#starts.length >= allowance ? this.#starts[0] : undefined;
      const windowWait = oldest === undefined ? 0 : oldest + span - now;
      const creditWait = this.#credits >= 1 ? 0 : (1 - this.#credits) / rate;
      const wait = Math.max(windowWait, creditWait);
      if (wait <= 0) {
        this.#credits -= 1;
        this.#starts.push(now);
        while (this.#starts.length > allowance) this.#starts.shift();
        return;
      }
      const change = this.#learner?.busy(now);
      if (change) this.#applyAllowance();
      await sleep(Math.ceil(wait), signal);
    }
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
    // Alone, bottleneck caps concurrency and the local pacer spaces starts (it catches up on late
    // timers, which bottleneck's minTime cannot); with Redis, bottleneck's shared minTime spaces
    // the starts of every process.
    const base = {
      maxConcurrent: this.#settings.maxConcurrent,
      minTime: this.#settings.redis ? this.minTime : 0,
    };
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
  return new SpotifyError({ code: 'ABORTED', message: 'The request was aborted' });
}
