import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { addRelease as addToCatalog, MARKETS } from '../world/catalog.js';
import { catalogOf, createWorld } from '../world/create-world.js';
import { Rng, mixSeed } from '../world/prng.js';
import { z } from 'zod';
import type { World, WorldAlbum, WorldPlay } from '../world/types.js';
import { authorize, tokenEndpoint } from './accounts.js';
import { ApiError } from './api-error.js';
import { AuthStore } from './auth-store.js';
import { cacheControlFor } from './cache-control.js';
import { Availability } from './availability.js';
import { createClock } from './clock.js';
import type { RouteContext, ServeState } from './context.js';
import { FaultController } from './faults.js';
import { requestMarket } from './lookup.js';
import { MockError } from './mock-error.js';
import { defined, faultSettingsSchema, mockOptionsSchema } from './options.js';
import { Quota, RateLimiter } from './rate-limiter.js';
import { RequestLog } from './request-log.js';
import { Router } from './router.js';
import { catalogRoutes, REMOVED_IN_DEVELOPMENT } from './routes/catalog.js';
import { meRoutes } from './routes/me.js';
import { playlistRoutes } from './routes/playlists.js';
import { ALL_SCOPES } from './scopes.js';
import type { FaultSettings, FaultStep, MockControls, MockOptions, MockServer } from './types.js';

const ROUTER = new Router(
  [...meRoutes, ...playlistRoutes, ...catalogRoutes],
  REMOVED_IN_DEVELOPMENT,
);
const MAX_BODY = 1_000_000;
const marketsSchema = z
  .array(z.string().regex(/^[A-Z]{2}$/))
  .readonly()
  .nullable();

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const releaseSchema = z
  .object({
    artistId: z.string().min(1),
    name: z.string().min(1).optional(),
    type: z.enum(['album', 'single', 'compilation']),
    releaseDate: z.string().refine((value) => {
      const m = DATE.exec(value);
      if (m === null) return false;
      const month = m[2] === undefined ? 1 : Number(m[2]);
      const day = m[3] === undefined ? 1 : Number(m[3]);
      const date = new Date(Date.UTC(Number(m[1]), month - 1, day));
      return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    }, 'expected a date like "1999", "1999-04" or "1999-04-23"'),
    availableAtMs: z.number().int().optional(),
    markets: z
      .array(z.string().regex(/^[A-Z]{2}$/))
      .min(1)
      .optional(),
    explicitAndClean: z.boolean().optional(),
    tracks: z.number().int().min(1).max(100).optional(),
  })
  .strict();
const DEFAULT_TRACKS = { album: 10, single: 1, compilation: 14 } as const;

