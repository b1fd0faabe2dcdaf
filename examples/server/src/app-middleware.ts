import { randomUUID } from 'node:crypto';
import compression from 'compression';
import type { RequestHandler } from 'express';
import session from 'express-session';
import { pinoHttp } from 'pino-http';
import type { AppContext } from './context.js';
import type { KyselySessionStore } from './storage/session-store.js';

const SESSION_MAX_AGE_MS = 30 * 86_400_000;

/**
 * One log line per request with an `X-Request-Id`; the path only, since query strings may carry
 * an OAuth code or a CSRF token. Probes and static files are not logged.
 */
export function requestLog(ctx: AppContext): RequestHandler {
  return pinoHttp({
    logger: ctx.logger,
    genReqId: (_req, res) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: {
      ignore: (req) =>
        req.url === '/healthz' || req.url === '/readyz' || (req.url ?? '').startsWith('/static/'),
    },
  });
}

/** Compression for everything but server-sent event streams (they must flush as they go). */
export function compressResponses(): RequestHandler {
  return compression({
    filter: (req, res) =>
      !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') &&
      compression.filter(req, res),
  });
}

/** The session cookie (`spoti.sid`, HTTP-only, SameSite=Lax, Secure on HTTPS) and its store. */
export function sessions(
  ctx: AppContext,
  store: KyselySessionStore,
  https: boolean,
): RequestHandler {
  return session({
    name: 'spoti.sid',
    secret: ctx.config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    proxy: ctx.config.trustProxy,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: https,
      maxAge: SESSION_MAX_AGE_MS,
      path: '/',
    },
  });
}
