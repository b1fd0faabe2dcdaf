import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';

/**
 * Request limits in one minute windows: a general one per client address; a tighter one per
 * address for sign-in and for state-changing requests of visitors who are not signed in; and one
 * per signed-in user for their state-changing requests (pins, playlists, imports), so a busy
 * session is not counted against the sign-in limit. With Redis they are shared by every server
 * process.
 */
export function rateLimits(options: {
  perMinute: number;
  authPerMinute: number;
  writesPerMinute: number;
  redis: Redis | undefined;
  prefix: string;
}): { general: RequestHandler; auth: RequestHandler; writes: RequestHandler } {
  const store = (name: string) =>
    options.redis === undefined
      ? undefined
      : new RedisStore({
          prefix: `${options.prefix}${name}:`,
          sendCommand: (command: string, ...args: string[]) =>
            options.redis?.call(command, ...args) as Promise<RedisReply>,
        });
  const make = (
    name: string,
    limit: number,
    keyGenerator?: (req: Request, res: Response) => string,
  ) => {
    const s = store(name);
    return rateLimit({
      windowMs: 60_000,
      limit,
      ...(keyGenerator === undefined ? {} : { keyGenerator }),
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
  const perUser = (req: Request, res: Response) => {
    const user = res.locals.user as { id: string } | undefined;
    return user === undefined ? `ip:${ipKeyGenerator(req.ip ?? '')}` : `user:${user.id}`;
  };
  return {
    general: make('all', options.perMinute),
    auth: make('auth', options.authPerMinute),
    writes: make('writes', options.writesPerMinute, perUser),
  };
}
