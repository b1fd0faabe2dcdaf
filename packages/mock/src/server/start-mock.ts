import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createWorld } from '../world/create-world.js';
import { Rng } from '../world/prng.js';
import type { World } from '../world/types.js';
import { AuthStore } from './auth-store.js';
import { Availability } from './availability.js';
import { createClock } from './clock.js';
import { createControls } from './controls.js';
import { FaultController } from './faults.js';
import { MockError } from './mock-error.js';
import { defined, mockOptionsSchema, type ParsedMockOptions } from './options.js';
import { Quota, RateLimiter } from './rate-limiter.js';
import { RequestLog } from './request-log.js';
import { handleRequest } from './request-handler.js';
import type { MockRuntime } from './runtime.js';
import type { MockOptions, MockServer } from './types.js';

function parseOptions(options: MockOptions): ParsedMockOptions {
  const parsed = mockOptionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  throw new MockError({
    code: 'INVALID_OPTIONS',
    message: `Invalid mock options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    cause: parsed.error,
  });
}

/** Builds the state of one mock from its parsed options; `state.api` reads `apiBase()`. */
function createRuntime(opts: ParsedMockOptions, apiBase: () => string): MockRuntime {
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
  const availability = new Availability();
  const firstUser = world.users.keys().next().value;
  return {
    opts,
    world,
    startMs,
    clock,
    store,
    faults,
    limiter: opts.rateLimit === undefined ? undefined : new RateLimiter(defined(opts.rateLimit)),
    quota: opts.quota === undefined ? undefined : new Quota(defined(opts.quota)),
    log: new RequestLog(),
    availability,
    state: {
      world,
      profile: opts.profile,
      get api() {
        return apiBase();
      },
      now: clock.now,
      availability,
    },
    firstUser,
    consentUser: firstUser,
    rateNow: () => performance.now() + clock.offsetMs(),
  };
}

/** Listens on the options' host and port; a failure raises `LISTEN_FAILED`. Returns the base URL. */
async function listen(server: Server, opts: ParsedMockOptions): Promise<string> {
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
  return `http://${host}:${address.port}`;
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
  const opts = parseOptions(options);
  let api = '';
  const rt = createRuntime(opts, () => api);
  const server = createServer((req, res) => {
    handleRequest(rt, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const url = await listen(server, opts);
  api = `${url}/v1`;
  return {
    url,
    apiUrl: api,
    accountsUrl: url,
    profile: opts.profile,
    world: rt.world,
    controls: createControls(rt),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
