import type { Request, RequestHandler, Response, Router } from 'express';

/**
 * One row of a page group's route table: method, path, optional middleware, and a named handler
 * that receives the group's shared dependencies beside the request.
 *
 * @example
 * ```ts
 * const rows: readonly PageRoute<Outbox>[] = [{ method: 'get', path: '/dev/outbox', handle: listPage }];
 * ```
 */
export interface PageRoute<D> {
  readonly method: 'get' | 'post';
  readonly path: string;
  /** Middleware that runs before the handler (e.g. a rate limit or a body parser). */
  readonly before?: readonly RequestHandler[];
  readonly handle: (deps: D, req: PageRequest, res: Response) => Promise<void> | void;
}

/** A request whose path parameters are strings: the tables name parameters, never wildcards. */
export type PageRequest = Request<Record<string, string>>;

/**
 * Mounts a route table on a router, in table order (Express matches in that order). Express 5
 * passes a handler's rejection to the error page.
 *
 * @example
 * ```ts
 * mountPageRoutes(Router(), deps, OUTBOX_ROUTES);
 * ```
 */
export function mountPageRoutes<D>(
  router: Router,
  deps: D,
  routes: readonly PageRoute<D>[],
): Router {
  for (const route of routes) {
    const handler: RequestHandler = (req, res) => route.handle(deps, req as PageRequest, res);
    router[route.method](route.path, ...(route.before ?? []), handler);
  }
  return router;
}
