import {
  type Entitlements,
  PLANS,
  type PlanId,
  addMember,
  isCatalogError,
  removeMember,
} from '@spoti/catalog';
import type { Kysely } from 'kysely';
import type Stripe from 'stripe';
import type { AppContext } from '../../context.js';
import { MediaProblem } from '../media/media-problem.js';
import { type BillingConfig, type PaidPlanId, planOfPrice } from './billing-config.js';
import {
  BillingRepository,
  type StripeStatus,
  type SubscriptionRecord,
  entitlementsOf,
  toCatalogSubscription,
} from './billing-repository.js';
import { verifyStudentProof } from './student-proof.js';
import {
  type StripeSubscriptionState,
  createStripeClient,
  invoiceSubscriptionId,
  subscriptionState,
} from './stripe-client.js';

/** What a checkout answers: where to send the buyer. */
export interface CheckoutResult {
  readonly sessionId: string;
  readonly url: string;
  /** Unix ms. */
  readonly expiresAt: number;
  readonly planId: PaidPlanId;
  /** Days of free trial this checkout starts with (0: none; a trial is given once). */
  readonly trialDays: number;
}

/** What the webhook did with one event. */
export interface WebhookOutcome {
  readonly eventId: string;
  readonly type: string;
  /** True when the event id was handled before: nothing was done again. */
  readonly duplicate: boolean;
  /** True when it changed a subscription. */
  readonly applied: boolean;
}

/** Subscriptions with Stripe: checkout, webhook events, cancellation, members. */
export interface BillingService {
  /** False when billing is off (no `STRIPE_SECRET_KEY`): everyone is on Free. */
  readonly enabled: boolean;
  readonly repository: BillingRepository;
  entitlements(
    userId: string,
  ): Promise<{ entitlements: Entitlements; subscription: SubscriptionRecord | null }>;
  checkout(
    user: { id: string; email: string; displayName: string },
    planId: PaidPlanId,
    urls: { successUrl: string; cancelUrl: string },
  ): Promise<CheckoutResult>;
  /** Verifies the signature on the raw body and applies the event once. */
  handleWebhook(rawBody: Buffer, signature: string | undefined): Promise<WebhookOutcome>;
  /** Sets or clears cancel-at-period-end on the caller's own subscription. */
  setCancelAtPeriodEnd(userId: string, cancel: boolean): Promise<SubscriptionRecord>;
  addMember(ownerId: string, memberId: string): Promise<SubscriptionRecord>;
  removeMember(ownerId: string, memberId: string): Promise<SubscriptionRecord>;
  /** Account deletion: cancels the user's subscriptions at Stripe right away. */
  cancelAllOf(userId: string): Promise<void>;
  /** The caller's verification of student enrolment. */
  studentStatus(userId: string): Promise<StudentStatus>;
  /** Redeems a verifier's proof of enrolment (a repeat changes nothing); answers the status. */
  verifyStudent(userId: string, proof: string): Promise<StudentStatus>;
  /**
   * Sets cancel-at-period-end at Stripe on every Student subscription whose owner's verification
   * of enrolment has lapsed, so it stops renewing (its entitlements are Free already); answers
   * their ids. Safe to repeat: a subscription set to cancel is not asked again.
   */
  cancelLapsedStudentPlans(): Promise<string[]>;
}

/** What the billing service needs of the server: a running server's context satisfies it. */
export interface BillingContext {
  readonly config: { readonly billing: BillingConfig | null };
  readonly database: AppContext['database'];
  readonly logger: AppContext['logger'];
  readonly clock: AppContext['clock'];
}

/** Where an account stands with its verification of student enrolment. */
export interface StudentStatus {
  /** `verified` until `expiresAt`; `expired` after it (verify again); `none` before any. */
  readonly status: 'none' | 'verified' | 'expired';
  readonly institution: string | null;
  /** Unix ms. */
  readonly verifiedAt: number | null;
  readonly expiresAt: number | null;
  /** Where the student proves enrolment with the verifier (null when not configured). */
  readonly verifyUrl: string | null;
}

const STATUSES: readonly StripeStatus[] = [
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'canceled',
  'incomplete',
  'incomplete_expired',
  'paused',
];

