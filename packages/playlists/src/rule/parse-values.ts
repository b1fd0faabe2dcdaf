import { z } from 'zod';
import type { DurationSpec, WindowSpec } from '../internal/ast.js';
import { type Issues, isRecord, type Path } from './issues.js';

const DAY = 86_400_000;

export const finite = z.number().refine(Number.isFinite);
export const positive = z.number().positive().refine(Number.isFinite);
export const nonNegativeInt = z.number().int().nonnegative();

const DATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** A date value as an interval [start, end] of Unix ms, or null when it is not a date. */
export function parseDateValue(value: unknown): { start: number; end: number } | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? { start: value, end: value } : null;
  }
  if (typeof value !== 'string') return null;
  const m = DATE_RE.exec(value);
  if (m) {
    const year = Number(m[1]);
    if (m[2] === undefined)
      return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) - 1 };
    const month = Number(m[2]);
    if (month < 1 || month > 12) return null;
    if (m[3] === undefined) {
      return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1) - 1 };
    }
    const day = Number(m[3]);
    const start = Date.UTC(year, month - 1, day);
    if (day < 1 || new Date(start).getUTCDate() !== day) return null;
    return { start, end: start + DAY - 1 };
  }
  if (!value.includes('T')) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : { start: ms, end: ms };
}

/** A duration: a number of days or one of `{ days | weeks | months: n }`. */
export function parseDuration(value: unknown, path: Path, issues: Issues): DurationSpec | null {
  if (typeof value === 'number') {
    if (positive.safeParse(value).success) return { unit: 'days', n: value };
    issues.add(path, 'expected a positive number of days');
    return null;
  }
  if (isRecord(value)) {
    const keys = Object.keys(value);
    const unit = keys[0];
    if (keys.length === 1 && (unit === 'days' || unit === 'weeks' || unit === 'months')) {
      if (positive.safeParse(value[unit]).success) return { unit, n: value[unit] as number };
      issues.add([...path, unit], `expected a positive number of ${unit}`);
      return null;
    }
  }
  issues.add(path, 'expected a positive number of days, or one of { days | weeks | months: n }');
  return null;
}

/** A play-log window: `{ from?, to? }` dates or a duration back from now. */
export function parseWindow(value: unknown, path: Path, issues: Issues): WindowSpec | null {
  if (isRecord(value) && ('from' in value || 'to' in value)) {
    for (const key of Object.keys(value)) {
      if (key !== 'from' && key !== 'to') issues.add([...path, key], 'unknown key (use from, to)');
    }
    const from = value.from === undefined ? null : parseDateValue(value.from);
    const to = value.to === undefined ? null : parseDateValue(value.to);
    if (value.from !== undefined && from === null) issues.add([...path, 'from'], 'expected a date');
    if (value.to !== undefined && to === null) issues.add([...path, 'to'], 'expected a date');
    const lo = from?.start ?? Number.NEGATIVE_INFINITY;
    const hi = to?.end ?? Number.POSITIVE_INFINITY;
    if (lo > hi) issues.add(path, '`from` is after `to`');
    return { kind: 'between', from: lo, to: hi };
  }
  const duration = parseDuration(value, path, issues);
  return duration === null ? null : { kind: 'last', duration };
}
