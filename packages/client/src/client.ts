import { SpotifyError } from './errors/spotify-error.js';
import type { SpotifyClientHooks } from './hooks.js';
import * as albums from './endpoints/albums.js';
import * as artists from './endpoints/artists.js';
import * as library from './endpoints/library.js';
import type { LibraryItemType } from './endpoints/library.js';
import type { CallOptions, OffsetParams, ReadOptions } from './endpoints/params.js';
import * as player from './endpoints/player.js';
import * as playlists from './endpoints/playlists.js';
import type { ReorderPlaylistItems } from './endpoints/playlists.js';
import * as catalogSearch from './endpoints/search.js';
import type { SearchResult } from './endpoints/search.js';
import * as tracks from './endpoints/tracks.js';
import type { AudioFeaturesResult } from './endpoints/tracks.js';
import * as users from './endpoints/users.js';
import type { TimeRange } from './endpoints/users.js';
import { abortable } from './internal/abortable.js';
import { args } from './internal/args.js';
import { type Capability, ClientCore } from './internal/client-core.js';
import type { ApiRequest } from './internal/request-executor.js';
import type { CallUsage } from './internal/usage.js';
import type { SpotifyClientOptions, SpotifyMode } from './options.js';
import { type PageParams, type PaginateOptions, paginate } from './paginate.js';
import type { SpotifyAlbum, SpotifySimplifiedAlbum } from './schemas/album.js';
import type { SpotifyArtist } from './schemas/artist.js';
import type {
  SpotifyPlayHistory,
  SpotifySavedAlbum,
  SpotifySavedTrack,
} from './schemas/library.js';
import type { SpotifyCursorPaging, SpotifyPaging } from './schemas/paging.js';
import type {
  SpotifyPlaylist,
  SpotifyPlaylistTrack,
  SpotifySimplifiedPlaylist,
} from './schemas/playlist.js';
import type { SpotifySimplifiedTrack, SpotifyTrack } from './schemas/track.js';
import type { SpotifyUser } from './schemas/user.js';
import type { SpotifyTokens } from './token-store.js';

/**
 * A Spotify Web API client that paces itself to the rolling window, cools down together on a
 * 429, fails fast on the daily quota, retries transient faults with jittered backoff, refreshes
 * tokens ahead of expiry, and knows what Development Mode apps may call.
 * Create it with {@link createSpotifyClient}.
 */
export class SpotifyClient {
  /** The pipeline and what the client has learned; holds the options (and so the client secret). */
  readonly #core: ClientCore;

  constructor(options: SpotifyClientOptions) {
    this.#core = new ClientCore(options);
  }

  /** The app's client id (not a secret). */
  get clientId(): string {
    return this.#core.options.clientId;
  }

  /**
   * The rate-limit allowance in use, calls per `rateLimit.windowMs`: the configured one, or what
   * the client has learned from 429s so far when none is configured.
   */
  get allowance(): number {
    return this.#core.limiter.allowance;
  }

  /**
   * What `JSON.stringify(client)` shows: the client id, mode and access level, never a secret,
   * token or option object.
   */
  toJSON(): { clientId: string; mode: SpotifyMode; accessLevel: string } {
    return {
      clientId: this.#core.options.clientId,
      mode: this.mode,
      accessLevel: this.accessLevel,
    };
  }

  /** What `util.inspect(client)` and `console.log(client)` show: the same as {@link SpotifyClient.toJSON}. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const { clientId, mode, accessLevel } = this.toJSON();
    return `SpotifyClient { clientId: ${JSON.stringify(clientId)}, mode: '${mode}', accessLevel: '${accessLevel}' }`;
  }

  // ---------------------------------------------------------------- infrastructure

  /** The mode the client runs in. */
  get mode(): SpotifyMode {
    return this.#core.options.mode;
  }

  /**
   * What the app is known to have access to. `development` and `extended` modes state it; `auto`
   * starts `unknown`, becomes `extended` when a batch, audio-features or per-type library call
   * succeeds, and `development` when a batch or per-type library call answers 403. Page limits
   * follow it (`search` and artist albums: 50 once `extended`, 10 otherwise).
   */
  get accessLevel(): 'unknown' | 'development' | 'extended' {
    return this.#core.accessLevel;
  }

  /** Whether a capability is usable now (`auto` turns one off after a 403). */
  hasCapability(capability: Capability): boolean {
    return this.#core.hasCapability(capability);
  }

  /** Adds an event listener (request, response, retry, rateLimit, validation); returns an unsubscribe function. */
  on<K extends keyof SpotifyClientHooks>(
    name: K,
    listener: NonNullable<SpotifyClientHooks[K]>,
  ): () => void {
    return this.#core.executor.on(name, listener);
  }

