import { weekdayOf } from '../../internal/time-zone.js';
import { normalisedEntropy } from '../diversity.js';

/** Listening time by local hour, by weekday and hour, at night (22-05) and in the morning (05-09). */
export class ClockTotals {
  readonly hours = new Array<number>(24).fill(0);
  readonly weekdayHours = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  nightMs = 0;
  morningMs = 0;

  /** Counts `ms` heard at local `hour` of local day number `day`. */
  add(day: number, hour: number, ms: number): void {
    this.hours[hour] = (this.hours[hour] as number) + ms;
    const row = this.weekdayHours[weekdayOf(day)] as number[];
    row[hour] = (row[hour] as number) + ms;
    if (hour >= 22 || hour < 5) this.nightMs += ms;
    else if (hour >= 5 && hour < 9) this.morningMs += ms;
  }

  /** The clock statistics of a period with `totalMs` of listening. */
  result(totalMs: number): {
    hours: number[];
    weekdayHours: number[][];
    timeOfDayDiversity: number;
    nightShare: number;
    morningShare: number;
  } {
    return {
      hours: this.hours,
      weekdayHours: this.weekdayHours,
      timeOfDayDiversity: totalMs > 0 ? normalisedEntropy(this.hours, 24) : 0,
      nightShare: totalMs > 0 ? this.nightMs / totalMs : 0,
      morningShare: totalMs > 0 ? this.morningMs / totalMs : 0,
    };
  }
}

/** Plays whose skip flag is known, and how many of them were skipped. */
export class SkipTotals {
  skipped = 0;
  known = 0;

  /** Counts a play's skip flag (-1 unknown, 0 not skipped, 1 skipped). */
  add(flag: number): void {
    if (flag >= 0) {
      this.known++;
      this.skipped += flag;
    }
  }

  result(): { skipped: number; known: number; rate: number | null } {
    const { skipped, known } = this;
    return { skipped, known, rate: known > 0 ? skipped / known : null };
  }
}
