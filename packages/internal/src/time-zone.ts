/**
 * Time-zone offsets from `Intl`, shared by the catalog (its public `ZoneOffsets`, used by the
 * analytics and the release watcher) and the mock's world generator. Offsets are `local - UTC` in
 * ms: positive east of Greenwich.
 */

const DAY_MS = 86_400_000;
const BUCKET_MS = 15 * 60_000;

/** True when `timeZone` is an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** `local - UTC` at the minute of `ms`, read from the wall-clock fields `format` prints. */
function wallClockOffset(format: Intl.DateTimeFormat, ms: number): number {
  const at = Math.floor(ms / 60_000) * 60_000;
  let y = 1970;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  for (const p of format.formatToParts(at)) {
    if (p.type === 'year') y = Number(p.value);
    else if (p.type === 'month') mo = Number(p.value);
    else if (p.type === 'day') d = Number(p.value);
    else if (p.type === 'hour') h = Number(p.value);
    else if (p.type === 'minute') mi = Number(p.value);
  }
  return Date.UTC(y, mo - 1, d, h, mi) - at;
}

/**
 * UTC offsets of one IANA time zone, cached per UTC day (and per 15 minutes on the days an offset
 * changes), so converting a lifetime of plays to local time costs a few thousand `Intl` calls.
 * The zone must be known (see {@link isTimeZone}); `Intl` throws a RangeError otherwise.
 */
export class ZoneClock {
  readonly #format: Intl.DateTimeFormat | null;
  readonly #days = new Map<number, number>();
  readonly #buckets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.#format =
      timeZone === 'UTC'
        ? null
        : new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
          });
  }

  /** Offset (`local - UTC`) in ms at the UTC instant `ms`. */
  offset(ms: number): number {
    const format = this.#format;
    if (format === null) return 0;
    const day = Math.floor(ms / DAY_MS);
    let offset = this.#days.get(day);
    if (offset === undefined) {
      const start = wallClockOffset(format, day * DAY_MS);
      const end = wallClockOffset(format, day * DAY_MS + DAY_MS - 60_000);
      offset = start === end ? start : Number.NaN;
      this.#days.set(day, offset);
    }
    if (!Number.isNaN(offset)) return offset;
    const bucket = Math.floor(ms / BUCKET_MS);
    let exact = this.#buckets.get(bucket);
    if (exact === undefined) {
      exact = wallClockOffset(format, bucket * BUCKET_MS);
      this.#buckets.set(bucket, exact);
    }
    return exact;
  }

  /** Local wall-clock time of the UTC instant `ms`, expressed as if it were UTC ms. */
  local(ms: number): number {
    return ms + this.offset(ms);
  }

  /**
   * The UTC instant at which the local wall-clock time `localMs` (written as UTC ms) occurs. In a
   * daylight-saving gap the instant just after the gap; in an overlap the first occurrence.
   */
  instantOf(localMs: number): number {
    const guess = localMs - this.offset(localMs);
    // One correction covers an offset change between the guess and the answer.
    return localMs - this.offset(guess);
  }
}

const CLOCKS = new Map<string, ZoneClock>();

/** A shared {@link ZoneClock} per zone (offsets never change, so sharing is pure memoisation). */
export function zoneClock(timeZone: string): ZoneClock {
  let clock = CLOCKS.get(timeZone);
  if (clock === undefined) {
    clock = new ZoneClock(timeZone);
    if (CLOCKS.size >= 64) CLOCKS.clear();
    CLOCKS.set(timeZone, clock);
  }
  return clock;
}
