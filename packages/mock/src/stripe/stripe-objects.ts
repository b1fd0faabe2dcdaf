/** A customer of the stand-in (the fields the SDK's `Stripe.Customer` has that matter here). */
export interface StripeCustomer {
  id: string;
  object: 'customer';
  created: number;
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
  livemode: false;
}

/** A Checkout Session in subscription mode. */
export interface StripeCheckoutSession {
  id: string;
  object: 'checkout.session';
  created: number;
  expires_at: number;
  mode: 'subscription' | 'payment' | 'setup';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  customer: string | null;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  success_url: string | null;
  cancel_url: string | null;
  url: string | null;
  subscription: string | null;
  livemode: false;
}

/** A subscription item: one price, with the period it is billed for. */
export interface StripeSubscriptionItem {
  id: string;
  object: 'subscription_item';
  created: number;
  current_period_start: number;
  current_period_end: number;
  quantity: number;
  subscription: string;
  price: { id: string; object: 'price'; recurring: { interval: 'month'; interval_count: 1 } };
}

/** A subscription (status values as Stripe's). */
export interface StripeSubscription {
  id: string;
  object: 'subscription';
  created: number;
  customer: string;
  status:
    | 'trialing'
    | 'active'
    | 'past_due'
    | 'unpaid'
    | 'canceled'
    | 'incomplete'
    | 'incomplete_expired'
    | 'paused';
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  trial_start: number | null;
  trial_end: number | null;
  start_date: number;
  metadata: Record<string, string>;
  items: { object: 'list'; data: StripeSubscriptionItem[]; has_more: false; url: string };
  livemode: false;
}

/** An invoice, reduced to what tells a failed or paid renewal apart. */
export interface StripeInvoice {
  id: string;
  object: 'invoice';
  created: number;
  customer: string;
  status: 'paid' | 'open';
  amount_due: number;
  parent: {
    type: 'subscription_details';
    subscription_details: { subscription: string; metadata: Record<string, string> };
  };
  livemode: false;
}

/** A webhook event, as Stripe sends it. */
export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  type: string;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
}
