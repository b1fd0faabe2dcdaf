import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { type StripeEvent, type StripeMockServer, startStripeMock } from '@spoti/mock';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ApiClient, registerAndLogin } from './api-client.js';
import { BACKENDS, type TestServer, startTestServer } from './helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 240_000 });

/** Fake Stripe credentials: the right shape, obviously not real. */
const FAKE = {
  STRIPE_SECRET_KEY: 'sk_test_fake_key_for_tests_only',
  STRIPE_WEBHOOK_SECRET: 'whsec_fake_secret_for_tests_only',
  STRIPE_PRICE_INDIVIDUAL: 'price_individual_test',
  STRIPE_PRICE_DUO: 'price_duo_test',
  STRIPE_PRICE_FAMILY: 'price_family_test',
};
const signer = new Stripe(FAKE.STRIPE_SECRET_KEY);
const DAY = 86_400_000;

describe.each(BACKENDS)('platform API billing with Stripe on %s', (backend) => {
  let t: TestServer;
  let stripeMock: StripeMockServer;
  let api: ApiClient;

  /** Signs `event` with the SDK's test helper and posts it to the webhook. */
  const deliver = (event: StripeEvent, secret = FAKE.STRIPE_WEBHOOK_SECRET) => {
    const payload = JSON.stringify(event);
    const header = signer.webhooks.generateTestHeaderString({ payload, secret });
    return api.as(null).request('POST', '/billing/webhook', event, { 'stripe-signature': header });
  };
  const deliverAll = async (events: readonly StripeEvent[]) => {
    for (const event of events) {
      const answer = await deliver(event);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
  };
  const advance = (ms: number) => t.mock.controls.clock.set(t.mock.controls.clock.now() + ms);
  /** Buys `planId` for `client` and completes the checkout at the stand-in. */
  const subscribe = async (client: ApiClient, planId: string) => {
    const checkout = await client.post('/billing/checkout', { planId });
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
    const done = stripeMock.controls.completeCheckout(checkout.body.sessionId);
    await deliverAll(done.events);
    return { checkout: checkout.body, subscription: done.object };
  };

  beforeAll(async () => {
    stripeMock = await startStripeMock({
      prices: [FAKE.STRIPE_PRICE_INDIVIDUAL, FAKE.STRIPE_PRICE_DUO, FAKE.STRIPE_PRICE_FAMILY],
      clock: { now: () => t.mock.controls.clock.now() },
    });
    t = await startTestServer(backend, { ...FAKE, STRIPE_API_URL: stripeMock.url });
    api = new ApiClient(t.url);
  });
  afterAll(async () => {
    await t?.close();
    await stripeMock?.close();
  });

  it('lists the plans and their gates from the catalog', async () => {
    const plans = await api.get('/billing/plans');
    expect(plans.status).toBe(200);
    expect(plans.body.billingEnabled).toBe(true);
    expect(plans.body.trialDays).toBe(30);
    const byId = Object.fromEntries(plans.body.plans.map((p: { id: string }) => [p.id, p]));
    expect(byId.free).toMatchObject({
      maxBitrateKbps: 160,
      skipsPerHour: 6,
      ads: true,
      purchasable: false,
    });
    expect(byId.family).toMatchObject({ maxMembers: 6, maxBitrateKbps: 320, purchasable: true });
    expect(byId.student).toMatchObject({ purchasable: false });
  });

  it('starts a checkout with a 30-day trial; a repeat answers the same checkout', async () => {
    const { client, id } = await registerAndLogin(api, 'Buyer');
    const first = await client.post('/billing/checkout', { planId: 'individual' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ planId: 'individual', trialDays: 30 });
    expect(first.body.url.startsWith(`${stripeMock.url}/c/pay/`)).toBe(true);
    const again = await client.post('/billing/checkout', { planId: 'individual' });
    expect(again.body.sessionId).toBe(first.body.sessionId);
    const calls = stripeMock.controls.requests().filter((r) => r.body.metadata !== undefined);
    const customer = calls.find(
      (r) => r.path === '/v1/customers' && (r.body.metadata as { userId?: string }).userId === id,
    );
    expect(customer?.idempotencyKey).toBe(`spoti-customer-${id}`);
    const session = stripeMock.controls.session(first.body.sessionId);
    expect(session).toMatchObject({
      mode: 'subscription',
      client_reference_id: id,
      customer: customer === undefined ? null : expect.any(String),
    });
    expect(
      calls.filter((r) => r.path === '/v1/checkout/sessions' && r.body.client_reference_id === id),
    ).toHaveLength(1);

    const free = await client.post('/billing/checkout', { planId: 'free' });
    expect(free.status).toBe(400);
    const student = await client.post('/billing/checkout', { planId: 'student' });
    expect(student.status).toBe(409);
    expect(student.body.code).toBe('PLAN_NOT_PURCHASABLE');
    expect((await api.as(null).post('/billing/checkout', { planId: 'duo' })).status).toBe(401);
  });

  it('verifies webhook signatures on the raw body and handles each event once', async () => {
    const { client } = await registerAndLogin(api, 'Subscriber');
    const checkout = await client.post('/billing/checkout', { planId: 'individual' });
    const done = stripeMock.controls.completeCheckout(checkout.body.sessionId);
    const [created, completed] = done.events;
    if (created === undefined || completed === undefined) throw new Error('no events');

    const forged = await deliver(created, 'whsec_not_the_right_secret');
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe('INVALID_SIGNATURE');
    const header = signer.webhooks.generateTestHeaderString({
      payload: JSON.stringify(created),
      secret: FAKE.STRIPE_WEBHOOK_SECRET,
    });
    const tampered = await api
      .as(null)
      .request(
        'POST',
        '/billing/webhook',
        { ...created, id: 'evt_other' },
        { 'stripe-signature': header },
      );
    expect(tampered.status).toBe(400);
    const unsigned = await api.as(null).request('POST', '/billing/webhook', created);
    expect(unsigned.status).toBe(400);
    expect((await client.get('/billing/subscription')).body.entitlements.effectivePlan).toBe(
      'free',
    );

    const ok = await deliver(created);
    expect(ok.body).toMatchObject({
      received: true,
      duplicate: false,
      applied: true,
      type: 'customer.subscription.created',
    });
    expect((await deliver(created)).body).toMatchObject({ duplicate: true, applied: false });
    expect((await deliver(completed)).body).toMatchObject({
      duplicate: false,
      type: 'checkout.session.completed',
    });
    const unknown = await deliver(
      stripeMock.controls.event('product.created', { id: 'prod_x', object: 'product' }),
    );
    expect(unknown.body).toMatchObject({ applied: false, duplicate: false });

    const mine = await client.get('/billing/subscription');
    expect(mine.body.entitlements).toMatchObject({
      effectivePlan: 'individual',
      audioQualitiesKbps: [96, 160, 320],
      skipsPerHour: null,
      ads: false,
    });
    expect(mine.body.subscription).toMatchObject({
      planId: 'individual',
      status: 'trialing',
      role: 'owner',
      cancelAtPeriodEnd: false,
    });
    const trialEnd = Date.parse(mine.body.subscription.trialEnd);
    expect(Math.abs(trialEnd - (t.mock.controls.clock.now() + 30 * DAY))).toBeLessThan(2000);
    // A completed checkout is not handed out again.
    const next = await client.post('/billing/checkout', { planId: 'family' });
    expect(next.status).toBe(409);
    expect(next.body.code).toBe('ALREADY_SUBSCRIBED');
  });

  it('follows the lifecycle: trial, active, past due, recovered, cancel at period end, downgrade', async () => {
    const { client } = await registerAndLogin(api, 'Lifecycle');
    const { subscription } = await subscribe(client, 'individual');
    const plan = async () => (await client.get('/billing/subscription')).body;

    advance(30 * DAY);
    await deliverAll(stripeMock.controls.endPeriod(subscription.id).events);
    expect((await plan()).subscription.status).toBe('active');

    advance(1000);
    await deliverAll(stripeMock.controls.failPayment(subscription.id).events);
    const pastDue = await plan();
    expect(pastDue.subscription.status).toBe('past_due');
    // The catalog holds the same subscription, for the gates it enforces (the Free skip limit).
    const mirrored = await t.server.context.database.catalog.getSubscription(subscription.id);
    expect(mirrored).toMatchObject({ planId: 'individual', status: 'past_due', endsAt: null });
    expect(pastDue.entitlements.effectivePlan).toBe('free');
    expect(pastDue.entitlements.audioQualitiesKbps).toEqual([96, 160]);

    advance(1000);
    await deliverAll(stripeMock.controls.recoverPayment(subscription.id).events);
    expect((await plan()).entitlements.effectivePlan).toBe('individual');

    const cancel = await client.post('/billing/subscription/cancel');
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ cancelAtPeriodEnd: true, status: 'active' });
    expect(stripeMock.controls.subscription(subscription.id)?.cancel_at_period_end).toBe(true);
    expect((await client.post('/billing/subscription/cancel')).body.cancelAtPeriodEnd).toBe(true);
    expect((await plan()).entitlements.effectivePlan).toBe('individual');
    expect((await client.post('/billing/subscription/resume')).body.cancelAtPeriodEnd).toBe(false);
    await client.post('/billing/subscription/cancel');

    // The period ends: no longer entitled even before Stripe's event arrives...
    advance(31 * DAY);
    const lapsed = await plan();
    expect(lapsed.entitlements).toMatchObject({ effectivePlan: 'free', downgradeReason: null });
    // ...and Stripe's deletion makes it final.
    await deliverAll(stripeMock.controls.endPeriod(subscription.id).events);
    const ended = await plan();
    expect(ended.subscription.status).toBe('canceled');
    expect(ended.entitlements.effectivePlan).toBe('free');
    expect((await client.post('/billing/subscription/cancel')).status).toBe(404);

    // The trial was used: a new checkout has none.
    const again = await client.post('/billing/checkout', { planId: 'individual' });
    expect(again.body.trialDays).toBe(0);
    const session = stripeMock.controls
      .requests()
      .filter((r) => r.path === '/v1/checkout/sessions')
      .at(-1);
    expect(
      (session?.body.subscription_data as Record<string, unknown> | undefined)?.trial_period_days,
    ).toBeUndefined();
  });

  it('ignores an event older than the state it already has', async () => {
    const { client } = await registerAndLogin(api, 'Ordering');
    const { subscription } = await subscribe(client, 'individual');
    advance(2000);
    const older = stripeMock.controls.failPayment(subscription.id).events;
    advance(2000);
    const newer = stripeMock.controls.recoverPayment(subscription.id).events;
    await deliverAll(newer);
    const late = await deliver(older[1] as StripeEvent);
    expect(late.body).toMatchObject({ duplicate: false, applied: false });
    expect((await client.get('/billing/subscription')).body.subscription.status).toBe('active');
  });

  it('manages Duo and Family members (owner only, up to the plan’s size)', async () => {
    const owner = await registerAndLogin(api, 'Owner');
    const kid = await registerAndLogin(api, 'Kid');
    const partner = await registerAndLogin(api, 'Partner');
    const third = await registerAndLogin(api, 'Third');
    await subscribe(owner.client, 'duo');

    const added = await owner.client.put(`/billing/members/${partner.id}`);
    expect(added.status).toBe(200);
    expect(added.body.memberIds).toEqual([partner.id]);
    expect((await owner.client.put(`/billing/members/${partner.id}`)).body.memberIds).toEqual([
      partner.id,
    ]);
    const asMember = (await partner.client.get('/billing/subscription')).body;
    expect(asMember.entitlements).toMatchObject({ effectivePlan: 'duo', canManageMembers: false });
    expect(asMember.subscription.role).toBe('member');
    const full = await owner.client.put(`/billing/members/${third.id}`);
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('MEMBERS_FULL');
    const byMember = await partner.client.put(`/billing/members/${kid.id}`);
    expect(byMember.status).toBe(404);
    expect(byMember.body.code).toBe('NO_SUBSCRIPTION');
    expect((await owner.client.put('/billing/members/no-such-account')).status).toBe(404);
    expect((await owner.client.put(`/billing/members/${owner.id}`)).status).toBe(400);
    const inCatalog = await t.server.context.database.catalog.getSubscription(added.body.id);
    expect(inCatalog?.memberUserIds).toEqual([owner.id, partner.id]);
    const removed = await owner.client.delete(`/billing/members/${partner.id}`);
    expect(removed.body.memberIds).toEqual([]);
    expect((await owner.client.delete(`/billing/members/${partner.id}`)).status).toBe(200);
    expect(
      (await partner.client.get('/billing/subscription')).body.entitlements.effectivePlan,
    ).toBe('free');

    const solo = await registerAndLogin(api, 'Solo');
    await subscribe(solo.client, 'individual');
    const notFamily = await solo.client.put(`/billing/members/${kid.id}`);
    expect(notFamily.status).toBe(409);
    expect(notFamily.body.code).toBe('NOT_A_FAMILY_PLAN');

    const family = await registerAndLogin(api, 'Parent');
    await subscribe(family.client, 'family');
    for (const member of [kid, third])
      expect((await family.client.put(`/billing/members/${member.id}`)).status).toBe(200);
    expect((await kid.client.get('/billing/subscription')).body.entitlements.effectivePlan).toBe(
      'family',
    );
  });

  it('cancels the Stripe subscription when the account is deleted', async () => {
    const { client } = await registerAndLogin(api, 'Gone');
    const { subscription } = await subscribe(client, 'individual');
    expect((await client.delete('/me')).status).toBe(204);
    expect(stripeMock.controls.subscription(subscription.id)?.status).toBe('canceled');
  });
});

