import { type Kysely, sql } from 'kysely';
import { freshCachePerDatabase } from '../catalog/fresh-cache.js';
import { type Entitlements, type PlanId, type Subscription, entitlementsFor } from '@spoti/catalog';

/** Stripe's subscription statuses, as stored. */
export type StripeStatus =
  | 'trialing'
  | 'active'
  | 'past_due'
  | 'unpaid'
  | 'canceled'
  | 'incomplete'
  | 'incomplete_expired'
  | 'paused';

/** One Stripe subscription as the server keeps it. */
export interface SubscriptionRecord {
  /** Stripe's subscription id. */
  readonly id: string;
  /** The paying account, who manages members. */
  readonly userId: string;
  readonly stripeCustomerId: string;
  readonly planId: PlanId;
  readonly status: StripeStatus;
  /** Unix ms. */
  readonly trialEnd: number | null;
  readonly currentPeriodEnd: number | null;
  readonly cancelAtPeriodEnd: boolean;
  readonly endedAt: number | null;
  /** `created` of the newest Stripe event applied (older events are ignored). */
  readonly lastEventAt: number;
  readonly createdAt: number;
  /** Accounts added by the owner (Duo and Family), the owner not included. */
  readonly memberIds: readonly string[];
}

type Row = Record<string, unknown>;
const ms = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const toRecord = (r: Row, members: readonly string[]): SubscriptionRecord => ({
  id: String(r.id),
  userId: String(r.user_id),
  stripeCustomerId: String(r.stripe_customer_id),
  planId: r.plan_id as PlanId,
  status: r.status as StripeStatus,
  trialEnd: ms(r.trial_end),
  currentPeriodEnd: ms(r.current_period_end),
  cancelAtPeriodEnd: r.cancel_at_period_end === true,
  endedAt: ms(r.ended_at),
  lastEventAt: Number(r.last_event_at),
  createdAt: Number(r.created_at),
  memberIds: members,
});

/**
 * The catalog's view of a Stripe subscription, so its plan rules decide what members get:
 * trialing and active are active; past due, unpaid, incomplete and paused are past due (Free until
 * paid); canceled is cancelled. Set to cancel at period end, it ends with the period. A Student
 * plan is verified until `studentVerifiedUntil` (the owner's newest proof of enrolment), else not.
 */
export function toCatalogSubscription(
  record: SubscriptionRecord,
  studentVerifiedUntil: number | null = null,
): Subscription {
  const status =
    record.status === 'trialing' || record.status === 'active'
      ? 'active'
      : record.status === 'canceled' || record.status === 'incomplete_expired'
        ? 'cancelled'
        : 'past_due';
  return {
    id: record.id,
    planId: record.planId,
    ownerUserId: record.userId,
    memberUserIds: [record.userId, ...record.memberIds],
    status,
    startedAt: record.createdAt,
    endsAt: record.cancelAtPeriodEnd ? record.currentPeriodEnd : null,
    // A Student plan holds while the owner's verification of enrolment does (see the docs).
    studentVerification: studentVerifiedUntil === null ? 'none' : 'verified',
    studentVerifiedUntil,
    explicitFilteredUserIds: [],
  };
}

/** How long a user's subscriptions (as entitlements read them) are kept in memory (ms). */
export const SUBSCRIPTIONS_CACHE_MS = 2_000;

/** A user's subscriptions with the catalog's view of each (what `entitlementsOf` reads). */
type UserSubscriptions = { record: SubscriptionRecord; subscription: Subscription }[];

/**
 * Recent reads of a user's subscriptions, per database: a player sends a request per range and
 * each needs the listener's plan, so it is read once per {@link SUBSCRIPTIONS_CACHE_MS}. Every
 * write through a repository clears them at once (again after its transaction commits); a change
 * made by another process (the worker's Student lapse job) shows up to that long later.
 */
const subscriptionsOf = freshCachePerDatabase<UserSubscriptions>(SUBSCRIPTIONS_CACHE_MS);

