import { type ReleaseDatePrecision, releaseDateStart } from '@spoti/catalog';
import { ReleasesError } from '../errors/releases-error.js';

const DAY_MS = 86_400_000;
const PATTERNS: Record<ReleaseDatePrecision, RegExp> = {
  year: /^\d{4}$/,
  month: /^\d{4}-(0[1-9]|1[0-2])$/,
  day: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
};

/**
 * The instants a release date covers: `start` inclusive, `end` exclusive (Unix ms, UTC).
 *
 * @example
 * ```ts
 * const { start, end }: ReleaseDateRange = releaseDateRange('2026-11', 'month');
 * ```
 */
export interface ReleaseDateRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The UTC interval a release date of any precision covers: "2026" is the whole year,
 * "2026-03" the whole month, "2026-03-06" one day. Release dates are compared through these
 * ranges, never as strings ("2026" < "2026-01-09" as strings, yet it may be the later release).
 *
 * @throws ReleasesError `INVALID_OPTIONS` when the date does not match its precision.
 * @example
 * ```ts
 * releaseDateRange('2026-11', 'month'); // { start: Date.UTC(2026, 10, 1), end: Date.UTC(2026, 11, 1) }
 * ```
 */
export function releaseDateRange(date: string, precision: ReleaseDatePrecision): ReleaseDateRange {
  if (!PATTERNS[precision].test(date)) {
    throw new ReleasesError({
      code: 'INVALID_OPTIONS',
      message: `Release date "${date}" does not match precision "${precision}"`,
    });
  }
  const start = releaseDateStart(date);
  const d = new Date(start);
  const end =
    precision === 'day'
      ? start + DAY_MS
      : precision === 'month'
        ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
        : Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  return { start, end };
}

/**
 * Orders two release dates of any precision: negative when `a` is surely earlier, positive when
 * surely later, 0 when their ranges overlap ("2026" and "2026-05-01" are not ordered).
 *
 * @example
 * ```ts
 * compareReleaseDates({ date: '2025', precision: 'year' }, { date: '2026-01-09', precision: 'day' }); // < 0
 * ```
 */
export function compareReleaseDates(
  a: { readonly date: string; readonly precision: ReleaseDatePrecision },
  b: { readonly date: string; readonly precision: ReleaseDatePrecision },
): number {
  const ra = releaseDateRange(a.date, a.precision);
  const rb = releaseDateRange(b.date, b.precision);
  if (ra.end <= rb.start) return -1;
  if (rb.end <= ra.start) return 1;
  return 0;
}

/**
 * True when a release date's range reaches into `[from, to)`: "2026" overlaps the last four
 * weeks of December 2026, "2026-10" does not overlap November.
 *
 * @example
 * ```ts
 * releaseDateOverlaps('2026', 'year', Date.UTC(2026, 11, 1), Date.UTC(2026, 11, 29)); // true
 * ```
 */
export function releaseDateOverlaps(
  date: string,
  precision: ReleaseDatePrecision,
  from: number,
  to: number,
): boolean {
  const range = releaseDateRange(date, precision);
  return range.end > from && range.start < to;
}

/**
 * Formats a release date for people, by precision: "2026", "November 2026", "Fri 6 Nov 2026".
 *
 * @example
 * ```ts
 * formatReleaseDate('2026-11', 'month'); // 'November 2026'
 * ```
 */
export function formatReleaseDate(date: string, precision: ReleaseDatePrecision): string {
  const start = new Date(releaseDateRange(date, precision).start);
  if (precision === 'year') return String(start.getUTCFullYear());
  if (precision === 'month')
    return start.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return start.toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** {@link releaseDateRange}, or null when the date does not match its precision. */
export function safeDateRange(
  date: string,
  precision: ReleaseDatePrecision,
): ReleaseDateRange | null {
  try {
    return releaseDateRange(date, precision);
  } catch {
    return null;
  }
}
