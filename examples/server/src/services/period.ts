import type { PeriodSpec } from '@spoti/analytics';
import { z } from 'zod';
import { ServerError } from '../server-error.js';

const DAY_MS = 86_400_000;

/** The periods the dashboard offers. */
export const PERIOD_CHOICES = [
  { value: 'short_term', label: 'Last 4 weeks' },
  { value: 'medium_term', label: 'Last 6 months' },
  { value: 'long_term', label: 'Last year' },
  { value: 'all', label: 'All time' },
  { value: 'year', label: 'Calendar year' },
  { value: 'custom', label: 'Custom range' },
] as const;

/** A dashboard period as chosen in the form. */
export type PeriodChoice =
  | { readonly kind: 'short_term' | 'medium_term' | 'long_term' | 'all' }
  | { readonly kind: 'year'; readonly year: number }
  | { readonly kind: 'custom'; readonly from: string; readonly to: string };

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

const querySchema = z.object({
  period: z
    .enum(['short_term', 'medium_term', 'long_term', 'all', 'year', 'custom'])
    .default('short_term'),
  year: z.coerce.number().int().min(1900).max(9999).optional(),
  from: date.optional(),
  to: date.optional(),
});

/**
 * Parses `?period=...&year=...&from=...&to=...`.
 *
 * @throws ServerError `INVALID_INPUT` naming the bad parameter.
 */
export function parsePeriodQuery(query: unknown, currentYear: number): PeriodChoice {
  // A submitted form sends empty fields for the inputs that do not apply to the chosen period.
  const present =
    typeof query === 'object' && query !== null
      ? Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''))
      : query;
  const parsed = querySchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServerError(
      'INVALID_INPUT',
      `${issue?.path.join('.') ?? 'period'} ${issue?.message ?? 'is invalid'}`,
    );
  }
  const q = parsed.data;
  if (q.period === 'year') return { kind: 'year', year: q.year ?? currentYear };
  if (q.period === 'custom') {
    if (q.from === undefined || q.to === undefined) {
      throw new ServerError('INVALID_INPUT', 'a custom range needs both from and to (YYYY-MM-DD)');
    }
    if (q.to < q.from) throw new ServerError('INVALID_INPUT', 'to must not be before from');
    return { kind: 'custom', from: q.from, to: q.to };
  }
  return { kind: q.period };
}

/** The analytics package's period for a choice. */
export function periodSpec(choice: PeriodChoice): PeriodSpec {
  if (choice.kind === 'year') return { year: choice.year };
  if (choice.kind === 'custom') return { from: choice.from, to: choice.to };
  return choice.kind;
}

/** The period just before, for "change against the previous period"; null for all time. */
export function previousSpec(choice: PeriodChoice, now: number): PeriodSpec | null {
  const days = { short_term: 28, medium_term: 182, long_term: 365 } as const;
  if (choice.kind === 'all') return null;
  if (choice.kind === 'year') return { year: choice.year - 1 };
  if (choice.kind === 'custom') {
    const from = Date.parse(`${choice.from}T00:00:00Z`);
    const to = Date.parse(`${choice.to}T00:00:00Z`) + DAY_MS;
    const length = to - from;
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    return { from: iso(from - length), to: iso(from - DAY_MS), label: 'previous range' };
  }
  const length = days[choice.kind] * DAY_MS;
  return { from: now - 2 * length, to: now - length, label: 'previous period' };
}

/** A cache key and query string of a choice. */
export function periodKey(choice: PeriodChoice): string {
  if (choice.kind === 'year') return `period=year&year=${choice.year}`;
  if (choice.kind === 'custom') return `period=custom&from=${choice.from}&to=${choice.to}`;
  return `period=${choice.kind}`;
}
