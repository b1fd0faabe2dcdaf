import { AnalyticsError } from '../errors/analytics-error.js';

const DAY_MS = 86_400_000;
const BUCKET_MS = 15 * 60_000;

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
 * UTC offsets of one IANA zone, computed with Intl and cached per UTC day (and per 15 minutes on
 * the days an offset changes), so converting a lifetime of plays costs a few thousand Intl calls.
 */
export class ZoneOffsets {
  readonly #format: Intl.DateTimeFormat;
  readonly #days = new Map<number, number>();
  readonly #buckets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    assertTimeZone(timeZone);
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  }

  #compute(ms: number): number {
    const at = Math.floor(ms / 60_000) * 60_000;
    const parts = this.#format.formatToParts(at);
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    for (const p of parts) {
      if (p.type === 'year') y = Number(p.value);
      else if (p.type === 'month') mo = Number(p.value);
      else if (p.type === 'day') d = Number(p.value);
      else if (p.type === 'hour') h = Number(p.value);
      else if (p.type === 'minute') mi = Number(p.value);
    }
    return Date.UTC(y, mo - 1, d, h, mi) - at;
  }

  /** Offset (local - UTC) in ms at instant `ms`. */
  offset(ms: number): number {
    const day = Math.floor(ms / DAY_MS);
    let offset = this.#days.get(day);
    if (offset === undefined) {
      const start = this.#compute(day * DAY_MS);
      const end = this.#compute(day * DAY_MS + DAY_MS - 60_000);
      offset = start === end ? start : Number.NaN;
      this.#days.set(day, offset);
    }
    if (!Number.isNaN(offset)) return offset;
    const bucket = Math.floor(ms / BUCKET_MS);
    let exact = this.#buckets.get(bucket);
    if (exact === undefined) {
      exact = this.#compute(bucket * BUCKET_MS);
      this.#buckets.set(bucket, exact);
    }
    return exact;
  }

  /** Local wall-clock time of `ms` expressed as if it were UTC ms. */
  local(ms: number): number {
    return ms + this.offset(ms);
  }

  /** The UTC instant at which local wall-clock time `localMs` (as UTC ms) occurs (first match). */
  instantOf(localMs: number): number {
    let guess = localMs - this.offset(localMs);
    guess = localMs - this.offset(guess);
    return guess;
  }
}

const ZONES = new Map<string, ZoneOffsets>();

/** A shared {@link ZoneOffsets} per zone (offsets never change, so the cache is pure memoisation). */
export function zoneOffsets(timeZone: string): ZoneOffsets {
  let zone = ZONES.get(timeZone);
  if (zone === undefined) {
    zone = new ZoneOffsets(timeZone);
    if (ZONES.size >= 64) ZONES.clear();
    ZONES.set(timeZone, zone);
  }
  return zone;
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
