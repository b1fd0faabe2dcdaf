import type { ReleaseDatePrecision } from '@spoti/catalog';
import { ReleasesError } from '../errors/releases-error.js';
import { releaseDateRange } from './release-date.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (cause) {
      throw new ReleasesError({
        code: 'invalid_options',
        message: `Unknown time zone "${timeZone}"`,
        cause,
      });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (positive east of Greenwich). */
function offsetAt(timeZone: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - (ms - (ms % 1000));
}

/** The UTC instant of local midnight starting the calendar day `utcDayStart` names, in `timeZone`. */
export function zonedMidnight(utcDayStart: number, timeZone: string): number {
  let guess = utcDayStart - offsetAt(timeZone, utcDayStart);
  // One correction covers a DST change between the guess and the answer.
  guess = utcDayStart - offsetAt(timeZone, guess);
  return guess;
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