  /** HTTP calls made so far, per endpoint template (`GET /artists/{id}`). */
  callCounts(): Record<string, number> {
    return this.#core.executor.callCounts();
  }

  /** Total HTTP calls made to the Web API so far. */
  totalCalls(): number {
    return this.#core.executor.totalCalls();
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
    const value = await this.#core.usage.run((live) => {
      usage = live;
      return fn(live);
    });
    return { value, usage: snapshot(usage as CallUsage) };
  }

  /** Resets {@link SpotifyClient.callCounts}. */
  resetCallCounts(): void {
    this.#core.executor.resetCallCounts();
  }

  /** Runs a raw API request through the whole pipeline (limiter, retries, auth, cache). */
  async request<T = unknown>(req: ApiRequest<T>): Promise<T> {
    return this.#core.request(req);
  }

  /** Exchanges an authorization code (plus the PKCE verifier for public clients) and stores the tokens. */
  async exchangeCode(input: {
    code: string;
    codeVerifier?: string | undefined;
    redirectUri?: string | undefined;
    signal?: AbortSignal | undefined;
  }): Promise<SpotifyTokens> {
    return this.#core.tokens.exchangeCode(args.exchange(input));
  }

  /** Stores tokens obtained elsewhere. */
  async setTokens(tokens: SpotifyTokens): Promise<void> {
    return this.#core.tokens.setTokens(args.tokens(tokens));
  }

  /**
   * Forces a token refresh now (concurrent calls share one request). `signal` stops this caller
   * from waiting; the shared refresh itself goes on for the others.
   */
  async refreshTokens(options: CallOptions = {}): Promise<SpotifyTokens> {
    const { signal } = args.params(options);
    return abortable(this.#core.tokens.refresh(), signal);
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
    return this.#core.limiter.disconnect();
  }

  // ---------------------------------------------------------------- user (endpoints/users.ts, player.ts)

  /** The current user (`GET /me`). */
  async getMe(options: CallOptions = {}): Promise<SpotifyUser> {
    return users.getMe(this.#core, options);
  }

  /** The user's top artists for a time range. */
  async getTopArtists(
    params: OffsetParams & { timeRange?: TimeRange | undefined } = {},
  ): Promise<SpotifyPaging<SpotifyArtist>> {
    return users.getTopArtists(this.#core, params);
  }

  /** The user's top tracks for a time range. */
  async getTopTracks(
    params: OffsetParams & { timeRange?: TimeRange | undefined } = {},
  ): Promise<SpotifyPaging<SpotifyTrack>> {
    return users.getTopTracks(this.#core, params);
  }

  /** Recently played tracks (at most the last 50); `after`/`before` are Unix ms cursors, never both. */
  async getRecentlyPlayed(
    params: CallOptions & {
      limit?: number | undefined;
      after?: string | number | undefined;
      before?: string | number | undefined;
    } = {},
  ): Promise<SpotifyCursorPaging<SpotifyPlayHistory>> {
    return player.getRecentlyPlayed(this.#core, params);
  }

  // ---------------------------------------------------------------- library (endpoints/library.ts)

  /** Saved tracks, newest first. */
  async getSavedTracks(
    params: OffsetParams & { market?: string | undefined } = {},
  ): Promise<SpotifyPaging<SpotifySavedTrack>> {
    return library.getSavedTracks(this.#core, params);
  }

  /** Saved albums, newest first. */
  async getSavedAlbums(
    params: OffsetParams & { market?: string | undefined } = {},
  ): Promise<SpotifyPaging<SpotifySavedAlbum>> {
    return library.getSavedAlbums(this.#core, params);
  }

  /** Followed artists (cursor `after` = last artist id). */
  async getFollowedArtists(
    params: CallOptions & { limit?: number | undefined; after?: string | number | undefined } = {},
  ): Promise<SpotifyCursorPaging<SpotifyArtist>> {
    return users.getFollowedArtists(this.#core, params);
  }

  /** Saves items (tracks, albums, episodes... by URI) with the 2026 `PUT /me/library`, 40 per call. */
  async saveToLibrary(uris: readonly string[], options: CallOptions = {}): Promise<void> {
    return library.writeLibrary(this.#core, 'PUT', uris, options);
  }

  /** Removes items by URI with `DELETE /me/library`, 40 per call. */
  async removeFromLibrary(uris: readonly string[], options: CallOptions = {}): Promise<void> {
    return library.writeLibrary(this.#core, 'DELETE', uris, options);
  }

  /** Whether each URI is in the library (`GET /me/library/contains`), in input order. */
  async libraryContains(uris: readonly string[], options: CallOptions = {}): Promise<boolean[]> {
    return library.libraryContains(this.#core, uris, options);
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
    return library.libraryByType(this.#core, 'PUT', params).then(() => undefined);
  }

  /** Removes tracks or albums by id; endpoints chosen as in {@link SpotifyClient.saveLibraryItems}. */
  async removeLibraryItems(
    params: CallOptions & { type: LibraryItemType; ids: readonly string[] },
  ): Promise<void> {
    return library.libraryByType(this.#core, 'DELETE', params).then(() => undefined);
  }

  /**
   * Whether each track or album id is saved, in input order; endpoints chosen as in
   * {@link SpotifyClient.saveLibraryItems}.
   */
  async libraryItemsContain(
    params: CallOptions & { type: LibraryItemType; ids: readonly string[] },
  ): Promise<boolean[]> {
    return library.libraryByType(this.#core, 'GET', params);
  }

  // ---------------------------------------------------------------- playlists (endpoints/playlists.ts)

  /** The current user's playlists. */
  async getMyPlaylists(
    params: OffsetParams & ReadOptions = {},
  ): Promise<SpotifyPaging<SpotifySimplifiedPlaylist>> {
    return playlists.getMyPlaylists(this.#core, params);
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
    return playlists.createPlaylist(this.#core, params);
  }

  /** A playlist. */
  async getPlaylist(playlistId: string, options: ReadOptions = {}): Promise<SpotifyPlaylist> {
    return playlists.getPlaylist(this.#core, playlistId, options);
  }

  /** One page of a playlist's items (`/playlists/{id}/items`, owned or collaborative playlists only). */
  async getPlaylistItems(
    playlistId: string,
    params: OffsetParams & ReadOptions & { market?: string | undefined } = {},
  ): Promise<SpotifyPaging<SpotifyPlaylistTrack>> {
    return playlists.getPlaylistItems(this.#core, playlistId, params);
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
    return playlists.addPlaylistItems(this.#core, playlistId, uris, options);
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
    return playlists.removePlaylistItems(this.#core, playlistId, uris, options);
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
    return playlists.replacePlaylistItems(this.#core, playlistId, uris, options);
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
    return playlists.reorderPlaylistItems(this.#core, playlistId, move, options);
  }

  // ---------------------------------------------------------------- catalog (endpoints/artists.ts, albums.ts, tracks.ts, search.ts)

  /** One artist. */
  async getArtist(artistId: string, options: CallOptions = {}): Promise<SpotifyArtist> {
    return artists.getArtist(this.#core, artistId, options);
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
    return artists.getArtistAlbums(this.#core, artistId, params);
  }

  /** One album. */
  async getAlbum(
    albumId: string,
    options: CallOptions & { market?: string | undefined } = {},
  ): Promise<SpotifyAlbum> {
    return albums.getAlbum(this.#core, albumId, options);
  }

  /** An album's tracks. */
  async getAlbumTracks(
    albumId: string,
    params: OffsetParams & { market?: string | undefined } = {},
  ): Promise<SpotifyPaging<SpotifySimplifiedTrack>> {
    return albums.getAlbumTracks(this.#core, albumId, params);
  }

  /** One track. */
  async getTrack(
    trackId: string,
    options: CallOptions & { market?: string | undefined } = {},
  ): Promise<SpotifyTrack> {
    return tracks.getTrack(this.#core, trackId, options);
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
    return catalogSearch.search(this.#core, params);
  }

  /** Several artists by id, in input order (null for unknown ids); see {@link SpotifyClient.getTracks}. */
  async getArtists(
    ids: readonly string[],
    options: CallOptions = {},
  ): Promise<Array<SpotifyArtist | null>> {
    return artists.getArtists(this.#core, ids, options);
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
    return tracks.getTracks(this.#core, ids, options);
  }

  /** Several albums by id (chunks of 20 when batching); see {@link SpotifyClient.getTracks}. */
  async getAlbums(
    ids: readonly string[],
    options: CallOptions = {},
  ): Promise<Array<SpotifyAlbum | null>> {
    return albums.getAlbums(this.#core, ids, options);
  }

  /**
   * Audio features (chunks of 100). Development Mode apps lost this endpoint in 2024: the result is
   * then `{ available: false }`, never an exception. In auto mode a 403 switches it off.
   */
  async getAudioFeatures(
    ids: readonly string[],
    options: CallOptions = {},
  ): Promise<AudioFeaturesResult> {
    return tracks.getAudioFeatures(this.#core, ids, options);
  }
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

function snapshot(usage: CallUsage): CallUsage {
  return { ...usage, byEndpoint: { ...usage.byEndpoint } };
}