/** Rows of the `spoti_server_billing_*` tables. */
export class BillingRepository {
  /**
   * @param root The database the cached reads are kept for (the same for a repository bound to
   *   one of its transactions).
   */
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly root: object = db,
  ) {}

  /** Forgets the subscriptions read for this database (after any write). */
  #changed(): void {
    subscriptionsOf(this.root).clear();
  }

  /**
   * The user's subscriptions (owned or as a member), newest first, each with the catalog's view
   * of it; kept for {@link SUBSCRIPTIONS_CACHE_MS} outside transactions.
   */
  async subscriptionsWithPlans(userId: string): Promise<UserSubscriptions> {
    const read = async () => {
      const out: UserSubscriptions = [];
      for (const record of await this.subscriptionsOf(userId))
        out.push({ record, subscription: await this.catalogSubscription(record) });
      return out;
    };
    return this.db === this.root ? subscriptionsOf(this.root).get(userId, read) : read();
  }

  async customerOf(userId: string): Promise<{ customerId: string; trialUsed: boolean } | null> {
    const { rows } = await sql<Row>`
      select stripe_customer_id, trial_used from spoti_server_billing_customers
      where user_id = ${userId}`.execute(this.db);
    const row = rows[0];
    return row === undefined
      ? null
      : { customerId: String(row.stripe_customer_id), trialUsed: row.trial_used === true };
  }

  /** Keeps the first customer id stored for a user (a repeated call keeps the same one). */
  async saveCustomer(userId: string, customerId: string, now: number): Promise<string> {
    await sql`
      insert into spoti_server_billing_customers (user_id, stripe_customer_id, created_at)
      values (${userId}, ${customerId}, ${now}) on conflict (user_id) do nothing`.execute(this.db);
    return (await this.customerOf(userId))?.customerId ?? customerId;
  }

  async userOfCustomer(customerId: string): Promise<string | null> {
    const { rows } = await sql<Row>`
      select user_id from spoti_server_billing_customers
      where stripe_customer_id = ${customerId}`.execute(this.db);
    return rows[0] === undefined ? null : String(rows[0].user_id);
  }

  async markTrialUsed(userId: string): Promise<void> {
    await sql`update spoti_server_billing_customers set trial_used = true
      where user_id = ${userId}`.execute(this.db);
  }

  /** An open checkout of this plan that has not expired, to hand out again. */
  async openCheckout(
    userId: string,
    planId: string,
    now: number,
  ): Promise<{ id: string; url: string; expiresAt: number } | null> {
    const { rows } = await sql<Row>`
      select id, url, expires_at from spoti_server_billing_checkouts
      where user_id = ${userId} and plan_id = ${planId} and expires_at > ${now + 60_000}
      order by created_at desc limit 1`.execute(this.db);
    const row = rows[0];
    return row === undefined
      ? null
      : { id: String(row.id), url: String(row.url), expiresAt: Number(row.expires_at) };
  }

  async saveCheckout(c: {
    id: string;
    userId: string;
    planId: string;
    url: string;
    expiresAt: number;
    now: number;
  }): Promise<void> {
    await sql`
      insert into spoti_server_billing_checkouts (id, user_id, plan_id, url, expires_at, created_at)
      values (${c.id}, ${c.userId}, ${c.planId}, ${c.url}, ${c.expiresAt}, ${c.now})
      on conflict (id) do nothing`.execute(this.db);
  }

  async closeCheckout(id: string): Promise<void> {
    await sql`delete from spoti_server_billing_checkouts where id = ${id}`.execute(this.db);
  }

  async #members(subscriptionId: string): Promise<string[]> {
    const { rows } = await sql<{ user_id: string }>`
      select user_id from spoti_server_billing_members where subscription_id = ${subscriptionId}
      order by added_at, user_id`.execute(this.db);
    return rows.map((r) => r.user_id);
  }

  async subscription(id: string): Promise<SubscriptionRecord | null> {
    const { rows } = await sql<Row>`
      select * from spoti_server_billing_subscriptions where id = ${id}`.execute(this.db);
    const row = rows[0];
    return row === undefined ? null : toRecord(row, await this.#members(id));
  }

  /** Subscriptions the user owns or belongs to, newest first. */
  async subscriptionsOf(userId: string): Promise<SubscriptionRecord[]> {
    const { rows } = await sql<Row>`
      select s.* from spoti_server_billing_subscriptions s
      where s.user_id = ${userId}
         or s.id in (select subscription_id from spoti_server_billing_members where user_id = ${userId})
      order by s.created_at desc, s.id`.execute(this.db);
    const out: SubscriptionRecord[] = [];
    for (const row of rows) out.push(toRecord(row, await this.#members(String(row.id))));
    return out;
  }

  /**
   * Student subscriptions still billing (not ended, not already set to cancel) whose owner has no
   * verification of enrolment lasting past `now`: those a lapse must stop renewing.
   */
  async lapsedStudentSubscriptions(now: number): Promise<SubscriptionRecord[]> {
    const { rows } = await sql<Row>`
      select s.* from spoti_server_billing_subscriptions s
      where s.plan_id = 'student' and s.cancel_at_period_end = false
        and s.status not in ('canceled', 'incomplete_expired')
        and not exists (select 1 from spoti_server_student_verifications v
          where v.user_id = s.user_id and v.expires_at > ${now})
      order by s.id`.execute(this.db);
    const out: SubscriptionRecord[] = [];
    for (const row of rows) out.push(toRecord(row, await this.#members(String(row.id))));
    return out;
  }

  /**
   * Writes a subscription's state as of a Stripe event created at `eventAt` (Unix ms); a state
   * older than the stored one is ignored, since Stripe does not promise delivery order. Answers
   * whether it was applied.
   */
  async applyState(
    s: Omit<SubscriptionRecord, 'memberIds' | 'lastEventAt' | 'createdAt'>,
    eventAt: number,
    now: number,
  ): Promise<boolean> {
    const result = await sql`
      insert into spoti_server_billing_subscriptions
        (id, user_id, stripe_customer_id, plan_id, status, trial_end, current_period_end,
         cancel_at_period_end, ended_at, last_event_at, created_at, updated_at)
      values (${s.id}, ${s.userId}, ${s.stripeCustomerId}, ${s.planId}, ${s.status}, ${s.trialEnd},
        ${s.currentPeriodEnd}, ${s.cancelAtPeriodEnd}, ${s.endedAt}, ${eventAt}, ${now}, ${now})
      on conflict (id) do update set plan_id = excluded.plan_id, status = excluded.status,
        trial_end = excluded.trial_end, current_period_end = excluded.current_period_end,
        cancel_at_period_end = excluded.cancel_at_period_end, ended_at = excluded.ended_at,
        last_event_at = excluded.last_event_at, updated_at = excluded.updated_at
      where spoti_server_billing_subscriptions.last_event_at <= excluded.last_event_at`.execute(
      this.db,
    );
    this.#changed();
    return Number(result.numAffectedRows ?? 0n) > 0;
  }

  async addMember(subscriptionId: string, userId: string, now: number): Promise<void> {
    await sql`
      insert into spoti_server_billing_members (subscription_id, user_id, added_at)
      values (${subscriptionId}, ${userId}, ${now}) on conflict do nothing`.execute(this.db);
    this.#changed();
  }

  async removeMember(subscriptionId: string, userId: string): Promise<void> {
    await sql`delete from spoti_server_billing_members
      where subscription_id = ${subscriptionId} and user_id = ${userId}`.execute(this.db);
    this.#changed();
  }

  /**
   * Records a webhook event id; false when it was recorded before (the event was handled).
   * Run inside the transaction that applies the event, so a failure forgets it and Stripe's retry
   * is handled afresh.
   */
  async claimEvent(id: string, type: string, now: number): Promise<boolean> {
    const result = await sql`
      insert into spoti_server_billing_events (id, type, received_at)
      values (${id}, ${type}, ${now}) on conflict (id) do nothing`.execute(this.db);
    return Number(result.numAffectedRows ?? 0n) > 0;
  }

  /** Records a redeemed proof of enrolment (a repeat of the same proof changes nothing). */
  async saveStudentVerification(
    userId: string,
    v: { id: string; institution: string; verifiedAt: number; expiresAt: number },
    now: number,
  ): Promise<void> {
    await sql`
      insert into spoti_server_student_verifications
        (proof_id, user_id, institution, verified_at, expires_at, received_at)
      values (${v.id}, ${userId}, ${v.institution}, ${v.verifiedAt}, ${v.expiresAt}, ${now})
      on conflict (proof_id) do nothing`.execute(this.db);
    this.#changed();
  }

  /** The user's verification of enrolment that lasts longest, lapsed or not; null for none. */
  async studentVerification(
    userId: string,
  ): Promise<{ institution: string; verifiedAt: number; expiresAt: number } | null> {
    const { rows } = await sql<Row>`
      select institution, verified_at, expires_at from spoti_server_student_verifications
      where user_id = ${userId} order by expires_at desc, verified_at desc limit 1`.execute(
      this.db,
    );
    const row = rows[0];
    return row === undefined
      ? null
      : {
          institution: String(row.institution),
          verifiedAt: Number(row.verified_at),
          expiresAt: Number(row.expires_at),
        };
  }

  /** The catalog's view of a subscription, with the owner's Student verification if it is one. */
  async catalogSubscription(record: SubscriptionRecord): Promise<Subscription> {
    if (record.planId !== 'student') return toCatalogSubscription(record);
    const verification = await this.studentVerification(record.userId);
    return toCatalogSubscription(record, verification?.expiresAt ?? null);
  }

  /** Runs `work` in one transaction with a repository bound to it. */
  async transaction<T>(work: (tx: BillingRepository) => Promise<T>): Promise<T> {
    try {
      return await this.db
        .transaction()
        .execute((tx) => work(new BillingRepository(tx, this.root)));
    } finally {
      // Reads cached while the transaction ran may predate its writes.
      this.#changed();
    }
  }
}

/** Free, as everyone without a subscription gets it. */
export function freeEntitlements(userId: string, now: number): Entitlements {
  return entitlementsFor({ subscription: null, userId, now });
}

/**
 * What `userId` is entitled to at `now`: the best of the subscriptions they own or belong to, as
 * the catalog's plan rules judge them (a lapsed one falls back to Free; a Student plan whose
 * verification lapsed is answered with Free's entitlements and `downgradeReason: 'unverified'`).
 */
export async function entitlementsOf(
  billing: BillingRepository,
  userId: string,
  now: number,
): Promise<{ entitlements: Entitlements; subscription: SubscriptionRecord | null }> {
  for (const { record, subscription } of await billing.subscriptionsWithPlans(userId)) {
    const entitlements = entitlementsFor({
      subscription,
      userId,
      now,
    });
    // A Student plan whose verification lapsed stays the account's subscription (to cancel or
    // to verify again), with Free's entitlements.
    if (entitlements.downgradeReason === null || entitlements.downgradeReason === 'unverified')
      return { entitlements, subscription: record };
  }
  return { entitlements: freeEntitlements(userId, now), subscription: null };
}
