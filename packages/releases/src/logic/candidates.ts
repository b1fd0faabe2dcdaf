import type { Release, ReleaseGroup, Subscriber } from '../domain/types.js';
import { releaseDateOverlaps, safeDateRange } from './release-date.js';
import { localReleaseInstant } from './time-zone.js';

const DAY_MS = 86_400_000;

/**
 * What a subscriber's digest selection needs besides the release.
 *
 * @example
 * ```ts
 * const ctx: CandidateContext = { subscriber, mine: new Set(artists), excluded: new Set(subscriber.exclude), delivered, now, firstDigestDays: 28 };
 * ```
 */
export interface CandidateContext {
  readonly subscriber: Pick<Subscriber, 'groups' | 'timeZone' | 'lastDigestAt'>;
  /** The subscriber's artists. */
  readonly mine: ReadonlySet<string>;
  /** Artists the subscriber excluded. */
  readonly excluded: ReadonlySet<string>;
  /** Releases already delivered to the subscriber. */
  readonly delivered: ReadonlySet<string>;
  readonly now: number;
  readonly firstDigestDays: number;
}

/**
 * How a release counts for a subscriber, or null when it is not for their next digest: already
 * delivered, by an excluded artist, not by (nor found via) their artists, of a group they do
 * not want, not out yet in their time zone, or older than their last digest (first digest: dated
 * outside the past `firstDigestDays`). `own` is true when the primary artist is theirs; the
 * group is then the release's type, else `appears_on`.
 *
 * @example
 * ```ts
 * const fit = candidateFit(release, ctx);
 * if (fit !== null) entries.push({ release, group: fit.group, artistName });
 * ```
 */
export function candidateFit(
  release: Release,
  ctx: CandidateContext,
): { readonly group: ReleaseGroup; readonly own: boolean } | null {
  const { subscriber, mine, now } = ctx;
  if (ctx.delivered.has(release.id)) return null;
  const primary = release.artists[0];
  if (primary !== undefined && ctx.excluded.has(primary.id)) return null;
  const own = primary !== undefined && mine.has(primary.id);
  const group: ReleaseGroup = own ? release.type : 'appears_on';
  if (!own && !release.foundVia.some((a) => mine.has(a))) return null;
  if (!subscriber.groups.includes(group)) return null;
  const range = safeDateRange(release.releaseDate, release.releaseDatePrecision);
  const availableAt =
    range === null
      ? release.discoveredAt
      : localReleaseInstant(release.releaseDate, release.releaseDatePrecision, subscriber.timeZone);
  if (availableAt > now) return null;
  const since = subscriber.lastDigestAt;
  if (since === null) {
    const from = now - ctx.firstDigestDays * DAY_MS;
    if (
      range !== null &&
      !releaseDateOverlaps(release.releaseDate, release.releaseDatePrecision, from, now)
    )
      return null;
  } else if (release.discoveredAt <= since && availableAt <= since) {
    return null;
  }
  return { group, own };
}
