import cors from 'cors';
import express, { Router } from 'express';
import type { Redis } from 'ioredis';
import type { AppContext } from '../context.js';
import { accountRoutes } from './accounts/account-routes.js';
import { billingRoutes, billingWebhook } from './billing/billing-routes.js';
import { albumArtistRoutes } from './catalog/album-artist-routes.js';
import { discoveryRoutes } from './catalog/discovery-routes.js';
import { libraryRoutes } from './catalog/library-routes.js';
import { songRoutes } from './catalog/song-routes.js';
import { apiDocsPage } from './docs-page.js';
import { mediaRoutes } from './media/media-routes.js';
import { OpenApiRegistry } from './openapi.js';
import { notFoundProblem, problemHandler } from './problem.js';
import { apiRateLimits } from './rate-limits.js';
import { type ApiServices, createApiServices } from './services.js';

/** Adds a group of operations to the API router (and to its OpenAPI registry). */
export type ApiRouteGroup = (
  router: Router,
  registry: OpenApiRegistry,
  services: ApiServices,
) => void;

/** Options of {@link apiRoutes}. */
export interface ApiRoutesOptions {
  /** Shares the rate-limit counters between processes. */
  readonly redis?: Redis | undefined;
  /** More route groups (media, billing, ...), mounted after the built-in ones. */
  readonly groups?: readonly ApiRouteGroup[];
}

/**
 * The platform API, mounted at `/api/v1` before the session and CSRF middleware: it takes bearer
 * tokens and no cookies, so there is nothing for CSRF to protect. Its own JSON body parser (64 kB),
 * CORS for `API_CORS_ORIGINS`, per-token rate limits, `application/problem+json` errors, and the
 * OpenAPI document (`/openapi.json`) and reference page (`/docs`) built from the routes' zod
 * schemas.
 *
 * @example
 * ```ts
 * app.use('/api/v1', apiRoutes(ctx, { redis }));
 * ```
 */
export function apiRoutes(ctx: AppContext, options: ApiRoutesOptions = {}): Router {
  const services = createApiServices(ctx);
  const registry = new OpenApiRegistry();
  const router = Router();
  const origins = ctx.config.apiCorsOrigins;
  router.use(
    cors({
      origin: origins.includes('*') ? '*' : origins.length === 0 ? false : [...origins],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Range', 'Range'],
      exposedHeaders: ['Retry-After', 'RateLimit', 'RateLimit-Policy', 'Content-Range', 'Location'],
      maxAge: 600,
    }),
  );
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const limits = apiRateLimits({
    perMinute: ctx.config.apiRateLimitPerMinute,
    loginPer15Minutes: ctx.config.apiLoginAttemptsPer15Minutes,
    redis: options.redis,
    prefix: `${ctx.config.redisPrefix}api-rl:`,
  });
  // Stripe signs the raw bytes: its webhook reads them before the JSON parser (and any limit).
  router.post('/billing/webhook', ...billingWebhook(ctx));
  router.use(limits.perToken);
  router.use(
    express.json({ limit: '64kb', strict: true, type: ['application/json', 'application/*+json'] }),
  );

  router.get('/openapi.json', (req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(registry.document(`${ctx.publicUrl()}${req.baseUrl}`));
  });
  router.get('/docs', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.type('html').send(apiDocsPage(registry.operations()));
  });

  accountRoutes(router, registry, services, limits.login);
  songRoutes(router, registry, services);
  albumArtistRoutes(router, registry, services);
  discoveryRoutes(router, registry, services);
  libraryRoutes(router, registry, services);
  mediaRoutes(router, registry, services);
  billingRoutes(router, registry, services);
  for (const group of options.groups ?? []) group(router, registry, services);

  router.use(notFoundProblem);
  router.use(problemHandler);
  return router;
}
