import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Whether Redis answers, watched by one connection. */
export interface RedisHealth {
  /** True while Redis is reachable: Spotify limits are then shared by every process. */
  readonly up: boolean;
  /** ioredis options of the watched server, for the clients' shared limiter. */
  readonly clientOptions: Readonly<Record<string, unknown>>;
  close(): void;
}

/**
 * Watches Redis: while it is down, Spotify clients fall back to per-process limits. Each change
 * is logged once ("down: per-process limits", "back: shared limits"), not per job.
 */
export function watchRedis(url: string, logger: Logger): RedisHealth {
  const parsed = new URL(url);
  const clientOptions = {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  const redis = new Redis({
    ...clientOptions,
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 1_000,
  });
  let up = false;
  let known: boolean | null = null;
  const report = (now: boolean) => {
    up = now;
    if (known === now) return;
    if (now) logger.info('redis reachable: spotify limits shared by every process');
    else logger.warn('redis unavailable: per-process spotify limits until it is back');
    known = now;
  };
  redis.on('ready', () => report(true));
  redis.on('error', () => report(false));
  redis.on('end', () => report(false));
  redis.on('close', () => report(false));
  return {
    get up() {
      return up;
    },
    clientOptions,
    close: () => redis.disconnect(),
  };
}
