import { type Cache, createMemoryCache } from '../cache.js';
import { type Clock, systemClock } from '../clock.js';
import { isSpotifyError } from '../errors/spotify-error.js';
import {
  clientOptionsSchema,
  type ResolvedClientOptions,
  type SpotifyClientOptions,
} from '../options.js';
import { clampLimit } from '../endpoints/params.js';
import { args } from './args.js';
import { parseOptions } from './parse-options.js';
import { RateLimiter } from './rate-limiter.js';
import { Reporter } from './reporter.js';
import { type ApiRequest, RequestExecutor } from './request-executor.js';
import { KnownSecrets } from './secrets.js';
import { createTransport } from './send.js';
import { TokenManager } from './token-manager.js';
import { UsageMeters } from './usage.js';

/** Features a mode may lack. In `auto` mode a 403 turns one off for the life of the client. */
export type Capability =
  | 'batch-artists'
  | 'batch-tracks'
  | 'batch-albums'
  | 'audio-features'
  | 'library-per-type';

/** What the app is known to have access to. */
export type AccessLevel = 'unknown' | 'development' | 'extended';

/**
 * What every endpoint group works through: the validated options, the request pipeline (limiter,
 * tokens, executor) and what the client has learned about the app's access (mode, capabilities
 * turned off by a 403, page limits).
 */
export class ClientCore {
  /** The validated options: private to the package, since they hold the client secret. */
  readonly options: ResolvedClientOptions;
  readonly executor: RequestExecutor;
  readonly usage = new UsageMeters();
  readonly tokens: TokenManager;
  readonly limiter: RateLimiter;
  readonly #disabled = new Set<Capability>();
  #learned: AccessLevel = 'unknown';
  /** Auto mode saw the extended page limit refused: development page limits from then on. */
  #smallPagesOnly = false;

  constructor(input: SpotifyClientOptions) {
    this.options = parseOptions(clientOptionsSchema, input);
    const options = this.options;
    const clock: Clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    const secrets = new KnownSecrets();
    // The Redis password, should a connection error quote it (the client secret: TokenManager).
    const redisPassword = options.rateLimit.redis?.clientOptions.password;
    if (typeof redisPassword === 'string') secrets.addPermanent(redisPassword);
    const reporter = new Reporter({
      hooks: options.hooks,
      logger: options.logger,
      onRateLimit: options.onRateLimit,
      secrets,
    });
    this.limiter = new RateLimiter(options.rateLimit);
    const transport = createTransport({ timeoutMs: options.timeoutMs, fetch: options.fetch });
    this.tokens = new TokenManager(options, {
      transport,
      clock,
      random,
      secrets,
      reporter,
      limiter: this.limiter,
    });
    const cache: Cache | undefined =
      options.cache === false ? undefined : (options.cache ?? createMemoryCache());
    this.executor = new RequestExecutor({
      options,
      limiter: this.limiter,
      tokens: this.tokens,
      transport,
      cache,
      clock,
      random,
      reporter,
      secrets,
      usage: this.usage,
    });
  }

  /** Runs a request (checked like `SpotifyClient.request`'s input) through the whole pipeline. */
  request<T>(req: ApiRequest<T>): Promise<T> {
    return this.executor.execute(args.request(req));
  }

  /** See `SpotifyClient.accessLevel`. */
  get accessLevel(): AccessLevel {
    return this.options.mode === 'auto' ? this.#learned : this.options.mode;
  }

  /** Whether a capability is usable now (`auto` turns one off after a 403). */
  hasCapability(capability: Capability): boolean {
    if (this.options.mode === 'development') return false;
    return !this.#disabled.has(capability);
  }

  /**
   * Tries an endpoint only some apps have. When the capability is usable, runs `attempt`; an
   * answer proves the app is extended. A 403 for the mode (`ENDPOINT_UNAVAILABLE`) in `auto` mode
   * turns the capability off for the client's life (and, when `refusalProvesMode`, tells the
   * client the app is in Development Mode) and returns `{ done: false }`: the caller falls back
   * (one by one, or "not available"). In the fixed modes that 403 is the caller's error, unless
   * `fallBackInEveryMode`.
   */
  async withCapability<T>(
    capability: Capability,
    hasItems: boolean,
    attempt: () => Promise<T>,
    options: { refusalProvesMode: boolean; fallBackInEveryMode: boolean } = {
      refusalProvesMode: true,
      fallBackInEveryMode: false,
    },
  ): Promise<{ done: true; value: T } | { done: false }> {
    if (!this.hasCapability(capability)) return { done: false };
    try {
      const value = await attempt();
      if (hasItems) this.#learn('extended');
      return { done: true, value };
    } catch (error) {
      const auto = this.options.mode === 'auto';
      const unavailable = isSpotifyError(error) && error.code === 'ENDPOINT_UNAVAILABLE';
      if (!unavailable || !(auto || options.fallBackInEveryMode)) throw error;
      if (auto) {
        this.#disabled.add(capability);
        if (options.refusalProvesMode) this.#learn('development');
      }
      return { done: false };
    }
  }

  /**
   * Runs a request whose page limit depends on the learned access level. If auto mode sent the
   * extended limit and Spotify answers 400, it is asked once more with the development limit:
   * when that works, the limit was the fault and development page limits are used from then on;
   * when it fails too, the request itself was bad and the first error is the caller's, changing
   * nothing. Spotify's error bodies carry no reason code for this, so the decision rests on what
   * the second answer proves, never on message text.
   */
  async withPageLimit<T>(
    requested: number | undefined,
    run: (limit: number | undefined) => Promise<T>,
  ): Promise<T> {
    const limit = clampLimit(requested, this.#smallPageMax());
    try {
      return await run(limit);
    } catch (error) {
      const mayBeTheLimit =
        this.options.mode === 'auto' &&
        limit !== undefined &&
        limit > 10 &&
        isSpotifyError(error) &&
        error.status === 400;
      if (!mayBeTheLimit) throw error;
      let result: T;
      try {
        result = await run(clampLimit(requested, 10));
      } catch {
        throw error;
      }
      this.#smallPagesOnly = true;
      return result;
    }
  }

  /** Page limit of `search` and artist albums: the extended maximum only once it is known to apply. */
  #smallPageMax(): number {
    return this.accessLevel === 'extended' && !this.#smallPagesOnly ? 50 : 10;
  }

  #learn(level: 'development' | 'extended'): void {
    if (this.options.mode !== 'auto') return;
    // An extended app may still lack one feature; a success is the stronger evidence.
    if (level === 'extended' || this.#learned === 'unknown') this.#learned = level;
  }
}
