import type { ProfileName, World, WorldUser } from '../world/types.js';
import type { AccessTokenRecord } from './auth-store.js';
import type { Availability } from './availability.js';

/** What serialisers and handlers need to know about the running mock. */
export interface ServeState {
  readonly world: World;
  readonly profile: ProfileName;
  /** The Web API base, `http://127.0.0.1:PORT/v1`. */
  readonly api: string;
  now(): number;
  /** Tracks removed or restricted through `controls.catalog`. */
  readonly availability: Availability;
  /**
   * The request's market (a valid `market` parameter, `from_token` resolved to the user's
   * country), when it has one: track objects then carry `is_playable` (and `restrictions`).
   */
  readonly market?: string;
}

export interface RouteContext {
  readonly state: ServeState;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly token: AccessTokenRecord | undefined;
  /** The token's user (routes with `auth: 'user'` only). */
  readonly user: WorldUser;
  /** The request's path and query as received (for paging `href`s). */
  readonly href: string;
}

export interface RouteResult {
  readonly status?: number;
  readonly body?: unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly pattern: string;
  /** `user`: a user token; `any`: user or app token. */
  readonly auth: 'user' | 'any';
  /** Any one of these scopes suffices. */
  readonly scopes?: readonly string[];
  /** Profiles serving this route; elsewhere it answers 403 like a removed endpoint. */
  readonly profiles?: readonly ProfileName[];
  handler(ctx: RouteContext): RouteResult;
}
