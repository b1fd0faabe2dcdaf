import { PLANS, planIdSchema } from '@spoti/catalog';
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { type MountRoute, defineRoute, mountRoutes, route } from '../define-route.js';
import { MediaProblem, mediaProblemHandler } from '../media/media-problem.js';
import { mediaServicesOf } from '../media/media-services.js';
import type { OpenApiRegistry } from '../openapi.js';
import { isoTime, iso } from '../schemas.js';
import type { ApiServices } from '../services.js';
import { PAID_PLANS } from './billing-config.js';
import type { SubscriptionRecord } from './billing-repository.js';
import type { BillingService, StudentStatus } from './billing-service.js';

const kbps = z.union([z.literal(96), z.literal(160), z.literal(320)]);

const planSchema = z.object({
  id: planIdSchema,
  name: z.string(),
  maxMembers: z.number().int(),
  maxBitrateKbps: kbps,
  offlineDownloads: z.boolean(),
  ads: z.boolean(),
  skipsPerHour: z.number().int().nullable(),
  purchasable: z.boolean().describe('Whether a checkout can be started for it on this server'),
  requiresVerification: z
    .boolean()
    .describe('Sold to verified students only (POST /billing/student-verification first)'),
});

const studentStatusSchema = z.object({
  status: z
    .enum(['none', 'verified', 'expired'])
    .describe('`verified` until `expiresAt`; `expired` after it (verify again); `none` before any'),
  institution: z.string().nullable(),
  verifiedAt: isoTime.nullable(),
  expiresAt: isoTime.nullable(),
  verifyUrl: z.string().nullable().describe('Where to prove enrolment with the verifier'),
});

function studentBody(s: StudentStatus): z.infer<typeof studentStatusSchema> {
  return {
    status: s.status,
    institution: s.institution,
    verifiedAt: s.verifiedAt === null ? null : iso(s.verifiedAt),
    expiresAt: s.expiresAt === null ? null : iso(s.expiresAt),
    verifyUrl: s.verifyUrl,
  };
}

const entitlementsSchema = z.object({
  effectivePlan: planIdSchema,
  downgradeReason: z.enum(['inactive', 'expired', 'unverified', 'not-a-member']).nullable(),
  audioQualitiesKbps: z.array(kbps),
  offlineDownloads: z.boolean(),
  ads: z.boolean(),
  skipsPerHour: z.number().int().nullable(),
  canManageMembers: z.boolean(),
  maxMembers: z.number().int(),
});

const subscriptionSchema = z.object({
  id: z.string(),
  planId: planIdSchema,
  status: z.enum([
    'trialing',
    'active',
    'past_due',
    'unpaid',
    'canceled',
    'incomplete',
    'incomplete_expired',
    'paused',
  ]),
  role: z.enum(['owner', 'member']),
  ownerId: z.string(),
  memberIds: z.array(z.string()).describe('Members added by the owner (the owner not included)'),
  trialEnd: isoTime.nullable(),
  currentPeriodEnd: isoTime.nullable(),
  cancelAtPeriodEnd: z.boolean(),
});

const mySubscriptionSchema = z.object({
  billingEnabled: z.boolean(),
  entitlements: entitlementsSchema,
  subscription: subscriptionSchema.nullable(),
});

const checkoutSchema = z.object({
  sessionId: z.string(),
  url: z.string().describe('Stripe Checkout page to send the buyer to'),
  expiresAt: isoTime,
  planId: z.enum(PAID_PLANS),
  trialDays: z.number().int().describe('Free trial days (a trial is given once per account)'),
});

const webUrl = z
  .string()
  .max(2000)
  .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), 'must be an http(s) URL');

function subscriptionBody(
  s: SubscriptionRecord,
  viewer: string,
): z.infer<typeof subscriptionSchema> {
  return {
    id: s.id,
    planId: s.planId,
    status: s.status,
    role: s.userId === viewer ? 'owner' : 'member',
    ownerId: s.userId,
    memberIds: [...s.memberIds],
    trialEnd: s.trialEnd === null ? null : iso(s.trialEnd),
    currentPeriodEnd: s.currentPeriodEnd === null ? null : iso(s.currentPeriodEnd),
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
  };
}

/**
 * Stripe's webhook: reads the RAW body (the signature covers its exact bytes), so it is mounted
 * before the API's JSON parser. Answers 200 with what was done, 400 `INVALID_SIGNATURE`, 503
 * `BILLING_DISABLED`; a 5xx makes Stripe retry, and the event id is only kept once handled.
 */
export function billingWebhook(ctx: AppContext): (RequestHandler | ErrorRequestHandler)[] {
  const { billing } = mediaServicesOf(ctx);
  const handle: RequestHandler = async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = await billing.handleWebhook(body, req.get('stripe-signature'));
    res.status(200).json({ received: true, ...outcome });
  };
  return [express.raw({ type: () => true, limit: '1mb' }), handle, mediaProblemHandler];
}

/** The billing service of the API's context (one per context). */
function billingOf(services: ApiServices): BillingService {
  return mediaServicesOf(services.ctx).billing;
}

