import { join } from 'node:path';
import compression from 'compression';
import express, { type ErrorRequestHandler, type Express } from 'express';
import session from 'express-session';
import type { Redis } from 'ioredis';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { apiRoutes } from './api/router.js';
import type { AppContext } from './context.js';
import { authRoutes } from './routes/auth.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { faceRoutes } from './routes/face.js';
import { facesRoutes } from './routes/faces.js';
import { healthRoutes } from './routes/health.js';
import { historyRoutes } from './routes/history.js';
import { homeRoutes } from './routes/home.js';
import { importRoutes } from './routes/import.js';
import { outboxRoutes } from './routes/outbox.js';
import { pageContext, sendPage } from './routes/page-context.js';
import { playlistsRoutes } from './routes/playlists.js';
import { releaseLinkRoutes, releasesRoutes } from './routes/releases.js';
import { scheduledRoutes } from './routes/scheduled.js';
import { platformLinkRoutes } from './routes/platform-link.js';
import { loadUser } from './routes/require-user.js';
import { settingsRoutes } from './routes/settings.js';
import { securityHeaders } from './security/csp.js';
import { csrfProtection } from './security/csrf.js';
import { rateLimits } from './security/rate-limit.js';
import { isServerError } from './server-error.js';
import type { KyselySessionStore } from './storage/session-store.js';
import { messagePage } from './views/layout.js';

const PUBLIC_DIR = join(import.meta.dirname, '..', 'public');
const SESSION_MAX_AGE_MS = 30 * 86_400_000;

const STATUS_OF: Record<string, number> = {
  INVALID_INPUT: 400,
  UNSUPPORTED_FILE: 415,
  UPLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  NOT_SIGNED_IN: 401,
  RATE_LIMITED: 429,
};

/**
 * Assembles the Express app. Security middleware sits here, in one place and in this order:
 * request log → compression → static files → helmet (CSP nonce) → body → session → CSRF → rate
 * limits → routes → error page. Handlers hold nothing security-related.
 */
export function createApp(
  ctx: AppContext,
  options: {
    sessionStore: KyselySessionStore;
    redis: Redis | undefined;
    shuttingDown: () => boolean;
  },
): Express {
  const app = express();
  const https = ctx.publicUrl().startsWith('https://');
  app.disable('x-powered-by');
  if (ctx.config.trustProxy) app.set('trust proxy', 1);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (_req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // The path only: query strings may carry an OAuth code or a CSRF token.
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
    }),
  );
  app.use(
    compression({
      filter: (req, res) =>
        !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') &&
        compression.filter(req, res),
    }),
  );
  app.use(
    '/static',
    express.static(PUBLIC_DIR, { maxAge: '7d', immutable: false, index: false, fallthrough: true }),
  );
  app.use(healthRoutes(ctx, { shuttingDown: options.shuttingDown }));
  const spotifyOrigin = new URL(ctx.spotify.accountsBaseUrl).origin;
  app.use(securityHeaders({ https, formTargets: [spotifyOrigin] }));
  // The platform API: bearer tokens, no cookies, so before the session and CSRF middleware.
  app.use('/api/v1', apiRoutes(ctx, { redis: options.redis }));
  app.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 50 }));
  // Token-authenticated, not browser forms: the cron trigger (X-API-KEY) and the POST ends of the
  // links in release mails (RFC 8058 one-click). Before session and CSRF, with their own limit.
  const tokenLimit = rateLimits({
    perMinute: ctx.config.authRateLimitPerMinute,
    authPerMinute: ctx.config.authRateLimitPerMinute,
    writesPerMinute: ctx.config.writeRateLimitPerMinute,
    redis: options.redis,
    prefix: `${ctx.config.redisPrefix}rl:token:`,
  }).auth;
  app.use(scheduledRoutes(ctx, tokenLimit));
  app.use(releaseLinkRoutes(ctx, tokenLimit));
  app.use(
    session({
      name: 'spoti.sid',
      secret: ctx.config.sessionSecret,
      store: options.sessionStore,
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
    }),
  );
  app.use(csrfProtection());
  const limits = rateLimits({
    perMinute: ctx.config.rateLimitPerMinute,
    authPerMinute: ctx.config.authRateLimitPerMinute,
    writesPerMinute: ctx.config.writeRateLimitPerMinute,
    redis: options.redis,
    prefix: `${ctx.config.redisPrefix}rl:`,
  });
  app.use(limits.general);
  app.use(['/login', '/callback'], limits.auth);
  app.use(loadUser(ctx, options.sessionStore));
  // State-changing requests: per signed-in user, or per address under the sign-in limit.
  app.post('*splat', (req, res, next) =>
    (res.locals.user === undefined ? limits.auth : limits.writes)(req, res, next),
  );

  app.use(homeRoutes(ctx));
  app.use(authRoutes(ctx));
  app.use(dashboardRoutes(ctx));
  app.use(historyRoutes(ctx));
  app.use(importRoutes(ctx));
  app.use(settingsRoutes(ctx));
  app.use(playlistsRoutes(ctx));
  app.use(faceRoutes(ctx));
  app.use(facesRoutes(ctx));
  app.use(releasesRoutes(ctx));
  app.use(outboxRoutes(ctx));
  app.use(platformLinkRoutes(ctx));

  app.use((req, res) => {
    sendPage(
      res,
      404,
      messagePage(pageContext(req, res), {
        title: 'Not found',
        text: `Nothing lives at ${req.path}.`,
        action: { href: '/', label: 'Home' },
      }),
    );
  });

  const errorPage: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    const e = error as {
      status?: number;
      statusCode?: number;
      expose?: boolean;
      message?: string;
      type?: string;
    };
    let status = isServerError(error)
      ? (STATUS_OF[error.code] ?? 500)
      : (e.status ?? e.statusCode ?? 500);
    if (status < 400 || status > 599) status = 500;
    const message =
      isServerError(error) || (e.expose === true && status < 500)
        ? String(e.message)
        : 'Something went wrong on our side. Try again in a moment.';
    if (status >= 500) req.log?.error({ err: error }, 'request failed');
    if (res.headersSent) return res.end();
    const title =
      status === 403
        ? 'Refused'
        : status === 429
          ? 'Slow down'
          : status === 413
            ? 'Too large'
            : status < 500
              ? 'That did not work'
              : 'Server error';
    if (req.path.startsWith('/dashboard/download/') || req.accepts(['html', 'json']) === 'json') {
      res.status(status).json({ error: message });
      return;
    }
    sendPage(
      res,
      status,
      messagePage(pageContext(req, res), {
        title,
        text: message,
        action: {
          href: req.get('referer')?.startsWith(ctx.publicUrl())
            ? new URL(req.get('referer') ?? '/').pathname
            : '/',
          label: 'Back',
        },
      }),
    );
  };
  app.use(errorPage);
  return app;
}
