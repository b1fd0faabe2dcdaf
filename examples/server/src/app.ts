import { join } from 'node:path';
import express, { type Express, type Router } from 'express';
import type { Redis } from 'ioredis';
import { apiRoutes } from './api/router.js';
import { compressResponses, requestLog, sessions } from './app-middleware.js';
import type { AppContext } from './context.js';
import { errorPage, notFoundPage } from './error-pages.js';
import { authRoutes } from './routes/auth.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { faceRoutes } from './routes/face.js';
import { facesRoutes } from './routes/faces.js';
import { healthRoutes } from './routes/health.js';
import { historyRoutes } from './routes/history.js';
import { homeRoutes } from './routes/home.js';
import { importRoutes } from './routes/import.js';
import { outboxRoutes } from './routes/outbox.js';
import { playlistsRoutes } from './routes/playlists.js';
import { releaseLinkRoutes, releasesRoutes } from './routes/releases.js';
import { scheduledRoutes } from './routes/scheduled.js';
import { platformLinkRoutes } from './routes/platform-link.js';
import { loadUser } from './routes/require-user.js';
import { settingsRoutes } from './routes/settings.js';
import { securityHeaders } from './security/csp.js';
import { csrfProtection } from './security/csrf.js';
import { rateLimits } from './security/rate-limit.js';
import type { KyselySessionStore } from './storage/session-store.js';

const PUBLIC_DIR = join(import.meta.dirname, '..', 'public');

/** The page groups for signed-in and signed-out browsers, mounted after every middleware. */
function pageRoutes(ctx: AppContext): Router[] {
  return [
    homeRoutes(ctx),
    authRoutes(ctx),
    dashboardRoutes(ctx),
    historyRoutes(ctx),
    importRoutes(ctx),
    settingsRoutes(ctx),
    playlistsRoutes(ctx),
    faceRoutes(ctx),
    facesRoutes(ctx),
    releasesRoutes(ctx),
    outboxRoutes(ctx),
    platformLinkRoutes(ctx),
  ];
}

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

  app.use(requestLog(ctx));
  app.use(compressResponses());
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
  app.use(sessions(ctx, options.sessionStore, https));
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

  for (const routes of pageRoutes(ctx)) app.use(routes);
  app.use(notFoundPage);
  app.use(errorPage(ctx));
  return app;
}
