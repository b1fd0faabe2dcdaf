import type { World } from '../world/types.js';
import type { AuthStore } from './auth-store.js';
import type { Availability } from './availability.js';
import type { createClock } from './clock.js';
import type { ServeState } from './context.js';
import type { FaultController } from './faults.js';
import type { ParsedMockOptions } from './options.js';
import type { Quota, RateLimiter } from './rate-limiter.js';
import type { RequestLog } from './request-log.js';

/**
 * Everything one running mock holds: its options, world, clock, token store, faults, limits and
 * request log. `startMock` builds it once; the request handler and the controls share it.
 */
export interface MockRuntime {
  readonly opts: ParsedMockOptions;
  readonly world: World;
  readonly startMs: number;
  readonly clock: ReturnType<typeof createClock>;
  readonly store: AuthStore;
  readonly faults: FaultController;
  readonly limiter: RateLimiter | undefined;
  readonly quota: Quota | undefined;
  readonly log: RequestLog;
  readonly availability: Availability;
  /** What route handlers see of the server (the API base URL is filled in once it listens). */
  readonly state: ServeState;
  /** The first user of the world, whom `/authorize` consents as after a reset. */
  readonly firstUser: string | undefined;
  /** The user `/authorize` consents as; changed through `controls.auth.setConsentUser`. */
  consentUser: string | undefined;
  /** Time for the rate limiter: wall-clock time moved along with the mock's clock. */
  rateNow(): number;
}
