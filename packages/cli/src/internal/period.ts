import type { PeriodSpec } from '@spoti/analytics';
import { UsageError } from './io.js';

/**
 * Reads a `--period` value: `short_term`, `medium_term`, `long_term`, `all` (the default when the
 * flag is absent), a year such as `2025`, or a local date range `2025-01-01..2025-06-30`.
 * Anything else raises {@link UsageError} naming the value.
 */
export function parsePeriod(value: string | undefined): PeriodSpec {
  if (value === undefined) return 'all';
  if (value === 'short_term' || value === 'medium_term' || value === 'long_term' || value === 'all')
    return value;
  if (/^\d{4}$/.test(value)) return value as `${number}`;
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(value);
  if (range !== null) return { from: range[1] as string, to: range[2] as string };
  throw new UsageError(`invalid --period ${JSON.stringify(value)}`);
}
