import { z } from 'zod';
import { parseOptions } from '../internal/parse-options.js';
import type { Plan, PlanId, Subscription } from '../domain/plan.js';
import { subscriptionSchema } from '../domain/plan.js';
import type { User } from '../domain/user.js';
import { CatalogError } from '../errors/catalog-error.js';

/**
 * The built-in plans, keyed by id: Free (160 kbps, ads, 6 skips per hour), Premium Individual,
 * Duo (2 members), Family (up to 6, parental controls) and Student (needs verification).
 *
 * @example
 * ```ts
 * PLANS.family.maxMembers; // 6
 * ```
 */
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

/**
 * What one member of a subscription may do right now.
 *
 * @example
 * ```ts
 * const { audioQualitiesKbps, skipsPerHour } = entitlementsFor(subscription, Date.now(), userId);
 * ```
 */
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

/**
 * Options of {@link entitlementsFor}.
 *
 * @example
 * ```ts
 * entitlementsFor({ subscription: null, userId: 'u1', now: Date.now() } satisfies EntitlementsOptions);
 * ```
 */
export interface EntitlementsOptions {
  /** The user's subscription, or null for none (Free). */
  readonly subscription: Subscription | null;
  /** The member asking. */
  readonly userId: string;
  /** Unix ms. */
  readonly now: number;
}

/**
 * Whether a subscription's Student verification holds at `now`: it is `verified` and its
 * `studentVerifiedUntil` (when set) lies ahead. A lapsed verification downgrades a Student plan to
 * Free (`downgradeReason: 'unverified'`) until the student verifies again.
 *
 * @example
 * ```ts
 * studentVerifiedAt({ studentVerification: 'verified', studentVerifiedUntil: Date.now() - 1 }, Date.now()); // false
 * ```
 */
export function studentVerifiedAt(
  subscription: Pick<Subscription, 'studentVerification' | 'studentVerifiedUntil'>,
  now: number,
): boolean {
  const until = subscription.studentVerifiedUntil ?? null;
  return subscription.studentVerification === 'verified' && (until === null || now < until);
}

/**
 * What a member of a subscription is entitled to at `now`. A cancelled or past-due subscription,
 * one past its `endsAt`, an unverified Student plan (verification `none`, `pending` or `expired`,
 * or past its `studentVerifiedUntil`) and a non-member all fall back to Free. On Family, members listed in `explicitFilteredUserIds`
 * get `explicitContentBlocked` (parental control); only the owner manages members.
 *
 * Also callable as `entitlementsFor(subscription, now, userId?)` (the member defaults to the
 * subscription's owner).
 *
 * @example
 * ```ts
 * entitlementsFor({ subscription: null, userId: 'u1', now: Date.now() }).skipsPerHour; // 6
 * entitlementsFor(familySubscription, Date.now(), 'kid').explicitContentBlocked; // true
 * ```
 */
