import { createSpotifyClient } from '@spoti/client';
import type { SpotifyAccess } from '@spoti/example-server/src/auth/spotify.js';
import { EMBEDDED_CLIENT_ID } from '@spoti/example-server/src/auth/spotify.js';
import type { SpotifyConfig } from '@spoti/example-server/src/config.js';
import type { RedisHealth } from './redis-health.js';

/** Options of {@link workerSpotify}. */
export interface WorkerSpotifyOptions {
  readonly config: SpotifyConfig;
  /** A Spotify stand-in instead of `config` (tests, benchmarks, demos). */
  readonly mock: { readonly apiUrl: string; readonly accountsUrl: string } | undefined;
  readonly clock: { now(): number };
  /** Shared limits through Redis while it is up; per-process limits otherwise. */
  readonly redis: RedisHealth | undefined;
  /** Prefix of the Redis keys (the server's `REDIS_PREFIX`). */
  readonly redisPrefix: string;
  /** Pacing window and allowance (default: the client's). */
  readonly rate?: { readonly windowMs?: number; readonly allowance?: number };
}

/**
 * Spotify as the worker reaches it: every client it makes shares one rate limit, cooldown and
 * quota block with every other process of the app through Redis (same limiter id), or keeps
 * per-process limits while Redis is down.
 */
export function workerSpotify(options: WorkerSpotifyOptions): SpotifyAccess {
  const { config, mock } = options;
  const base =
    mock !== undefined
      ? { clientId: EMBEDDED_CLIENT_ID, apiBaseUrl: mock.apiUrl, accountsBaseUrl: mock.accountsUrl }
      : config.kind === 'real'
        ? {
            clientId: config.clientId,
            apiBaseUrl: config.apiBaseUrl,
            accountsBaseUrl: config.accountsBaseUrl,
          }
        : null;
  if (base === null) {
    throw new Error(
      'The worker needs Spotify: set SPOTIFY_CLIENT_ID (real) or SPOTIFY_API_URL and SPOTIFY_ACCOUNTS_URL (a mock)',
    );
  }
  const secret = config.kind === 'real' && mock === undefined ? config.clientSecret : undefined;
  return {
    kind: mock === undefined ? 'real' : 'embedded',
    clientId: base.clientId,
    accountsBaseUrl: base.accountsBaseUrl,
    apiBaseUrl: base.apiBaseUrl,
    mock: undefined,
    clientFor: (tokenStore, redirectUri) =>
      createSpotifyClient({
        ...base,
        ...(secret === undefined ? {} : { clientSecret: secret }),
        redirectUri,
        tokenStore,
        mode: 'development',
        clock: options.clock,
        ...(mock === undefined ? {} : { retry: { retries: 2, minTimeout: 50, maxTimeout: 500 } }),
        rateLimit: {
          ...options.rate,
          ...(options.redis?.up === true
            ? {
                redis: {
                  id: `${options.redisPrefix}spotify:${base.clientId}`,
                  clientOptions: { ...options.redis.clientOptions, enableOfflineQueue: false },
                },
              }
            : {}),
        },
      }),
    close: async () => {},
  };
}
