import { AnalyticsError } from '../errors/analytics-error.js';
import { DAY_MS, type ZoneOffsets } from '../internal/time-zone.js';

/**
 * A statistics period:
 * - `short_term` (last 28 days), `medium_term` (last 182 days), `long_term` (last 365 days),
 *   counted back from `now`, as Spotify's top-items ranges;
 * - `all`: the whole history;
 * - `{ year }` or a string `'2025'`: that calendar year in the listener's time zone;
 * - `{ from, to, label? }`: a custom range: Unix ms or ISO 8601 instants (half-open, `to`
 *   excluded), or local dates `YYYY-MM-DD` (from that day's local midnight to the end of the `to`
 *   day, both days included).
 */
export type PeriodSpec =
  | 'short_term'
  | 'medium_term'
  | 'long_term'
  | 'all'
  | `${number}`
  | { year: number }
  | { from: number | string; to: number | string; label?: string };

/** A resolved period: a half-open range [from, to) of Unix ms with its label. */
export interface ResolvedPeriod {
  readonly label: string;
  readonly from: number;
  readonly to: number;
}

const RELATIVE_DAYS = { short_term: 28, medium_term: 182, long_term: 365 } as const;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const instant = (value: number | string, what: 'from' | 'to', zone: ZoneOffsets): number => {
  const date = typeof value === 'string' ? LOCAL_DATE.exec(value) : null;
  const ms =
    date !== null
      ? zone.instantOf(
          Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]) + (what === 'to' ? 1 : 0)),
        )
      : typeof value === 'number'
        ? value
        : Date.parse(value);
  if (!(Math.abs(ms) <= 8.64e15)) {
    throw new AnalyticsError({
      code: 'INVALID_INPUT',
      message: `Invalid period ${what}: ${JSON.stringify(value)} (expected Unix ms or an ISO 8601 instant within JavaScript's date range)`,
    });
  }
  return ms;
};

/** First and last instants with a four-digit ISO 8601 year (0000-01-01, 9999-12-31T23:59:59.999). */
const EARLIEST_ISO = -62_167_219_200_000;
const LATEST_ISO = 253_402_300_799_999;

/**
 * Resolves a {@link PeriodSpec} against the history bounds, `now` and the time zone. The range is
 * clamped to years 0000 to 9999, so its bounds always print as ISO 8601 instants.
 */
export function resolvePeriod(
  spec: PeriodSpec,
  zone: ZoneOffsets,
  now: number,
  first: number,
  last: number,
): ResolvedPeriod {
  const period = resolveUnclamped(spec, zone, now, first, last);
  const from = Math.min(Math.max(period.from, EARLIEST_ISO), LATEST_ISO - 1);
  const to = Math.min(Math.max(period.to, from + 1), LATEST_ISO);
  return from === period.from && to === period.to ? period : { label: period.label, from, to };
}

function resolveUnclamped(
  spec: PeriodSpec,
  zone: ZoneOffsets,
  now: number,
  first: number,
  last: number,
): ResolvedPeriod {
  if (spec === 'all')
    return { label: 'all', from: Math.min(first, now), to: Math.max(last + 1, first) };
  if (spec === 'short_term' || spec === 'medium_term' || spec === 'long_term') {
    return { label: spec, from: now - RELATIVE_DAYS[spec] * DAY_MS, to: now };
  }
  const year = typeof spec === 'string' ? Number(spec) : 'year' in spec ? spec.year : Number.NaN;
  if (typeof spec === 'string' || 'year' in spec) {
    if (!Number.isInteger(year) || year < 1900 || year > 9999) {
      throw new AnalyticsError({
        code: 'INVALID_INPUT',
        message: `Invalid period ${JSON.stringify(spec)}: expected short_term, medium_term, long_term, all, a year or { from, to }`,
      });
    }
    return {
      label: String(year),
      from: zone.instantOf(Date.UTC(year, 0, 1)),
      to: zone.instantOf(Date.UTC(year + 1, 0, 1)),
    };
  }
  const from = instant(spec.from, 'from', zone);
  const to = instant(spec.to, 'to', zone);
  if (to <= from) {
    throw new AnalyticsError({
      code: 'INVALID_INPUT',
      message: `Invalid period: to (${new Date(to).toISOString()}) must be after from (${new Date(from).toISOString()})`,
    });
  }
  return {
    label:
      spec.label ??
      (typeof spec.from === 'string' && typeof spec.to === 'string'
        ? `${spec.from}..${spec.to}`
        : `${new Date(from).toISOString()}..${new Date(to).toISOString()}`),
    from,
    to,
  };
}
