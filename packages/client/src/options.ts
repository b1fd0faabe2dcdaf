import { z } from 'zod';
import type { Cache } from './cache.js';
import type { Clock } from './clock.js';
import type { RateLimitInfo, SpotifyClientHooks } from './hooks.js';
import type { SpotifyLogger } from './logger.js';
import type { SpotifyTokens, TokenStore } from './token-store.js';

const fn = <T>(label: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `${label} must be a function` });
const obj = <T>(label: string, ...methods: string[]) =>
  z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    { message: `${label} must implement ${methods.join(', ')}` },
  );

/** Which API surface the app has: see the README's "Modes" section. */
export const modeSchema = z.enum(['development', 'extended', 'auto']);
/** Which API surface the app has. */
export type SpotifyMode = z.infer<typeof modeSchema>;

/** How response bodies are checked against the schemas. */
export const validationSchema = z.enum(['strict', 'tolerant', 'off']);

/** Schema of {@link SpotifyClientOptions} (defaults live here, in one place). */
export const clientOptionsSchema = z.object({
  /** Web API base URL. */
  apiBaseUrl: z.url().default('https://api.spotify.com/v1'),
  /** Accounts service base URL (`/authorize`, `/api/token`). */
  accountsBaseUrl: z.url().default('https://accounts.spotify.com'),
  /** The app's client id. */
  clientId: z.string().min(1),
  /** The app's client secret (confidential clients; omit for PKCE public clients). */
  clientSecret: z.string().min(1).optional(),
  /** Redirect URI registered for the app. */
  redirectUri: z.url().optional(),
  /** Where user tokens live. Without one (and with a secret) the client uses client credentials. */
  tokenStore: obj<TokenStore>('tokenStore', 'get', 'set', 'clear').optional(),
  /** Called with new tokens after every exchange or refresh. */
  onTokens: fn<(tokens: SpotifyTokens) => void | Promise<void>>('onTokens').optional(),
  /** Refresh this long before the access token expires (clock skew). */
  refreshSkewMs: z.number().int().min(0).default(60_000),
  /** `development`, `extended`, or `auto` (try, and remember a 403). */
  mode: modeSchema.default('development'),
  rateLimit: z
    .object({
      /** Rolling window length (Spotify: 30 s). */
      windowMs: z.number().int().positive().default(30_000),
      /**
       * Calls allowed per window; requests are spaced `(windowMs + safetyMarginMs) / allowance`
       * apart. Spotify does not publish it: leave it out and the client learns it from the 429s,
       * starting from `initialAllowance` (see the README's "Learning the allowance").
       */
      allowance: z.number().int().positive().optional(),
      /** Where learning starts when `allowance` is not given: a guess of calls per window. */
      initialAllowance: z.number().int().positive().default(180),
      /**
       * Added to the window when spacing requests, so network jitter cannot squeeze
       * `allowance + 1` calls into one window. Default: 2% of `windowMs` (at least 10 ms); with
       * `redis`, 5% (at least 50 ms).
       */
      safetyMarginMs: z.number().min(0).optional(),
      /** Requests in flight at once. */
      maxConcurrent: z.number().int().positive().default(8),
      /** A Retry-After above this fails fast with a rate-limited error instead of waiting. */
      maxRetryAfterMs: z.number().int().min(0).default(60_000),
      /** Share the limit between processes through Redis (bottleneck clustering). */
      redis: z
        .object({
          /** Limiter id; every process of one app must use the same. */
          id: z.string().min(1),
          /** ioredis options, e.g. `{ host: '127.0.0.1', port: 6379 }`. */
          clientOptions: z.record(z.string(), z.unknown()).default({}),
        })
        .optional(),
    })
    .prefault({}),
  retry: z
    .object({
      /** Attempts after the first. */
      retries: z.number().int().min(0).default(5),
      /** First backoff ceiling in ms. */
      minTimeout: z.number().min(0).default(500),
      /** Largest backoff ceiling in ms. */
      maxTimeout: z.number().min(0).default(30_000),
      /** Growth of the ceiling per attempt. Each wait is uniform in [0, ceiling) (full jitter). */
      factor: z.number().min(1).default(2),
    })
    .prefault({}),
  /** Per-attempt timeout. */
  timeoutMs: z.number().int().positive().default(10_000),
  /** A fetch implementation (default: global fetch). */
  fetch: fn<typeof fetch>('fetch').optional(),
  /**
   * Who the cached responses belong to, e.g. your user id. Entries are keyed by this identity plus
   * the URL, so a cache shared by several clients never answers one user's request with another's
   * data; clients given the same scope share entries. Default: derived from the credentials (an
   * opaque hash of the user's grant, followed through refresh-token rotation, or of the client id
   * for client credentials); a token never appears in a key.
   */
  cacheScope: z.string().min(1).optional(),
  /** Response cache for GETs; `false` disables caching (not coalescing). */
  cache: z.union([obj<Cache>('cache', 'get', 'set', 'delete'), z.literal(false)]).optional(),
  /** How bodies are checked. */
  validation: validationSchema.default('strict'),
  /** Most HTTP calls one development-mode fallback (e.g. many single gets) may make. */
  callBudget: z.number().int().positive().default(100),
  /**
   * Decides whether to wait out a 429 that the client could wait out (Octokit's `onRateLimit`):
   * return `true` to wait `Retry-After` and retry, `false` to fail now with a `RATE_LIMITED`
   * error carrying `resumeAt`. Called for the Web API and the token endpoint; quota 429s and
   * waits above `maxRetryAfterMs` fail without asking. Default: always wait.
   */
  onRateLimit: fn<(info: RateLimitInfo) => boolean | Promise<boolean>>('onRateLimit').optional(),
  /** A pino-compatible logger (`debug`, `info`, `warn`, `error`); silent by default. */
  logger: obj<SpotifyLogger>('logger', 'debug', 'info', 'warn', 'error').optional(),
  /** Event listeners. */
  hooks: z.custom<SpotifyClientHooks>((v) => typeof v === 'object' && v !== null).optional(),
  /** Time source for token expiry and `resumeAt`. */
  clock: obj<Clock>('clock', 'now').optional(),
  /** Randomness for jitter, in [0, 1). Inject a seeded one for reproducible delays. */
  random: fn<() => number>('random').optional(),
});

/** Options of {@link createSpotifyClient}. */
export type SpotifyClientOptions = z.input<typeof clientOptionsSchema>;
/** Options after validation and defaults. */
export type ResolvedClientOptions = z.output<typeof clientOptionsSchema>;
