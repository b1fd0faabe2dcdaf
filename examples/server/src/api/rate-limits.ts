import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { ApiProblem } from './problem.js';

/** Options of {@link apiRateLimits}. */
export interface ApiRateLimitOptions {
  readonly perMinute: number;
  readonly loginPer15Minutes: number;
  readonly redis: Redis | undefined;
  /** Prefix of the Redis keys. */
  readonly prefix: string;
}

function limited(retryAfterMs: number | undefined, what: string): ApiProblem {
  const seconds = Math.max(1, Math.ceil((retryAfterMs ?? 60_000) / 1000));
  return new ApiProblem('RATE_LIMITED', `Too many ${what}: try again in ${seconds} s`, {
    retryAfterSeconds: seconds,
    extra: { retryAfterSeconds: seconds },
  });
}

function resetIn(req: Request): number | undefined {
  const info = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit;
  return info?.resetTime === undefined ? undefined : info.resetTime.getTime() - Date.now();
}

/**
 * The API's request limits, shared by every process through Redis when configured:
 * - `perToken`: requests per minute per bearer token (keyed by the token's hash, never the token),
 *   or per client address for requests without one;
 * - `login`: login attempts per 15 minutes per email and, separately, per address.
 */
export function apiRateLimits(options: ApiRateLimitOptions): {
  perToken: RequestHandler;
  login: RequestHandler[];
} {
  const store = (name: string) =>
    options.redis === undefined
      ? undefined
      : new RedisStore({
          prefix: `${options.prefix}${name}:`,
          sendCommand: (command: string, ...args: string[]) =>
            options.redis?.call(command, ...args) as Promise<RedisReply>,
        });
  const tokenKey = (req: Request): string => {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)/i.exec(header)?.[1];
    return token === undefined
      ? `ip:${ipKeyGenerator(req.ip ?? '')}`
      : `tok:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
  };
  const make = (
    name: string,
    windowMs: number,
    limit: number,
    key: (req: Request) => string,
    what: string,
    skip?: (req: Request) => boolean,
  ) => {
    const s = store(name);
    return rateLimit({
      windowMs,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: key,
      ...(skip === undefined ? {} : { skip }),
      ...(s === undefined ? {} : { store: s }),
      handler: (req, _res, next) => next(limited(resetIn(req), what)),
    });
  };
  const emailOf = (req: Request): string => {
    const email = (req.body as { email?: unknown } | undefined)?.email;
    return typeof email === 'string' ? email.trim().toLowerCase() : '';
  };
  return {
    perToken: make('api', 60_000, options.perMinute, tokenKey, 'requests'),
    login: [
      make(
        'login-ip',
        15 * 60_000,
        options.loginPer15Minutes * 5,
        (req) => `ip:${ipKeyGenerator(req.ip ?? '')}`,
        'login attempts from this address',
      ),
      make(
        'login-email',
        15 * 60_000,
        options.loginPer15Minutes,
        (req) => `email:${createHash('sha256').update(emailOf(req)).digest('hex').slice(0, 32)}`,
        'login attempts for this account',
        (req) => emailOf(req) === '',
      ),
    ],
  };
}
