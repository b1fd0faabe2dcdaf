import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';

/**
 * Request limits per client address, one minute windows: a general one, and a tighter one for
 * sign-in and state-changing requests. With Redis they are shared by every server process.
 */
export function rateLimits(options: {
  perMinute: number;
  authPerMinute: number;
  redis: Redis | undefined;
  prefix: string;
}): { general: RequestHandler; auth: RequestHandler } {
  const store = (name: string) =>
    options.redis === undefined
      ? undefined
      : new RedisStore({
          prefix: `${options.prefix}${name}:`,
          sendCommand: (command: string, ...args: string[]) =>
            options.redis?.call(command, ...args) as Promise<RedisReply>,
        });
  const make = (name: string, limit: number) => {
    const s = store(name);
    return rateLimit({
      windowMs: 60_000,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      ...(s === undefined ? {} : { store: s }),
      handler: (_req, _res, next) =>
        next(
          Object.assign(new Error('Too many requests: wait a minute and try again'), {
            status: 429,
            expose: true,
            code: 'RATE_LIMITED',
          }),
        ),
    });
  };
  return { general: make('all', options.perMinute), auth: make('auth', options.authPerMinute) };
}
