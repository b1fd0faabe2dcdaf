import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessTokenRecord } from './auth-store.js';
import { ApiError } from './api-error.js';
import { cacheControlFor } from './cache-control.js';
import type { RouteContext } from './context.js';
import { readBody } from './http.js';
import { requestMarket } from './lookup.js';
import type { Route, RouteResult } from './context.js';
import type { MockRuntime } from './runtime.js';
import { ROUTER } from './routing-table.js';

/** Finds the route and checks the bearer token, limits, profile, user and scopes, as Spotify does. */
function authorizeRequest(
  rt: MockRuntime,
  req: IncomingMessage,
  path: string,
  earlyExpiry: boolean,
): { route: Route; params: Record<string, string>; record: AccessTokenRecord } {
  const method = req.method ?? 'GET';
  const match = ROUTER.match(method, path);
  if (match.kind === 'none') throw new ApiError(404, 'Service not found');
  const header = req.headers.authorization;
  if (header === undefined || !header.startsWith('Bearer '))
    throw new ApiError(401, 'No token provided');
  const record = rt.store.lookup(header.slice(7).trim());
  if (record === 'invalid') throw new ApiError(401, 'Invalid access token');
  if (record === 'expired' || earlyExpiry) throw new ApiError(401, 'The access token expired');
  rt.limiter?.check(record.clientId, rt.rateNow());
  rt.quota?.check(record.clientId, rt.clock.now());
  if (match.kind === 'method') throw new ApiError(405, 'Method not allowed');
  if (match.kind === 'removed') {
    if (rt.opts.profile === 'development-2026') throw new ApiError(403, 'Forbidden');
    throw new ApiError(404, 'Service not found');
  }
  const { route, params } = match;
  if (route.profiles !== undefined && !route.profiles.includes(rt.opts.profile)) {
    throw new ApiError(403, 'Forbidden');
  }
  if (route.auth === 'user' && record.kind !== 'user') {
    throw new ApiError(401, 'Valid user authentication required');
  }
  if (route.scopes !== undefined && !route.scopes.some((scope) => record.scopes.includes(scope))) {
    throw new ApiError(403, 'Insufficient client scope');
  }
  return { route, params, record };
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const raw = (req.method ?? 'GET') === 'GET' ? '' : await readBody(req);
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'Error parsing JSON.');
  }
}

/** Writes a route's result; successful GETs carry an ETag and Cache-Control and honour If-None-Match. */
function writeResult(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  result: RouteResult,
): number {
  const status = result.status ?? 200;
  if (result.body === undefined) {
    res.writeHead(status, { 'Content-Length': '0' });
    res.end();
    return status;
  }
  const text = JSON.stringify(result.body);
  const headers: Record<string, string> = {};
  if ((req.method ?? 'GET') === 'GET' && status === 200) {
    const etag = `"${createHash('sha1').update(text).digest('base64url')}"`;
    headers.ETag = etag;
    headers['Cache-Control'] = cacheControlFor(path);
    const inm = req.headers['if-none-match'];
    if (inm?.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
      res.writeHead(304, headers);
      res.end();
      return 304;
    }
  }
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
  return status;
}

/** Answers one Web API request (`/v1/...`) and returns the status it sent. */
export async function handleApi(
  rt: MockRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  path: string,
  earlyExpiry: boolean,
): Promise<number> {
  const { route, params, record } = authorizeRequest(rt, req, path, earlyExpiry);
  const body = await readJsonBody(req);
  const user = record.userId === undefined ? undefined : rt.world.users.get(record.userId);
  const market = requestMarket(url.searchParams, rt.world, record.userId);
  const ctx: RouteContext = {
    state: market === undefined ? rt.state : { ...rt.state, api: rt.state.api, market },
    params,
    query: url.searchParams,
    body,
    token: record,
    get user() {
      if (user === undefined) throw new ApiError(401, 'Valid user authentication required');
      return user;
    },
    href: url.pathname + url.search,
  };
  return writeResult(req, res, path, route.handler(ctx));
}
