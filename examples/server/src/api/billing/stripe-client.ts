import Stripe from 'stripe';
import type { BillingConfig } from './billing-config.js';

/**
 * The official Stripe SDK, configured from the server's billing settings: its pinned API
 * version, two retries on network errors (with idempotency keys), a 10 s timeout, and the
 * host, port and protocol of a local stand-in when `STRIPE_API_URL` is set.
 */
export function createStripeClient(config: BillingConfig): Stripe {
  return new Stripe(config.secretKey, {
    maxNetworkRetries: 2,
    timeout: 10_000,
    telemetry: false,
    ...(config.api === null
      ? {}
      : { host: config.api.host, port: config.api.port, protocol: config.api.protocol }),
  });
}

/** The fields of a Stripe subscription the server keeps. */
export interface StripeSubscriptionState {
  readonly id: string;
  readonly customerId: string;
  readonly status: Stripe.Subscription.Status;
  readonly priceId: string | null;
  /** Unix ms. */
  readonly trialEnd: number | null;
  readonly currentPeriodEnd: number | null;
  readonly cancelAtPeriodEnd: boolean;
  readonly endedAt: number | null;
  readonly metadata: Readonly<Record<string, string>>;
}

const msOf = (seconds: number | null | undefined): number | null =>
  seconds === null || seconds === undefined ? null : seconds * 1000;

/** Reads a subscription object (from the API or an event); the period lives on its first item. */
export function subscriptionState(sub: Stripe.Subscription): StripeSubscriptionState {
  const item = sub.items?.data?.[0];
  const legacyEnd = (sub as unknown as { current_period_end?: number }).current_period_end;
  return {
    id: sub.id,
    customerId: typeof sub.customer === 'string' ? sub.customer : sub.customer.id,
    status: sub.status,
    priceId: item?.price?.id ?? null,
    trialEnd: msOf(sub.trial_end),
    currentPeriodEnd: msOf(item?.current_period_end ?? legacyEnd),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    endedAt: msOf(sub.ended_at),
    metadata: sub.metadata ?? {},
  };
}

/** The subscription an invoice bills (its `parent`, or the older top-level field). */
export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const fromParent = invoice.parent?.subscription_details?.subscription;
  const legacy = (invoice as unknown as { subscription?: string | { id: string } | null })
    .subscription;
  const found = fromParent ?? legacy ?? null;
  if (found === null) return null;
  return typeof found === 'string' ? found : found.id;
}