/** A status this server knows; one Stripe adds later counts as not paid (`incomplete`). */
function knownStatus(status: string): StripeStatus {
  return (STATUSES as readonly string[]).includes(status) ? (status as StripeStatus) : 'incomplete';
}

function disabled(): never {
  throw new MediaProblem(
    'BILLING_DISABLED',
    'Subscriptions are not set up on this server (STRIPE_SECRET_KEY is unset): everyone is on Free',
  );
}

function providerFailed(cause: unknown): never {
  const e = cause as { type?: string; code?: string; statusCode?: number };
  throw new MediaProblem(
    'PAYMENT_PROVIDER_FAILED',
    `Stripe did not accept the request${e.code === undefined ? '' : ` (${e.code})`}; try again in a moment`,
    { cause },
  );
}

/** The live subscription the user owns, or NO_SUBSCRIPTION. */
async function ownedSubscription(
  repository: BillingRepository,
  userId: string,
  now: number,
): Promise<SubscriptionRecord> {
  const { subscription } = await entitlementsOf(repository, userId, now);
  if (subscription === null || subscription.userId !== userId) {
    throw new MediaProblem(
      'NO_SUBSCRIPTION',
      subscription === null
        ? 'You have no subscription in effect'
        : 'Only the owner of the subscription can change it',
    );
  }
  return subscription;
}

/** A subscription's row as Stripe's state sets it (members and bookkeeping aside). */
type SubscriptionState = Omit<SubscriptionRecord, 'memberIds' | 'lastEventAt' | 'createdAt'>;

/** What the billing operations share: the context, its tables, the configuration and Stripe. */
interface Billing {
  readonly ctx: BillingContext;
  readonly repository: BillingRepository;
  /** `null` when billing is off. */
  readonly config: BillingConfig | null;
  readonly stripe: Stripe | null;
  readonly now: () => number;
}

/** Writes the subscription into the catalog too, where the plan gates (skips) read it. */
async function mirror(b: Billing, id: string): Promise<SubscriptionRecord | null> {
  const { ctx, repository } = b;
  const record = await repository.subscription(id);
  if (record !== null)
    await ctx.database.catalog.upsertSubscriptions([await repository.catalogSubscription(record)]);
  return record;
}

/** The row to write for a subscription Stripe reports (`null`: unknown price or customer). */
async function stateToRecord(
  b: Billing,
  state: StripeSubscriptionState,
  hints: { userId?: string | undefined; planId?: string | undefined },
): Promise<SubscriptionState | null> {
  const { ctx, repository, config } = b;
  if (config === null) return null;
  const planId =
    planOfPrice(config, state.priceId) ??
    (hints.planId !== undefined && hints.planId in PLANS ? (hints.planId as PlanId) : null);
  const userId =
    (await repository.userOfCustomer(state.customerId)) ??
    state.metadata.userId ??
    hints.userId ??
    null;
  if (planId === null || userId === null) {
    ctx.logger.warn(
      { subscription: state.id, price: state.priceId },
      'stripe subscription of an unknown price or customer ignored',
    );
    return null;
  }
  return {
    id: state.id,
    userId,
    stripeCustomerId: state.customerId,
    planId,
    status: knownStatus(state.status),
    trialEnd: state.trialEnd,
    currentPeriodEnd: state.currentPeriodEnd,
    cancelAtPeriodEnd: state.cancelAtPeriodEnd,
    endedAt: state.endedAt,
  };
}

async function studentStatus(b: Billing, userId: string): Promise<StudentStatus> {
  const { repository, config, now } = b;
  const v = await repository.studentVerification(userId);
  return {
    status: v === null ? 'none' : v.expiresAt > now() ? 'verified' : 'expired',
    institution: v?.institution ?? null,
    verifiedAt: v?.verifiedAt ?? null,
    expiresAt: v?.expiresAt ?? null,
    verifyUrl: config?.studentVerifier?.url ?? null,
  };
}

