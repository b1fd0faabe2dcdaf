/** UTC offsets of IANA time zones for the world generator (DST-aware, cheap to call often). */
import { zoneClock } from '@spoti/internal';

const DAY_MS = 86_400_000;

/** The offset of `timeZone` from UTC in ms (local = utc + offset) at noon UTC of UTC day `day`. */
export function offsetOnDay(timeZone: string, day: number): number {
  return zoneClock(timeZone).offset(day * DAY_MS + DAY_MS / 2);
}

/** The local hour 0..23 of instant `ms` in `timeZone`. */
export function localHour(timeZone: string, ms: number): number {
  const offset = offsetOnDay(timeZone, Math.floor(ms / DAY_MS));
  return Math.floor(((((ms + offset) % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000);
}
