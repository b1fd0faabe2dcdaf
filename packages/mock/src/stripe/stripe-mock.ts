import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { closeServer, listen, readBody, sendJson } from '../server/http.js';
import { parseOptions } from '../server/parse-options.js';
import { decodeForm, type FormValue } from './form-body.js';
import type {
  StripeCheckoutSession,
  StripeCustomer,
  StripeEvent,
  StripeInvoice,
  StripeSubscription,
} from './stripe-objects.js';

/** Options of {@link startStripeMock}. */
export interface StripeMockOptions {
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Price ids the stand-in knows; default: any id starting with `price_`. */
  readonly prices?: readonly string[];
  /** Time source in Unix ms (default the wall clock); Stripe timestamps are its seconds. */
  readonly clock?: { now(): number };
  /** Length of a billing period in days (default 30). */
  readonly periodDays?: number;
  /** API version stamped on events (default the one the current `stripe` SDK pins). */
  readonly apiVersion?: string;
}

/** One request the stand-in received (the API key is never kept). */
export interface StripeMockRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, FormValue>;
  readonly idempotencyKey: string | null;
}

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

/** A running Stripe stand-in. */
export interface StripeMockServer {
  /** Base URL, like `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The SDK's `host`, `port` and `protocol` options that point it here. */
  readonly sdkOptions: { readonly host: string; readonly port: number; readonly protocol: 'http' };
  readonly controls: StripeMockControls;
  close(): Promise<void>;
}

const optionsSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
  prices: z.array(z.string().regex(/^price_/)).optional(),
  clock: z
    .custom<{ now(): number }>((v) => typeof (v as { now?: unknown })?.now === 'function')
    .optional(),
  periodDays: z.number().int().positive().default(30),
  apiVersion: z.string().min(1).default('2026-11-18.endive'),
});

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: 'invalid_request_error' | 'api_error' = 'invalid_request_error',
    readonly param?: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}

const text = (v: FormValue | undefined): string | undefined =>
  typeof v === 'string' ? v : undefined;
