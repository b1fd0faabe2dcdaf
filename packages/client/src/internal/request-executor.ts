import pRetry from 'p-retry';
import type { z } from 'zod';
import type { Cache, CacheEntry } from '../cache.js';
import type { Clock } from '../clock.js';
import { SpotifyRateLimitError } from '../errors/rate-limit-error.js';
import { SpotifyResponseValidationError } from '../errors/response-validation-error.js';
import { SpotifyError, type SpotifyErrorRequest } from '../errors/spotify-error.js';
import type { SpotifyClientHooks } from '../hooks.js';
import type { ResolvedClientOptions } from '../options.js';
import { abortable } from './abortable.js';
import { codeOfStatus, errorBody, missingScopesOf, toSpotifyError } from './api-error.js';
import { backoffDelay } from './backoff.js';
import type { RateLimiter } from './rate-limiter.js';
import { redactText, sanitizeCause } from './redact.js';
import type { Reporter } from './reporter.js';
import { cacheKey, ResponseCache } from './response-cache.js';
import { isRetryable, retryOptions } from './retry-policy.js';
import { parseRetryAfter } from './retry-after.js';
import type { KnownSecrets } from './secrets.js';
import type { RawResponse, Transport } from './send.js';
import { sleep } from './sleep.js';
import type { TokenManager } from './token-manager.js';
import { type UsageMeters, countCall, countRateLimit, countRetry } from './usage.js';

/** One API call as the endpoints describe it. */
export interface ApiRequest<T> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Template for counters and hooks, e.g. `GET /artists/{id}`. */
  endpoint: string;
  /** Path below the API base URL, e.g. `/artists/abc`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined> | undefined;
  json?: unknown;
  schema?: z.ZodType<T> | undefined;
  /** Safe to resend after an unknown outcome (default: true for GET, PUT, DELETE). */
  idempotent?: boolean | undefined;
  /** A 403 here means the mode lacks the endpoint (`ENDPOINT_UNAVAILABLE`). */
  modeGated?: boolean | undefined;
  /**
   * `no-cache`: never answered from a fresh cache entry nor joined to a read already in flight;
   * Spotify is asked (with `If-None-Match`, so a 304 still saves the body). For reads that guard
   * a write.
   */
  cache?: 'default' | 'no-cache' | undefined;
  /**
   * Scopes that allow this call (any one of them). On a 403 the error names those the token
   * was not granted (`missingScopes`).
   */
  scopes?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
}

/** A request with the usage meters of the operation that started it. */
type MeteredRequest<T> = ApiRequest<T> & { readonly meters: ReturnType<UsageMeters['current']> };

/** One call on its way: the request, its URL, and what the cache knew when it started. */
interface Call<T> {
  req: MeteredRequest<T>;
  url: string;
  /** What errors and events name as the request (a redacted path). */
  request: SpotifyErrorRequest;
  cached: CacheEntry | undefined;
  cacheable: boolean;
  /** The cache generation when the call started: a write since then means "do not store". */
  generation: number;
}

/** Refresh-and-resend rounds one send gets for 401 answers. */
const MAX_REFRESH_ROUNDS = 2;

/** Runs API requests: auth, limiter, cooldown, retries, cache, coalescing, validation, hooks. */
export class RequestExecutor {
  readonly #options: ResolvedClientOptions;
  readonly #limiter: RateLimiter;
  readonly #tokens: TokenManager;
  readonly #transport: Transport;
  readonly #cache: ResponseCache;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #reporter: Reporter;
  readonly #secrets: KnownSecrets;
  readonly #usage: UsageMeters;
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #counts = new Map<string, number>();
  /** Fail-fast blocks after a quota 429 (per endpoint) or an over-ceiling Retry-After (`*`). */
  readonly #blocked = new Map<string, { until: number; scope: 'window' | 'quota' }>();