const memberParams = z.object({ userId: z.string().min(1).max(200) });

/** `POST /billing/webhook` in the document (mounted apart by {@link billingWebhook}). */
function stripeWebhookDocument(_router: Router, registry: OpenApiRegistry): void {
  registry.add({
    method: 'post',
    path: '/billing/webhook',
    operationId: 'stripeWebhook',
    summary: "Stripe's webhook endpoint",
    description:
      'Called by Stripe, not by clients. The `Stripe-Signature` header is verified on the raw body; each event id is handled once (a repeat answers `duplicate: true`). Handles checkout.session.completed, customer.subscription.created/updated/deleted/paused/resumed, invoice.paid and invoice.payment_failed; other types are acknowledged and ignored.',
    tag: 'Billing',
    auth: 'none',
    responses: {
      200: {
        description: 'Handled (or a repeat of a handled event).',
        schema: z.object({
          received: z.literal(true),
          eventId: z.string(),
          type: z.string(),
          duplicate: z.boolean(),
          applied: z.boolean(),
        }),
      },
    },
    problems: [400, 502, 503],
  });
}

/** `POST /billing/subscription/cancel` and `POST /billing/subscription/resume` */
function subscriptionCancelRoutes(
  router: Router,
  registry: OpenApiRegistry,
  services: ApiServices,
): void {
  for (const [path, cancel, summary] of [
    ['/billing/subscription/cancel', true, 'Cancel at the end of the current period'],
    ['/billing/subscription/resume', false, 'Keep a subscription that was set to cancel'],
  ] as const) {
    defineRoute(router, registry, services, {
      method: 'post',
      path,
      operationId: cancel ? 'cancelSubscription' : 'resumeSubscription',
      summary,
      description: cancel
        ? 'The plan stays in effect until the period ends, then the account is back on Free. Safe to repeat.'
        : 'Clears a pending cancellation. Safe to repeat.',
      tag: 'Billing',
      auth: 'required',
      responses: { 200: { description: 'The subscription.', schema: subscriptionSchema } },
      problems: [404, 502, 503],
      async handler({ user }) {
        const record = await billingOf(services).setCancelAtPeriodEnd(user.id, cancel);
        return { status: 200, body: subscriptionBody(record, user.id) };
      },
    });
  }
}

/** `GET /billing/plans` */
const listPlansRoute = route({
  method: 'get',
  path: '/billing/plans',
  operationId: 'listPlans',
  summary: 'The plans and what each allows',
  tag: 'Billing',
  auth: 'none',
  responses: {
    200: {
      description: 'Every plan, Free included.',
      schema: z.object({
        billingEnabled: z.boolean(),
        trialDays: z.number().int(),
        plans: z.array(planSchema),
      }),
    },
  },
  async handler({ services }) {
    const config = services.ctx.config.billing;
    return {
      status: 200,
      body: {
        billingEnabled: config !== null,
        trialDays: config?.trialDays ?? 0,
        plans: Object.values(PLANS).map((p) => ({
          id: p.id,
          name: p.name,
          maxMembers: p.maxMembers,
          maxBitrateKbps: p.maxBitrateKbps,
          offlineDownloads: p.offlineDownloads,
          ads: p.ads,
          skipsPerHour: p.skipsPerHour,
          purchasable:
            config !== null &&
            p.id !== 'free' &&
            (!p.requiresVerification || config.studentVerifier !== null) &&
            config.prices[p.id] !== undefined,
          requiresVerification: p.requiresVerification,
        })),
      },
    };
  },
});

/** `GET /billing/subscription` */
const getMySubscriptionRoute = route({
  method: 'get',
  path: '/billing/subscription',
  operationId: 'getMySubscription',
  summary: 'Your subscription and what it entitles you to',
  description:
    'Free when you have none, or when yours lapsed: past due, cancelled, or past the end of a period it was set to cancel at.',
  tag: 'Billing',
  auth: 'required',
  responses: { 200: { description: 'Your entitlements.', schema: mySubscriptionSchema } },
  async handler({ user, services }) {
    const { entitlements, subscription } = await billingOf(services).entitlements(user.id);
    const latest =
      subscription ?? (await billingOf(services).repository.subscriptionsOf(user.id))[0] ?? null;
    return {
      status: 200,
      body: {
        billingEnabled: billingOf(services).enabled,
        entitlements: {
          effectivePlan: entitlements.effectivePlan,
          downgradeReason: entitlements.downgradeReason,
          audioQualitiesKbps: [...entitlements.audioQualitiesKbps],
          offlineDownloads: entitlements.offlineDownloads,
          ads: entitlements.ads,
          skipsPerHour: entitlements.skipsPerHour,
          canManageMembers: entitlements.canManageMembers,
          maxMembers: entitlements.maxMembers,
        },
        subscription: latest === null ? null : subscriptionBody(latest, user.id),
      },
    };
  },
});

