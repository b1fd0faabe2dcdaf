import type {
  ProfileName,
  World,
  WorldOptions,
  WorldPlay,
  WorldAlbum,
  WorldUser,
} from '../world/types.js';
import type { TrackAvailability } from './availability.js';

/** The mock's clock. Starts at the world's `startTimeMs` and moves only when told to. */
export interface MockClock {
  /** The mock's current time, Unix ms. */
  now(): number;
  /** Moves the clock forward by `ms` (new plays and releases become visible). */
  advance(ms: number): void;
  /** Sets the clock to `ms`. */
  set(ms: number): void;
}

/** A client application the accounts service accepts (when `clients` is given, only these). */
export interface MockClient {
  readonly clientId: string;
  /** When given, confidential flows must present this secret. */
  readonly clientSecret?: string;
  /** When given, `/authorize` and the code exchange accept only these redirect URIs. */
  readonly redirectUris?: readonly string[];
}

/** Rolling-window rate limit per client id (off unless given). */
export interface RateLimitOptions {
  /** The window length, ms. Default 30 000 like Spotify. */
  readonly windowMs?: number;
  /** Requests allowed per window and client. */
  readonly allowance: number;
  /** A fixed `Retry-After`; default: the seconds until the oldest request leaves the window. */
  readonly retryAfterSeconds?: number;
}

/** Daily quota per client and mock day (UTC), off unless given. */
export interface QuotaOptions {
  /** Requests allowed per client and mock day. */
  readonly daily: number;
  /** A fixed `Retry-After`; default: the seconds until the next mock UTC midnight. */
  readonly retryAfterSeconds?: number;
}

/** Random faults; rates are probabilities in 0..1 drawn from the mock's seeded PRNG. */
export interface FaultSettings {
  /** Share of requests answered with a server error picked from `statuses`. */
  readonly errorRate?: number;
  /** Statuses for `errorRate`. Default `[500, 502, 503]`. */
  readonly statuses?: readonly number[];
  /** Latency added to every matching request, ms. */
  readonly latencyMs?: number;
  /** Share of requests whose socket is destroyed without an answer. */
  readonly dropRate?: number;
  /** Share of requests answered 200 with broken JSON. */
  readonly malformedRate?: number;
  /** Share of authenticated requests answered 401 "The access token expired" although the token is valid. */
  readonly earlyExpiryRate?: number;
  /** Only requests whose path matches get random faults. Default: every path. */
  readonly paths?: RegExp;
  /** `Retry-After` (seconds) of random 429s picked from `statuses`. Default 1, like scripted ones. */
  readonly retryAfterSeconds?: number;
  /**
   * Share of writes (`POST`, `PUT`, `DELETE` on the Web API) that are applied and whose answer is
   * then lost: the connection is dropped (or, with `lostAnswerDelayMs`, the answer is held back).
   */
  readonly lostAnswerRate?: number;
  /**
   * With `lostAnswerRate`: hold a lost answer back this long before sending it (a delay past the
   * client's timeout) instead of dropping the connection.
   */
  readonly lostAnswerDelayMs?: number;
}

/** One scripted fault: the next request gets it, then the script moves on. */
export type FaultStep =
  | { readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly drop: true }
  | { readonly malformed: true }
  | { readonly latencyMs: number }
  | { readonly earlyExpiry: true }
  /**
   * The next write (`POST`, `PUT`, `DELETE` on the Web API; reads pass it by) is applied and its
   * answer lost: the connection is dropped, or with `delayMs` the answer is held back that long
   * (past the client's timeout). The step waits at the head of the script until a write comes.
   */
  | { readonly lostAnswer: true; readonly delayMs?: number };

