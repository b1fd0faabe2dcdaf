import { type Entitlements, entitlementsFor, subscriptionSchema } from '@spoti/catalog';
import type { ApiServices } from '../services.js';

/**
 * The entitlements of `userId` now: the best among the catalog subscriptions it owns or is a
 * member of (most skips, then best quality), Free when there is none.
 */
export async function entitlementsOf(services: ApiServices, userId: string): Promise<Entitlements> {
  const now = services.ctx.clock.now();
  const candidates = [entitlementsFor(null, now, userId)];
  for (const data of await services.reads.subscriptionsOf(userId)) {
    const parsed = subscriptionSchema.safeParse(data);
    if (parsed.success) candidates.push(entitlementsFor(parsed.data, now, userId));
  }
  const skips = (e: Entitlements) => e.skipsPerHour ?? Number.POSITIVE_INFINITY;
  candidates.sort(
    (a, b) =>
      skips(b) - skips(a) || Math.max(...b.audioQualitiesKbps) - Math.max(...a.audioQualitiesKbps),
  );
  return candidates[0] as Entitlements;
}
