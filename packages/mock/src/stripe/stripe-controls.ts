import type {
  StripeCheckoutSession,
  StripeCustomer,
  StripeEvent,
  StripeSubscription,
} from './stripe-objects.js';
import { createCustomer, endSubscription } from './stripe-resources.js';
import type { StripeMockRequest, StripeSessionState, StripeState } from './stripe-state.js';

/** What a lifecycle control changed, with the events Stripe would send for it. */
export interface StripeMockChange<T> {
  readonly object: T;
  /** Webhook events, oldest first: sign them and post them to the endpoint under test. */
  readonly events: readonly StripeEvent[];
}

/** Drives the stand-in's objects through their lifecycle, as Stripe's own systems would. */
export interface StripeMockControls {
  /** The customer pays (or starts a trial) on a Checkout Session: a subscription is made. */
  completeCheckout(sessionId: string): StripeMockChange<StripeSubscription>;
  /**
   * The current period ends: a trial or paid period renews (status `active`), unless the
   * subscription was set to cancel at period end, which cancels it (`customer.subscription.deleted`).
   */
  endPeriod(subscriptionId: string): StripeMockChange<StripeSubscription>;
  /** A renewal payment fails: `invoice.payment_failed`, then the subscription turns `past_due`. */
  failPayment(subscriptionId: string): StripeMockChange<StripeSubscription>;
  /** A payment succeeds after a failure: `invoice.paid`, then `active` again. */
  recoverPayment(subscriptionId: string): StripeMockChange<StripeSubscription>;
  /** An event of any type about `object` (for tests of unusual deliveries). */
  event(type: string, object: unknown, previous?: Record<string, unknown>): StripeEvent;
  customer(id: string): StripeCustomer | undefined;
  subscription(id: string): StripeSubscription | undefined;
  session(id: string): StripeCheckoutSession | undefined;
  /** Requests received so far, oldest first. */
  requests(): readonly StripeMockRequest[];
}

const change = (
  sub: StripeSubscription,
  events: readonly StripeEvent[],
): StripeMockChange<StripeSubscription> => ({ object: structuredClone(sub), events });

/** The subscription a completed checkout makes: trialing when the session asked for a trial. */
function subscriptionOf(
  state: StripeState,
  checkout: StripeSessionState,
  customer: string,
  now: number,
): StripeSubscription {
  const trialEnd =
    checkout.trialDays !== null && checkout.trialDays > 0
      ? now + checkout.trialDays * 86_400
      : null;
  const id = state.nextId('sub');
  const periodEnd = trialEnd ?? now + state.periodSeconds;
  return {
    id,
    object: 'subscription',
    created: now,
    customer,
    status: trialEnd === null ? 'active' : 'trialing',
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    trial_start: trialEnd === null ? null : now,
    trial_end: trialEnd,
    start_date: now,
    metadata: { ...checkout.metadata },
    items: {
      object: 'list',
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
      data: [
        {
          id: state.nextId('si'),
          object: 'subscription_item',
          created: now,
          current_period_start: now,
          current_period_end: periodEnd,
          quantity: 1,
          subscription: id,
          price: {
            id: checkout.price,
            object: 'price',
            recurring: { interval: 'month', interval_count: 1 },
          },
        },
      ],
    },
    livemode: false,
  };
}

function completeCheckout(
  state: StripeState,
  sessionId: string,
): StripeMockChange<StripeSubscription> {
  const checkout = state.sessions.get(sessionId);
  if (checkout === undefined) throw new Error(`No such checkout session: ${sessionId}`);
  const { session } = checkout;
  if (session.status !== 'open')
    throw new Error(`Checkout session ${sessionId} is ${session.status}`);
  const now = state.seconds();
  const customer = session.customer ?? createCustomer(state, {}).id;
  const sub = subscriptionOf(state, checkout, customer, now);
  state.subscriptions.set(sub.id, sub);
  session.status = 'complete';
  session.payment_status = sub.trial_end === null ? 'paid' : 'no_payment_required';
  session.subscription = sub.id;
  session.customer = customer;
  session.url = null;
  return change(sub, [
    state.event('customer.subscription.created', sub),
    state.event('checkout.session.completed', session),
  ]);
}

/** A renewal invoice `paid` (status `active`) or `open` (status `past_due`), then the update. */
function billed(
  state: StripeState,
  sub: StripeSubscription,
  paid: boolean,
): StripeMockChange<StripeSubscription> {
  const previous: Record<string, unknown> = { status: sub.status };
  sub.status = paid ? 'active' : 'past_due';
  return change(sub, [
    paid
      ? state.event('invoice.paid', state.invoiceFor(sub, 'paid'))
      : state.event('invoice.payment_failed', state.invoiceFor(sub, 'open')),
    state.event('customer.subscription.updated', sub, previous),
  ]);
}

function endPeriod(
  state: StripeState,
  subscriptionId: string,
): StripeMockChange<StripeSubscription> {
  const sub = state.mustSubscription(subscriptionId);
  const now = state.seconds();
  if (sub.cancel_at_period_end) {
    const previous = { status: sub.status };
    endSubscription(sub, () => now);
    return change(sub, [state.event('customer.subscription.deleted', sub, previous)]);
  }
  const item = sub.items.data[0];
  if (item !== undefined) {
    item.current_period_start = now;
    item.current_period_end = now + state.periodSeconds;
  }
  return billed(state, sub, true);
}

/** The lifecycle controls of one stand-in over its `state`. */
export function createStripeControls(state: StripeState): StripeMockControls {
  return {
    completeCheckout: (sessionId) => completeCheckout(state, sessionId),
    endPeriod: (subscriptionId) => endPeriod(state, subscriptionId),
    failPayment: (subscriptionId) => billed(state, state.mustSubscription(subscriptionId), false),
    recoverPayment: (subscriptionId) => billed(state, state.mustSubscription(subscriptionId), true),
    event: state.event,
    customer: (id) => structuredClone(state.customers.get(id)),
    subscription: (id) => structuredClone(state.subscriptions.get(id)),
    session: (id) => structuredClone(state.sessions.get(id)?.session),
    requests: () => [...state.log],
  };
}
