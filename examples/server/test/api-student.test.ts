import { type StripeEvent, type StripeMockServer, startStripeMock } from '@spoti/mock';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type StudentClaims, signStudentProof } from '../src/api/billing/student-proof.js';
import { ApiClient, registerAndLogin } from './api-client.js';
import { BACKENDS, type TestServer, startTestServer } from './helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 240_000 });

/** Fake credentials: the right shape, obviously not real. */
const FAKE = {
  STRIPE_SECRET_KEY: 'sk_test_fake_student_key',
  STRIPE_WEBHOOK_SECRET: 'whsec_fake_student_secret',
  STRIPE_PRICE_STUDENT: 'price_student_test',
  STRIPE_PRICE_INDIVIDUAL: 'price_individual_student_test',
  STUDENT_VERIFIER_SECRET: 'fake_verifier_secret_for_tests_only',
  STUDENT_VERIFIER_URL: 'https://verifier.example.test/student',
};
const signer = new Stripe(FAKE.STRIPE_SECRET_KEY);
const DAY = 86_400_000;

describe.each(BACKENDS)('the Student plan with verification on %s', (backend) => {
  let t: TestServer;
  let stripeMock: StripeMockServer;
  let api: ApiClient;
  const now = () => t.mock.controls.clock.now();

  const deliverAll = async (events: readonly StripeEvent[]) => {
    for (const event of events) {
      const payload = JSON.stringify(event);
      const header = signer.webhooks.generateTestHeaderString({
        payload,
        secret: FAKE.STRIPE_WEBHOOK_SECRET,
      });
      const answer = await api
        .as(null)
        .request('POST', '/billing/webhook', event, { 'stripe-signature': header });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
  };
  /** The verifier stand-in: a proof for `sub`, as a verifier of enrolment would sign it. */
  const proofFor = (sub: string, extra: Partial<StudentClaims> = {}, secret?: string) =>
    signStudentProof(
      {
        v: 1,
        id: `ver_${sub}_${now()}_${extra.expiresAt ?? ''}`,
        sub,
        institution: 'Example University',
        verifiedAt: now(),
        expiresAt: now() + 365 * DAY,
        ...extra,
      },
      secret ?? FAKE.STUDENT_VERIFIER_SECRET,
    );

  beforeAll(async () => {
    stripeMock = await startStripeMock({
      prices: [FAKE.STRIPE_PRICE_STUDENT, FAKE.STRIPE_PRICE_INDIVIDUAL],
      clock: { now: () => t.mock.controls.clock.now() },
    });
    t = await startTestServer(backend, { ...FAKE, STRIPE_API_URL: stripeMock.url });
    api = new ApiClient(t.url);
  });
  afterAll(async () => {
    await t?.close();
    await stripeMock?.close();
  });

  it('sells Student to verified students only', async () => {
    const plans = await api.get('/billing/plans');
    const student = plans.body.plans.find((p: { id: string }) => p.id === 'student');
    expect(student).toMatchObject({ purchasable: true, requiresVerification: true });
    const { client } = await registerAndLogin(api, 'Unverified');
    const status = await client.get('/billing/student-verification');
    expect(status.body).toEqual({
      status: 'none',
      institution: null,
      verifiedAt: null,
      expiresAt: null,
      verifyUrl: FAKE.STUDENT_VERIFIER_URL,
    });
    const refused = await client.post('/billing/checkout', { planId: 'student' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('STUDENT_NOT_VERIFIED');
  });

  it('refuses proofs that are forged, for someone else, stale, expired or too long', async () => {
    const { client, id } = await registerAndLogin(api, 'Forger');
    const { id: otherId } = await registerAndLogin(api, 'Bystander');
    const cases: [string, RegExp][] = [
      [proofFor(id, {}, 'another_secret_of_24_characters'), /not signed/],
      [proofFor(otherId), /another account/],
      [proofFor(id, { verifiedAt: now() - 40 * DAY, expiresAt: now() + DAY }), /older than 30/],
      [proofFor(id, { verifiedAt: now() - 2 * DAY, expiresAt: now() - DAY }), /expired/],
      [proofFor(id, { expiresAt: now() + 400 * DAY }), /366 days/],
      [proofFor(id, { verifiedAt: now() + DAY }), /future/],
      ['forged-claims.forged-signature', /not signed/],
    ];
    for (const [proof, why] of cases) {
      const answer = await client.post('/billing/student-verification', { proof });
      expect(answer.status, proof).toBe(400);
      expect(answer.body.code).toBe('INVALID_PROOF');
      expect(answer.body.detail).toMatch(why);
    }
    expect((await client.get('/billing/student-verification')).body.status).toBe('none');
  });

  it('verifies, buys Student through Stripe, downgrades when the verification lapses and restores it on re-verification', async () => {
    const { client, id } = await registerAndLogin(api, 'Scholar');
    const proof = proofFor(id, { expiresAt: now() + 60 * DAY });
    for (let i = 0; i < 2; i++) {
      const verified = await client.post('/billing/student-verification', { proof });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({
        status: 'verified',
        institution: 'Example University',
        expiresAt: new Date(now() + 60 * DAY).toISOString(),
      });
    }
    const checkout = await client.post('/billing/checkout', { planId: 'student' });
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
    expect(checkout.body).toMatchObject({ planId: 'student', trialDays: 30 });
    const done = stripeMock.controls.completeCheckout(checkout.body.sessionId);
    await deliverAll(done.events);
    const subscribed = await client.get('/billing/subscription');
    expect(subscribed.body.entitlements).toMatchObject({
      effectivePlan: 'student',
      downgradeReason: null,
      skipsPerHour: null,
    });
    expect(subscribed.body.subscription).toMatchObject({ planId: 'student', role: 'owner' });

    // The verification lapses before the subscription does: Free until verified again.
    t.mock.controls.clock.set(now() + 61 * DAY);
    const lapsed = await client.get('/billing/subscription');
    expect(lapsed.body.entitlements).toMatchObject({
      effectivePlan: 'free',
      downgradeReason: 'unverified',
      skipsPerHour: 6,
    });
    expect(lapsed.body.subscription).toMatchObject({ planId: 'student', status: 'trialing' });
    // Still the owner's subscription: buying another plan needs it cancelled first.
    const other = await client.post('/billing/checkout', { planId: 'individual' });
    expect(other.body.code).toBe('ALREADY_SUBSCRIBED');
    expect((await client.get('/billing/student-verification')).body.status).toBe('expired');

    const again = await client.post('/billing/student-verification', { proof: proofFor(id) });
    expect(again.body.status).toBe('verified');
    const restored = await client.get('/billing/subscription');
    expect(restored.body.entitlements).toMatchObject({
      effectivePlan: 'student',
      downgradeReason: null,
    });
    const cancelled = await client.post('/billing/subscription/cancel', {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ planId: 'student', cancelAtPeriodEnd: true });
    // The catalog's copy (which the skip limit reads) carries the new end too.
    const mirrored = await t.server.context.database.catalog.getSubscription(done.object.id);
    expect(mirrored).toMatchObject({
      planId: 'student',
      studentVerification: 'verified',
      studentVerifiedUntil: now() + 365 * DAY,
    });
  });

  it('stops Stripe renewing a Student plan whose verification lapsed (the hourly job; safe to repeat)', async () => {
    const { client, id } = await registerAndLogin(api, 'Lapsing');
    await client.post('/billing/student-verification', {
      proof: proofFor(id, { expiresAt: now() + 20 * DAY }),
    });
    const checkout = await client.post('/billing/checkout', { planId: 'student' });
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
    const done = stripeMock.controls.completeCheckout(checkout.body.sessionId);
    await deliverAll(done.events);
    const subId = done.object.id;
    const updates = () =>
      stripeMock.controls
        .requests()
        .filter((r) => r.method === 'POST' && r.path === `/v1/subscriptions/${subId}`);
    const runner = t.server.context.runner;

    // Verified: the job leaves the subscription alone.
    expect((await runner.run('billing-student-lapses', {})).cancelled).not.toContain(subId);
    expect(stripeMock.controls.subscription(subId)?.cancel_at_period_end).toBe(false);

    t.mock.controls.clock.set(now() + 21 * DAY);
    await runner.run('billing-student-lapses', {});
    expect(stripeMock.controls.subscription(subId)?.cancel_at_period_end).toBe(true);
    expect(updates()).toHaveLength(1);
    expect(updates()[0]?.body).toMatchObject({ cancel_at_period_end: 'true' });
    const mine = await client.get('/billing/subscription');
    expect(mine.body.subscription).toMatchObject({ planId: 'student', cancelAtPeriodEnd: true });
    expect(mine.body.entitlements).toMatchObject({ effectivePlan: 'free' });
    const mirrored = await t.server.context.database.catalog.getSubscription(subId);
    expect(mirrored?.endsAt).not.toBeNull();

    // A repeat (and Stripe's own update event) asks Stripe nothing more.
    expect((await runner.run('billing-student-lapses', {})).cancelled).toEqual([]);
    expect(updates()).toHaveLength(1);
  });
});
