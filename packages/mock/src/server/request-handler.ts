import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorize, tokenEndpoint } from './accounts.js';
import { ApiError } from './api-error.js';
import { handleApi } from './api-handler.js';
import { answerFault } from './fault-response.js';
import { readBody, sendJson } from './http.js';
import type { MockRuntime } from './runtime.js';
import { endpointName } from './routing-table.js';

/** Answers a CORS preflight for the Web API; true when it did. */
function answerPreflight(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (!path.startsWith('/v1/')) return false;
  // Like Spotify's API; browsers then cannot read 429s, which go out without it (see below).
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-None-Match',
    'Access-Control-Max-Age': '600',
  });
  res.end();
  return true;
}

/** Routes a request to the accounts service (OAuth) or the Web API; returns the status sent. */
async function route(
  rt: MockRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  path: string,
  earlyExpiry: boolean,
): Promise<number> {
  const method = req.method ?? 'GET';
  if (path === '/authorize' && method === 'GET') {
    const answer =
      rt.consentUser === undefined
        ? { status: 500, headers: {}, body: 'No user to consent as' }
        : authorize(url.searchParams, rt.store, rt.consentUser);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    return answer.status;
  }
  if (path === '/api/token' && method === 'POST') {
    const answer = tokenEndpoint(req, await readBody(req), rt.store);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    return answer.status;
  }
  if (!path.startsWith('/v1/')) throw new ApiError(404, 'Service not found');
  return handleApi(rt, req, res, url, path, earlyExpiry);
}

/**
 * Handles one HTTP request to the mock: counts and logs it, answers CORS preflights, applies the
 * configured faults, then routes it; errors become Spotify-shaped error answers.
 */
export async function handleRequest(
  rt: MockRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://mock.invalid');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const endpoint = endpointName(method, path);
  const timeMs = rt.clock.now();
  rt.log.count(endpoint);
  if (answerPreflight(req, res, path)) {
    rt.log.add({ method, path, query: url.searchParams, endpoint, status: 204, timeMs });
    return;
  }
  const fault = rt.faults.next(path, method);
  const answerLost =
    fault.lostAnswer === undefined
      ? {}
      : ({ answerLost: fault.lostAnswer.delayMs === undefined ? 'dropped' : 'delayed' } as const);
  const finish = (status: number) =>
    rt.log.add({ method, path, query: url.searchParams, endpoint, status, timeMs, ...answerLost });
  const faultStatus = await answerFault(req, res, fault);
  if (faultStatus !== undefined) {
    finish(faultStatus);
    return;
  }
  try {
    finish(await route(rt, req, res, url, path, fault.earlyExpiry));
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError(500, 'Server error');
    if (!(error instanceof ApiError))
      process.emitWarning(`@spoti/mock: unexpected error: ${String(error)}`);
    if (apiError.status === 429) res.removeHeader('Access-Control-Allow-Origin');
    if (!res.headersSent) sendJson(res, apiError.status, apiError.body(), apiError.headers);
    finish(apiError.status);
  }
}
