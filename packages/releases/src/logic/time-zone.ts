import { type ReleaseDatePrecision, zoneOffsets } from '@spoti/catalog';
import { releaseDateRange } from './release-date.js';

/** The UTC instant of local midnight starting the calendar day `utcDayStart` names, in `timeZone`. */
export function zonedMidnight(utcDayStart: number, timeZone: string): number {
  return zoneOffsets(timeZone).instantOf(utcDayStart);
}

/**
 * When a release is out for a listener: local midnight of its (first) release day in the
 * listener's time zone. Spotify releases at midnight local time on Fridays, so a Friday release
 * is out in Tokyo while it is still Thursday in Los Angeles.
 *
 * @example
 * ```ts
 * localReleaseInstant('2026-11-06', 'day', 'America/Los_Angeles'); // 2026-11-06T08:00:00Z
 * ```
 */
export function localReleaseInstant(
  date: string,
  precision: ReleaseDatePrecision,
  timeZone: string,
): number {
  return zonedMidnight(releaseDateRange(date, precision).start, timeZone);
}
