import { z } from 'zod';
import { type Cache, createMemoryCache } from './cache.js';
import { type Clock, systemClock } from './clock.js';
import { SpotifyError, isSpotifyError } from './errors/spotify-error.js';
import type { SpotifyClientHooks } from './hooks.js';
import { chunk } from './internal/chunk.js';
import { parseOptions } from './internal/parse-options.js';
import { RateLimiter } from './internal/rate-limiter.js';
import { type ApiRequest, RequestExecutor } from './internal/request-executor.js';
import { abortable } from './internal/abortable.js';
import { args } from './internal/args.js';
import { Reporter } from './internal/reporter.js';
import { KnownSecrets } from './internal/secrets.js';
import { type CallUsage, UsageMeters } from './internal/usage.js';
import { libraryScopesFor, SCOPES_BY_METHOD } from './scopes.js';
import { TokenManager } from './internal/token-manager.js';
import {
  clientOptionsSchema,
  type ResolvedClientOptions,
  type SpotifyClientOptions,
  type SpotifyMode,
} from './options.js';
import { type PageParams, type PaginateOptions, paginate } from './paginate.js';
import {
  albumSchema,
  simplifiedAlbumSchema,
  type SpotifyAlbum,
  type SpotifySimplifiedAlbum,
} from './schemas/album.js';
import { artistSchema, type SpotifyArtist } from './schemas/artist.js';
import { audioFeaturesSchema, type SpotifyAudioFeatures } from './schemas/audio-features.js';
import {
  playHistorySchema,
  savedAlbumSchema,
  savedTrackSchema,
  type SpotifyPlayHistory,
  type SpotifySavedAlbum,
  type SpotifySavedTrack,
} from './schemas/library.js';
import {
  cursorPagingSchema,
  pagingSchema,
  type SpotifyCursorPaging,
  type SpotifyPaging,
} from './schemas/paging.js';
import {
  playlistSchema,
  playlistTrackSchema,
  simplifiedPlaylistSchema,
  snapshotSchema,
  type SpotifyPlaylist,
  type SpotifyPlaylistTrack,
  type SpotifySimplifiedPlaylist,
} from './schemas/playlist.js';
import {
  simplifiedTrackSchema,
  trackSchema,
  type SpotifySimplifiedTrack,
  type SpotifyTrack,
} from './schemas/track.js';
import { type SpotifyUser, userSchema } from './schemas/user.js';
import type { SpotifyTokens } from './token-store.js';

/** `short_term` (~4 weeks), `medium_term` (~6 months), `long_term` (~1 year). */
export type TimeRange = 'short_term' | 'medium_term' | 'long_term';

/** Features a mode may lack. In `auto` mode a 403 turns one off for the life of the client. */
export type Capability =
  | 'batch-artists'
  | 'batch-tracks'
  | 'batch-albums'
  | 'audio-features'
  | 'library-per-type';

/** Library item kinds that had their own save/remove/contains endpoints before 2026. */
export type LibraryItemType = 'track' | 'album';

/** Result of {@link SpotifyClient.getAudioFeatures}: features, or why there are none. */
export type AudioFeaturesResult =
  | { available: true; features: Array<SpotifyAudioFeatures | null> }
  | { available: false; reason: 'development_mode' | 'endpoint_unavailable' };

/** Common per-call options. */
export interface CallOptions {
  /** Aborts the call (queued, waiting or in flight). */
  signal?: AbortSignal | undefined;
}
/**
 * Options of reads that can guard a write (playlist reads): `cache: 'no-cache'` asks Spotify
 * even when a cached copy is still fresh, and does not join a read already in flight (a 304
 * still answers from the cache).
 *
 * @example
 * ```ts
 * const { snapshot_id } = await client.getPlaylist(playlistId, { cache: 'no-cache' });
 * ```
 */
export interface ReadOptions extends CallOptions {
  cache?: 'default' | 'no-cache' | undefined;
}

/** Offset paging parameters. */
export interface OffsetParams extends CallOptions {
  limit?: number | undefined;
  offset?: number | undefined;
}

const batchLimits = {
  'batch-artists': 50,
  'batch-tracks': 50,
  'batch-albums': 20,
  'audio-features': 100,
} as const;
const enc = encodeURIComponent;
const position = z.number().int().min(0);
const reorderSchema = z
  .object({
    rangeStart: position,
    insertBefore: position,
    rangeLength: z.number().int().min(1).optional(),
    snapshotId: z.string().min(1).optional(),
  })
  .strict();

/**
 * A move of {@link SpotifyClient.reorderPlaylistItems}.
 *
 * @example
 * ```ts
 * const move: ReorderPlaylistItems = { rangeStart: 4, insertBefore: 0, snapshotId };
 * ```
 */
export interface ReorderPlaylistItems {
  /** Position of the first item to move (0-based). */
  rangeStart: number;
  /** Position of the item to put the range before; the playlist's length moves it to the end. */
  insertBefore: number;
  /** Number of items to move. Default 1. */
  rangeLength?: number | undefined;
  /** The version the positions refer to (a `snapshot_id` of this playlist). Default: the current one. */
  snapshotId?: string | undefined;
}

/**
 * A Spotify Web API client that paces itself to the rolling window, cools down together on a
 * 429, fails fast on the daily quota, retries transient faults with jittered backoff, refreshes
 * tokens ahead of expiry, and knows what Development Mode apps may call.
 * Create it with {@link createSpotifyClient}.
 */
