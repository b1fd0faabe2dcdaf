import { catalogControls } from './catalog-controls.js';
import { MockError } from './mock-error.js';
import { defined, faultSettingsSchema } from './options.js';
import type { MockRuntime } from './runtime.js';
import { ALL_SCOPES } from './scopes.js';
import { truthControls } from './truth-controls.js';
import type { FaultSettings, FaultStep, MockControls } from './types.js';
import { parseOptions } from './parse-options.js';

/** `controls.auth`: tokens without the OAuth dance, the consent user, forced expiry. */
function authControls(rt: MockRuntime): MockControls['auth'] {
  const { world, store } = rt;
  return {
    issueTokens(issue = {}) {
      const userId = issue.userId ?? rt.consentUser;
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
      rt.consentUser = userId;
    },
    expireAccessTokens: () => store.expireAccessTokens(),
    expireRefreshTokens: () => store.expireRefreshTokens(),
  };
}

/** `controls.faults`: validated random fault settings and scripted fault steps. */
function faultControls(rt: MockRuntime): MockControls['faults'] {
  return {
    set(settings: FaultSettings) {
      rt.faults.set(defined(parseOptions(faultSettingsSchema, settings, 'fault settings')));
    },
    script: (steps: readonly FaultStep[]) => rt.faults.script(steps),
    clear: () => rt.faults.clear(),
  };
}

/** The `controls` of a running mock: clock, catalogue, auth, faults, request log and truth. */
export function createControls(rt: MockRuntime): MockControls {
  const { clock, log } = rt;
  return {
    clock: { now: clock.now, advance: clock.advance, set: clock.set },
    catalog: catalogControls(rt),
    auth: authControls(rt),
    faults: faultControls(rt),
    requests: { counts: () => log.counts(), log: () => log.log(), reset: () => log.reset() },
    truth: truthControls(rt),
    reset() {
      rt.faults.clear();
      log.reset();
      rt.limiter?.reset();
      rt.quota?.reset();
      clock.set(rt.startMs);
      rt.consentUser = rt.firstUser;
      rt.availability.clear();
    },
  };
}
