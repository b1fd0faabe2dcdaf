import type { PlanId } from '@spoti/catalog';
import { z } from 'zod';

/** The plans that can be bought (Free is what everyone has without one). */
export const PAID_PLANS = ['individual', 'duo', 'family', 'student'] as const;
/** A plan that can be bought. */
export type PaidPlanId = (typeof PAID_PLANS)[number];

const PRICE_VARS = {
  individual: 'STRIPE_PRICE_INDIVIDUAL',
  duo: 'STRIPE_PRICE_DUO',
  family: 'STRIPE_PRICE_FAMILY',
  student: 'STRIPE_PRICE_STUDENT',
} as const satisfies Record<PaidPlanId, string>;

const price = z.string().regex(/^price_[A-Za-z0-9_]+$/, 'must be a Stripe price id (price_...)');

/** The billing variables of the server's environment schema. */
export const billingEnvSchema = z.object({
  STRIPE_SECRET_KEY: z
    .string()
    .regex(
      /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/,
      'must be a Stripe secret key (sk_test_... or sk_live_...)',
    )
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_]+$/, 'must be a Stripe webhook signing secret (whsec_...)')
    .optional(),
  STRIPE_PRICE_INDIVIDUAL: price.optional(),
  STRIPE_PRICE_DUO: price.optional(),
  STRIPE_PRICE_FAMILY: price.optional(),
  STRIPE_PRICE_STUDENT: price.optional(),
  STRIPE_API_URL: z
    .string()
    .refine(
      (v) => /^https?:\/\/[^/]+\/?$/.test(v) && URL.canParse(v),
      'must be a URL like http://127.0.0.1:12111',
    )
    .optional(),
  STRIPE_TRIAL_DAYS: z.coerce.number().int().min(0).max(730).default(30),
  STUDENT_VERIFIER_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{24,200}$/, 'must be 24 to 200 letters, digits, _ or -')
    .optional(),
  STUDENT_VERIFIER_URL: z
    .string()
    .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), 'must be an http(s) URL')
    .optional(),
});

type BillingEnv = z.infer<typeof billingEnvSchema>;

/** Cross-field rules: a secret key needs the webhook secret and at least one price. */
export function checkBillingEnv(env: BillingEnv, ctx: z.RefinementCtx): void {
  if (env.STRIPE_SECRET_KEY === undefined) {
    for (const name of [
      'STRIPE_WEBHOOK_SECRET',
      'STUDENT_VERIFIER_SECRET',
      'STUDENT_VERIFIER_URL',
      ...Object.values(PRICE_VARS),
    ] as const) {
      if (env[name] !== undefined)
        ctx.addIssue({ code: 'custom', path: [name], message: 'needs STRIPE_SECRET_KEY' });
    }
    return;
  }
  if (env.STRIPE_WEBHOOK_SECRET === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['STRIPE_WEBHOOK_SECRET'],
      message: 'is required when STRIPE_SECRET_KEY is set',
    });
  if (env.STRIPE_PRICE_STUDENT !== undefined && env.STUDENT_VERIFIER_SECRET === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['STUDENT_VERIFIER_SECRET'],
      message: 'is required with STRIPE_PRICE_STUDENT (Student is sold to verified students only)',
    });
  if (env.STUDENT_VERIFIER_URL !== undefined && env.STUDENT_VERIFIER_SECRET === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['STUDENT_VERIFIER_URL'],
      message: 'needs STUDENT_VERIFIER_SECRET',
    });
  if (Object.values(PRICE_VARS).every((name) => env[name] === undefined))
    ctx.addIssue({
      code: 'custom',
      path: ['STRIPE_PRICE_INDIVIDUAL'],
      message: 'at least one STRIPE_PRICE_* is required when STRIPE_SECRET_KEY is set',
    });
}

/** Stripe billing settings. */
export interface BillingConfig {
  readonly secretKey: string;
  readonly webhookSecret: string;
  /** Stripe price id of each plan that can be bought; a plan without one is not for sale. */
  readonly prices: Readonly<Partial<Record<PaidPlanId, string>>>;
  /** Where the Stripe API is reached instead of api.stripe.com (a local stand-in), if set. */
  readonly api: {
    readonly protocol: 'http' | 'https';
    readonly host: string;
    readonly port: number;
  } | null;
  /** Free trial of a first subscription, in days (0: none). */
  readonly trialDays: number;
  /**
   * The verifier of student enrolment whose signed proofs unlock the Student plan (its shared
   * signing secret, and the page students are sent to), or null: Student is not for sale.
   */
  readonly studentVerifier: { readonly secret: string; readonly url: string | null } | null;
}

/** The billing part of the configuration, or null (billing off) without a secret key. */
export function readBillingConfig(env: BillingEnv): BillingConfig | null {
  if (env.STRIPE_SECRET_KEY === undefined || env.STRIPE_WEBHOOK_SECRET === undefined) return null;
  const prices: Partial<Record<PaidPlanId, string>> = {};
  for (const plan of PAID_PLANS) {
    const id = env[PRICE_VARS[plan]];
    if (id !== undefined) prices[plan] = id;
  }
  let api: BillingConfig['api'] = null;
  if (env.STRIPE_API_URL !== undefined) {
    const url = new URL(env.STRIPE_API_URL);
    const protocol = url.protocol === 'http:' ? 'http' : 'https';
    api = {
      protocol,
      host: url.hostname,
      port: url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port),
    };
  }
  return {
    secretKey: env.STRIPE_SECRET_KEY,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    prices,
    api,
    trialDays: env.STRIPE_TRIAL_DAYS,
    studentVerifier:
      env.STUDENT_VERIFIER_SECRET === undefined
        ? null
        : { secret: env.STUDENT_VERIFIER_SECRET, url: env.STUDENT_VERIFIER_URL ?? null },
  };
}

/** The plan a Stripe price id stands for, or null for a price this server does not sell. */
export function planOfPrice(
  config: BillingConfig,
  priceId: string | null | undefined,
): PlanId | null {
  for (const plan of PAID_PLANS) if (config.prices[plan] === priceId) return plan;
  return null;
}
