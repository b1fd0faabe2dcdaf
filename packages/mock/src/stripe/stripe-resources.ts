import { type FormValue, formObject, formRecord, formText } from './form-body.js';
import { invalidParam, noSuch, StripeHttpError } from './stripe-errors.js';
import type {
  StripeCheckoutSession,
  StripeCustomer,
  StripeSubscription,
} from './stripe-objects.js';
import type { StripeState } from './stripe-state.js';

type Body = Record<string, FormValue>;

const boolOf = (v: FormValue | undefined, param: string): boolean | undefined => {
  if (v === undefined) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidParam(`Invalid boolean: ${String(v)}`, param);
};

/** `POST /v1/customers` (also the customer a checkout without one makes). */
export function createCustomer(state: StripeState, body: Body): StripeCustomer {
  const customer: StripeCustomer = {
    id: state.nextId('cus'),
    object: 'customer',
    created: state.seconds(),
    email: formText(body.email) ?? null,
    name: formText(body.name) ?? null,
    metadata: formRecord(body.metadata),
    livemode: false,
  };
  state.customers.set(customer.id, customer);
  return customer;
}

/** The one line item's price, known to the stand-in. */
function linePrice(state: StripeState, body: Body): string {
  const items = Array.isArray(body.line_items) ? body.line_items : [];
  const price = formText(formObject(items[0]).price);
  if (items.length !== 1 || price === undefined)
    throw invalidParam('Send exactly one line item with a price.', 'line_items');
  const known =
    state.prices !== undefined ? state.prices.includes(price) : price.startsWith('price_');
  if (!known) throw noSuch('price', price, 'line_items[0][price]', 400);
  return price;
}

/** What a session's request says, checked in the order Stripe reports problems. */
function sessionParams(state: StripeState, body: Body) {
  if (formText(body.mode) !== 'subscription')
    throw invalidParam('The stand-in supports mode=subscription only', 'mode');
  const successUrl = formText(body.success_url);
  if (successUrl === undefined)
    throw invalidParam('Missing required param: success_url.', 'success_url', 'parameter_missing');
  const price = linePrice(state, body);
  const customer = formText(body.customer);
  if (customer !== undefined && !state.customers.has(customer))
    throw noSuch('customer', customer, 'customer', 400);
  const data = formObject(body.subscription_data);
  const trial = formText(data.trial_period_days);
  if (trial !== undefined && !/^\d+$/.test(trial))
    throw invalidParam(
      'Invalid integer: trial_period_days',
      'subscription_data[trial_period_days]',
    );
  return { successUrl, price, customer, trial, metadata: formRecord(data.metadata) };
}

/** `POST /v1/checkout/sessions` in subscription mode, with an optional trial. */
export function createSession(state: StripeState, body: Body): StripeCheckoutSession {
  const params = sessionParams(state, body);
  const now = state.seconds();
  const id = state.nextId('cs_test');
  const session: StripeCheckoutSession = {
    id,
    object: 'checkout.session',
    created: now,
    expires_at: now + 86_400,
    mode: 'subscription',
    status: 'open',
    payment_status: 'unpaid',
    customer: params.customer ?? null,
    client_reference_id: formText(body.client_reference_id) ?? null,
    metadata: formRecord(body.metadata),
    success_url: params.successUrl,
    cancel_url: formText(body.cancel_url) ?? null,
    url: `${state.base}/c/pay/${id}`,
    subscription: null,
    livemode: false,
  };
  state.sessions.set(id, {
    session,
    price: params.price,
    trialDays: params.trial === undefined ? null : Number(params.trial),
    metadata: params.metadata,
  });
  return session;
}

/** `POST /v1/subscriptions/:id`: `cancel_at_period_end` and `metadata`. */
export function updateSubscription(state: StripeState, id: string, body: Body): StripeSubscription {
  const sub = state.mustSubscription(id);
  if (sub.status === 'canceled')
    throw new StripeHttpError(
      400,
      'A canceled subscription can only update its cancellation_details and metadata.',
      'invalid_request_error',
    );
  const cancel = boolOf(body.cancel_at_period_end, 'cancel_at_period_end');
  if (cancel !== undefined) {
    sub.cancel_at_period_end = cancel;
    sub.cancel_at = cancel ? (sub.items.data[0]?.current_period_end ?? null) : null;
    sub.canceled_at = cancel ? state.seconds() : null;
  }
  sub.metadata = { ...sub.metadata, ...formRecord(body.metadata) };
  return sub;
}

/**
 * Ends `sub` at `at()` (`DELETE /v1/subscriptions/:id`, or the end of a period set to cancel);
 * a cancellation asked for earlier keeps its `canceled_at`.
 */
export function endSubscription(sub: StripeSubscription, at: () => number): StripeSubscription {
  sub.status = 'canceled';
  sub.ended_at = at();
  sub.canceled_at ??= at();
  return sub;
}
