import { createHash } from 'node:crypto';
import pRetry, { AbortError } from 'p-retry';
import { SpotifyRateLimitError } from '../errors/rate-limit-error.js';
import { SpotifyError } from '../errors/spotify-error.js';
import type { Clock } from '../clock.js';
import type { ResolvedClientOptions } from '../options.js';
import { createMemoryTokenStore, type SpotifyTokens, type TokenStore } from '../token-store.js';
import { abortable } from './abortable.js';
import { backoffDelay } from './backoff.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Reporter } from './reporter.js';
import { retryOptions } from './retry-policy.js';
import { parseRetryAfter } from './retry-after.js';
import type { KnownSecrets } from './secrets.js';
import type { RawResponse, Transport } from './send.js';
import { sleep } from './sleep.js';

const TOKEN_ENDPOINT = 'POST /api/token';
const TOKEN_REQUEST = { method: 'POST', path: '/api/token' } as const;

interface TokenResponseBody {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

/**
 * Holds the access token: reads the store, refreshes ahead of expiry (skew), shares one refresh
 * between concurrent callers, falls back to client credentials for app-only clients.
 */
export class TokenManager {
  readonly #options: ResolvedClientOptions;
  readonly #store: TokenStore;
  readonly #clock: Clock;
  readonly #random: () => number;
  #refreshing: Promise<SpotifyTokens> | undefined;
  /** Refresh token -> the grant id of the authorization it descends from (stable across rotation). */
  readonly #grants = new Map<string, string>();
  /** The last app-only (client credentials) access token this manager obtained. */
  #appAccessToken: string | undefined;
  readonly #secrets: KnownSecrets;
  readonly #reporter: Reporter;
  /** Holds the token endpoint's 429 cooldown (shared through Redis when configured). */
  readonly #limiter: RateLimiter;
  readonly #transport: Transport;
  /** A token-endpoint 429 above the ceiling: calls fail fast until then (client clock). */
  #blockedUntil = 0;

  constructor(
    options: ResolvedClientOptions,
    deps: {
      clock: Clock;
      random: () => number;
      secrets: KnownSecrets;
      reporter: Reporter;
      limiter: RateLimiter;
      transport: Transport;
    },
  ) {
    this.#options = options;
    this.#store = options.tokenStore ?? createMemoryTokenStore();
    this.#clock = deps.clock;
    this.#random = deps.random;
    this.#secrets = deps.secrets;
    this.#reporter = deps.reporter;
    this.#limiter = deps.limiter;
    this.#transport = deps.transport;
    this.#secrets.addPermanent(options.clientSecret);
  }

  /** Reads the store and remembers what it holds as secrets to redact. */
  async #read(): Promise<SpotifyTokens | undefined> {
    const tokens = await this.#store.get();
    if (tokens) {
      this.#secrets.add(tokens.accessToken);
      this.#secrets.add(tokens.refreshToken);
    }
    return tokens;
  }

  /** A valid access token, refreshing first when it expires within the skew. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    return (await this.tokens(signal)).accessToken;
  }

  /**
   * Valid tokens, refreshing first when they expire within the skew. The refresh is shared by every
   * waiting request; `signal` only stops this caller from waiting for it.
   */
  async tokens(signal?: AbortSignal): Promise<SpotifyTokens> {
    const tokens = await this.#read();
    if (tokens && tokens.expiresAt - this.#options.refreshSkewMs > this.#clock.now()) {
      return tokens;
    }
    return abortable(this.refresh(tokens?.accessToken), signal);
  }

