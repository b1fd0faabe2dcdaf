import type { Subscriber } from '../domain/types.js';

const DAY_MS = 86_400_000;

/**
 * How often a subscriber gets a digest: every two weeks (the default) or every week.
 *
 * @example
 * ```ts
 * const cadence: DigestCadence = 'weekly';
 * ```
 */
export type DigestCadence = 'biweekly' | 'weekly';

/**
 * Every cadence, default first.
 *
 * @example
 * ```ts
 * const options = DIGEST_CADENCES.map((c) => `<option>${c}</option>`);
 * ```
 */
export const DIGEST_CADENCES: readonly DigestCadence[] = ['biweekly', 'weekly'];

/**
 * Days between two digests of a cadence: 14 for `biweekly`, 7 for `weekly`.
 *
 * @example
 * ```ts
 * cadenceDays('weekly'); // 7
 * ```
 */
export function cadenceDays(cadence: DigestCadence): number {
  return cadence === 'weekly' ? 7 : 14;
}

/**
 * The cadence a number of days stands for: `weekly` for 7, `biweekly` for 14, null otherwise
 * (a custom interval set with `upsertSubscriber`).
 *
 * @example
 * ```ts
 * cadenceOf(14); // 'biweekly'
 * ```
 */
export function cadenceOf(days: number): DigestCadence | null {
  return days === 7 ? 'weekly' : days === 14 ? 'biweekly' : null;
}

/** The fields of a subscriber the schedule reads. */
export type Scheduled = Pick<
  Subscriber,
  'confirmedAt' | 'unsubscribedAt' | 'lastDigestAt' | 'cadenceDays'
>;

/**
 * When a subscriber's next digest is due (Unix ms), or null when none is: not confirmed yet, or
 * unsubscribed. The first digest is due at confirmation; each later one `cadenceDays` after the
 * end of the previous one. Pure: the same subscriber always gives the same answer.
 *
 * @example
 * ```ts
 * nextDigestAt({ confirmedAt: 0, unsubscribedAt: null, lastDigestAt: null, cadenceDays: 14 }); // 0
 * ```
 */
export function nextDigestAt(subscriber: Scheduled): number | null {
  if (subscriber.unsubscribedAt !== null) return null;
  // `undefined`: stored before double opt-in existed, so confirmed.
  if (subscriber.confirmedAt === null) return null;
  if (subscriber.lastDigestAt === null) return subscriber.confirmedAt ?? Number.NEGATIVE_INFINITY;
  return subscriber.lastDigestAt + subscriber.cadenceDays * DAY_MS;
}

/**
 * True when a digest is due for the subscriber at `now` (see {@link nextDigestAt}).
 *
 * @example
 * ```ts
 * if (isDigestDue(subscriber, Date.now())) console.log('due');
 * ```
 */
export function isDigestDue(subscriber: Scheduled, now: number): boolean {
  const at = nextDigestAt(subscriber);
  return at !== null && now >= at;
}

/**
 * The period a digest due at `now` covers: since the end of the last digest, or for the first
 * one the past `firstDigestDays` (4 weeks by default).
 *
 * @example
 * ```ts
 * const { from, to } = digestPeriod(subscriber, Date.now());
 * ```
 */
export function digestPeriod(
  subscriber: Pick<Subscriber, 'lastDigestAt'>,
  now: number,
  firstDigestDays = 28,
): { readonly from: number; readonly to: number } {
  return { from: subscriber.lastDigestAt ?? now - firstDigestDays * DAY_MS, to: now };
}