const record = (v: FormValue | undefined): Record<string, string> => {
  if (v === undefined || typeof v === 'string' || Array.isArray(v)) return {};
  return Object.fromEntries(
    Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
};
const boolOf = (v: FormValue | undefined, param: string): boolean | undefined => {
  if (v === undefined) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new StripeHttpError(400, `Invalid boolean: ${String(v)}`, 'invalid_request_error', param);
};

/**
 * Starts a local stand-in of the Stripe API for the calls a subscription checkout makes:
 * customers (create, retrieve), Checkout Sessions in subscription mode (create, retrieve, with a
 * trial), subscriptions (retrieve, update `cancel_at_period_end`, cancel). It answers in Stripe's
 * shapes and error format, requires a bearer key, replays `Idempotency-Key` requests, and
 * `controls` move subscriptions through trial, renewal, failed payment and cancellation,
 * returning the webhook events Stripe would send. Point the official SDK at it with
 * `new Stripe(key, { ...mock.sdkOptions })`.
 *
 * @example
 * ```ts
 * const stripeMock = await startStripeMock({ prices: ['price_individual'] });
 * const stripe = new Stripe('sk_test_fake', { ...stripeMock.sdkOptions });
 * const session = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_individual', quantity: 1 }], success_url: 'http://x/ok' });
 * const { events } = stripeMock.controls.completeCheckout(session.id);
 * await stripeMock.close();
 * ```
 */
export async function startStripeMock(options: StripeMockOptions = {}): Promise<StripeMockServer> {
  const o = parseOptions(optionsSchema, options, 'Stripe mock options');
  const clock = o.clock ?? { now: () => Date.now() };
  const seconds = () => Math.floor(clock.now() / 1000);
  const periodSeconds = o.periodDays * 86_400;
  const customers = new Map<string, StripeCustomer>();
  const sessions = new Map<
    string,
    {
      session: StripeCheckoutSession;
      price: string;
      trialDays: number | null;
      metadata: Record<string, string>;
    }
  >();
  const subscriptions = new Map<string, StripeSubscription>();
  const replays = new Map<string, { status: number; body: unknown }>();
  const log: StripeMockRequest[] = [];
  const counters = new Map<string, number>();
  const nextId = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_mock${String(n).padStart(10, '0')}`;
  };
  let base = '';

  const event = (
    type: string,
    object: unknown,
    previous?: Record<string, unknown>,
  ): StripeEvent => ({
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
  });

  const mustSubscription = (id: string): StripeSubscription => {
    const found = subscriptions.get(id);
    if (found === undefined)
      throw new StripeHttpError(
        404,
        `No such subscription: '${id}'`,
        'invalid_request_error',
        'id',
        'resource_missing',
      );
    return found;
  };
  const invoiceFor = (sub: StripeSubscription, status: StripeInvoice['status']): StripeInvoice => ({
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
  });

  const controls: StripeMockControls = {
    completeCheckout(sessionId) {
      const state = sessions.get(sessionId);
      if (state === undefined) throw new Error(`No such checkout session: ${sessionId}`);
      if (state.session.status !== 'open')
        throw new Error(`Checkout session ${sessionId} is ${state.session.status}`);
      const now = seconds();
      const customer = state.session.customer ?? createCustomer({}).id;
      const trialEnd =
        state.trialDays !== null && state.trialDays > 0 ? now + state.trialDays * 86_400 : null;
      const id = nextId('sub');
      const periodEnd = trialEnd ?? now + periodSeconds;
      const sub: StripeSubscription = {
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
        metadata: { ...state.metadata },
        items: {
          object: 'list',
          has_more: false,
          url: `/v1/subscription_items?subscription=${id}`,
          data: [
            {
              id: nextId('si'),
              object: 'subscription_item',
              created: now,
              current_period_start: now,
              current_period_end: periodEnd,
              quantity: 1,
              subscription: id,
              price: {
                id: state.price,
                object: 'price',
                recurring: { interval: 'month', interval_count: 1 },
              },
            },
          ],
        },
        livemode: false,
      };
      subscriptions.set(id, sub);
      state.session.status = 'complete';
      state.session.payment_status = trialEnd === null ? 'paid' : 'no_payment_required';
      state.session.subscription = id;
      state.session.customer = customer;
      state.session.url = null;
      return {
        object: structuredClone(sub),
        events: [
          event('customer.subscription.created', sub),
          event('checkout.session.completed', state.session),
        ],
      };
    },
    endPeriod(subscriptionId) {
      const sub = mustSubscription(subscriptionId);
      const now = seconds();
      const item = sub.items.data[0];
      if (sub.cancel_at_period_end) {
        const previous = { status: sub.status };
        sub.status = 'canceled';
        sub.ended_at = now;
        sub.canceled_at ??= now;
        return {
          object: structuredClone(sub),
          events: [event('customer.subscription.deleted', sub, previous)],
        };
      }
      const previous: Record<string, unknown> = { status: sub.status };
      if (item !== undefined) {
        item.current_period_start = now;
        item.current_period_end = now + periodSeconds;
      }
      sub.status = 'active';
      return {
        object: structuredClone(sub),
        events: [
          event('invoice.paid', invoiceFor(sub, 'paid')),
          event('customer.subscription.updated', sub, previous),
        ],
      };
    },
    failPayment(subscriptionId) {
      const sub = mustSubscription(subscriptionId);
      const previous = { status: sub.status };
      sub.status = 'past_due';
      return {
        object: structuredClone(sub),
        events: [
          event('invoice.payment_failed', invoiceFor(sub, 'open')),
          event('customer.subscription.updated', sub, previous),
        ],
      };
    },
    recoverPayment(subscriptionId) {
      const sub = mustSubscription(subscriptionId);
      const previous = { status: sub.status };
      sub.status = 'active';
      return {
        object: structuredClone(sub),
        events: [
          event('invoice.paid', invoiceFor(sub, 'paid')),
          event('customer.subscription.updated', sub, previous),
        ],
      };
    },
    event,
    customer: (id) => structuredClone(customers.get(id)),
    subscription: (id) => structuredClone(subscriptions.get(id)),
    session: (id) => structuredClone(sessions.get(id)?.session),
    requests: () => [...log],
  };

  function createCustomer(body: Record<string, FormValue>): StripeCustomer {
    const customer: StripeCustomer = {
      id: nextId('cus'),
      object: 'customer',
      created: seconds(),
      email: text(body.email) ?? null,
      name: text(body.name) ?? null,
      metadata: record(body.metadata),
      livemode: false,
    };
    customers.set(customer.id, customer);
    return customer;
  }

  function createSession(body: Record<string, FormValue>): StripeCheckoutSession {
    const mode = text(body.mode);
    if (mode !== 'subscription')
      throw new StripeHttpError(
        400,
        'The stand-in supports mode=subscription only',
        'invalid_request_error',
        'mode',
      );
    const successUrl = text(body.success_url);
    if (successUrl === undefined)
      throw new StripeHttpError(
        400,
        'Missing required param: success_url.',
        'invalid_request_error',
        'success_url',
        'parameter_missing',
      );
    const items = Array.isArray(body.line_items) ? body.line_items : [];
    const first = items[0];
    const price =
      typeof first === 'object' && !Array.isArray(first) ? text(first.price) : undefined;
    if (items.length !== 1 || price === undefined)
      throw new StripeHttpError(
        400,
        'Send exactly one line item with a price.',
        'invalid_request_error',
        'line_items',
      );
    if (o.prices !== undefined ? !o.prices.includes(price) : !price.startsWith('price_'))
      throw new StripeHttpError(
        400,
        `No such price: '${price}'`,
        'invalid_request_error',
        'line_items[0][price]',
        'resource_missing',
      );
    const customer = text(body.customer);
    if (customer !== undefined && !customers.has(customer))
      throw new StripeHttpError(
        400,
        `No such customer: '${customer}'`,
        'invalid_request_error',
        'customer',
        'resource_missing',
      );
    const subscriptionData = body.subscription_data;
    const data =
      typeof subscriptionData === 'object' && !Array.isArray(subscriptionData)
        ? subscriptionData
        : {};
    const trial = text(data.trial_period_days);
    if (trial !== undefined && !/^\d+$/.test(trial))
      throw new StripeHttpError(
        400,
        'Invalid integer: trial_period_days',
        'invalid_request_error',
        'subscription_data[trial_period_days]',
      );
    const now = seconds();
    const id = nextId('cs_test');
    const session: StripeCheckoutSession = {
      id,
      object: 'checkout.session',
      created: now,
      expires_at: now + 86_400,
      mode: 'subscription',
      status: 'open',
      payment_status: 'unpaid',
      customer: customer ?? null,
      client_reference_id: text(body.client_reference_id) ?? null,
      metadata: record(body.metadata),
      success_url: successUrl,
      cancel_url: text(body.cancel_url) ?? null,
      url: `${base}/c/pay/${id}`,
      subscription: null,
      livemode: false,
    };
    sessions.set(id, {
      session,
      price,
      trialDays: trial === undefined ? null : Number(trial),
      metadata: record(data.metadata),
    });
    return session;
  }

  function updateSubscription(id: string, body: Record<string, FormValue>): StripeSubscription {
    const sub = mustSubscription(id);
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
      sub.canceled_at = cancel ? seconds() : null;
    }
    sub.metadata = { ...sub.metadata, ...record(body.metadata) };
    return sub;
  }

  function route(
    method: string,
    path: string,
    body: Record<string, FormValue>,
  ): { status: number; body: unknown } {
    const [, version, resource, id, extra] = path.split('/');
    if (version !== 'v1' || (extra !== undefined && resource !== 'checkout'))
      throw new StripeHttpError(404, `Unrecognized request URL (${method}: ${path}).`);
    if (resource === 'customers') {
      if (method === 'POST' && id === undefined) return { status: 200, body: createCustomer(body) };
      const found = method === 'GET' && id !== undefined ? customers.get(id) : undefined;
      if (found !== undefined) return { status: 200, body: found };
      if (method === 'GET')
        throw new StripeHttpError(
          404,
          `No such customer: '${id}'`,
          'invalid_request_error',
          'id',
          'resource_missing',
        );
    }
    if (resource === 'checkout' && id === 'sessions') {
      if (method === 'POST' && extra === undefined)
        return { status: 200, body: createSession(body) };
      if (method === 'GET' && extra !== undefined) {
        const found = sessions.get(extra);
        if (found === undefined)
          throw new StripeHttpError(
            404,
            `No such checkout.session: '${extra}'`,
            'invalid_request_error',
            'session',
            'resource_missing',
          );
        return { status: 200, body: found.session };
      }
    }
    if (resource === 'subscriptions' && id !== undefined) {
      if (method === 'GET') return { status: 200, body: mustSubscription(id) };
      if (method === 'POST') return { status: 200, body: updateSubscription(id, body) };
      if (method === 'DELETE') {
        const sub = mustSubscription(id);
        sub.status = 'canceled';
        sub.ended_at = seconds();
        sub.canceled_at ??= seconds();
        return { status: 200, body: sub };
      }
    }
    throw new StripeHttpError(404, `Unrecognized request URL (${method}: ${path}).`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    if (method === 'GET' && url.pathname.startsWith('/c/pay/')) {
      const page =
        '<!doctype html><title>Stripe stand-in checkout</title><p>This is a local stand-in of Stripe Checkout: tests complete sessions through its controls.</p>';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    if (!/^Bearer (sk|rk)_(test|live)_\S+$/.test(req.headers.authorization ?? '')) {
      throw new StripeHttpError(
        401,
        'You did not provide an API key. Provide your secret key in the Authorization header (Bearer sk_...).',
      );
    }
    const body =
      method === 'GET' || method === 'DELETE'
        ? Object.fromEntries(url.searchParams)
        : decodeForm(raw);
    const idempotencyKey =
      typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    log.push({ method, path: url.pathname, body, idempotencyKey });
    const replayKey =
      idempotencyKey === null ? null : `${method} ${url.pathname} ${idempotencyKey}`;
    const previous = replayKey === null ? undefined : replays.get(replayKey);
    if (previous !== undefined) {
      sendJson(res, previous.status, previous.body, {
        'Idempotent-Replayed': 'true',
        'Request-Id': nextId('req'),
      });
      return;
    }
    const answer = route(method, url.pathname, body);
    const snapshot = structuredClone(answer.body);
    if (replayKey !== null && method === 'POST')
      replays.set(replayKey, { status: answer.status, body: snapshot });
    sendJson(res, answer.status, snapshot, { 'Request-Id': nextId('req') });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const e =
        error instanceof StripeHttpError
          ? error
          : new StripeHttpError(500, 'The stand-in failed', 'api_error');
      sendJson(res, e.status, {
        error: {
          type: e.type,
          message: e.message,
          ...(e.param === undefined ? {} : { param: e.param }),
          ...(e.errorCode === undefined ? {} : { code: e.errorCode }),
        },
      });
    });
  });
  base = await listen(server, o.host, o.port);
  const port = Number(new URL(base).port);
  return {
    url: base,
    sdkOptions: { host: new URL(base).hostname.replace(/^\[|\]$/g, ''), port, protocol: 'http' },
    controls,
    close: () => closeServer(server),
  };
}
