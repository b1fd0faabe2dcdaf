import { type ZoneOffsets, zoneOffsets as sharedZoneOffsets } from '@spoti/catalog';
import { AnalyticsError } from '../errors/analytics-error.js';

const DAY_MS = 86_400_000;

/** Throws INVALID_INPUT unless `timeZone` is an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch (cause) {
    throw new AnalyticsError({
      code: 'INVALID_INPUT',
      message: `Unknown IANA time zone: ${JSON.stringify(timeZone)}`,
      cause,
    });
  }
}

/**
 * The shared offsets of `timeZone` (see `ZoneOffsets` in @spoti/catalog), after checking the
 * zone so an unknown one is an {@link AnalyticsError}.
 */
export function zoneOffsets(timeZone: string): ZoneOffsets {
  assertTimeZone(timeZone);
  return sharedZoneOffsets(timeZone);
}

/** Local day number (days since 1970-01-01 in local time) of a local-as-UTC time. */
export const localDay = (localMs: number): number => Math.floor(localMs / DAY_MS);
/** Local hour 0..23 of a local-as-UTC time. */
export const localHour = (localMs: number): number =>
  Math.floor((localMs - localDay(localMs) * DAY_MS) / 3_600_000);
/** Weekday of a local day number, 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday). */
export const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;
/** "YYYY-MM-DD" of a local day number. */
export const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** Year*12 + month (0-based) of a local day number. */
export const monthOf = (day: number): number => {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
/** "YYYY-MM" of a month number. */
export const monthLabel = (month: number): string =>
  `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
export { DAY_MS };
export type { ZoneOffsets };
