import { z } from 'zod';

/**
 * Plan identifiers.
 *
 * @example
 * ```ts
 * planIdSchema.parse('family'); // 'family'
 * ```
 */
export const planIdSchema = z.enum(['free', 'individual', 'duo', 'family', 'student']);
/**
 * A subscription plan id.
 *
 * @example
 * ```ts
 * const id: PlanId = 'student';
 * ```
 */
export type PlanId = z.infer<typeof planIdSchema>;

/**
 * zod schema of a {@link Plan}.
 *
 * @example
 * ```ts
 * planSchema.parse(PLANS.duo);
 * ```
 */
export const planSchema = z.object({
  id: planIdSchema,
  name: z.string(),
  maxMembers: z.number().int().positive(),
  /** Highest streaming bitrate in kbps. */
  maxBitrateKbps: z.union([z.literal(96), z.literal(160), z.literal(320)]),
  offlineDownloads: z.boolean(),
  ads: z.boolean(),
  /** Skips allowed per rolling hour; null = unlimited. */
  skipsPerHour: z.number().int().positive().nullable(),
  parentalControls: z.boolean(),
  requiresVerification: z.boolean(),
});
/**
 * What a plan offers.
 *
 * @example
 * ```ts
 * const premium = (p: Plan) => !p.ads;
 * ```
 */
export type Plan = Readonly<z.infer<typeof planSchema>>;

/**
 * zod schema of a {@link Subscription}.
 *
 * @example
 * ```ts
 * const subscription = subscriptionSchema.parse(input);
 * ```
 */
export const subscriptionSchema = z.object({
  id: z.string().min(1),
  planId: planIdSchema,
  /** The paying user, who manages members. */
  ownerUserId: z.string(),
  /** Every member, owner included. */
  memberUserIds: z.array(z.string()).readonly(),
  status: z.enum(['active', 'past_due', 'cancelled']),
  /** Unix ms. */
  startedAt: z.number().int(),
  /** Unix ms when the paid period ends; null = open-ended. */
  endsAt: z.number().int().nullable(),
  /** Student plan: verification state. */
  studentVerification: z.enum(['none', 'pending', 'verified', 'expired']),
  /**
   * Student plan: Unix ms when the verification of enrolment lapses (the plan falls back to Free
   * then, until the student verifies again); null or absent: it does not lapse on its own.
   */
  studentVerifiedUntil: z.number().int().nullable().optional(),
  /** Family plan: members (user ids) restricted from explicit content. */
  explicitFilteredUserIds: z.array(z.string()).readonly(),
});
/**
 * A user's (or household's) subscription to a plan.
 *
 * @example
 * ```ts
 * const family: Subscription = { id: 's1', planId: 'family', ownerUserId: 'mum', memberUserIds: ['mum', 'kid'], status: 'active', startedAt: Date.now(), endsAt: null, studentVerification: 'none', explicitFilteredUserIds: ['kid'] };
 * ```
 */
export type Subscription = Readonly<z.infer<typeof subscriptionSchema>>;
