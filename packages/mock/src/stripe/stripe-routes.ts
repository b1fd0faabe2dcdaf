import type { FormValue } from './form-body.js';
import { noSuch, unrecognized } from './stripe-errors.js';
import {
  createCustomer,
  createSession,
  endSubscription,
  updateSubscription,
} from './stripe-resources.js';
import type { StripeState } from './stripe-state.js';

/** A status and JSON body to answer. */
export interface StripeAnswer {
  readonly status: number;
  readonly body: unknown;
}

type Body = Record<string, FormValue>;
const ok = (body: unknown): StripeAnswer => ({ status: 200, body });

function customers(state: StripeState, method: string, id: string | undefined, body: Body) {
  if (method === 'POST' && id === undefined) return ok(createCustomer(state, body));
  const found = method === 'GET' && id !== undefined ? state.customers.get(id) : undefined;
  if (found !== undefined) return ok(found);
  if (method === 'GET') throw noSuch('customer', id, 'id');
  return undefined;
}

function checkoutSessions(state: StripeState, method: string, id: string | undefined, body: Body) {
  if (method === 'POST' && id === undefined) return ok(createSession(state, body));
  if (method === 'GET' && id !== undefined) {
    const found = state.sessions.get(id);
    if (found === undefined) throw noSuch('checkout.session', id, 'session');
    return ok(found.session);
  }
  return undefined;
}

function subscriptions(state: StripeState, method: string, id: string, body: Body) {
  if (method === 'GET') return ok(state.mustSubscription(id));
  if (method === 'POST') return ok(updateSubscription(state, id, body));
  if (method === 'DELETE') return ok(endSubscription(state.mustSubscription(id), state.seconds));
  return undefined;
}

/**
 * Answers one API request: `/v1/customers[/:id]`, `/v1/checkout/sessions[/:id]` and
 * `/v1/subscriptions/:id`; anything else is Stripe's "Unrecognized request URL" 404.
 */
export function routeStripe(
  state: StripeState,
  method: string,
  path: string,
  body: Body,
): StripeAnswer {
  const [, version, resource, id, extra] = path.split('/');
  if (version !== 'v1' || (extra !== undefined && resource !== 'checkout'))
    throw unrecognized(method, path);
  const answer =
    resource === 'customers'
      ? customers(state, method, id, body)
      : resource === 'checkout' && id === 'sessions'
        ? checkoutSessions(state, method, extra, body)
        : resource === 'subscriptions' && id !== undefined
          ? subscriptions(state, method, id, body)
          : undefined;
  if (answer === undefined) throw unrecognized(method, path);
  return answer;
}