describe('billing configuration and billing off', () => {
  it('names the missing Stripe variables', () => {
    expect(() =>
      loadConfig({ STRIPE_SECRET_KEY: FAKE.STRIPE_SECRET_KEY }, { baseDir: '/tmp', randomBytes }),
    ).toThrow(/STRIPE_WEBHOOK_SECRET is required.*STRIPE_PRICE_INDIVIDUAL at least one/);
    expect(() =>
      loadConfig({ STRIPE_SECRET_KEY: 'pk_test_publishable' }, { baseDir: '/tmp', randomBytes }),
    ).toThrow(/STRIPE_SECRET_KEY must be a Stripe secret key/);
    const config = loadConfig(
      { ...FAKE, STRIPE_API_URL: 'http://127.0.0.1:12111' },
      { baseDir: '/tmp', randomBytes },
    );
    expect(config.billing?.api).toEqual({ protocol: 'http', host: '127.0.0.1', port: 12111 });
    expect(loadConfig({}, { baseDir: '/tmp', randomBytes }).billing).toBeNull();
  });

  it('answers 503 BILLING_DISABLED without Stripe, and 502 when Stripe is down', async () => {
    // A port nothing listens on: take a free one and let it go.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const [off, down] = await Promise.all([
      startTestServer('pglite'),
      startTestServer('pglite', { ...FAKE, STRIPE_API_URL: `http://127.0.0.1:${port}` }),
    ]);
    try {
      const offApi = new ApiClient(off.url);
      const { client } = await registerAndLogin(offApi, 'NoBilling');
      const checkout = await client.post('/billing/checkout', { planId: 'individual' });
      expect(checkout.status).toBe(503);
      expect(checkout.body.code).toBe('BILLING_DISABLED');
      expect((await offApi.get('/billing/plans')).body.billingEnabled).toBe(false);
      expect((await client.get('/billing/subscription')).body.entitlements.effectivePlan).toBe(
        'free',
      );
      const hook = await offApi.request('POST', '/billing/webhook', { id: 'evt_x' });
      expect(hook.status).toBe(503);

      const downApi = new ApiClient(down.url);
      const buyer = await registerAndLogin(downApi, 'StripeDown');
      const failed = await buyer.client.post('/billing/checkout', { planId: 'individual' });
      expect(failed.status).toBe(502);
      expect(failed.body.code).toBe('PAYMENT_PROVIDER_FAILED');
      expect(JSON.stringify(failed.body)).not.toContain(FAKE.STRIPE_SECRET_KEY);
    } finally {
      await off.close();
      await down.close();
    }
  }, 300_000); // two more servers: slow to start on a loaded machine
});
