import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.js';
import { type BillingService, createBillingService } from '../billing/billing-service.js';
import { type MediaRepository, createMediaRepository } from './media-repository.js';

/** The media and billing services of one running server. */
export interface MediaServices {
  readonly media: MediaRepository;
  readonly billing: BillingService;
}

const byContext = new WeakMap<AppContext, MediaServices>();

/** The media and billing services of `ctx`, made once (one Stripe client per server). */
export function mediaServicesOf(ctx: AppContext): MediaServices {
  let services = byContext.get(ctx);
  if (services === undefined) {
    services = {
      media: createMediaRepository(ctx.database.db as unknown as Kysely<unknown>),
      billing: createBillingService(ctx),
    };
    byContext.set(ctx, services);
  }
  return services;
}

/**
 * Account deletion, before the rows go: removes the account's uploaded audio, renditions, covers
 * and avatar from object storage and cancels its Stripe subscriptions. Safe to repeat.
 */
export async function forgetMediaAndBilling(ctx: AppContext, userId: string): Promise<void> {
  const { media, billing } = mediaServicesOf(ctx);
  await billing.cancelAllOf(userId);
  for (const key of new Set(await media.objectKeysOfUser(userId))) await ctx.objects.delete(key);
}