  constructor(deps: {
    options: ResolvedClientOptions;
    limiter: RateLimiter;
    tokens: TokenManager;
    transport: Transport;
    cache: Cache | undefined;
    clock: Clock;
    random: () => number;
    reporter: Reporter;
    secrets: KnownSecrets;
    usage: UsageMeters;
  }) {
    this.#usage = deps.usage;
    this.#options = deps.options;
    this.#limiter = deps.limiter;
    this.#tokens = deps.tokens;
    this.#transport = deps.transport;
    this.#cache = new ResponseCache(deps.cache, deps.clock, this.#base());
    this.#clock = deps.clock;
    this.#random = deps.random;
    this.#reporter = deps.reporter;
    this.#secrets = deps.secrets;
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof SpotifyClientHooks>(
    name: K,
    listener: NonNullable<SpotifyClientHooks[K]>,
  ): () => void {
    return this.#reporter.on(name, listener);
  }

  /** HTTP calls made per endpoint template. */
  callCounts(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** Total HTTP calls made. */
  totalCalls(): number {
    let total = 0;
    for (const n of this.#counts.values()) total += n;
    return total;
  }

  /** Clears the call counters. */
  resetCallCounts(): void {
    this.#counts.clear();
  }

  /**
   * Runs one API call to completion: a parsed body or a SpotifyError, with every secret the
   * client knows removed from it.
   */
  async execute<T>(req: ApiRequest<T>): Promise<T> {
    try {
      // Captured here, in the caller's async context: the limiter's queue runs jobs in others.
      return await this.#execute({ ...req, meters: this.#usage.current() });
    } catch (error) {
      throw this.#secrets.scrub(error);
    }
  }

  async #execute<T>(req: MeteredRequest<T>): Promise<T> {
    const url = this.#url(req);
    // Everything keyed by URL is also keyed by who asks: one user never gets another's answer.
    // A token store that fails here fails again when the request needs a token: no caching then.
    const scope = await this.#tokens.currentScope().catch(() => undefined);
    if (req.method !== 'GET' || req.signal || req.cache === 'no-cache')
      return this.#executeUncoalesced(req, url, scope);
    const key = `${this.#cache.generation}|${scope ?? '-'}|${url}`;
    const pending = this.#inflight.get(key);
    if (pending) return pending as Promise<T>;
    const run = this.#executeUncoalesced(req, url, scope).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, run);
    return run;
  }

  async #executeUncoalesced<T>(
    req: MeteredRequest<T>,
    url: string,
    scope: string | undefined,
  ): Promise<T> {
    const request: SpotifyErrorRequest = {
      method: req.method,
      path: redactText(url.slice(this.#base().length)),
    };
    // A URL carrying a secret (a token in the query) is never used as a cache key.
    const cacheable = req.method === 'GET' && this.#cache.enabled && redactText(url) === url;
    const cached =
      cacheable && scope !== undefined ? await this.#cache.read(cacheKey(scope, url)) : undefined;
    if (cached && req.cache !== 'no-cache' && cached.freshUntil > this.#clock.now()) {
      this.#emit('response', {
        ...this.#event(req, request, 0),
        status: 200,
        durationMs: 0,
        fromCache: true,
      });
      return this.#validate(req, cached.body, request, 200);
    }
    const call: Call<T> = {
      req,
      url,
      request,
      cached,
      cacheable,
      generation: this.#cache.generation,
    };
    try {
      return await pRetry((attempt) => this.#attempt(call, attempt), this.#retryPlan(call));
    } catch (error) {
      throw this.#finalError(call, error);
    } finally {
      // Whatever the outcome (applied, refused, or unknown: timeout, reset, 5xx, lost answer),
      // cached reads of what the write touches are dropped; a refused write costs a revalidation.
      if (req.method !== 'GET') this.#cache.invalidate(req.path);
    }
  }

  /** One attempt: blocks, the limiter's slot, the send (with auth), and the answer read. */
  async #attempt<T>(call: Call<T>, attempt: number): Promise<T> {
    const { req, request, cached } = call;
    await this.#checkBlocked(req, request);
    const { raw, scope: sentAs } = await this.#limiter.schedule(async () => {
      // A block may have started while this request waited in the queue.
      await this.#checkBlocked(req, request);
      return this.#sendWithAuth(req, call.url, request, attempt, cached?.etag);
    }, req.signal);
    // Stored under the identity the request was actually made as.
    // Not stored when a write may have changed the resource since this read began.
    const storeKey =
      call.cacheable && sentAs !== undefined && call.generation === this.#cache.generation
        ? cacheKey(sentAs, call.url)
        : undefined;
    if (raw.status === 304 && cached) {
      if (storeKey) this.#cache.store(storeKey, cached.body, raw.headers, cached.etag);
      return this.#validate(req, cached.body, request, 304);
    }
    if (raw.status >= 200 && raw.status < 300) {
      const body = this.#parseJson(raw, request);
      const value = this.#validate(req, body, request, raw.status);
      if (storeKey)
        this.#cache.store(storeKey, body, raw.headers, raw.headers.get('etag') ?? undefined);
      return value;
    }
    throw await this.#errorFromResponse(req, raw, request, attempt);
  }

  /** p-retry's options for a call: the client's retry budget, decision and backoff. */
  #retryPlan(call: Call<unknown>) {
    const { req, request } = call;
    const idempotent = req.idempotent ?? req.method !== 'POST';
    return retryOptions({
      retries: this.#options.retry.retries,
      signal: req.signal,
      decide: (error) => isRetryable(toSpotifyError(error, request), idempotent),
      beforeRetry: async (error, attemptNumber) => {
        const failure = toSpotifyError(error, request);
        // A 429's wait is the limiter's cooldown, which the next attempt waits out in the queue.
        const rateLimited = failure.code === 'RATE_LIMITED';
        const delayMs = rateLimited
          ? Math.max(0, this.#limiter.cooldownUntil - Date.now())
          : backoffDelay(attemptNumber, this.#options.retry, this.#random);
        const retryEvent = {
          ...this.#event(req, request, attemptNumber),
          code: failure.code,
          status: failure.status,
          delayMs,
        };
        countRetry(req.meters);
        this.#emit('retry', retryEvent);
        this.#reporter.log(
          'warn',
          { ...retryEvent },
          `${req.endpoint}: retrying after ${failure.code}`,
        );
        if (!rateLimited) await sleep(delayMs, req.signal);
      },
    });
  }

  /** What the caller gets when the call fails for good. */
  #finalError(call: Call<unknown>, error: unknown): SpotifyError {
    const { req, request } = call;
    if (req.signal?.aborted && !(error instanceof SpotifyError && error.code === 'ABORTED')) {
      return new SpotifyError({
        code: 'ABORTED',
        message: 'The request was aborted',
        request,
        cause: error,
      });
    }
    if (
      error instanceof SpotifyError &&
      error.code === 'RATE_LIMITED' &&
      !(error instanceof SpotifyRateLimitError)
    ) {
      // Retries ran out while Spotify kept refusing: still tell the caller when to come back.
      const retryAfterMs = Math.max(0, this.#limiter.cooldownUntil - Date.now());
      return new SpotifyRateLimitError({
        retryAfterMs,
        resumeAt: this.#clock.now() + retryAfterMs,
        scope: 'window',
        message: `Still rate limited after ${this.#options.retry.retries} retries`,
        request,
        cause: error,
      });
    }
    return toSpotifyError(error, request);
  }

  /**
   * Fails fast while a block is running: one this process saw, or (with Redis) one another process
   * of the app saw. Runs before queuing and again just before sending.
   */
  async #checkBlocked(req: ApiRequest<unknown>, request: SpotifyErrorRequest): Promise<void> {
    const now = this.#clock.now();
    const names = [req.endpoint, '*'];
    for (const name of names) {
      const block = this.#blocked.get(name);
      if (block && block.until > now) {
        throw new SpotifyRateLimitError({
          retryAfterMs: block.until - now,
          resumeAt: block.until,
          scope: block.scope,
          request,
        });
      }
    }
    const shared = await this.#limiter.sharedBlock(names);
    if (shared) {
      const at = this.#clock.now();
      throw new SpotifyRateLimitError({
        retryAfterMs: shared.remainingMs,
        resumeAt: at + shared.remainingMs,
        scope: shared.scope,
        request,
      });
    }
  }

  async #sendWithAuth(
    req: MeteredRequest<unknown>,
    url: string,
    request: SpotifyErrorRequest,
    attempt: number,
    etag: string | undefined,
  ): Promise<{ raw: RawResponse; scope: string | undefined }> {
    let tokens = await this.#tokens.tokens(req.signal);
    let raw = await this.#sendOnce(req, url, request, attempt, tokens.accessToken, etag);
    // A 401 means the access token expired or was revoked early: refresh (shared with concurrent
    // callers) and resend. A token can also be cut short right after it was issued, so a second
    // 401 gets one more refresh; a third is the caller's `UNAUTHORIZED`.
    for (let round = 0; raw.status === 401 && round < MAX_REFRESH_ROUNDS; round += 1) {
      tokens = await abortable(this.#tokens.refresh(tokens.accessToken), req.signal);
      raw = await this.#sendOnce(req, url, request, attempt, tokens.accessToken, etag);
    }
    raw.grantedScopes = tokens.scope;
    return { raw, scope: this.#tokens.scopeOf(tokens) };
  }

  async #sendOnce(
    req: MeteredRequest<unknown>,
    url: string,
    request: SpotifyErrorRequest,
    attempt: number,
    token: string,
    etag: string | undefined,
  ): Promise<RawResponse> {
    this.#secrets.add(token);
    this.#counts.set(req.endpoint, (this.#counts.get(req.endpoint) ?? 0) + 1);
    countCall(req.meters, req.endpoint);
    const event = this.#event(req, request, attempt);
    this.#emit('request', event);
    this.#reporter.log('debug', { ...event }, `${req.endpoint}: sending`);
    const started = performance.now();
    const startedAt = Date.now();
    const raw = await this.#transport.send({
      method: req.method,
      url,
      headers: etag
        ? { accept: 'application/json', 'if-none-match': etag }
        : { accept: 'application/json' },
      bearer: token,
      json: req.json,
      signal: req.signal,
      request,
    });
    const answered = {
      ...event,
      status: raw.status,
      durationMs: performance.now() - started,
      fromCache: raw.status === 304,
    };
    this.#emit('response', answered);
    this.#reporter.log('debug', answered, `${req.endpoint}: answered ${raw.status}`);
    this.#learnFrom(raw, startedAt);
    return raw;
  }

  /** Tells the allowance learner what the server accepted; a quota 429 says nothing about the window. */
  #learnFrom(raw: RawResponse, startedAt: number): void {
    const refused = raw.status === 429 && errorBody(raw.text).apiError?.reason !== 'QUOTA_EXCEEDED';
    const change = this.#limiter.recordOutcome(startedAt, refused);
    if (change) {
      this.#reporter.log(
        'info',
        { ...change, windowMs: this.#options.rateLimit.windowMs },
        `rate-limit allowance ${change.from} -> ${change.to} calls per window (${change.reason})`,
      );
    }
  }

  async #errorFromResponse(
    req: MeteredRequest<unknown>,
    raw: RawResponse,
    request: SpotifyErrorRequest,
    attempt: number,
  ): Promise<SpotifyError> {
    const { apiError, detail } = errorBody(raw.text);
    const apiFields = {
      apiMessage: detail === undefined ? undefined : this.#secrets.redact(detail),
      apiReason: apiError?.reason,
    };
    const status = raw.status;
    if (status === 429) return this.#rateLimited(req, raw, request, attempt, apiFields);
    const code = codeOfStatus(status, req.modeGated);
    const missingScopes =
      code === 'FORBIDDEN' ? missingScopesOf(req.scopes, raw.grantedScopes, detail) : undefined;
    const needs =
      missingScopes === undefined
        ? ''
        : ` (the token lacks the scope ${missingScopes.join(' or ')}: authorize the user again with it)`;
    return new SpotifyError({
      code,
      status,
      message: `${req.method} ${request.path} answered ${status}${apiFields.apiMessage ? `: ${apiFields.apiMessage}` : ''}${needs}`,
      request,
      ...apiFields,
      missingScopes,
    });
  }

  /**
   * A 429: a quota or an over-ceiling Retry-After blocks (shared through Redis) and fails fast;
   * otherwise the limiter cools down and, unless `onRateLimit` says no, the call is retried.
   */
  async #rateLimited(
    req: MeteredRequest<unknown>,
    raw: RawResponse,
    request: SpotifyErrorRequest,
    attempt: number,
    apiFields: { apiMessage: string | undefined; apiReason: string | undefined },
  ): Promise<SpotifyError> {
    countRateLimit(req.meters);
    const retryAfterMs = parseRetryAfter(raw.headers.get('retry-after'), this.#clock.now());
    const quota = apiFields.apiReason === 'QUOTA_EXCEEDED';
    const event = this.#event(req, request, attempt);
    const resumeAt = this.#clock.now() + retryAfterMs;
    if (quota || retryAfterMs > this.#options.rateLimit.maxRetryAfterMs) {
      const scope = quota ? 'quota' : 'window';
      const name = quota ? req.endpoint : '*';
      this.#blocked.set(name, { until: resumeAt, scope });
      // Tell the app's other processes before the caller hears about it.
      await this.#limiter.shareBlock(name, retryAfterMs, scope);
      this.#emit('rateLimit', { ...event, retryAfterMs, scope, action: 'fail' });
      this.#reporter.log(
        'warn',
        { ...event, retryAfterMs, scope, resumeAt },
        `${req.endpoint}: ${quota ? 'daily quota exceeded' : 'Retry-After above the ceiling'}; failing fast`,
      );
      return new SpotifyRateLimitError({ retryAfterMs, resumeAt, scope, request, ...apiFields });
    }
    this.#limiter.cooldown(retryAfterMs);
    const info = { ...event, retryAfterMs, resumeAt, scope: 'window' as const };
    const wait = await this.#reporter.shouldWait(info);
    const action = wait ? 'cooldown' : 'fail';
    this.#emit('rateLimit', { ...event, retryAfterMs, scope: 'window', action });
    this.#reporter.log(
      'warn',
      { ...event, retryAfterMs, scope: 'window', action },
      `${req.endpoint}: rate limited; ${wait ? `cooling down ${retryAfterMs} ms` : 'onRateLimit chose to fail'}`,
    );
    if (!wait) {
      return new SpotifyRateLimitError({
        retryAfterMs,
        resumeAt,
        scope: 'window',
        message: `Rate limited; onRateLimit chose not to wait ${Math.ceil(retryAfterMs / 1000)} s`,
        request,
        ...apiFields,
      });
    }
    return new SpotifyError({
      code: 'RATE_LIMITED',
      status: 429,
      message: `Rate limited; cooling down ${retryAfterMs} ms`,
      request,
      ...apiFields,
    });
  }

  #parseJson(raw: RawResponse, request: SpotifyErrorRequest): unknown {
    if (raw.text.trim() === '') return undefined;
    try {
      return JSON.parse(raw.text);
    } catch (error) {
      throw new SpotifyResponseValidationError({
        message: 'The response body is not valid JSON',
        issues: [],
        status: raw.status,
        request,
        cause: sanitizeCause(error),
      });
    }
  }

  #validate<T>(req: ApiRequest<T>, body: unknown, request: SpotifyErrorRequest, status: number): T {
    if (!req.schema || this.#options.validation === 'off') return body as T;
    const result = req.schema.safeParse(body);
    if (result.success) return result.data;
    const issues = result.error.issues.map((issue) => ({
      path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
      message: issue.message,
    }));
    if (this.#options.validation === 'tolerant') {
      this.#emit('validation', { endpoint: req.endpoint, issues });
      return body as T;
    }
    throw new SpotifyResponseValidationError({
      message: `The response of ${req.endpoint} does not match its schema (${issues.length} issue(s), first at ${issues[0]?.path.join('.') ?? ''}: ${issues[0]?.message ?? ''})`,
      issues: issues.length > 0 ? issues : [{ path: [], message: 'invalid' }],
      status,
      request,
    });
  }

  #base(): string {
    return this.#options.apiBaseUrl.replace(/\/$/, '');
  }

  #url(req: ApiRequest<unknown>): string {
    const url = new URL(this.#base() + req.path);
    const entries = Object.entries(req.query ?? {})
      .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, value] of entries) url.searchParams.set(key, String(value));
    return url.toString();
  }

  #event(req: ApiRequest<unknown>, request: SpotifyErrorRequest, attempt: number) {
    return { method: req.method, endpoint: req.endpoint, path: request.path, attempt };
  }

  #emit<K extends keyof SpotifyClientHooks>(
    name: K,
    event: Parameters<NonNullable<SpotifyClientHooks[K]>>[0],
  ): void {
    this.#reporter.emit(name, event);
  }
}