async function requireVerifiedStudent(b: Billing, userId: string): Promise<void> {
  const { config } = b;
  if (config?.studentVerifier == null) {
    throw new MediaProblem(
      'PLAN_NOT_PURCHASABLE',
      `${PLANS.student.name} needs a verification of enrolment, which this server does not offer (no STUDENT_VERIFIER_SECRET)`,
    );
  }
  const { status } = await studentStatus(b, userId);
  if (status !== 'verified') {
    throw new MediaProblem(
      'STUDENT_NOT_VERIFIED',
      `${PLANS.student.name} is for verified students: ${status === 'expired' ? 'your verification has lapsed, verify again' : 'verify your enrolment first'} (POST /billing/student-verification)`,
    );
  }
}

async function verifyStudent(b: Billing, userId: string, proof: string): Promise<StudentStatus> {
  const { repository, config, now } = b;
  if (config === null) disabled();
  if (config.studentVerifier === null) {
    throw new MediaProblem(
      'PLAN_NOT_PURCHASABLE',
      'Student verification is not set up on this server (no STUDENT_VERIFIER_SECRET)',
    );
  }
  const claims = verifyStudentProof(proof, {
    secret: config.studentVerifier.secret,
    accountId: userId,
    now: now(),
  });
  await repository.saveStudentVerification(userId, claims, now());
  // The catalog's copy of a Student subscription carries the verification's end.
  for (const sub of await repository.subscriptionsOf(userId))
    if (sub.userId === userId && sub.planId === 'student') await mirror(b, sub.id);
  return studentStatus(b, userId);
}

async function checkout(
  b: Billing,
  user: { id: string; email: string; displayName: string },
  planId: PaidPlanId,
  urls: { successUrl: string; cancelUrl: string },
): Promise<CheckoutResult> {
  const { repository, config, stripe, now } = b;
  if (config === null || stripe === null) disabled();
  const price = config.prices[planId];
  if (price === undefined) {
    throw new MediaProblem(
      'PLAN_NOT_PURCHASABLE',
      `${PLANS[planId].name} is not for sale on this server (no STRIPE_PRICE_${planId.toUpperCase()})`,
    );
  }
  if (PLANS[planId].requiresVerification) await requireVerifiedStudent(b, user.id);
  const current = await entitlementsOf(repository, user.id, now());
  if (current.subscription !== null) {
    throw new MediaProblem(
      'ALREADY_SUBSCRIBED',
      `You already have ${PLANS[current.subscription.planId].name}${current.subscription.userId === user.id ? '' : ' as a member'}; cancel it before buying another plan`,
    );
  }
  const open = await repository.openCheckout(user.id, planId, now());
  const customer = await repository.customerOf(user.id);
  const trialDays = customer?.trialUsed === true ? 0 : config.trialDays;
  if (open !== null)
    return { sessionId: open.id, url: open.url, expiresAt: open.expiresAt, planId, trialDays };
  try {
    let customerId = customer?.customerId;
    if (customerId === undefined) {
      const created = await stripe.customers.create(
        { email: user.email, name: user.displayName, metadata: { userId: user.id } },
        { idempotencyKey: `spoti-customer-${user.id}` },
      );
      customerId = await repository.saveCustomer(user.id, created.id, now());
    }
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customerId,
      client_reference_id: user.id,
      line_items: [{ price, quantity: 1 }],
      metadata: { userId: user.id, planId },
      subscription_data: {
        metadata: { userId: user.id, planId },
        ...(trialDays > 0 ? { trial_period_days: trialDays } : {}),
      },
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
    });
    if (session.url === null) throw new Error('Stripe answered a session without a URL');
    const expiresAt = session.expires_at * 1000;
    await repository.saveCheckout({
      id: session.id,
      userId: user.id,
      planId,
      url: session.url,
      expiresAt,
      now: now(),
    });
    return { sessionId: session.id, url: session.url, expiresAt, planId, trialDays };
  } catch (error) {
    if (error instanceof MediaProblem) throw error;
    providerFailed(error);
  }
}

/**
 * The subscription a webhook event is about, as Stripe has it now (it may be fetched), with the
 * account and plan the event hints at and the checkout it completes.
 */
