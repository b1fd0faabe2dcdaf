import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import type { ApiUser } from './auth.js';
import { authenticate, requireRole } from './auth.js';
import type { EncodedJson } from './encoded-json.js';
import type { HttpMethod, OpenApiRegistry, ResponseSpec } from './openapi.js';
import { ApiProblem, invalidInput } from './problem.js';
import type { ApiServices } from './services.js';

/** What a handler is given: validated input and the caller. */
export interface RouteInput<P, Q, B, U> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly user: U;
  readonly req: Request;
  readonly res: Response;
  /** The services the route is mounted with. */
  readonly services: ApiServices;
  /** The catalog store (`services.ctx.database.catalog`). */
  readonly catalog: ApiServices['ctx']['database']['catalog'];
  /** The clock's "now", in epoch milliseconds. */
  readonly now: () => number;
}

/** What a handler answers: a status and a body (validated against the documented schema). */
export interface RouteOutput {
  readonly status: number;
  readonly body?: unknown;
  /** The body already serialized (an answer shared between requests); sent instead of `body`. */
  readonly encoded?: EncodedJson;
  readonly headers?: Readonly<Record<string, string>>;
}

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;
type UserFor<A> = A extends 'required' ? ApiUser : ApiUser | null;

/** The description of one API operation and its handler. */
export interface RouteDefinition<
  A extends 'none' | 'optional' | 'required',
  P extends z.ZodObject | undefined,
  Q extends z.ZodObject | undefined,
  B extends z.ZodType | undefined,
> {
  readonly method: HttpMethod;
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly auth: A;
  readonly roles?: readonly ApiUser['role'][];
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  readonly problems?: readonly number[];
  readonly handler: (input: RouteInput<Out<P>, Out<Q>, Out<B>, UserFor<A>>) => Promise<RouteOutput>;
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(where, result.error);
  return result.data;
}

/**
 * Adds an operation to the OpenAPI registry and mounts it on `router`: the bearer token is
 * checked (`auth`, `roles`), path, query and body are parsed with their zod schemas (a failure is
 * an `INVALID_INPUT` problem naming the fields), and the answer is sent as JSON. The document and
 * the validation come from the same schemas, so they cannot drift apart.
 */
export function defineRoute<
  A extends 'none' | 'optional' | 'required',
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  router: Router,
  registry: OpenApiRegistry,
  services: ApiServices,
  def: RouteDefinition<A, P, Q, B>,
): void {
  registry.add({
    method: def.method,
    path: def.path,
    operationId: def.operationId,
    summary: def.summary,
    tag: def.tag,
    auth: def.auth,
    responses: def.responses,
    ...(def.description === undefined ? {} : { description: def.description }),
    ...(def.roles === undefined ? {} : { roles: def.roles }),
    ...(def.params === undefined ? {} : { params: def.params }),
    ...(def.query === undefined ? {} : { query: def.query }),
    ...(def.body === undefined ? {} : { body: def.body }),
    ...(def.problems === undefined ? {} : { problems: def.problems }),
  });
  const guards = [
    authenticate(services, def.auth),
    ...(def.roles === undefined ? [] : [requireRole(...def.roles)]),
  ];
  router[def.method](def.path, ...guards, async (req, res) => {
    const params = def.params === undefined ? undefined : parse(def.params, req.params, 'path');
    const query = def.query === undefined ? undefined : parse(def.query, req.query, 'query');
    if (def.body !== undefined && !req.is('application/json'))
      throw new ApiProblem('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
    const body = def.body === undefined ? undefined : parse(def.body, req.body, 'body');
    const user = (res.locals.apiUser ?? null) as UserFor<A>;
    const out = await def.handler({
      params: params as Out<P>,
      query: query as Out<Q>,
      body: body as Out<B>,
      user,
      req,
      res,
      services,
      catalog: services.ctx.database.catalog,
      now: () => services.ctx.clock.now(),
    });
    for (const [name, value] of Object.entries(out.headers ?? {})) res.setHeader(name, value);
    if (out.encoded !== undefined) out.encoded.send(req, res, out.status);
    else if (out.body === undefined) res.status(out.status).end();
    else res.status(out.status).json(out.body);
  });
}

/** Mounts one operation on `router` and adds it to `registry` (a row of a route table). */
export type MountRoute = (router: Router, registry: OpenApiRegistry, services: ApiServices) => void;

/**
 * Mounts a route table in its order: the order of the OpenAPI document and of Express's
 * matching (a fixed path such as `/songs/random` before `/songs/:id`).
 */
export function mountRoutes(
  routes: readonly MountRoute[],
  router: Router,
  registry: OpenApiRegistry,
  services: ApiServices,
): void {
  for (const mount of routes) mount(router, registry, services);
}

/**
 * A route table row: the operation `def` (see {@link defineRoute}), mounted with the services
 * of the router it is added to.
 */
export function route<
  A extends 'none' | 'optional' | 'required',
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(def: RouteDefinition<A, P, Q, B>): MountRoute {
  return (router, registry, services) => defineRoute(router, registry, services, def);
}
