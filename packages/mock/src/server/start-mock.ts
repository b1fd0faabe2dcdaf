import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createWorld } from '../world/create-world.js';
import { Rng } from '../world/prng.js';
import type { World } from '../world/types.js';
import { AuthStore } from './auth-store.js';
import { Availability } from './availability.js';
import { createClock } from './clock.js';
import { createControls } from './controls.js';
import { FaultController } from './faults.js';
import { closeServer, listen } from './http.js';
import { defined, mockOptionsSchema, type ParsedMockOptions } from './options.js';
import { parseOptions } from './parse-options.js';
import { Quota, RateLimiter } from './rate-limiter.js';
import { RequestLog } from './request-log.js';
import { handleRequest } from './request-handler.js';
import type { MockRuntime } from './runtime.js';
import type { MockOptions, MockServer } from './types.js';

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
  const opts = parseOptions(mockOptionsSchema, options, 'mock options');
  let api = '';
  const rt = createRuntime(opts, () => api);
  const server = createServer((req, res) => {
    handleRequest(rt, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const url = await listen(server, opts.host, opts.port);
  api = `${url}/v1`;
  return {
    url,
    apiUrl: api,
    accountsUrl: url,
    profile: opts.profile,
    world: rt.world,
    controls: createControls(rt),
    close: () => closeServer(server),
  };
}