  /**
   * The identity requests are made as, for cache keys: an opaque one-way hash, never a token.
   * `cacheScope` when given; otherwise the grant (one user's authorization, followed through
   * refresh-token rotation), the app (client credentials), or the bare access token. Undefined
   * when there are no credentials at all.
   */
  scopeOf(tokens: SpotifyTokens | undefined): string | undefined {
    if (this.#options.cacheScope !== undefined) return `s:${digest(this.#options.cacheScope)}`;
    if (!tokens) return this.#options.clientSecret ? this.#appScope() : undefined;
    if (tokens.refreshToken) return `u:${this.#grantOf(tokens.refreshToken)}`;
    if (tokens.accessToken === this.#appAccessToken) return this.#appScope();
    return `t:${digest(`${this.#options.clientId}\0${tokens.accessToken}`)}`;
  }

  /** The cache scope of the tokens the next request will use (without refreshing). */
  async currentScope(): Promise<string | undefined> {
    if (this.#options.cacheScope !== undefined) return this.scopeOf(undefined);
    return this.scopeOf(await this.#read());
  }

  #appScope(): string {
    return `a:${digest(this.#options.clientId)}`;
  }

  #grantOf(refreshToken: string): string {
    let grant = this.#grants.get(refreshToken);
    if (grant === undefined) {
      grant = digest(`${this.#options.clientId}\0${refreshToken}`);
      if (this.#grants.size >= 1000) this.#grants.clear();
      this.#grants.set(refreshToken, grant);
    }
    return grant;
  }

  /**
   * Gets new tokens; concurrent calls share one request. `staleAccessToken` is the token the caller
   * saw fail: when the store already holds a different one, it is returned without a new request.
   */
  refresh(staleAccessToken?: string): Promise<SpotifyTokens> {
    this.#refreshing ??= this.#doRefresh(staleAccessToken)
      .catch((error: unknown) => {
        throw this.#secrets.scrub(error);
      })
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }

  /** Exchanges an authorization code (with the PKCE verifier for public clients) for tokens. */
  async exchangeCode(input: {
    code: string;
    codeVerifier?: string | undefined;
    redirectUri?: string | undefined;
    signal?: AbortSignal | undefined;
  }): Promise<SpotifyTokens> {
    this.#secrets.add(input.code);
    this.#secrets.add(input.codeVerifier);
    try {
      return await this.#exchangeCode(input);
    } catch (error) {
      throw this.#secrets.scrub(error);
    }
  }

  async #exchangeCode(input: {
    code: string;
    codeVerifier?: string | undefined;
    redirectUri?: string | undefined;
    signal?: AbortSignal | undefined;
  }): Promise<SpotifyTokens> {
    const redirectUri = input.redirectUri ?? this.#options.redirectUri;
    if (!redirectUri) {
      throw new SpotifyError({
        code: 'INVALID_OPTIONS',
        message: 'redirectUri is required to exchange a code',
      });
    }
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: redirectUri,
    });
    if (input.codeVerifier) form.set('code_verifier', input.codeVerifier);
    return this.#save(await this.#tokenRequest(form, input.signal), undefined);
  }

  /** Stores tokens (and calls `onTokens`). */
  async setTokens(tokens: SpotifyTokens): Promise<void> {
    this.#secrets.add(tokens.accessToken);
    this.#secrets.add(tokens.refreshToken);
    await this.#store.set(tokens);
    await this.#options.onTokens?.(tokens);
  }