/** Options of {@link startMock}. Every field is optional. */
export interface MockOptions {
  /** Seed of the world (when the mock builds it) and of the fault PRNG. Default 42. */
  readonly seed?: number;
  /** Platform rules to apply. Default `development-2026`. */
  readonly profile?: ProfileName;
  /** Port to listen on; 0 picks a free one. Default 0. */
  readonly port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  readonly host?: string;
  /** A world to serve (shared, mutated by library and playlist writes). */
  readonly world?: World;
  /** Options for the world the mock builds when `world` is not given (`seed` defaults to the mock's). */
  readonly worldOptions?: Partial<WorldOptions>;
  /** Access-token lifetime, seconds of mock time. Default 3600. */
  readonly accessTokenTtlSeconds?: number;
  /** Registered clients; when given, other client ids are rejected. Default: any id and secret. */
  readonly clients?: readonly MockClient[];
  /** Rate limit per client id. Default: off. */
  readonly rateLimit?: RateLimitOptions;
  /** Daily quota per client id. Default: off. */
  readonly quota?: QuotaOptions;
  /** Random faults from the start. Default: none. */
  readonly faults?: FaultSettings;
  /** The clock's start, Unix ms. Default: the world's `startTimeMs`. */
  readonly startTimeMs?: number;
}

/** Tokens as the token endpoint returns them. */
export interface IssuedTokens {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
  readonly token_type: 'Bearer';
  readonly scope: string;
}

/** One entry of the request log. Never holds a token, code or secret. */
export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  /** Query parameters, without any credential-like parameter. */
  readonly query: Readonly<Record<string, string>>;
  /** The endpoint key, e.g. `GET /v1/me/top/{type}`. */
  readonly endpoint: string;
  /** The status sent, or 0 when the connection was dropped. */
  readonly status: number;
  /** Mock-clock time of the request, Unix ms. */
  readonly timeMs: number;
  /**
   * Set when a lost-answer fault hit this write: it was applied (`status` is the answer it would
   * have had) but the answer was dropped (`'dropped'`) or held back past the timeout (`'delayed'`).
   */
  readonly answerLost?: 'dropped' | 'delayed';
}

/** A release as the ground truth knows it. */
export interface TruthRelease {
  readonly album: WorldAlbum;
  readonly releasedAtMs: number;
}

/**
 * A release for `controls.catalog.addRelease`.
 *
 * @example
 * ```ts
 * const late: AddReleaseOptions = { artistId, type: 'single', releaseDate: '1987-06' };
 * ```
 */
export interface AddReleaseOptions {
  /** An artist of the world. */
  readonly artistId: string;
  /** Default: a generated title. */
  readonly name?: string;
  readonly type: 'album' | 'single' | 'compilation';
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; the format sets `release_date_precision`. */
  readonly releaseDate: string;
  /** When it appears on the service, Unix ms of the mock clock. Default: the clock's now. */
  readonly availableAtMs?: number;
  /** ISO 3166-1 alpha-2 markets it is sold in. Default: every market of the world. */
  readonly markets?: readonly string[];
  /** Also add a clean edition of the (then explicit) release. Default false. */
  readonly explicitAndClean?: boolean;
  /** Number of tracks, 1..100. Default: 10 for an album, 1 for a single, 14 for a compilation. */
  readonly tracks?: number;
}

/**
 * Test controls of a running mock.
 *
 * @example
 * ```ts
 * const { controls } = await startMock({ seed: 1 });
 * controls.clock.advance(3_600_000);
 * controls.catalog.restrictTrack(trackId, ['SE']);
 * const plays = controls.truth.plays(userId, { sinceMs: controls.clock.now() - 3_600_000 });
 * ```
 */
