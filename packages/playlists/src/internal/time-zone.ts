const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Local-time offsets of one IANA zone, cached per UTC day and hour boundary. Offsets change at
 * most once within a day, so when both ends of a day agree the whole day uses that offset; else
 * the same check runs per hour, and only an hour with a change computes the instant's offset.
 */
export class ZoneOffsets {
  readonly #format: Intl.DateTimeFormat | null;
  readonly #cache = new Map<number, number>();
  readonly #days = new Map<number, number>();

  constructor(timeZone: string) {
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
            second: 'numeric',
          });
  }

  #exact(ms: number): number {
    if (this.#format === null) return 0;
    const whole = Math.floor(ms / 1000) * 1000;
    const parts: Record<string, number> = {};
    for (const part of this.#format.formatToParts(whole)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const local = Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    return local - whole;
  }

  #atHour(hour: number): number {
    let offset = this.#cache.get(hour);
    if (offset === undefined) {
      offset = this.#exact(hour * HOUR);
      this.#cache.set(hour, offset);
    }
    return offset;
  }

  #atDay(day: number): number {
    let offset = this.#days.get(day);
    if (offset === undefined) {
      offset = this.#exact(day * DAY);
      this.#days.set(day, offset);
    }
    return offset;
  }

  /** Offset in ms to add to a UTC instant to get local wall-clock time. */
  offset(ms: number): number {
    if (this.#format === null) return 0;
    const day = Math.floor(ms / DAY);
    const startOfDay = this.#atDay(day);
    if (startOfDay === this.#atDay(day + 1)) return startOfDay;
    const hour = Math.floor(ms / HOUR);
    const start = this.#atHour(hour);
    return start === this.#atHour(hour + 1) ? start : this.#exact(ms);
  }
}

/** True when the runtime knows the IANA zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