export class SpotifyClient {
  /** The validated options: private, since they hold the client secret. */
  readonly #options: ResolvedClientOptions;
  readonly #executor: RequestExecutor;
  readonly #usage = new UsageMeters();
  readonly #tokens: TokenManager;
  readonly #limiter: RateLimiter;
  readonly #disabled = new Set<Capability>();
  #learned: 'unknown' | 'development' | 'extended' = 'unknown';
  /** Auto mode saw the extended page limit refused: development page limits from then on. */
  #smallPagesOnly = false;

  constructor(options: SpotifyClientOptions) {
    this.#options = parseOptions(clientOptionsSchema, options);
    const clock: Clock = this.#options.clock ?? systemClock;
    const random = this.#options.random ?? Math.random;
    const secrets = new KnownSecrets();
    // The Redis password, should a connection error quote it (the client secret: TokenManager).
    const redisPassword = this.#options.rateLimit.redis?.clientOptions.password;
    if (typeof redisPassword === 'string') secrets.addPermanent(redisPassword);
    const reporter = new Reporter({
      hooks: this.#options.hooks,
      logger: this.#options.logger,
      onRateLimit: this.#options.onRateLimit,
      secrets,
    });
    this.#limiter = new RateLimiter(this.#options.rateLimit);
    this.#tokens = new TokenManager(this.#options, {
      clock,
      random,
      secrets,
      reporter,
      limiter: this.#limiter,
    });
    const cache: Cache | undefined =
      this.#options.cache === false ? undefined : (this.#options.cache ?? createMemoryCache());
    this.#executor = new RequestExecutor({
      options: this.#options,
      limiter: this.#limiter,
      tokens: this.#tokens,
      cache,
      clock,
      random,
      reporter,
      secrets,
      usage: this.#usage,
    });
  }

  /** The app's client id (not a secret). */
  get clientId(): string {
    return this.#options.clientId;
  }

  /**
   * The rate-limit allowance in use, calls per `rateLimit.windowMs`: the configured one, or what
   * the client has learned from 429s so far when none is configured.
   */
  get allowance(): number {
    return this.#limiter.allowance;
  }

  /**
   * What `JSON.stringify(client)` shows: the client id, mode and access level, never a secret,
   * token or option object.
   */
  toJSON(): { clientId: string; mode: SpotifyMode; accessLevel: string } {
    return { clientId: this.#options.clientId, mode: this.mode, accessLevel: this.accessLevel };
  }

  /** What `util.inspect(client)` and `console.log(client)` show: the same as {@link SpotifyClient.toJSON}. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const { clientId, mode, accessLevel } = this.toJSON();
    return `SpotifyClient { clientId: ${JSON.stringify(clientId)}, mode: '${mode}', accessLevel: '${accessLevel}' }`;
  }

  // ---------------------------------------------------------------- infrastructure

  /** The mode the client runs in. */
  get mode(): SpotifyMode {
    return this.#options.mode;
  }

  /**
   * What the app is known to have access to. `development` and `extended` modes state it; `auto`
   * starts `unknown`, becomes `extended` when a batch, audio-features or per-type library call
   * succeeds, and `development` when a batch or per-type library call answers 403. Page limits
   * follow it (`search` and artist albums: 50 once `extended`, 10 otherwise).
   */
  get accessLevel(): 'unknown' | 'development' | 'extended' {
    return this.#options.mode === 'auto' ? this.#learned : this.#options.mode;
  }

  /** Whether a capability is usable now (`auto` turns one off after a 403). */
  hasCapability(capability: Capability): boolean {
    if (this.#options.mode === 'development') return false;
    return !this.#disabled.has(capability);
  }

  /** Adds an event listener (request, response, retry, rateLimit, validation); returns an unsubscribe function. */
  on<K extends keyof SpotifyClientHooks>(
    name: K,
    listener: NonNullable<SpotifyClientHooks[K]>,
  ): () => void {
    return this.#executor.on(name, listener);
  }

  /** HTTP calls made so far, per endpoint template (`GET /artists/{id}`). */
  callCounts(): Record<string, number> {
    return this.#executor.callCounts();
  }

  /** Total HTTP calls made to the Web API so far. */
  totalCalls(): number {
    return this.#executor.totalCalls();
  }

  /**
   * Runs `fn` and counts what it costs: the HTTP calls made by the requests it starts (retries
   * included), the retries, and the 429s met. Unlike {@link SpotifyClient.totalCalls}, which counts
   * for the whole client, this counts for one operation, so concurrent operations on one client
   * each get their own figures; measurements may nest. `fn` gets the usage live; a read joined
   * to an identical one already in flight costs nothing and counts to the operation that started it.
   *
   * @example
   * ```ts
   * const { value: artist, usage } = await client.measure(() => client.getArtist(id));
   * console.log(usage.calls, usage.retries, usage.rateLimitWaits);
   * ```
   */
  async measure<T>(
    fn: (usage: CallUsage) => Promise<T>,
  ): Promise<{ readonly value: T; readonly usage: CallUsage }> {
    if (typeof fn !== 'function') {
      throw new SpotifyError({
        code: 'INVALID_OPTIONS',
        message: 'measure(fn): fn must be a function',
      });
    }
    let usage: CallUsage | undefined;
    const value = await this.#usage.run((live) => {
      usage = live;
      return fn(live);
    });
    return { value, usage: snapshot(usage as CallUsage) };
  }

  /** Resets {@link SpotifyClient.callCounts}. */
  resetCallCounts(): void {
    this.#executor.resetCallCounts();
  }

  /** Runs a raw API request through the whole pipeline (limiter, retries, auth, cache). */
  async request<T = unknown>(req: ApiRequest<T>): Promise<T> {
    return this.#executor.execute(args.request(req));
  }

  /** Exchanges an authorization code (plus the PKCE verifier for public clients) and stores the tokens. */
  async exchangeCode(input: {
    code: string;
    codeVerifier?: string | undefined;
    redirectUri?: string | undefined;
    signal?: AbortSignal | undefined;
  }): Promise<SpotifyTokens> {
    return this.#tokens.exchangeCode(args.exchange(input));
  }

  /** Stores tokens obtained elsewhere. */
  async setTokens(tokens: SpotifyTokens): Promise<void> {
    return this.#tokens.setTokens(args.tokens(tokens));
  }

  /**
   * Forces a token refresh now (concurrent calls share one request). `signal` stops this caller
   * from waiting; the shared refresh itself goes on for the others.
   */
  async refreshTokens(options: CallOptions = {}): Promise<SpotifyTokens> {
    const { signal } = args.params(options);
    return abortable(this.#tokens.refresh(), signal);
  }

  /**
   * Iterates every item of a paged method, following `next` (offset or cursor).
   *
   * @example
   * ```ts
   * for await (const saved of client.paginate(client.getSavedTracks, { limit: 50 }, { maxItems: 500 })) {
   *   console.log(saved.track.name);
   * }
   * ```
   */
  paginate<P extends object, I>(
    method: (params: P) => Promise<SpotifyPaging<I> | SpotifyCursorPaging<I>>,
    params: NoInfer<P>,
    options?: PaginateOptions,
  ): AsyncGenerator<I, void, undefined> {
    const fetchPage =
      typeof method === 'function' ? (p: PageParams) => method.call(this, p as P) : method;
    return paginate(fetchPage, params as PageParams, options);
  }

  /** Stops the limiter and closes its Redis connections. */
  async close(): Promise<void> {
    return this.#limiter.disconnect();
  }

  // ---------------------------------------------------------------- user

  /** The current user (`GET /me`). */
  async getMe(options: CallOptions = {}): Promise<SpotifyUser> {
    return this.request({
      method: 'GET',
      endpoint: 'GET /me',
      path: '/me',
      schema: userSchema,
      signal: args.params(options).signal,
    });
  }

  /** The user's top artists for a time range. */
  async getTopArtists(
    params: OffsetParams & { timeRange?: TimeRange | undefined } = {},
  ): Promise<SpotifyPaging<SpotifyArtist>> {
    args.params(params);
    return this.request({
      method: 'GET',
      endpoint: 'GET /me/top/artists',
      scopes: SCOPES_BY_METHOD.getTopArtists.anyOf,
      path: '/me/top/artists',
      query: {
        time_range: params.timeRange,
        limit: clampLimit(params.limit, 50),
        offset: params.offset,
      },
      schema: pagingSchema(artistSchema),
      signal: params.signal,
    });
  }

  /** The user's top tracks for a time range. */
  async getTopTracks(
    params: OffsetParams & { timeRange?: TimeRange | undefined } = {},
  ): Promise<SpotifyPaging<SpotifyTrack>> {
    args.params(params);
    return this.request({
      method: 'GET',
      endpoint: 'GET /me/top/tracks',
      scopes: SCOPES_BY_METHOD.getTopTracks.anyOf,
      path: '/me/top/tracks',
      query: {
        time_range: params.timeRange,
        limit: clampLimit(params.limit, 50),
        offset: params.offset,
      },
      schema: pagingSchema(trackSchema),
      signal: params.signal,
    });
  }

  /** Recently played tracks (at most the last 50); `after`/`before` are Unix ms cursors, never both. */
  async getRecentlyPlayed(
    params: CallOptions & {
      limit?: number | undefined;
      after?: string | number | undefined;
      before?: string | number | undefined;
    } = {},
  ): Promise<SpotifyCursorPaging<SpotifyPlayHistory>> {
    args.params(params);
    if (params.after !== undefined && params.before !== undefined) {
      throw new SpotifyError({
        code: 'INVALID_OPTIONS',
        message: 'Pass either after or before, not both',
      });
    }
    return this.request({
      method: 'GET',
      endpoint: 'GET /me/player/recently-played',
      scopes: SCOPES_BY_METHOD.getRecentlyPlayed.anyOf,
      path: '/me/player/recently-played',
      query: { limit: clampLimit(params.limit, 50), after: params.after, before: params.before },
      schema: cursorPagingSchema(playHistorySchema),
      signal: params.signal,
    });
  }

  /** Saved tracks, newest first. */
  async getSavedTracks(
    params: OffsetParams & { market?: string | undefined } = {},
  ): Promise<SpotifyPaging<SpotifySavedTrack>> {
    args.params(params);
    return this.request({
      scopes: SCOPES_BY_METHOD.getSavedTracks.anyOf,
      method: 'GET',
      endpoint: 'GET /me/tracks',
      path: '/me/tracks',
      query: { limit: clampLimit(params.limit, 50), offset: params.offset, market: params.market },
      schema: pagingSchema(savedTrackSchema),
      signal: params.signal,
    });
  }

  /** Saved albums, newest first. */
  async getSavedAlbums(
    params: OffsetParams & { market?: string | undefined } = {},
  ): Promise<SpotifyPaging<SpotifySavedAlbum>> {
    args.params(params);
    return this.request({
      scopes: SCOPES_BY_METHOD.getSavedAlbums.anyOf,
      method: 'GET',
      endpoint: 'GET /me/albums',
      path: '/me/albums',
      query: { limit: clampLimit(params.limit, 50), offset: params.offset, market: params.market },
      schema: pagingSchema(savedAlbumSchema),
      signal: params.signal,
    });
  }

  /** Followed artists (cursor `after` = last artist id). */
  async getFollowedArtists(
    params: CallOptions & { limit?: number | undefined; after?: string | number | undefined } = {},
  ): Promise<SpotifyCursorPaging<SpotifyArtist>> {
    args.params(params);
    const body = await this.request({
      scopes: SCOPES_BY_METHOD.getFollowedArtists.anyOf,
      method: 'GET',
      endpoint: 'GET /me/following',
      path: '/me/following',
      query: { type: 'artist', limit: clampLimit(params.limit, 50), after: params.after },
      schema: z.object({ artists: cursorPagingSchema(artistSchema) }),
      signal: params.signal,
    });
    return body.artists;
  }

  /** Saves items (tracks, albums, episodes... by URI) with the 2026 `PUT /me/library`, 40 per call. */
  async saveToLibrary(uris: readonly string[], options: CallOptions = {}): Promise<void> {
    const list = args.strings(uris, 'uris');
    args.params(options);
    for (const part of chunk(list, 40)) {
      await this.request({
        scopes: libraryScopesFor(part, true),
        method: 'PUT',
        endpoint: 'PUT /me/library',
        path: '/me/library',
        query: { uris: part.join(',') },
        signal: options.signal,
      });
    }
  }

  /** Removes items by URI with `DELETE /me/library`, 40 per call. */
  async removeFromLibrary(uris: readonly string[], options: CallOptions = {}): Promise<void> {
    const list = args.strings(uris, 'uris');
    args.params(options);
    for (const part of chunk(list, 40)) {
      await this.request({
        scopes: libraryScopesFor(part, true),
        method: 'DELETE',
        endpoint: 'DELETE /me/library',
        path: '/me/library',
        query: { uris: part.join(',') },
        signal: options.signal,
      });
    }
  }

  /** Whether each URI is in the library (`GET /me/library/contains`), in input order. */
  async libraryContains(uris: readonly string[], options: CallOptions = {}): Promise<boolean[]> {
    const list = args.strings(uris, 'uris');
    args.params(options);
    const out: boolean[] = [];
    for (const part of chunk(list, 40)) {
      out.push(
        ...(await this.request({
          scopes: libraryScopesFor(part, false),
          method: 'GET',
          endpoint: 'GET /me/library/contains',
          path: '/me/library/contains',
          query: { uris: part.join(',') },
          schema: z.array(z.boolean()),
          signal: options.signal,
        })),
      );
    }
    return out;
  }

  /**
   * Saves tracks or albums by id. Extended mode uses the per-type `PUT /me/tracks|albums`
   * (50 / 20 ids per call); development mode the 2026 `PUT /me/library` by URI; auto mode the
   * per-type endpoint until a 403, then `/me/library` for the rest of the client's life.
   *
   * @example
   * ```ts
   * await client.saveLibraryItems({ type: 'track', ids: ['4uLU6hMCjMI75M1A2tKUQC'] });
   * ```
   */
  async saveLibraryItems(
    params: CallOptions & { type: LibraryItemType; ids: readonly string[] },
  ): Promise<void> {
    return this.#libraryByType('PUT', params).then(() => undefined);
  }

  /** Removes tracks or albums by id; endpoints chosen as in {@link SpotifyClient.saveLibraryItems}. */
  async removeLibraryItems(
    params: CallOptions & { type: LibraryItemType; ids: readonly string[] },
  ): Promise<void> {
    return this.#libraryByType('DELETE', params).then(() => undefined);
  }

  /**
   * Whether each track or album id is saved, in input order; endpoints chosen as in
   * {@link SpotifyClient.saveLibraryItems}.
   */
  async libraryItemsContain(
    params: CallOptions & { type: LibraryItemType; ids: readonly string[] },
  ): Promise<boolean[]> {
    return this.#libraryByType('GET', params);
  }

  async #libraryByType(
    method: 'GET' | 'PUT' | 'DELETE',
    params: CallOptions & { type: LibraryItemType; ids: readonly string[] },
  ): Promise<boolean[]> {
    args.params(params);
    args.ids(params.ids);
    args.libraryType(params.type);
    const options = { signal: params.signal };
    const perType = await this.#withCapability(
      'library-per-type',
      params.ids.length > 0,
      async () => {
        const kind = params.type === 'track' ? 'tracks' : 'albums';
        const max = params.type === 'track' ? 50 : 20;
        const path = method === 'GET' ? `/me/${kind}/contains` : `/me/${kind}`;
        const out: boolean[] = [];
        for (const part of chunk(params.ids, max)) {
          const body = await this.request({
            method,
            endpoint: `${method} ${path}`,
            path,
            query: { ids: part.join(',') },
            scopes: method === 'GET' ? ['user-library-read'] : ['user-library-modify'],
            ...(method === 'GET' ? { schema: z.array(z.boolean()) } : {}),
            modeGated: true,
            signal: params.signal,
          });
          if (Array.isArray(body)) out.push(...(body as boolean[]));
        }
        return out;
      },
    );
    if (perType.done) return perType.value;
    const uris = params.ids.map((id) => `spotify:${params.type}:${id}`);
    if (method === 'GET') return this.libraryContains(uris, options);
    if (method === 'PUT') await this.saveToLibrary(uris, options);
    else await this.removeFromLibrary(uris, options);
    return [];
  }

  // ---------------------------------------------------------------- playlists

  /** The current user's playlists. */
  async getMyPlaylists(
    params: OffsetParams & ReadOptions = {},
  ): Promise<SpotifyPaging<SpotifySimplifiedPlaylist>> {
    args.params(params);
    return this.request({
      method: 'GET',
      endpoint: 'GET /me/playlists',
      path: '/me/playlists',
      query: { limit: clampLimit(params.limit, 50), offset: params.offset },
      schema: pagingSchema(simplifiedPlaylistSchema),
      signal: params.signal,
      cache: params.cache,
    });
  }

  /** Creates a playlist for the current user (not retried blindly: a create is not idempotent). */
  async createPlaylist(
    params: CallOptions & {
      name: string;
      description?: string | undefined;
      public?: boolean | undefined;
      collaborative?: boolean | undefined;
    },
  ): Promise<SpotifyPlaylist> {
    const { signal, ...body } = args.createPlaylist(params);
    return this.request({
      scopes: SCOPES_BY_METHOD.createPlaylist.anyOf,
      method: 'POST',
      endpoint: 'POST /me/playlists',
      path: '/me/playlists',
      json: body,
      schema: playlistSchema,
      idempotent: false,
      signal,
    });
  }

  /** A playlist. */
  async getPlaylist(playlistId: string, options: ReadOptions = {}): Promise<SpotifyPlaylist> {
    return this.request({
      method: 'GET',
      endpoint: 'GET /playlists/{id}',
      path: `/playlists/${enc(args.pathId(playlistId, 'playlistId'))}`,
      schema: playlistSchema,
      signal: args.params(options).signal,
      cache: options.cache,
    });
  }

  /** One page of a playlist's items (`/playlists/{id}/items`, owned or collaborative playlists only). */
  async getPlaylistItems(
    playlistId: string,
    params: OffsetParams & ReadOptions & { market?: string | undefined } = {},
  ): Promise<SpotifyPaging<SpotifyPlaylistTrack>> {
    args.params(params);
    return this.request({
      method: 'GET',
      endpoint: 'GET /playlists/{id}/items',
      path: `/playlists/${enc(args.pathId(playlistId, 'playlistId'))}/items`,
      scopes: SCOPES_BY_METHOD.getPlaylistItems.anyOf,
      query: { limit: clampLimit(params.limit, 50), offset: params.offset, market: params.market },
      schema: pagingSchema(playlistTrackSchema),
      signal: params.signal,
      cache: params.cache,
    });
  }

  /**
   * Adds items, 100 per call, keeping their order. Not idempotent: a call whose outcome is unknown
   * (reset, timeout, 5xx) is not resent; only 429s (refused, never applied) are retried.
   * Returns the last `snapshot_id`.
   */
  async addPlaylistItems(
    playlistId: string,
    uris: readonly string[],
    options: CallOptions & { position?: number | undefined } = {},
  ): Promise<{ snapshot_id: string }> {
    const id = args.pathId(playlistId, 'playlistId');
    const list = args.strings(uris, 'uris');
    args.params(options);
    let snapshot = { snapshot_id: '' };
    let position = args.position(options.position);
    for (const part of chunk(list, 100)) {
      snapshot = await this.request({
        method: 'POST',
        endpoint: 'POST /playlists/{id}/items',
        path: `/playlists/${enc(id)}/items`,
        scopes: SCOPES_BY_METHOD.addPlaylistItems.anyOf,
        json: position === undefined ? { uris: part } : { uris: part, position },
        schema: snapshotSchema,
        idempotent: false,
        signal: options.signal,
      });
      if (position !== undefined) position += part.length;
    }
    return snapshot;
  }

  /**
   * Removes every occurrence of the URIs, 100 per call. Retried safely: removal is idempotent, and
   * with `snapshotId` Spotify applies it against that version of the playlist (each further chunk
   * is sent with the snapshot the previous one returned).
   */
  async removePlaylistItems(
    playlistId: string,
    uris: readonly string[],
    options: CallOptions & { snapshotId?: string | undefined } = {},
  ): Promise<{ snapshot_id: string }> {
    const id = args.pathId(playlistId, 'playlistId');
    const list = args.strings(uris, 'uris');
    args.params(options);
    let snapshot = { snapshot_id: options.snapshotId ?? '' };
    for (const part of chunk(list, 100)) {
      snapshot = await this.request({
        method: 'DELETE',
        endpoint: 'DELETE /playlists/{id}/items',
        path: `/playlists/${enc(id)}/items`,
        scopes: SCOPES_BY_METHOD.removePlaylistItems.anyOf,
        json: {
          items: part.map((uri) => ({ uri })),
          ...(snapshot.snapshot_id ? { snapshot_id: snapshot.snapshot_id } : {}),
        },
        schema: snapshotSchema,
        signal: options.signal,
      });
    }
    return snapshot;
  }

  /**
   * Replaces the playlist's items: the first 100 with `PUT` (idempotent), the rest appended with
   * `POST` in chunks of 100.
   */
  async replacePlaylistItems(
    playlistId: string,
    uris: readonly string[],
    options: CallOptions = {},
  ): Promise<{ snapshot_id: string }> {
    const id = args.pathId(playlistId, 'playlistId');
    args.params(options);
    const [first = [], ...rest] = chunk(args.strings(uris, 'uris'), 100);
    let snapshot = await this.request({
      method: 'PUT',
      endpoint: 'PUT /playlists/{id}/items',
      path: `/playlists/${enc(id)}/items`,
      scopes: SCOPES_BY_METHOD.replacePlaylistItems.anyOf,
      json: { uris: first },
      schema: snapshotSchema,
      signal: options.signal,
    });
    for (const part of rest) snapshot = await this.addPlaylistItems(playlistId, part, options);
    return snapshot;
  }

  /**
   * Moves `rangeLength` items (default 1) starting at `rangeStart` so they stand before the item
   * at `insertBefore` (`PUT /playlists/{id}/items` with `range_start`, `insert_before`,
   * `range_length`, `snapshot_id`). With `snapshotId` the positions are read in that version of
   * the playlist (a snapshot Spotify does not know is a 400 `BAD_REQUEST`), which also makes the
   * call safe to resend; without one it is treated like `addPlaylistItems`: a call whose outcome
   * is unknown is not resent (the move could be applied twice), only 429s are retried.
   *
   * Rejects with a SpotifyError `INVALID_OPTIONS` for negative or non-integer positions, a `rangeLength`
   *   below 1 or an empty playlist id, before any request is sent.
   * @example
   * ```ts
   * // Move the first two items to the end of a 10-item playlist.
   * const { snapshot_id } = await client.reorderPlaylistItems(playlistId, {
   *   rangeStart: 0,
   *   rangeLength: 2,
   *   insertBefore: 10,
   *   snapshotId: playlist.snapshot_id,
   * });
   * ```
   */
  async reorderPlaylistItems(
    playlistId: string,
    move: ReorderPlaylistItems,
    options: CallOptions = {},
  ): Promise<{ snapshot_id: string }> {
    const id = args.pathId(playlistId, 'playlistId');
    const checked = parseOptions(reorderSchema, move);
    args.params(options);
    return this.request({
      method: 'PUT',
      endpoint: 'PUT /playlists/{id}/items',
      path: `/playlists/${enc(id)}/items`,
      scopes: SCOPES_BY_METHOD.reorderPlaylistItems.anyOf,
      json: {
        range_start: checked.rangeStart,
        insert_before: checked.insertBefore,
        ...(checked.rangeLength === undefined ? {} : { range_length: checked.rangeLength }),
        ...(checked.snapshotId === undefined ? {} : { snapshot_id: checked.snapshotId }),
      },
      schema: snapshotSchema,
      idempotent: checked.snapshotId !== undefined,
      signal: options.signal,
    });
  }

  // ---------------------------------------------------------------- catalog

  /** One artist. */
  async getArtist(artistId: string, options: CallOptions = {}): Promise<SpotifyArtist> {
    return this.request({
      method: 'GET',
      endpoint: 'GET /artists/{id}',
      path: `/artists/${enc(args.pathId(artistId, 'artistId'))}`,
      schema: artistSchema,
      signal: args.params(options).signal,
    });
  }

  /**
   * An artist's albums. `limit` is capped at the mode's maximum: 10 in development mode, 50 in
   * extended mode; in auto mode 10 until {@link SpotifyClient.accessLevel} is `extended`. Ask for one `includeGroups` at a time to know each item's group.
   */
  async getArtistAlbums(
    artistId: string,
    params: OffsetParams & {
      includeGroups?: ReadonlyArray<'album' | 'single' | 'appears_on' | 'compilation'> | undefined;
      market?: string | undefined;
    } = {},
  ): Promise<SpotifyPaging<SpotifySimplifiedAlbum>> {
    const id = args.pathId(artistId, 'artistId');
    args.params(params);
    const groups =
      params.includeGroups === undefined
        ? undefined
        : args.strings(params.includeGroups, 'includeGroups').join(',');
    return this.#withPageLimit(params.limit, (limit) =>
      this.request({
        method: 'GET',
        endpoint: 'GET /artists/{id}/albums',
        path: `/artists/${enc(id)}/albums`,
        query: {
          include_groups: groups,
          market: params.market,
          limit,
          offset: params.offset,
        },
        schema: pagingSchema(simplifiedAlbumSchema),
        signal: params.signal,
      }),
    );
  }

  /** One album. */
  async getAlbum(
    albumId: string,
    options: CallOptions & { market?: string | undefined } = {},
  ): Promise<SpotifyAlbum> {
    args.params(options);
    return this.request({
      method: 'GET',
      endpoint: 'GET /albums/{id}',
      path: `/albums/${enc(args.pathId(albumId, 'albumId'))}`,
      query: { market: options.market },
      schema: albumSchema,
      signal: options.signal,
    });
  }

  /** An album's tracks. */
  async getAlbumTracks(
    albumId: string,
    params: OffsetParams & { market?: string | undefined } = {},
  ): Promise<SpotifyPaging<SpotifySimplifiedTrack>> {
    args.params(params);
    return this.request({
      method: 'GET',
      endpoint: 'GET /albums/{id}/tracks',
      path: `/albums/${enc(args.pathId(albumId, 'albumId'))}/tracks`,
      query: { limit: clampLimit(params.limit, 50), offset: params.offset, market: params.market },
      schema: pagingSchema(simplifiedTrackSchema),
      signal: params.signal,
    });
  }

  /** One track. */
  async getTrack(
    trackId: string,
    options: CallOptions & { market?: string | undefined } = {},
  ): Promise<SpotifyTrack> {
    args.params(options);
    return this.request({
      method: 'GET',
      endpoint: 'GET /tracks/{id}',
      path: `/tracks/${enc(args.pathId(trackId, 'trackId'))}`,
      query: { market: options.market },
      schema: trackSchema,
      signal: options.signal,
    });
  }

  /**
   * Searches the catalog. `limit` is capped at the mode's maximum (10 in development mode, 50 in
   * extended mode; in auto mode 10 until {@link SpotifyClient.accessLevel} is `extended`);
   * `offset` at most 1000.
   */
  async search(
    params: OffsetParams & {
      q: string;
      type: ReadonlyArray<'artist' | 'album' | 'track' | 'playlist'>;
      market?: string | undefined;
    },
  ): Promise<SearchResult> {
    args.search(params);
    const page = <T extends z.ZodType>(item: T) =>
      pagingSchema(z.union([item, z.null()])).optional();
    return this.#withPageLimit(params.limit, (limit) =>
      this.request({
        method: 'GET',
        endpoint: 'GET /search',
        path: '/search',
        query: {
          q: params.q,
          type: params.type.join(','),
          market: params.market,
          limit,
          offset: params.offset === undefined ? undefined : Math.min(params.offset, 1000),
        },
        schema: z.object({
          artists: page(artistSchema),
          albums: page(simplifiedAlbumSchema),
          tracks: page(trackSchema),
          playlists: page(simplifiedPlaylistSchema),
        }) as unknown as z.ZodType<SearchResult>,
        signal: params.signal,
      }),
    );
  }

  /** Several artists by id, in input order (null for unknown ids); see {@link SpotifyClient.getTracks}. */
  async getArtists(
    ids: readonly string[],
    options: CallOptions = {},
  ): Promise<Array<SpotifyArtist | null>> {
    return this.#batch('batch-artists', ids, options, {
      batchPath: '/artists',
      key: 'artists',
      item: artistSchema,
      single: (id) => this.getArtist(id, options),
    });
  }

  /**
   * Several tracks by id, in input order (null for unknown ids). Extended mode: `GET /tracks` in
   * chunks of 50. Development mode: one `GET /tracks/{id}` per id, within `callBudget`.
   * Auto: batch until a 403, then single gets for the rest of the client's life.
   */
  async getTracks(
    ids: readonly string[],
    options: CallOptions = {},
  ): Promise<Array<SpotifyTrack | null>> {
    return this.#batch('batch-tracks', ids, options, {
      batchPath: '/tracks',
      key: 'tracks',
      item: trackSchema,
      single: (id) => this.getTrack(id, options),
    });
  }

  /** Several albums by id (chunks of 20 when batching); see {@link SpotifyClient.getTracks}. */
  async getAlbums(
    ids: readonly string[],
    options: CallOptions = {},
  ): Promise<Array<SpotifyAlbum | null>> {
    return this.#batch('batch-albums', ids, options, {
      batchPath: '/albums',
      key: 'albums',
      item: albumSchema,
      single: (id) => this.getAlbum(id, options),
    });
  }

  /**
   * Audio features (chunks of 100). Development Mode apps lost this endpoint in 2024: the result is
   * then `{ available: false }`, never an exception. In auto mode a 403 switches it off.
   */
  async getAudioFeatures(
    ids: readonly string[],
    options: CallOptions = {},
  ): Promise<AudioFeaturesResult> {
    args.ids(ids);
    args.params(options);
    if (this.#options.mode === 'development')
      return { available: false, reason: 'development_mode' };
    // Spotify also withholds audio features from some Extended Quota apps: a 403 here says
    // nothing about the app's mode, and is an answer (not an error) in every mode.
    const result = await this.#withCapability(
      'audio-features',
      ids.length > 0,
      async () => {
        const features: Array<SpotifyAudioFeatures | null> = [];
        for (const part of chunk(ids, batchLimits['audio-features'])) {
          const body = await this.request({
            method: 'GET',
            endpoint: 'GET /audio-features',
            path: '/audio-features',
            query: { ids: part.join(',') },
            schema: z.object({ audio_features: z.array(audioFeaturesSchema.nullable()) }),
            modeGated: true,
            signal: options.signal,
          });
          features.push(...body.audio_features);
        }
        return features;
      },
      { refusalProvesMode: false, fallBackInEveryMode: true },
    );
    return result.done
      ? { available: true, features: result.value }
      : { available: false, reason: 'endpoint_unavailable' };
  }

  /**
   * Tries an endpoint only some apps have. When the capability is usable, runs `attempt`; an
   * answer proves the app is extended. A 403 for the mode (`ENDPOINT_UNAVAILABLE`) in `auto` mode
   * turns the capability off for the client's life (and, when `refusalProvesMode`, tells the
   * client the app is in Development Mode) and returns `{ done: false }`: the caller falls back
   * (one by one, or "not available"). In the fixed modes that 403 is the caller's error, unless
   * `fallBackInEveryMode`.
   */
  async #withCapability<T>(
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
      const auto = this.#options.mode === 'auto';
      const unavailable = isSpotifyError(error) && error.code === 'ENDPOINT_UNAVAILABLE';
      if (!unavailable || !(auto || options.fallBackInEveryMode)) throw error;
      if (auto) {
        this.#disabled.add(capability);
        if (options.refusalProvesMode) this.#learn('development');
      }
      return { done: false };
    }
  }

  /** Page limit of `search` and artist albums: the extended maximum only once it is known to apply. */
  #smallPageMax(): number {
    return this.accessLevel === 'extended' && !this.#smallPagesOnly ? 50 : 10;
  }

  #learn(level: 'development' | 'extended'): void {
    if (this.#options.mode !== 'auto') return;
    // An extended app may still lack one feature; a success is the stronger evidence.
    if (level === 'extended' || this.#learned === 'unknown') this.#learned = level;
  }

  /**
   * Runs a request whose page limit depends on the learned access level. If auto mode sent the
   * extended limit and Spotify answers 400, it is asked once more with the development limit:
   * when that works, the limit was the fault and development page limits are used from then on;
   * when it fails too, the request itself was bad and the first error is the caller's, changing
   * nothing. Spotify's error bodies carry no reason code for this, so the decision rests on what
   * the second answer proves, never on message text.
   */
  async #withPageLimit<T>(
    requested: number | undefined,
    run: (limit: number | undefined) => Promise<T>,
  ): Promise<T> {
    const limit = clampLimit(requested, this.#smallPageMax());
    try {
      return await run(limit);
    } catch (error) {
      const mayBeTheLimit =
        this.#options.mode === 'auto' &&
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

  async #batch<T>(
    capability: keyof typeof batchLimits,
    ids: readonly string[],
    options: CallOptions,
    spec: {
      batchPath: string;
      key: string;
      item: z.ZodType<T>;
      single: (id: string) => Promise<T>;
    },
  ): Promise<Array<T | null>> {
    args.ids(ids);
    args.params(options);
    const batched = await this.#withCapability(capability, ids.length > 0, async () => {
      const out: Array<T | null> = [];
      for (const part of chunk(ids, batchLimits[capability])) {
        const body = await this.request({
          method: 'GET',
          endpoint: `GET ${spec.batchPath}`,
          path: spec.batchPath,
          query: { ids: part.join(',') },
          schema: z.object({ [spec.key]: z.array(spec.item.nullable()) }) as unknown as z.ZodType<
            Record<string, Array<T | null>>
          >,
          modeGated: true,
          signal: options.signal,
        });
        out.push(...(body[spec.key] ?? []));
      }
      return out;
    });
    if (batched.done) return batched.value;
    const unique = [...new Set(ids)];
    if (unique.length > this.#options.callBudget) {
      throw new SpotifyError({
        code: 'CALL_BUDGET_EXCEEDED',
        message: `Fetching ${unique.length} items one by one exceeds the call budget of ${this.#options.callBudget}`,
      });
    }
    const found = new Map<string, T | null>();
    await Promise.all(
      unique.map(async (id) => {
        try {
          found.set(id, await spec.single(id));
        } catch (error) {
          if (isSpotifyError(error) && error.code === 'NOT_FOUND') found.set(id, null);
          else throw error;
        }
      }),
    );
    return ids.map((id) => found.get(id) ?? null);
  }
}