async function eventSubscription(
  stripe: Stripe,
  event: Stripe.Event,
): Promise<{
  state: StripeSubscriptionState | null;
  hints: { userId?: string; planId?: string };
  closeCheckout: string | null;
}> {
  let state: StripeSubscriptionState | null = null;
  let hints: { userId?: string; planId?: string } = {};
  let closeCheckout: string | null = null;
  const object = event.data.object as unknown;
  try {
    switch (event.type) {
      case 'checkout.session.completed': {
        const session = object as Stripe.Checkout.Session;
        closeCheckout = session.id;
        const subId =
          typeof session.subscription === 'string'
            ? session.subscription
            : (session.subscription?.id ?? null);
        hints = {
          ...(session.client_reference_id === null ? {} : { userId: session.client_reference_id }),
          ...(session.metadata?.planId === undefined ? {} : { planId: session.metadata.planId }),
        };
        if (subId !== null) state = subscriptionState(await stripe.subscriptions.retrieve(subId));
        break;
      }
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
      case 'customer.subscription.paused':
      case 'customer.subscription.resumed':
        state = subscriptionState(object as Stripe.Subscription);
        break;
      case 'invoice.paid':
      case 'invoice.payment_failed': {
        const subId = invoiceSubscriptionId(object as Stripe.Invoice);
        if (subId !== null) state = subscriptionState(await stripe.subscriptions.retrieve(subId));
        break;
      }
      default:
        break;
    }
  } catch (cause) {
    providerFailed(cause);
  }
  return { state, hints, closeCheckout };
}

async function handleWebhook(
  b: Billing,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<WebhookOutcome> {
  const { ctx, repository, config, stripe, now } = b;
  if (config === null || stripe === null) disabled();
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(rawBody, signature ?? '', config.webhookSecret);
  } catch (cause) {
    throw new MediaProblem(
      'INVALID_SIGNATURE',
      'The Stripe-Signature header does not match the body (or is missing or too old)',
      { cause },
    );
  }
  // The state to write is gathered outside the transaction (it may ask Stripe), then written
  // with the event's id in one transaction, so a failure leaves the id unclaimed for the retry.
  const { state, hints, closeCheckout } = await eventSubscription(stripe, event);
  let trialUser: string | null = null;
  const record = state === null ? null : await stateToRecord(b, state, hints);
  if (record !== null && record.trialEnd !== null) trialUser = record.userId;
  const outcome = await repository.transaction(async (tx) => {
    const fresh = await tx.claimEvent(event.id, event.type, now());
    if (!fresh) return { eventId: event.id, type: event.type, duplicate: true, applied: false };
    if (closeCheckout !== null) await tx.closeCheckout(closeCheckout);
    let applied = false;
    if (record !== null) {
      if ((await tx.customerOf(record.userId)) === null)
        await tx.saveCustomer(record.userId, record.stripeCustomerId, now());
      applied = await tx.applyState(record, event.created * 1000, now());
      if (trialUser !== null) await tx.markTrialUsed(trialUser);
    }
    ctx.logger.info({ event: event.id, type: event.type, applied }, 'stripe webhook event handled');
    return { eventId: event.id, type: event.type, duplicate: false, applied };
  });
  // Also on a repeat: a delivery whose mirroring failed is finished by Stripe's retry.
  if (record !== null) await mirror(b, record.id);
  return outcome;
}

async function setCancelAtPeriodEnd(
  b: Billing,
  userId: string,
  cancel: boolean,
): Promise<SubscriptionRecord> {
  const { repository, config, stripe, now } = b;
  if (config === null || stripe === null) disabled();
  const owned = await ownedSubscription(repository, userId, now());
  let state: StripeSubscriptionState;
  try {
    state = subscriptionState(
      await stripe.subscriptions.update(owned.id, { cancel_at_period_end: cancel }),
    );
  } catch (cause) {
    providerFailed(cause);
  }
  const record = await stateToRecord(b, state, { userId, planId: owned.planId });
  if (record !== null) await repository.applyState(record, Math.floor(now() / 1000) * 1000, now());
  return (await mirror(b, owned.id)) ?? owned;
}

