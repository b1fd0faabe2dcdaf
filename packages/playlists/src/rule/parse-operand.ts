import type { Operand } from '../internal/ast.js';
import { matchText } from '../library/match-text.js';
import type { FieldInfo, FieldName, FieldOperator } from './fields.js';
import type { Issues, Path } from './issues.js';
import { finite, parseDateValue, parseDuration } from './parse-values.js';
import { compileSafePattern } from './safe-regex.js';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** How issues name a field type. */
export function typeLabel(info: FieldInfo): string {
  switch (info.type) {
    case 'string':
      return 'text';
    case 'hours':
      return 'hour';
    case 'weekdays':
      return 'weekday';
    default:
      return info.type;
  }
}

function smallInt(info: FieldInfo, value: unknown): number | null {
  if (info.type === 'weekdays' && typeof value === 'string') {
    const index = WEEKDAYS.indexOf(value.slice(0, 3).toLowerCase());
    return index < 0 ? null : index;
  }
  const max = info.type === 'hours' ? 23 : 6;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max
    ? value
    : null;
}

/** Bit mask of the values from..to inclusive, wrapping around (22..5 = night). */
function rangeMask(from: number, to: number, size: number): number {
  let mask = 0;
  for (let v = from; ; v = (v + 1) % size) {
    mask |= 1 << v;
    if (v === to) break;
  }
  return mask;
}

/** The value of a field condition, checked against its operator and field type. */
export function parseOperand(
  op: FieldOperator,
  name: FieldName,
  info: FieldInfo,
  value: unknown,
  path: Path,
  issues: Issues,
): Operand | null {
  const fail = (message: string): null => {
    issues.add(path, message);
    return null;
  };
  if (op === 'inTheRange') return parseRangeOperand(info, value, fail);
  switch (info.type) {
    case 'string': {
      if (typeof value !== 'string') return fail('expected text');
      if (op === 'matches') {
        const pattern = compileSafePattern(value);
        return typeof pattern === 'string'
          ? fail(pattern)
          : { t: 'regex', re: pattern, raw: value };
      }
      if (value === '' && op !== 'is' && op !== 'isNot') return fail('expected non-empty text');
      const exact = name === 'trackId' || name === 'albumId' || name === 'artistId';
      return { t: 'text', text: exact ? value : matchText(value), raw: value };
    }
    case 'number':
      return finite.safeParse(value).success
        ? { t: 'num', n: value as number }
        : fail('expected a number');
    case 'boolean':
      return typeof value === 'boolean' ? { t: 'bool', b: value } : fail('expected true or false');
    case 'hours':
    case 'weekdays': {
      const v = smallInt(info, value);
      if (v === null) {
        return fail(
          info.type === 'hours' ? 'expected an hour 0..23' : 'expected a weekday 0..6 or mon..sun',
        );
      }
      const size = info.type === 'hours' ? 24 : 7;
      const all = (1 << size) - 1;
      const raw = JSON.stringify(value);
      if (op === 'gt') return { t: 'mask', mask: all & ~((1 << (v + 1)) - 1), raw };
      if (op === 'lt') return { t: 'mask', mask: (1 << v) - 1, raw };
      return { t: 'mask', mask: 1 << v, raw };
    }
    case 'date': {
      if (op === 'inTheLast' || op === 'notInTheLast') {
        const d = parseDuration(value, path, issues);
        return d === null ? null : { t: 'duration', d };
      }
      const interval = parseDateValue(value);
      if (interval === null) {
        return fail('expected a date ("YYYY", "YYYY-MM", "YYYY-MM-DD", an ISO instant or Unix ms)');
      }
      return { t: 'interval', ...interval, raw: String(value) };
    }
  }
}

/** The `[from, to]` of `inTheRange` (hours and weekdays wrap around; null is an open end). */
function parseRangeOperand(
  info: FieldInfo,
  value: unknown,
  fail: (message: string) => null,
): Operand | null {
  if (!Array.isArray(value) || value.length !== 2) {
    return fail('expected [from, to] (use null for an open end)');
  }
  if (info.type === 'hours' || info.type === 'weekdays') {
    const a = smallInt(info, value[0]);
    const b = smallInt(info, value[1]);
    if (a === null || b === null) return fail(`expected two ${typeLabel(info)}s`);
    return {
      t: 'mask',
      mask: rangeMask(a, b, info.type === 'hours' ? 24 : 7),
      raw: JSON.stringify(value),
    };
  }
  if (info.type === 'number') {
    const [a, b] = value as unknown[];
    const okA = a === null || finite.safeParse(a).success;
    const okB = b === null || finite.safeParse(b).success;
    if (!okA || !okB) return fail('expected [from, to] numbers (null for an open end)');
    const lo = a === null ? Number.NEGATIVE_INFINITY : (a as number);
    const hi = b === null ? Number.POSITIVE_INFINITY : (b as number);
    if (lo > hi) return fail('expected from <= to');
    return { t: 'range', lo, hi };
  }
  // date
  const [a, b] = value as unknown[];
  const from = a === null ? null : parseDateValue(a);
  const to = b === null ? null : parseDateValue(b);
  if ((a !== null && from === null) || (b !== null && to === null)) {
    return fail('expected [from, to] dates (null for an open end)');
  }
  const lo = from?.start ?? Number.NEGATIVE_INFINITY;
  const hi = to?.end ?? Number.POSITIVE_INFINITY;
  if (lo > hi) return fail('expected from <= to');
  return { t: 'range', lo, hi };
}