/** `POST /billing/checkout` */
const startCheckoutRoute = route({
  method: 'post',
  path: '/billing/checkout',
  operationId: 'startCheckout',
  summary: 'Start a Stripe Checkout for a plan',
  description:
    'Answers the Checkout page to send the buyer to. Repeating the request while that checkout is open answers the same one. The first subscription of an account starts with a free trial (STRIPE_TRIAL_DAYS, 30 by default). The subscription takes effect when Stripe reports the completed checkout to the webhook.',
  tag: 'Billing',
  auth: 'required',
  body: z.object({
    planId: z.enum(PAID_PLANS),
    successUrl: webUrl.optional(),
    cancelUrl: webUrl.optional(),
  }),
  responses: { 201: { description: 'The checkout.', schema: checkoutSchema } },
  problems: [409, 502, 503],
  async handler({ user, body, services }) {
    const home = `${services.ctx.publicUrl()}/`;
    const result = await billingOf(services).checkout(user, body.planId, {
      successUrl: body.successUrl ?? `${home}?checkout=done`,
      cancelUrl: body.cancelUrl ?? `${home}?checkout=cancelled`,
    });
    return { status: 201, body: { ...result, expiresAt: iso(result.expiresAt) } };
  },
});

/** `GET /billing/student-verification` */
const getStudentVerificationRoute = route({
  method: 'get',
  path: '/billing/student-verification',
  operationId: 'getStudentVerification',
  summary: 'Your verification of student enrolment',
  tag: 'Billing',
  auth: 'required',
  responses: { 200: { description: 'Where you stand.', schema: studentStatusSchema } },
  async handler({ user, services }) {
    return {
      status: 200,
      body: studentBody(await billingOf(services).studentStatus(user.id)),
    };
  },
});

/** `POST /billing/student-verification` */
const verifyStudentRoute = route({
  method: 'post',
  path: '/billing/student-verification',
  operationId: 'verifyStudent',
  summary: 'Redeem a proof of student enrolment from the verifier',
  description:
    'The student proves enrolment at the verifier (`verifyUrl`), which hands back a signed proof for this account; sending it here unlocks the Student plan until the proof’s expiry (at most a year). Verify again before it lapses: a lapsed verification puts a Student subscription on Free until then. Sending the same proof again changes nothing.',
  tag: 'Billing',
  auth: 'required',
  body: z.object({
    proof: z.string().min(10).max(4000).describe('The proof as the verifier issued it'),
  }),
  responses: { 200: { description: 'Verified.', schema: studentStatusSchema } },
  problems: [409, 503],
  async handler({ user, body, services }) {
    return {
      status: 200,
      body: studentBody(await billingOf(services).verifyStudent(user.id, body.proof)),
    };
  },
});

/** `PUT /billing/members/:userId` */
const addMemberRoute = route({
  method: 'put',
  path: '/billing/members/:userId',
  operationId: 'addMember',
  summary: 'Add an account to your Duo or Family plan',
  description: 'Owner only. Adding a member twice changes nothing.',
  tag: 'Billing',
  auth: 'required',
  params: memberParams,
  responses: { 200: { description: 'The subscription.', schema: subscriptionSchema } },
  problems: [404, 409],
  async handler({ user, params, services }) {
    if ((await services.accounts.byId(params.userId)) === null)
      throw new MediaProblem('NOT_FOUND', `No account with id ${params.userId}`);
    const record = await billingOf(services).addMember(user.id, params.userId);
    return { status: 200, body: subscriptionBody(record, user.id) };
  },
});

/** `DELETE /billing/members/:userId` */
const removeMemberRoute = route({
  method: 'delete',
  path: '/billing/members/:userId',
  operationId: 'removeMember',
  summary: 'Remove a member from your Duo or Family plan',
  description: 'Owner only. Removing someone who is not a member changes nothing.',
  tag: 'Billing',
  auth: 'required',
  params: memberParams,
  responses: { 200: { description: 'The subscription.', schema: subscriptionSchema } },
  problems: [404],
  async handler({ user, params, services }) {
    const record = await billingOf(services).removeMember(user.id, params.userId);
    return { status: 200, body: subscriptionBody(record, user.id) };
  },
});

/** The operations of billingRoutes, in the order they are documented and matched. */
const BILLING_ROUTES: readonly MountRoute[] = [
  stripeWebhookDocument,
  listPlansRoute,
  getMySubscriptionRoute,
  startCheckoutRoute,
  subscriptionCancelRoutes,
  getStudentVerificationRoute,
  verifyStudentRoute,
  addMemberRoute,
  removeMemberRoute,
];

/**
 * Subscriptions: plans and their gates (from `@spoti/catalog`), the caller's subscription and
 * entitlements, a Stripe Checkout for a plan (with a 30-day trial the first time), cancel at period
 * end and resume, and Duo/Family members.
 */
export function billingRoutes(
  router: Router,
  registry: OpenApiRegistry,
  services: ApiServices,
): void {
  mountRoutes(BILLING_ROUTES, router, registry, services);
  router.use('/billing', mediaProblemHandler);
}