async function addMemberTo(
  b: Billing,
  ownerId: string,
  memberId: string,
): Promise<SubscriptionRecord> {
  const { repository, now } = b;
  const owned = await ownedSubscription(repository, ownerId, now());
  if (memberId === ownerId)
    throw new MediaProblem('INVALID_INPUT', 'You own the subscription: you are in it already');
  if (PLANS[owned.planId].maxMembers < 2) {
    throw new MediaProblem(
      'NOT_A_FAMILY_PLAN',
      `${PLANS[owned.planId].name} has no room for members (Duo and Family do)`,
    );
  }
  try {
    addMember(toCatalogSubscription(owned), memberId, { by: ownerId });
  } catch (error) {
    if (isCatalogError(error) && error.code === 'CONFLICT')
      throw new MediaProblem('MEMBERS_FULL', error.message, { cause: error });
    throw error;
  }
  await repository.addMember(owned.id, memberId, now());
  return (await mirror(b, owned.id)) ?? owned;
}

async function removeMemberFrom(
  b: Billing,
  ownerId: string,
  memberId: string,
): Promise<SubscriptionRecord> {
  const { repository, now } = b;
  const owned = await ownedSubscription(repository, ownerId, now());
  try {
    removeMember(toCatalogSubscription(owned), memberId, { by: ownerId });
  } catch (error) {
    if (isCatalogError(error) && error.code === 'CONFLICT')
      throw new MediaProblem('INVALID_INPUT', error.message, { cause: error });
    throw error;
  }
  await repository.removeMember(owned.id, memberId);
  return (await mirror(b, owned.id)) ?? owned;
}

async function cancelAllOf(b: Billing, userId: string): Promise<void> {
  const { repository, stripe } = b;
  if (stripe === null) return;
  for (const sub of await repository.subscriptionsOf(userId)) {
    if (sub.userId !== userId || sub.status === 'canceled') continue;
    try {
      await stripe.subscriptions.cancel(sub.id);
    } catch (cause) {
      const e = cause as { code?: string };
      if (e.code !== 'resource_missing') providerFailed(cause);
    }
  }
}

async function cancelLapsedStudentPlans(b: Billing): Promise<string[]> {
  const { ctx, repository, stripe, now } = b;
  if (stripe === null) return [];
  const cancelled: string[] = [];
  for (const sub of await repository.lapsedStudentSubscriptions(now())) {
    let state: StripeSubscriptionState;
    try {
      state = subscriptionState(
        await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true }),
      );
    } catch (cause) {
      // Gone at Stripe: its deletion event ends it here; others are tried at the next run.
      ctx.logger.warn({ err: cause, subscription: sub.id }, 'student lapse: Stripe refused');
      continue;
    }
    const record = await stateToRecord(b, state, { userId: sub.userId, planId: sub.planId });
    if (record !== null)
      await repository.applyState(record, Math.floor(now() / 1000) * 1000, now());
    await mirror(b, sub.id);
    ctx.logger.info({ subscription: sub.id }, 'student verification lapsed: set to cancel');
    cancelled.push(sub.id);
  }
  return cancelled;
}

/**
 * The billing service of a running server. Stripe's answers and events are the truth: the tables
 * mirror each subscription's plan, status, trial and period, and the catalog's plan rules turn
 * that into entitlements.
 */
export function createBillingService(ctx: BillingContext): BillingService {
  const config: BillingConfig | null = ctx.config.billing;
  const b: Billing = {
    ctx,
    repository: new BillingRepository(ctx.database.db as unknown as Kysely<unknown>),
    config,
    stripe: config === null ? null : createStripeClient(config),
    now: () => ctx.clock.now(),
  };
  return {
    enabled: config !== null,
    repository: b.repository,
    studentStatus: (userId) => studentStatus(b, userId),
    verifyStudent: (userId, proof) => verifyStudent(b, userId, proof),
    entitlements: (userId) => entitlementsOf(b.repository, userId, b.now()),
    checkout: (user, planId, urls) => checkout(b, user, planId, urls),
    handleWebhook: (rawBody, signature) => handleWebhook(b, rawBody, signature),
    setCancelAtPeriodEnd: (userId, cancel) => setCancelAtPeriodEnd(b, userId, cancel),
    addMember: (ownerId, memberId) => addMemberTo(b, ownerId, memberId),
    removeMember: (ownerId, memberId) => removeMemberFrom(b, ownerId, memberId),
    cancelAllOf: (userId) => cancelAllOf(b, userId),
    cancelLapsedStudentPlans: () => cancelLapsedStudentPlans(b),
  };
}