/** Index of the first play that ended at or after `sinceMs` (plays ascend by end time). */
function firstEndedAfter(plays: readonly WorldPlay[], sinceMs: number): number {
  let lo = 0;
  let hi = plays.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((plays[mid] as WorldPlay).endedAtMs < sinceMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'Request entity too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/**
 * Lets the handler answer as usual (the write is applied) but keeps the answer from the client:
 * the connection is dropped when the answer is complete, or the answer is sent `delayMs` later
 * (after the client gave up waiting).
 */
function loseAnswer(req: IncomingMessage, res: ServerResponse, delayMs: number | undefined): void {
  const writeHead = res.writeHead.bind(res);
  const end = res.end.bind(res);
  let head: Parameters<typeof writeHead> | undefined;
  res.writeHead = ((...args: Parameters<typeof writeHead>) => {
    head = args;
    return res;
  }) as typeof res.writeHead;
  res.end = ((chunk?: unknown) => {
    if (delayMs === undefined) {
      req.socket.destroy();
      return res;
    }
    setTimeout(() => {
      if (req.socket.destroyed) return;
      if (head !== undefined) writeHead(...head);
      end(chunk as string | undefined);
    }, delayMs).unref();
    return res;
  }) as typeof res.end;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Starts a local Spotify Web API and accounts service on 127.0.0.1.
 *
 * @example
 * ```ts
 * const mock = await startMock({ seed: 42, profile: 'development-2026' });
 * const { access_token } = mock.controls.auth.issueTokens();
 * const me = await fetch(`${mock.apiUrl}/me`, { headers: { Authorization: `Bearer ${access_token}` } });
 * await mock.close();
 * ```
 */
export async function startMock(options: MockOptions = {}): Promise<MockServer> {
  const parsed = mockOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new MockError({
      code: 'INVALID_OPTIONS',
      message: `Invalid mock options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      cause: parsed.error,
    });
  }
  const opts = parsed.data;
  const world: World =
    opts.world ?? createWorld({ ...opts.worldOptions, seed: opts.worldOptions?.seed ?? opts.seed });
  const startMs = opts.startTimeMs ?? world.startTimeMs;
  const clock = createClock(startMs);
  const store = new AuthStore(
    clock.now,
    opts.accessTokenTtlSeconds,
    opts.clients?.map((c) => defined(c)),
  );
  const faultRng = new Rng(opts.seed ^ 0x5f3759df);
  const faults = new FaultController(() => faultRng.next());
  if (opts.faults !== undefined) faults.set(defined(opts.faults));
  const limiter =
    opts.rateLimit === undefined ? undefined : new RateLimiter(defined(opts.rateLimit));
  const quota = opts.quota === undefined ? undefined : new Quota(defined(opts.quota));
  const log = new RequestLog();
  const firstUser = world.users.keys().next().value;
  let consentUser: string | undefined = firstUser;
  const rateNow = () => performance.now() + clock.offsetMs();

  let api = '';
  const availability = new Availability();
  const state: ServeState = {
    world,
    profile: opts.profile,
    get api() {
      return api;
    },
    now: clock.now,
    availability,
  };

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    path: string,
    earlyExpiry: boolean,
  ): Promise<number> {
    const method = req.method ?? 'GET';
    const match = ROUTER.match(method, path);
    if (match.kind === 'none') throw new ApiError(404, 'Service not found');
    const header = req.headers.authorization;
    if (header === undefined || !header.startsWith('Bearer '))
      throw new ApiError(401, 'No token provided');
    const record = store.lookup(header.slice(7).trim());
    if (record === 'invalid') throw new ApiError(401, 'Invalid access token');
    if (record === 'expired' || earlyExpiry) throw new ApiError(401, 'The access token expired');
    limiter?.check(record.clientId, rateNow());
    quota?.check(record.clientId, clock.now());
    if (match.kind === 'method') throw new ApiError(405, 'Method not allowed');
    if (match.kind === 'removed') {
      if (opts.profile === 'development-2026') throw new ApiError(403, 'Forbidden');
      throw new ApiError(404, 'Service not found');
    }
    const { route, params } = match;
    if (route.profiles !== undefined && !route.profiles.includes(opts.profile)) {
      throw new ApiError(403, 'Forbidden');
    }
    if (route.auth === 'user' && record.kind !== 'user') {
      throw new ApiError(401, 'Valid user authentication required');
    }
    if (
      route.scopes !== undefined &&
      !route.scopes.some((scope) => record.scopes.includes(scope))
    ) {
      throw new ApiError(403, 'Insufficient client scope');
    }
    const raw = method === 'GET' ? '' : await readBody(req);
    let body: unknown;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        throw new ApiError(400, 'Error parsing JSON.');
      }
    }
    const user = record.userId === undefined ? undefined : world.users.get(record.userId);
    const market = requestMarket(url.searchParams, world, record.userId);
    const ctx: RouteContext = {
      state: market === undefined ? state : { ...state, api, market },
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
    const result = route.handler(ctx);
    const status = result.status ?? 200;
    if (result.body === undefined) {
      res.writeHead(status, { 'Content-Length': '0' });
      res.end();
      return status;
    }
    const text = JSON.stringify(result.body);
    const headers: Record<string, string> = {};
    if (method === 'GET' && status === 200) {
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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const match = path.startsWith('/v1') ? ROUTER.match(method, path) : undefined;
    const endpoint =
      match === undefined
        ? `${method} ${path === '/authorize' || path === '/api/token' ? path : '(unknown)'}`
        : match.kind === 'route'
          ? `${method} ${match.route.pattern}`
          : match.kind === 'none'
            ? `${method} (unknown)`
            : `${method} ${match.pattern}`;
    const timeMs = clock.now();
    log.count(endpoint);
    if (path.startsWith('/v1/')) {
      // Like Spotify's API; browsers then cannot read 429s, which go out without it (see below).
      res.setHeader('Access-Control-Allow-Origin', '*');
      if (method === 'OPTIONS') {
        res.writeHead(204, {
          'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-None-Match',
          'Access-Control-Max-Age': '600',
        });
        res.end();
        log.add({ method, path, query: url.searchParams, endpoint, status: 204, timeMs });
        return;
      }
    }
    const fault = faults.next(path, method);
    const answerLost =
      fault.lostAnswer === undefined
        ? {}
        : ({ answerLost: fault.lostAnswer.delayMs === undefined ? 'dropped' : 'delayed' } as const);
    const finish = (status: number) =>
      log.add({ method, path, query: url.searchParams, endpoint, status, timeMs, ...answerLost });
    if (fault.lostAnswer !== undefined) loseAnswer(req, res, fault.lostAnswer.delayMs);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.drop) {
      finish(0);
      req.socket.destroy();
      return;
    }
    if (fault.status !== undefined) {
      const headers: Record<string, string> = {};
      if (fault.status === 429) {
        headers['Retry-After'] = String(fault.retryAfterSeconds ?? 1);
        res.removeHeader('Access-Control-Allow-Origin');
      }
      const message =
        fault.status === 429
          ? 'API rate limit exceeded'
          : fault.status >= 500
            ? 'Server error'
            : 'Error';
      sendJson(res, fault.status, { error: { status: fault.status, message } }, headers);
      finish(fault.status);
      return;
    }
    if (fault.malformed) {
      const text = '{"error": {"status": 200, "message": "trunc';
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(text);
      finish(200);
      return;
    }
    try {
      if (path === '/authorize' && method === 'GET') {
        const answer =
          consentUser === undefined
            ? { status: 500, headers: {}, body: 'No user to consent as' }
            : authorize(url.searchParams, store, consentUser);
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
        finish(answer.status);
        return;
      }
      if (path === '/api/token' && method === 'POST') {
        const answer = tokenEndpoint(req, await readBody(req), store);
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
        finish(answer.status);
        return;
      }
      if (!path.startsWith('/v1/')) throw new ApiError(404, 'Service not found');
      finish(await handleApi(req, res, url, path, fault.earlyExpiry));
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(500, 'Server error');
      if (!(error instanceof ApiError))
        process.emitWarning(`@spoti/mock: unexpected error: ${String(error)}`);
      if (apiError.status === 429) res.removeHeader('Access-Control-Allow-Origin');
      if (!res.headersSent) sendJson(res, apiError.status, apiError.body(), apiError.headers);
      finish(apiError.status);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new MockError({
          code: 'LISTEN_FAILED',
          message: `Cannot listen on ${opts.host}:${opts.port}`,
          cause: error,
        }),
      ),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  api = `${url}/v1`;

  const requireTrackId = (trackId: string) => {
    if (typeof trackId !== 'string' || !world.tracks.has(trackId))
      throw new MockError({ code: 'UNKNOWN_TRACK', message: `No such track: ${String(trackId)}` });
  };
  let addedReleases = 0;
  const countryOf = (userId: string) => world.users.get(userId)?.country ?? '';

  const controls: MockControls = {
    clock: { now: clock.now, advance: clock.advance, set: clock.set },
    catalog: {
      removeTrack(trackId) {
        requireTrackId(trackId);
        availability.remove(trackId, clock.now());
      },
      restrictTrack(trackId, markets) {
        requireTrackId(trackId);
        const checked = marketsSchema.safeParse(markets);
        if (!checked.success) {
          throw new MockError({
            code: 'INVALID_OPTIONS',
            message: `Invalid markets for restrictTrack: expected null or ISO 3166-1 alpha-2 codes like "DE", got ${JSON.stringify(markets)}`,
            cause: checked.error,
          });
        }
        availability.restrict(trackId, checked.data, clock.now());
      },
      restoreTrack(trackId) {
        requireTrackId(trackId);
        availability.restore(trackId);
      },
      addRelease(release) {
        const checked = releaseSchema.safeParse(release);
        if (!checked.success) {
          throw new MockError({
            code: 'INVALID_OPTIONS',
            message: `Invalid release: ${checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
            cause: checked.error,
          });
        }
        const spec = checked.data;
        if (!world.artists.has(spec.artistId))
          throw new MockError({
            code: 'UNKNOWN_ARTIST',
            message: `No such artist: ${spec.artistId}`,
          });
        const catalog = catalogOf(world);
        if (catalog === undefined)
          throw new MockError({
            code: 'INVALID_OPTIONS',
            message: 'addRelease needs a world made by createWorld',
          });
        const parts = spec.releaseDate.split('-').length;
        addedReleases++;
        return addToCatalog(catalog, new Rng(mixSeed(world.seed, 0xadd, addedReleases)), {
          artistId: spec.artistId,
          name: spec.name,
          type: spec.type,
          releaseDate: spec.releaseDate,
          releaseDatePrecision: parts === 1 ? 'year' : parts === 2 ? 'month' : 'day',
          availableAtMs: spec.availableAtMs ?? clock.now(),
          markets: spec.markets === undefined ? MARKETS : [...new Set(spec.markets)].sort(),
          explicitAndClean: spec.explicitAndClean ?? false,
          tracks: spec.tracks ?? DEFAULT_TRACKS[spec.type],
        });
      },
    },
    auth: {
      issueTokens(issue = {}) {
        const userId = issue.userId ?? consentUser;
        if (userId === undefined || !world.users.has(userId)) {
          throw new MockError({ code: 'UNKNOWN_USER', message: `No such user: ${String(userId)}` });
        }
        return store.issue({
          clientId: issue.clientId ?? 'spoti-mock-client',
          userId,
          scopes: issue.scopes ?? ALL_SCOPES,
          ...(issue.confidential === undefined ? {} : { confidential: issue.confidential }),
          ...(issue.expiresInSeconds === undefined
            ? {}
            : { expiresInSeconds: issue.expiresInSeconds }),
        });
      },
      setConsentUser(userId) {
        if (!world.users.has(userId))
          throw new MockError({ code: 'UNKNOWN_USER', message: `No such user: ${userId}` });
        consentUser = userId;
      },
      expireAccessTokens: () => store.expireAccessTokens(),
      expireRefreshTokens: () => store.expireRefreshTokens(),
    },
    faults: {
      set(settings: FaultSettings) {
        const checked = faultSettingsSchema.safeParse(settings);
        if (!checked.success) {
          throw new MockError({
            code: 'INVALID_OPTIONS',
            message: `Invalid fault settings: ${checked.error.message}`,
          });
        }
        faults.set(defined(checked.data));
      },
      script: (steps: readonly FaultStep[]) => faults.script(steps),
      clear: () => faults.clear(),
    },
    requests: { counts: () => log.counts(), log: () => log.log(), reset: () => log.reset() },
    truth: {
      plays(userId, query = {}) {
        const all = world.playsOf(userId, clock.now());
        const since = query.sinceMs ?? Number.NEGATIVE_INFINITY;
        const from = since === Number.NEGATIVE_INFINITY ? 0 : firstEndedAfter(all, since);
        if (availability.empty) return from === 0 ? all : all.slice(from);
        const country = countryOf(userId);
        const out: WorldPlay[] = [];
        for (let i = from; i < all.length; i++) {
          const play = all[i] as WorldPlay;
          if (availability.heard(play, country)) out.push(play);
        }
        return out;
      },
      availability: () => availability.list(),
      releases(query = {}) {
        const now = clock.now();
        const artists = query.artistIds === undefined ? undefined : new Set(query.artistIds);
        const out: WorldAlbum[] = [];
        for (const album of world.albums.values()) {
          if (!world.isReleased(album.id, now)) continue;
          if (query.sinceMs !== undefined && album.releasedAtMs < query.sinceMs) continue;
          if (artists !== undefined && !album.artistIds.some((id) => artists.has(id))) continue;
          out.push(album);
        }
        return out.sort((a, b) => a.releasedAtMs - b.releasedAtMs || (a.id < b.id ? -1 : 1));
      },
      user(userId) {
        const user = world.users.get(userId);
        if (user === undefined)
          throw new MockError({ code: 'UNKNOWN_USER', message: `No such user: ${userId}` });
        return user;
      },
    },
    reset() {
      faults.clear();
      log.reset();
      limiter?.reset();
      quota?.reset();
      clock.set(startMs);
      consentUser = firstUser;
      availability.clear();
    },
  };

  return {
    url,
    apiUrl: api,
    accountsUrl: url,
    profile: opts.profile,
    world,
    controls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
