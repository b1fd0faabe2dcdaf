import type { FormValue } from './form-body.js';
import { noSuch } from './stripe-errors.js';
import type {
  StripeCheckoutSession,
  StripeCustomer,
  StripeEvent,
  StripeInvoice,
  StripeSubscription,
} from './stripe-objects.js';

/** What the stand-in needs from its parsed options. */
export interface StripeStateOptions {
  readonly prices?: readonly string[] | undefined;
  readonly clock?: { now(): number } | undefined;
  readonly periodDays: number;
  readonly apiVersion: string;
}

/** An open or finished Checkout Session, with what its subscription will be made of. */
export interface StripeSessionState {
  session: StripeCheckoutSession;
  price: string;
  trialDays: number | null;
  metadata: Record<string, string>;
}

/** One request the stand-in received (the API key is never kept). */
export interface StripeMockRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, FormValue>;
  readonly idempotencyKey: string | null;
}

/** Everything one running Stripe stand-in holds, and the id, time and event makers over it. */
export interface StripeState {
  readonly prices: readonly string[] | undefined;
  readonly periodSeconds: number;
  readonly customers: Map<string, StripeCustomer>;
  readonly sessions: Map<string, StripeSessionState>;
  readonly subscriptions: Map<string, StripeSubscription>;
  readonly log: StripeMockRequest[];
  /** Base URL once listening (Checkout Session URLs point under it). */
  base: string;
  /** The clock's time in Unix seconds, as Stripe stamps objects. */
  seconds(): number;
  /** The next id with `prefix`, like `cus_mock0000000001` (one counter per prefix). */
  nextId(prefix: string): string;
  event(type: string, object: unknown, previous?: Record<string, unknown>): StripeEvent;
  /** The subscription `id`, or a 404 `resource_missing`. */
  mustSubscription(id: string): StripeSubscription;
  /** A renewal invoice of `sub`. */
  invoiceFor(sub: StripeSubscription, status: StripeInvoice['status']): StripeInvoice;
}

/** A fresh, empty stand-in state. */
export function createStripeState(o: StripeStateOptions): StripeState {
  const clock = o.clock ?? { now: () => Date.now() };
  const seconds = () => Math.floor(clock.now() / 1000);
  const counters = new Map<string, number>();
  const nextId = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_mock${String(n).padStart(10, '0')}`;
  };
  const subscriptions = new Map<string, StripeSubscription>();
  return {
    prices: o.prices,
    periodSeconds: o.periodDays * 86_400,
    customers: new Map(),
    sessions: new Map(),
    subscriptions,
    log: [],
    base: '',
    seconds,
    nextId,
    event: (type, object, previous) => ({
      id: nextId('evt'),
      object: 'event',
      api_version: o.apiVersion,
      created: seconds(),
      type,
      data: {
        object: structuredClone(object),
        ...(previous === undefined ? {} : { previous_attributes: previous }),
      },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    }),
    mustSubscription(id) {
      const found = subscriptions.get(id);
      if (found === undefined) throw noSuch('subscription', id, 'id');
      return found;
    },
    invoiceFor: (sub, status) => ({
      id: nextId('in'),
      object: 'invoice',
      created: seconds(),
      customer: sub.customer,
      status,
      amount_due: 999,
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: sub.id, metadata: { ...sub.metadata } },
      },
      livemode: false,
    }),
  };
}