  async #doRefresh(staleAccessToken: string | undefined): Promise<SpotifyTokens> {
    const current = await this.#read();
    if (
      current &&
      staleAccessToken !== undefined &&
      current.accessToken !== staleAccessToken &&
      current.expiresAt - this.#options.refreshSkewMs > this.#clock.now()
    ) {
      return current;
    }
    if (current?.refreshToken) {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: current.refreshToken,
      });
      return this.#save(await this.#tokenRequest(form), current.refreshToken);
    }
    if (this.#options.clientSecret) {
      const body = await this.#tokenRequest(
        new URLSearchParams({ grant_type: 'client_credentials' }),
      );
      this.#appAccessToken = body.access_token;
      return this.#save(body, undefined);
    }
    throw new SpotifyError({
      code: current ? 'REAUTHORIZATION_REQUIRED' : 'UNAUTHORIZED',
      message: current
        ? 'The access token expired and there is no refresh token'
        : 'No tokens: exchange an authorization code or configure a client secret',
    });
  }

  async #save(
    body: TokenResponseBody,
    previousRefreshToken: string | undefined,
  ): Promise<SpotifyTokens> {
    if (!body.access_token || typeof body.expires_in !== 'number') {
      throw new SpotifyError({
        code: 'RESPONSE_VALIDATION',
        message: 'The token endpoint answered without access_token or expires_in',
        request: { method: 'POST', path: '/api/token' },
      });
    }
    const refreshToken = body.refresh_token ?? previousRefreshToken;
    // A rotated refresh token continues the same authorization: keep its cache identity.
    if (refreshToken && previousRefreshToken && refreshToken !== previousRefreshToken) {
      this.#grants.set(refreshToken, this.#grantOf(previousRefreshToken));
    }
    const tokens: SpotifyTokens = {
      accessToken: body.access_token,
      expiresAt: this.#clock.now() + body.expires_in * 1000,
      ...(refreshToken ? { refreshToken } : {}),
      ...(body.scope !== undefined ? { scope: body.scope } : {}),
    };
    await this.setTokens(tokens);
    return tokens;
  }

  /**
   * POSTs to `/api/token`, retrying 5xx and transport failures with backoff (at most 3 times) and
   * 429s after their `Retry-After` (shared by every token request of this client, and with Redis
   * of the app; a wait above
   * `maxRetryAfterMs`, a refusal of `onRateLimit`, or 429s outlasting the retries fail with a
   * `RATE_LIMITED` error carrying `resumeAt`). Only a code exchange takes a signal: a refresh is
   * shared by every waiting request, so one caller's abort must not cancel it.
   */
  async #tokenRequest(form: URLSearchParams, signal?: AbortSignal): Promise<TokenResponseBody> {
    const headers = this.#tokenHeaders(form);
    // Whatever secret is sent is known from now on, should an answer echo it.
    for (const name of ['refresh_token', 'code', 'code_verifier'])
      this.#secrets.add(form.get(name) ?? undefined);
    const retries = Math.min(this.#options.retry.retries, 3);
    const attempt = async (n: number) => {
      const outcome = await this.#tokenAttempt(form, headers, { attempt: n, retries, signal });
      if ('failure' in outcome) throw outcome.failure;
      return outcome.body;
    };
    return pRetry(
      attempt,
      retryOptions({
        retries,
        // Failures not worth another attempt reach p-retry as AbortErrors.
        decide: () => true,
        beforeRetry: async (error, n) => {
          // After a 429 the next attempt waits out the cooldown; other failures back off with jitter.
          if (error instanceof SpotifyError && error.code === 'RATE_LIMITED') return;
          try {
            await sleep(backoffDelay(n, this.#options.retry, this.#random), signal);
          } catch (cause) {
            throw new SpotifyError({
              code: 'ABORTED',
              message: 'The token request was aborted',
              request: TOKEN_REQUEST,
              cause,
            });
          }
        },
      }),
    );
  }

  #tokenHeaders(form: URLSearchParams): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (this.#options.clientSecret) {
      headers.authorization =
        'Basic ' +
        Buffer.from(`${this.#options.clientId}:${this.#options.clientSecret}`).toString('base64');
    } else {
      form.set('client_id', this.#options.clientId);
    }
    return headers;
  }

  /**
   * One token request: the tokens, or a failure worth retrying (5xx, a body cut short, network,
   * timeout, a 429 being waited out). Anything else is thrown wrapped in p-retry's `AbortError`.
   */
  async #tokenAttempt(
    form: URLSearchParams,
    headers: Record<string, string>,
    at: { attempt: number; retries: number; signal: AbortSignal | undefined },
  ): Promise<{ body: TokenResponseBody } | { failure: SpotifyError }> {
    try {
      await this.#awaitCooldown(TOKEN_REQUEST, at.signal);
      const raw = await this.#transport.send({
        method: 'POST',
        url: `${this.#options.accountsBaseUrl.replace(/\/$/, '')}/api/token`,
        headers,
        body: form.toString(),
        signal: at.signal,
        request: TOKEN_REQUEST,
      });
      return await this.#tokenAnswer(form, raw, at);
    } catch (error) {
      if (error instanceof SpotifyError && (error.code === 'NETWORK' || error.code === 'TIMEOUT'))
        return { failure: error };
      throw error instanceof Error ? new AbortError(error) : error;
    }
  }

  async #tokenAnswer(
    form: URLSearchParams,
    raw: RawResponse,
    at: { attempt: number; retries: number },
  ): Promise<{ body: TokenResponseBody } | { failure: SpotifyError }> {
    let body: TokenResponseBody | undefined;
    try {
      body = JSON.parse(raw.text) as TokenResponseBody;
    } catch {
      body = undefined;
    }
    if (raw.status >= 200 && raw.status < 300 && body) return { body };
    const apiMessage =
      typeof body?.error_description === 'string' ? body.error_description : undefined;
    const apiReason = typeof body?.error === 'string' ? body.error : undefined;
    if (body?.error === 'invalid_grant') throw await this.#grantGone(form, raw.status, apiMessage);
    if (raw.status === 429) {
      return {
        failure: await this.#rateLimited(raw.headers.get('retry-after'), at.attempt, at.retries),
      };
    }
    const retryable = raw.status >= 500 || (raw.status < 300 && !body);
    const failure = new SpotifyError({
      code:
        raw.status >= 500
          ? 'SERVER_ERROR'
          : raw.status < 300
            ? 'RESPONSE_VALIDATION'
            : 'UNAUTHORIZED',
      status: raw.status,
      message: `Token endpoint answered ${raw.status}${apiReason ? ` (${this.#redact(apiReason)})` : ''}`,
      request: TOKEN_REQUEST,
      apiMessage: this.#redact(apiMessage),
      apiReason: this.#redact(apiReason),
    });
    if (!retryable) throw failure;
    return { failure };
  }

  /** `invalid_grant`: a dead refresh token is forgotten (a failed code exchange leaves the store). */
  async #grantGone(
    form: URLSearchParams,
    status: number,
    apiMessage: string | undefined,
  ): Promise<SpotifyError> {
    if (form.get('grant_type') === 'refresh_token') await this.#store.clear();
    this.#reporter.log(
      'error',
      { endpoint: TOKEN_ENDPOINT, status, grantType: form.get('grant_type') },
      'the grant is no longer valid (invalid_grant): the user must authorize again',
    );
    return new SpotifyError({
      code: 'REAUTHORIZATION_REQUIRED',
      status,
      message: 'The grant is no longer valid (invalid_grant): the user must authorize again',
      request: TOKEN_REQUEST,
      apiMessage: this.#redact(apiMessage),
      apiReason: 'invalid_grant',
    });
  }

  #redact(text: string | undefined): string | undefined {
    return text === undefined ? undefined : this.#secrets.redact(text);
  }

  /**
   * Handles a 429 of the token endpoint like the API's: a `Retry-After` above the ceiling blocks
   * token requests and fails fast (the app's, with Redis); otherwise every token request of this
   * client (of the app, with Redis) waits it out,
   * unless `onRateLimit` says no or the retries are spent (both fail with `resumeAt`). Returns the
   * error to retry after; throws the error to fail with.
   */
  async #rateLimited(
    header: string | null,
    attempt: number,
    retries: number,
  ): Promise<SpotifyRateLimitError> {
    const request = { method: 'POST', path: '/api/token' };
    const now = this.#clock.now();
    const retryAfterMs = parseRetryAfter(header, now);
    const resumeAt = now + retryAfterMs;
    const event = { method: 'POST', endpoint: TOKEN_ENDPOINT, path: '/api/token', attempt };
    const seconds = Math.ceil(retryAfterMs / 1000);
    if (retryAfterMs > this.#options.rateLimit.maxRetryAfterMs) {
      this.#blockedUntil = Math.max(this.#blockedUntil, resumeAt);
      await this.#limiter.shareBlock(TOKEN_ENDPOINT, retryAfterMs, 'window');
      this.#reporter.emit('rateLimit', { ...event, retryAfterMs, scope: 'window', action: 'fail' });
      this.#reporter.log(
        'warn',
        { ...event, retryAfterMs, resumeAt },
        'token endpoint: Retry-After above the ceiling; failing fast',
      );
      throw new SpotifyRateLimitError({
        retryAfterMs,
        resumeAt,
        scope: 'window',
        message: `The token endpoint is rate limited: Retry-After ${seconds} s is above the ceiling`,
        request,
      });
    }
    await this.#limiter.accountsCooldown(retryAfterMs);
    const wait =
      attempt <= retries &&
      (await this.#reporter.shouldWait({ ...event, retryAfterMs, resumeAt, scope: 'window' }));
    const action = wait ? 'cooldown' : 'fail';
    this.#reporter.emit('rateLimit', { ...event, retryAfterMs, scope: 'window', action });
    this.#reporter.log(
      'warn',
      { ...event, retryAfterMs, scope: 'window', action },
      `token endpoint: rate limited; ${wait ? `cooling down ${retryAfterMs} ms` : 'failing'}`,
    );
    const error = new SpotifyRateLimitError({
      retryAfterMs,
      resumeAt,
      scope: 'window',
      message:
        attempt > retries
          ? `The token endpoint is still rate limited after ${retries} retries; retry after ${seconds} s`
          : wait
            ? `The token endpoint is rate limited; cooling down ${retryAfterMs} ms`
            : `The token endpoint is rate limited; onRateLimit chose not to wait ${seconds} s`,
      request,
    });
    if (!wait) throw error;
    return error;
  }

  /** Fails fast during a token-endpoint block; waits out its cooldown. */
  async #awaitCooldown(request: { method: string; path: string }, signal?: AbortSignal) {
    const shared = await this.#limiter.sharedBlock([TOKEN_ENDPOINT]);
    if (shared) {
      const at = this.#clock.now();
      this.#blockedUntil = Math.max(this.#blockedUntil, at + shared.remainingMs);
    }
    const now = this.#clock.now();
    if (this.#blockedUntil > now) {
      throw new SpotifyRateLimitError({
        retryAfterMs: this.#blockedUntil - now,
        resumeAt: this.#blockedUntil,
        scope: 'window',
        message: `The token endpoint is rate limited; retry after ${Math.ceil((this.#blockedUntil - now) / 1000)} s`,
        request,
      });
    }
    try {
      await this.#limiter.waitAccountsCooldown(signal);
    } catch (error) {
      throw new SpotifyError({
        code: 'ABORTED',
        message: 'The token request was aborted',
        request,
        cause: error,
      });
    }
  }
}

/** A one-way, fixed-length identity for cache keys. */
function digest(text: string): string {
  return createHash('sha256').update(`spoti-cache\0${text}`).digest('base64url').slice(0, 22);
}
