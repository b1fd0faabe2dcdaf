import { z } from 'zod';
import type { SpotifyTokens } from '../token-store.js';
import type { ApiRequest } from './request-executor.js';
import { parseOptions } from './parse-options.js';

const idSchema = z.string().regex(/^[A-Za-z0-9]+$/, 'a Spotify id');
const pathIdSchema = z.string().min(1, 'a non-empty id');
const paramsSchema = z.custom<object>(
  (value) =>
    value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value)),
  { message: 'an options object' },
);
const pagingSchema = z.object({
  limit: z.number().finite().optional(),
  offset: z.number().int().min(0).optional(),
});

/**
 * Argument checks of the client's methods. Each throws an `INVALID_OPTIONS` SpotifyError naming
 * the argument; the methods are `async`, so the caller always gets a rejected promise.
 */
export const args = {
  /** `undefined` or an options object (then returned; `{}` for undefined). */
  params<T extends object>(value: T | undefined, label = 'options'): T {
    parseOptions(z.object({ [label]: paramsSchema }), { [label]: value });
    if (value === undefined) return {} as T;
    const { limit, offset } = value as { limit?: unknown; offset?: unknown };
    parseOptions(pagingSchema, { limit, offset });
    return value;
  },
  /** A non-empty id used in a path (a playlist, artist, album or track id). */
  pathId(value: unknown, label: string): string {
    return parseOptions(z.object({ [label]: pathIdSchema }), { [label]: value })[label] as string;
  },
  /** A list of Spotify ids. */
  ids(value: unknown, label = 'ids'): readonly string[] {
    return parseOptions(z.object({ [label]: z.array(idSchema) }), { [label]: value })[
      label
    ] as string[];
  },
  /** `request()`'s input: a method, an endpoint template and a path starting with `/`. */
  request<T>(value: ApiRequest<T>): ApiRequest<T> {
    parseOptions(
      z.object({
        request: z.object({
          method: z.enum(['GET', 'POST', 'PUT', 'DELETE']),
          endpoint: z.string().min(1),
          path: z.string().startsWith('/'),
          query: z.record(z.string(), z.unknown()).optional(),
        }),
      }),
      { request: value },
    );
    return value;
  },
  /** `exchangeCode()`'s input. */
  exchange<T extends { code: string }>(value: T): T {
    parseOptions(
      z.object({
        code: z.string().min(1),
        codeVerifier: z.string().min(1).optional(),
        redirectUri: z.url().optional(),
      }),
      value,
    );
    return value;
  },
  /** Tokens handed to `setTokens()`. */
  tokens(value: SpotifyTokens): SpotifyTokens {
    parseOptions(
      z.object({
        accessToken: z.string().min(1),
        refreshToken: z.string().min(1).optional(),
        expiresAt: z.number().finite(),
        scope: z.string().optional(),
      }),
      value,
    );
    return value;
  },
  /** `track` or `album`. */
  libraryType(value: unknown): void {
    parseOptions(z.object({ type: z.enum(['track', 'album']) }), { type: value });
  },
  /** An optional insert position. */
  position(value: unknown): number | undefined {
    return parseOptions(z.object({ position: z.number().int().min(0).optional() }), {
      position: value,
    }).position;
  },
  /** `createPlaylist()`'s input. */
  createPlaylist<T extends object>(value: T): T {
    parseOptions(
      z.object({
        name: z.string().min(1),
        description: z.string().optional(),
        public: z.boolean().optional(),
        collaborative: z.boolean().optional(),
      }),
      value,
    );
    return value;
  },
  /** `search()`'s input: a query and the item types. */
  search(value: unknown): void {
    parseOptions(
      z.object({
        q: z.string().min(1),
        type: z.array(z.enum(['artist', 'album', 'track', 'playlist'])).min(1),
        limit: z.number().finite().optional(),
        offset: z.number().int().min(0).optional(),
        market: z.string().optional(),
      }),
      value,
    );
  },
  /** A list of URIs (or other strings). */
  strings(value: unknown, label: string): readonly string[] {
    return parseOptions(z.object({ [label]: z.array(z.string().min(1)) }), { [label]: value })[
      label
    ] as string[];
  },
};