/** Result of {@link SpotifyClient.search}: one page per requested type. */
export interface SearchResult {
  artists?: SpotifyPaging<SpotifyArtist | null> | undefined;
  albums?: SpotifyPaging<SpotifySimplifiedAlbum | null> | undefined;
  tracks?: SpotifyPaging<SpotifyTrack | null> | undefined;
  playlists?: SpotifyPaging<SpotifySimplifiedPlaylist | null> | undefined;
}

/**
 * Creates a {@link SpotifyClient}. Options are validated here (an `INVALID_OPTIONS` SpotifyError
 * otherwise).
 *
 * @example
 * ```ts
 * const client = createSpotifyClient({
 *   clientId: process.env.SPOTIFY_CLIENT_ID ?? '',
 *   tokenStore: createMemoryTokenStore(tokens),
 *   mode: 'development',
 *   rateLimit: { allowance: 100, windowMs: 30_000, maxRetryAfterMs: 60_000 },
 * });
 * const me = await client.getMe();
 * ```
 */
export function createSpotifyClient(options: SpotifyClientOptions): SpotifyClient {
  return new SpotifyClient(options);
}

function clampLimit(limit: number | undefined, max: number): number | undefined {
  if (limit === undefined) return undefined;
  return Math.max(1, Math.min(max, Math.floor(limit)));
}

function snapshot(usage: CallUsage): CallUsage {
  return { ...usage, byEndpoint: { ...usage.byEndpoint } };
}
