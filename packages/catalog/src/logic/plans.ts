import { z } from 'zod';
import type { Plan, PlanId, Subscription } from '../domain/plan.js';
import { subscriptionSchema } from '../domain/plan.js';
import { CatalogError } from '../errors/catalog-error.js';

/** The built-in plans, keyed by id. */
export const PLANS: Readonly<Record<PlanId, Plan>> = {
  free: {
    id: 'free',
    name: 'Free',
    maxMembers: 1,
    maxBitrateKbps: 160,
    offlineDownloads: false,
    ads: true,
    skipsPerHour: 6,
    parentalControls: false,
    requiresVerification: false,
  },
  individual: {
    id: 'individual',
    name: 'Premium Individual',
    maxMembers: 1,
    maxBitrateKbps: 320,
    offlineDownloads: true,
    ads: false,
    skipsPerHour: null,
    parentalControls: false,
    requiresVerification: false,
  },
  duo: {
    id: 'duo',
    name: 'Premium Duo',
    maxMembers: 2,
    maxBitrateKbps: 320,
    offlineDownloads: true,
    ads: false,
    skipsPerHour: null,
    parentalControls: false,
    requiresVerification: false,
  },
  family: {
    id: 'family',
    name: 'Premium Family',
    maxMembers: 6,
    maxBitrateKbps: 320,
    offlineDownloads: true,
    ads: false,
    skipsPerHour: null,
    parentalControls: true,
    requiresVerification: false,
  },
  student: {
    id: 'student',
    name: 'Premium Student',
    maxMembers: 1,
    maxBitrateKbps: 320,
    offlineDownloads: true,
    ads: false,
    skipsPerHour: null,
    parentalControls: false,
    requiresVerification: true,
  },
};

/** What one member of a subscription may do right now. */
export interface Entitlements {
  /** The plan in effect (Free when the subscription lapsed or is unverified). */
  readonly effectivePlan: PlanId;
  /** Why the effective plan differs from the subscribed one, if it does. */
  readonly downgradeReason: 'inactive' | 'expired' | 'unverified' | 'not-a-member' | null;
  /** Selectable bitrates in kbps, ascending (96 is always available). */
  readonly audioQualitiesKbps: readonly (96 | 160 | 320)[];
  readonly offlineDownloads: boolean;
  readonly ads: boolean;
  /** Skips per rolling hour; null = unlimited. */
  readonly skipsPerHour: number | null;
  /** Whether explicit content is blocked for this member (Family parental control). */
  readonly explicitContentBlocked: boolean;
  /** Whether this member may add and remove members. */
  readonly canManageMembers: boolean;
  readonly maxMembers: number;
}

const entitlementsOptionsSchema = z.object({
  subscription: subscriptionSchema.nullable(),
  userId: z.string().min(1),
  now: z.number().int(),
});

/** Options of {@link entitlementsFor}. */
export interface EntitlementsOptions {
  /** The user's subscription, or null for none (Free). */
  readonly subscription: Subscription | null;
  /** The member asking. */
  readonly userId: string;
  /** Unix ms. */
  readonly now: number;
}

/**
 * What a member of a subscription is entitled to at `now`. A cancelled or past-due subscription,
 * one past its `endsAt`, an unverified Student plan and a non-member all fall back to Free.
 *
 * @example
 * ```ts
 * entitlementsFor({ subscription: null, userId: 'u1', now: Date.now() }).skipsPerHour; // 6
 * ```
 */
export function entitlementsFor(options: EntitlementsOptions): Entitlements {
  const { subscription: sub, userId, now } = entitlementsOptionsSchema.parse(options);
  let reason: Entitlements['downgradeReason'] = null;
  if (sub !== null) {
    if (!sub.memberUserIds.includes(userId) && sub.ownerUserId !== userId) reason = 'not-a-member';
    else if (sub.status !== 'active') reason = 'inactive';
    else if (sub.endsAt !== null && now >= sub.endsAt) reason = 'expired';
    else if (sub.planId === 'student' && sub.studentVerification !== 'verified')
      reason = 'unverified';
  }
  const planId: PlanId = sub === null || reason !== null ? 'free' : sub.planId;
  const plan = PLANS[planId];
  const qualities = ([96, 160, 320] as const).filter((q) => q <= plan.maxBitrateKbps);
  return {
    effectivePlan: planId,
    downgradeReason: reason,
    audioQualitiesKbps: qualities,
    offlineDownloads: plan.offlineDownloads,
    ads: plan.ads,
    skipsPerHour: plan.skipsPerHour,
    explicitContentBlocked:
      plan.parentalControls && (sub?.explicitFilteredUserIds.includes(userId) ?? false),
    canManageMembers: plan.maxMembers > 1 && sub !== null && sub.ownerUserId === userId,
    maxMembers: plan.maxMembers,
  };
}

/**
 * Adds a member to a Duo or Family subscription, returning the new subscription.
 * Throws when the plan has no room or the member is already in.
 */
export function addMember(subscription: Subscription, userId: string): Subscription {
  const plan = PLANS[subscription.planId];
  if (subscription.memberUserIds.includes(userId)) return subscription;
  if (subscription.memberUserIds.length >= plan.maxMembers) {
    throw new CatalogError({
      code: 'CONFLICT',
      message: `${plan.name} allows at most ${plan.maxMembers} members`,
    });
  }
  return { ...subscription, memberUserIds: [...subscription.memberUserIds, userId] };
}

/** Removes a member (never the owner), returning the new subscription. */
export function removeMember(subscription: Subscription, userId: string): Subscription {
  if (userId === subscription.ownerUserId)
    throw new CatalogError({ code: 'CONFLICT', message: 'The owner cannot be removed' });
  return {
    ...subscription,
    memberUserIds: subscription.memberUserIds.filter((m) => m !== userId),
    explicitFilteredUserIds: subscription.explicitFilteredUserIds.filter((m) => m !== userId),
  };
}
