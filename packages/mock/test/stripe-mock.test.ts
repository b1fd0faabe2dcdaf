import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeMock, type StripeMockServer } from '../src/index.js';
import { decodeForm } from '../src/stripe/form-body.js';

/** An obviously fake key: the stand-in only checks its shape. */
const KEY = 'sk_test_not_a_real_key';

/** The fields these tests read from an answer. */
interface StripeBody {
  readonly id: string;
  readonly url?: string;
  readonly status?: string;
  readonly error: { readonly code?: string; readonly type: string };
  readonly [field: string]: unknown;
}

let mock: StripeMockServer;
let now = Date.UTC(2026, 0, 1);

beforeAll(async () => {
  mock = await startStripeMock({
    prices: ['price_individual', 'price_family'],
    clock: { now: () => now },
  });
});
afterAll(async () => {
  await mock?.close();
});

async function call(
  method: string,
  path: string,
  form?: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${mock.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    ...(form === undefined ? {} : { body: new URLSearchParams(form).toString() }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as StripeBody,
  };
}

describe('Stripe stand-in', () => {
  it('decodes bracketed form keys into objects and arrays', () => {
    expect(
      decodeForm(
        'mode=subscription&line_items[0][price]=p1&line_items[0][quantity]=1&metadata[user]=u1&expand[]=a&expand[]=b',
      ),
    ).toEqual({
      mode: 'subscription',
      line_items: [{ price: 'p1', quantity: '1' }],
      metadata: { user: 'u1' },
      expand: ['a', 'b'],
    });
  });

  it('refuses requests without a secret key, in Stripe’s error shape', async () => {
    const response = await fetch(`${mock.url}/v1/customers`, { method: 'POST' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
      'invalid_request_error',
    );
  });

  it('creates a customer and a checkout session, replays an idempotent request', async () => {
    const customer = await call('POST', '/v1/customers', {
      email: 'a@example.test',
      'metadata[userId]': 'u1',
    });
    expect(customer.body).toMatchObject({
      object: 'customer',
      email: 'a@example.test',
      metadata: { userId: 'u1' },
    });
    const again = await call(
      'POST',
      '/v1/customers',
      { email: 'b@example.test' },
      { 'idempotency-key': 'k1' },
    );
    const replay = await call(
      'POST',
      '/v1/customers',
      { email: 'b@example.test' },
      { 'idempotency-key': 'k1' },
    );
    expect(replay.body.id).toBe(again.body.id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    const session = await call('POST', '/v1/checkout/sessions', {
      mode: 'subscription',
      customer: customer.body.id,
      success_url: 'http://127.0.0.1/ok',
      'line_items[0][price]': 'price_individual',
      'line_items[0][quantity]': '1',
      'subscription_data[trial_period_days]': '30',
      'subscription_data[metadata][userId]': 'u1',
    });
    expect(session.body).toMatchObject({
      object: 'checkout.session',
      status: 'open',
      mode: 'subscription',
    });
    expect(session.body.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/c\/pay\/cs_test_/);
    const unknownPrice = await call('POST', '/v1/checkout/sessions', {
      mode: 'subscription',
      success_url: 'http://127.0.0.1/ok',
      'line_items[0][price]': 'price_nope',
    });
    expect(unknownPrice.status).toBe(400);
    expect(unknownPrice.body.error.code).toBe('resource_missing');

    const done = mock.controls.completeCheckout(session.body.id);
    expect(done.object).toMatchObject({
      status: 'trialing',
      customer: customer.body.id,
      metadata: { userId: 'u1' },
    });
    expect(done.object.trial_end).toBe(Math.floor(now / 1000) + 30 * 86_400);
    expect(done.events.map((e) => e.type)).toEqual([
      'customer.subscription.created',
      'checkout.session.completed',
    ]);
    const fetched = await call('GET', `/v1/subscriptions/${done.object.id}`);
    expect(fetched.body.status).toBe('trialing');
  });

  it('moves a subscription through renewal, failed payment, cancellation at period end', async () => {
    const session = await call('POST', '/v1/checkout/sessions', {
      mode: 'subscription',
      success_url: 'http://127.0.0.1/ok',
      'line_items[0][price]': 'price_family',
    });
    const sub = mock.controls.completeCheckout(session.body.id).object;
    expect(sub.status).toBe('active');
    now += 31 * 86_400_000;
    expect(mock.controls.endPeriod(sub.id).object.status).toBe('active');
    const failed = mock.controls.failPayment(sub.id);
    expect(failed.object.status).toBe('past_due');
    expect(failed.events.map((e) => e.type)).toEqual([
      'invoice.payment_failed',
      'customer.subscription.updated',
    ]);
    expect(mock.controls.recoverPayment(sub.id).object.status).toBe('active');
    const cancel = await call('POST', `/v1/subscriptions/${sub.id}`, {
      cancel_at_period_end: 'true',
    });
    expect(cancel.body).toMatchObject({ cancel_at_period_end: true, status: 'active' });
    const ended = mock.controls.endPeriod(sub.id);
    expect(ended.object.status).toBe('canceled');
    expect(ended.events[0]?.type).toBe('customer.subscription.deleted');
    const missing = await call('GET', '/v1/subscriptions/sub_nope');
    expect(missing.status).toBe(404);
  });
});
