import { dateOf, monthLabel, monthOf } from '../../internal/time-zone.js';
import { GENRE_FAMILIES } from '../../profile/genre-family.js';
import type { MonthShares, Streak } from '../types.js';

/**
 * Local days with listening, runs of consecutive days (the longest kept as day numbers, its dates
 * written once at the end), and per local month the listening time and a vector of time per genre
 * family (`monthVector`, the current month's, filled by the genre totals).
 */
export class CalendarTotals {
  days = 0;
  lastDay = Number.NaN;
  run = 0;
  #runStart = 0;
  #longestRun = 0;
  #longestRunStart = 0;
  #longestRunEnd = 0;
  #currentMonth = Number.NaN;
  monthVector: Float64Array = new Float64Array(GENRE_FAMILIES.length);
  /** Listening time of the current month (one Map access per month, not per play). */
  #monthTotal: { ms: number } = { ms: 0 };
  readonly #months = new Map<number, Float64Array>();
  readonly #monthTotals = new Map<number, { ms: number }>();

  /** Counts `ms` heard on local day number `day` (plays in time order). */
  add(day: number, ms: number): void {
    if (day !== this.lastDay) this.#newDay(day);
    this.#monthTotal.ms += ms;
  }

  #newDay(day: number): void {
    this.days++;
    if (day === this.lastDay + 1) this.run++;
    else {
      this.run = 1;
      this.#runStart = day;
    }
    if (this.run > this.#longestRun) {
      this.#longestRun = this.run;
      this.#longestRunStart = this.#runStart;
      this.#longestRunEnd = day;
    }
    this.lastDay = day;
    const month = monthOf(day);
    if (month !== this.#currentMonth) this.#newMonth(month);
  }

  #newMonth(month: number): void {
    this.#currentMonth = month;
    let vector = this.#months.get(month);
    if (vector === undefined) {
      vector = new Float64Array(GENRE_FAMILIES.length);
      this.#months.set(month, vector);
    }
    this.monthVector = vector;
    let total = this.#monthTotals.get(month);
    if (total === undefined) {
      total = { ms: 0 };
      this.#monthTotals.set(month, total);
    }
    this.#monthTotal = total;
  }

  /** The longest streak, and the current one (0 unless the last day heard is `lastLocalDay` or the day before). */
  streaks(lastLocalDay: number): { longest: Streak | null; current: number } {
    const longest =
      this.#longestRun > 0
        ? {
            days: this.#longestRun,
            from: dateOf(this.#longestRunStart),
            to: dateOf(this.#longestRunEnd),
          }
        : null;
    const { lastDay } = this;
    const current = lastDay === lastLocalDay || lastDay === lastLocalDay - 1 ? this.run : 0;
    return { longest, current };
  }

  /** Each month heard, in order, with its time and its genre-family shares (largest first). */
  months(): MonthShares[] {
    return [...this.#months.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([month, vector]) => {
        const known = vector.reduce((x, y) => x + y, 0);
        return {
          month: monthLabel(month),
          msPlayed: this.#monthTotals.get(month)?.ms ?? 0,
          families: GENRE_FAMILIES.map((family, f) => ({
            family,
            share: known > 0 ? (vector[f] as number) / known : 0,
          }))
            .filter((x) => x.share > 0)
            .sort((a, b) => b.share - a.share),
        };
      });
  }
}