export function entitlementsFor(options: EntitlementsOptions): Entitlements;
export function entitlementsFor(
  subscription: Subscription | null,
  now: number,
  userId?: string,
): Entitlements;
export function entitlementsFor(
  first: EntitlementsOptions | Subscription | null,
  at?: number,
  member?: string,
): Entitlements {
  const options: EntitlementsOptions =
    at === undefined
      ? (first as EntitlementsOptions)
      : {
          subscription: first as Subscription | null,
          now: at,
          userId: member ?? (first as Subscription | null)?.ownerUserId ?? 'anonymous',
        };
  const {
    subscription: sub,
    userId,
    now,
  } = parseOptions(entitlementsOptionsSchema, options, 'entitlements options');
  let reason: Entitlements['downgradeReason'] = null;
  if (sub !== null) {
    if (!sub.memberUserIds.includes(userId) && sub.ownerUserId !== userId) reason = 'not-a-member';
    else if (sub.status !== 'active') reason = 'inactive';
    else if (sub.endsAt !== null && now >= sub.endsAt) reason = 'expired';
    else if (sub.planId === 'student' && !studentVerifiedAt(sub, now)) reason = 'unverified';
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
 * Options of {@link addMember}, {@link removeMember} and {@link setExplicitFilter}.
 *
 * @example
 * ```ts
 * addMember(family, 'kid', { by: currentUserId } satisfies MemberChangeOptions);
 * ```
 */
export interface MemberChangeOptions {
  /**
   * The user making the change. When given, it must be the subscription's owner (the only member
   * with `canManageMembers`), else a `CatalogError` with code `FORBIDDEN` is thrown.
   */
  readonly by?: string;
}

function assertManager(subscription: Subscription, options: MemberChangeOptions): void {
  if (options.by !== undefined && options.by !== subscription.ownerUserId) {
    throw new CatalogError({
      code: 'FORBIDDEN',
      message: `Only the owner of subscription ${subscription.id} can manage its members`,
    });
  }
}

/**
 * Adds a member to a Duo or Family subscription, returning the new subscription (unchanged when
 * the user is already a member). Throws `CONFLICT` when the plan has no room, `FORBIDDEN` when
 * `options.by` is not the owner.
 *
 * @example
 * ```ts
 * const next = addMember(family, 'kid', { by: family.ownerUserId });
 * ```
 */
export function addMember(
  subscription: Subscription,
  userId: string,
  options: MemberChangeOptions = {},
): Subscription {
  assertManager(subscription, options);
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

/**
 * Removes a member (never the owner), returning the new subscription; its parental-control flag
 * goes with it. Throws `CONFLICT` for the owner, `FORBIDDEN` when `options.by` is not the owner.
 *
 * @example
 * ```ts
 * const next = removeMember(family, 'kid', { by: family.ownerUserId });
 * ```
 */
export function removeMember(
  subscription: Subscription,
  userId: string,
  options: MemberChangeOptions = {},
): Subscription {
  assertManager(subscription, options);
  if (userId === subscription.ownerUserId)
    throw new CatalogError({ code: 'CONFLICT', message: 'The owner cannot be removed' });
  return {
    ...subscription,
    memberUserIds: subscription.memberUserIds.filter((m) => m !== userId),
    explicitFilteredUserIds: subscription.explicitFilteredUserIds.filter((m) => m !== userId),
  };
}

/**
 * Family parental control: blocks (or unblocks) explicit content for one member, returning the
 * new subscription. Only Family has parental controls (`CONFLICT` otherwise); the member must
 * belong to the subscription (`NOT_FOUND`); the owner cannot restrict themself (`CONFLICT`); and
 * `options.by`, when given, must be the owner (`FORBIDDEN`).
 *
 * @example
 * ```ts
 * const next = setExplicitFilter(family, 'kid', true, { by: family.ownerUserId });
 * entitlementsFor(next, Date.now(), 'kid').explicitContentBlocked; // true
 * ```
 */
export function setExplicitFilter(
  subscription: Subscription,
  memberUserId: string,
  blocked: boolean,
  options: MemberChangeOptions = {},
): Subscription {
  assertManager(subscription, options);
  if (!PLANS[subscription.planId].parentalControls) {
    throw new CatalogError({
      code: 'CONFLICT',
      message: `${PLANS[subscription.planId].name} has no parental controls`,
    });
  }
  if (!subscription.memberUserIds.includes(memberUserId)) {
    throw new CatalogError({
      code: 'NOT_FOUND',
      message: `${memberUserId} is not a member of subscription ${subscription.id}`,
    });
  }
  if (memberUserId === subscription.ownerUserId) {
    throw new CatalogError({
      code: 'CONFLICT',
      message: 'The owner of a Family subscription cannot restrict their own account',
    });
  }
  const others = subscription.explicitFilteredUserIds.filter((m) => m !== memberUserId);
  return { ...subscription, explicitFilteredUserIds: blocked ? [...others, memberUserId] : others };
}

/**
 * What a listener's player should use now: preferences limited by entitlements.
 *
 * @example
 * ```ts
 * const { bitrateKbps }: PlaybackSettings = playbackSettings(user, entitlementsFor(null, Date.now()));
 * ```
 */
export interface PlaybackSettings {
  /** Streaming bitrate in kbps: the preference, capped at the best the plan allows. */
  readonly bitrateKbps: 96 | 160 | 320;
  /** Whether downloads and offline mode are on (preference and entitlement). */
  readonly offline: boolean;
  /** Whether explicit tracks may play (preference, unless a Family parental control blocks them). */
  readonly explicitAllowed: boolean;
  /** Whether ads play between tracks. */
  readonly ads: boolean;
}

/** Bitrate asked for by each audio-quality preference (Spotify's Normal 96, High 160, Very high 320). */
const PREFERRED_KBPS = { low: 96, normal: 96, high: 160, 'very-high': 320 } as const;

/**
 * Combines a user's preferences with their entitlements: the preferred audio quality capped at the
 * plan's best (`low` and `normal` stream at 96 kbps, `high` at 160, `very-high` at 320), offline
 * mode only when the plan has downloads, explicit content only when the user allows it and no
 * parental control blocks it.
 *
 * @example
 * ```ts
 * playbackSettings(user, entitlementsFor(subscription, Date.now(), user.id));
 * // { bitrateKbps: 160, offline: false, explicitAllowed: true, ads: true } on Free
 * ```
 */
export function playbackSettings(
  user: Pick<User, 'preferences'>,
  entitlements: Entitlements,
): PlaybackSettings {
  const wanted = PREFERRED_KBPS[user.preferences.audioQuality];
  const allowed = entitlements.audioQualitiesKbps.filter((q) => q <= wanted);
  return {
    bitrateKbps: allowed[allowed.length - 1] ?? 96,
    offline: user.preferences.offlineMode && entitlements.offlineDownloads,
    explicitAllowed: user.preferences.explicitContent && !entitlements.explicitContentBlocked,
    ads: entitlements.ads,
  };
}