export interface MockControls {
  readonly clock: MockClock;
  /**
   * Catalogue changes, as happen on Spotify when rights change. They apply to this mock only (not
   * to other mocks serving the same world) and `reset()` undoes them.
   */
  readonly catalog: {
    /**
     * Removes a track: `GET /tracks/{id}` answers 404, it leaves album track lists (and their
     * totals), search, top tracks and the user's saved tracks (`/me/tracks`,
     * `/me/library/contains`); it cannot be saved or added to playlists. Playlists keep it, served
     * with `is_playable: false` when a market is given. Plays of it that would start after the
     * removal never happen (recently played and `truth.plays` agree).
     *
     * @throws MockError `UNKNOWN_TRACK` when the world has no such track.
     */
    removeTrack(trackId: string): void;
    /**
     * Makes a track available only in `markets` (ISO 3166-1 alpha-2 codes); `null` lifts the
     * restriction. With a `market` parameter (or `market=from_token`: the user's country), track
     * objects carry `is_playable: false` and `restrictions: { reason: 'market' }` where it is
     * unavailable, it is missing from search in that market, and it is not relinked. Plays by users
     * whose country is not in `markets` stop after the change.
     *
     * @throws MockError `UNKNOWN_TRACK` for an unknown track, `INVALID_OPTIONS` for bad markets.
     */
    restrictTrack(trackId: string, markets: readonly string[] | null): void;
    /** Undoes `removeTrack` and `restrictTrack` for the track. */
    restoreTrack(trackId: string): void;
    /**
     * Adds a release of an existing artist, e.g. an old album that appears on the service late
     * (`releaseDate: '1994'`, available now), to test release watchers. It is hidden until
     * `availableAtMs` (the clock's now by default), then served like any album (`/albums/{id}`,
     * `/artists/{id}/albums`, search, saving) with the given `release_date` and its precision,
     * and listed by `truth.releases` (whose `sinceMs` compares with `availableAtMs`). Unlike the
     * other catalogue changes it is added to the world itself (every mock serving the world sees
     * it) and `reset()` keeps it. Listening histories never play it.
     *
     * @returns The created album (with `explicitAndClean`, the explicit edition; its clean
     *   edition has `cleanVersionOf` set to its id).
     * @throws MockError `UNKNOWN_ARTIST` for an unknown artist, `INVALID_OPTIONS` for bad fields.
     * @example
     * ```ts
     * const album = controls.catalog.addRelease({ artistId, type: 'album', releaseDate: '1994-05' });
     * ```
     */
    addRelease(release: AddReleaseOptions): WorldAlbum;
  };
  readonly auth: {
    /** Issues tokens directly, skipping the OAuth dance. Defaults: the consent user, every scope. */
    issueTokens(options?: {
      userId?: string;
      scopes?: readonly string[];
      clientId?: string;
      expiresInSeconds?: number;
      /**
       * Issue them as a confidential client's code exchange would (without PKCE): refreshing
       * then needs the client secret. Default false (a public PKCE client).
       */
      confidential?: boolean;
    }): IssuedTokens;
    /** The user `/authorize` auto-consents as. Default: the world's first user. */
    setConsentUser(userId: string): void;
    /** Makes every access token issued so far expired. */
    expireAccessTokens(): void;
    /** Makes every refresh token issued so far expired (`invalid_grant`). */
    expireRefreshTokens(): void;
  };
  readonly faults: {
    /** Replaces the random fault settings. */
    set(settings: FaultSettings): void;
    /** Queues faults for the next requests, in order. */
    script(steps: readonly FaultStep[]): void;
    /** Removes random and scripted faults. */
    clear(): void;
  };
  readonly requests: {
    /** Requests per endpoint key, plus `total`. */
    counts(): Readonly<Record<string, number>>;
    /** Every request so far, oldest first. */
    log(): readonly RequestLogEntry[];
    reset(): void;
  };
  readonly truth: {
    /**
     * Every play of the user up to the mock's now (including plays under 30 s), ascending by end
     * time; with `sinceMs`, only plays that ended at or after it. Cheap to call repeatedly: the
     * history is generated once and, while the clock stands still, the same array is returned
     * (read-only: do not mutate it; a later call after the clock moved returns a new one).
     */
    plays(userId: string, options?: { sinceMs?: number }): readonly WorldPlay[];
    /** Current removals and market restrictions made through `catalog`, oldest change first. */
    availability(): readonly TrackAvailability[];
    /** Released albums (at the mock's now), optionally since a time and by artists. */
    releases(options?: { sinceMs?: number; artistIds?: readonly string[] }): readonly WorldAlbum[];
    user(userId: string): WorldUser;
  };
  /**
   * Clears faults, request log, rate-limit and quota counters and catalogue changes, and rewinds
   * the clock to its start. Library and playlist writes stay.
   */
  reset(): void;
}

/** A running mock. */
export interface MockServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `${url}/v1`: the Web API base. */
  readonly apiUrl: string;
  /** `${url}`: `/authorize` and `/api/token` live at its root, like accounts.spotify.com. */
  readonly accountsUrl: string;
  readonly profile: ProfileName;
  readonly world: World;
  readonly controls: MockControls;
  /** Stops the server and closes open connections. */
  close(): Promise<void>;
}
