import { z } from 'zod';
import { PlaylistsError, type RuleIssue } from '../errors/playlists-error.js';
import type {
  DurationSpec,
  Node,
  Operand,
  RulePlan,
  SortSpec,
  WindowSpec,
} from '../internal/ast.js';
import {
  FIELD_OPERATORS,
  type FieldInfo,
  type FieldName,
  type FieldOperator,
  isFieldName,
  NEGATED_OPERATORS,
  OPERATORS_BY_TYPE,
  RULE_FIELDS,
  SET_OPERATORS,
  type SetOperator,
} from './fields.js';
import { matchText } from '../library/match-text.js';
import type { Rule } from './rule.js';
import { compileSafePattern } from './safe-regex.js';

type Path = readonly (string | number)[];

/** Formats a path the way issues show it: `all[2].inTheLast`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** Issues listed in full; beyond them a rule's mistakes are only counted. */
const MAX_ISSUES = 100;

class Issues {
  readonly #list: RuleIssue[] = [];
  #more = 0;
  add(path: Path, message: string): void {
    if (this.#list.length < MAX_ISSUES) this.#list.push({ path: formatPath(path), message });
    else this.#more += 1;
  }
  /** The issues found: the first {@link MAX_ISSUES}, then one saying how many more there were. */
  get list(): RuleIssue[] {
    return this.#more === 0
      ? this.#list
      : [...this.#list, { path: '', message: `${this.#more} more issues not listed` }];
  }
}

const DAY = 86_400_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const RULE_KEYS = new Set([
  'name',
  'description',
  'match',
  'all',
  'any',
  'sort',
  'order',
  'seed',
  'separateArtists',
  'dedupe',
  'offset',
  'limit',
]);

const finite = z.number().refine(Number.isFinite);
const positive = z.number().positive().refine(Number.isFinite);
const nonNegativeInt = z.number().int().nonnegative();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

function parseDuration(value: unknown, path: Path, issues: Issues): DurationSpec | null {
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

function parseWindow(value: unknown, path: Path, issues: Issues): WindowSpec | null {
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

function typeLabel(info: FieldInfo): string {
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

function parseOperand(
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
  if (op === 'inTheRange') {
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

function parseRef(value: unknown, path: Path, issues: Issues): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (isRecord(value) && typeof value.id === 'string' && value.id !== '') return value.id;
  issues.add(path, 'expected an id (a non-empty string or { "id": "..." })');
  return null;
}

function parseCondition(
  input: unknown,
  path: Path,
  issues: Issues,
  refs: Set<string>,
  depth: number,
): Node | null {
  const here = formatPath(path);
  if (depth > 64) {
    issues.add(path, 'conditions are nested too deeply (at most 64 levels)');
    return null;
  }
  if (!isRecord(input)) {
    issues.add(path, 'expected a condition object such as { "is": { "saved": true } }');
    return null;
  }
  const keys = Object.keys(input);
  if (keys.length === 0) {
    issues.add(path, 'empty condition: expected an operator such as all, any, not, is, gt');
    return null;
  }
  const first = keys[0]!;
  if (
    first === 'all' ||
    first === 'any' ||
    first === 'not' ||
    keys.includes('all') ||
    keys.includes('any') ||
    keys.includes('not')
  ) {
    const group = keys.find((k) => k === 'all' || k === 'any' || k === 'not')!;
    if (keys.length > 1) {
      issues.add(
        path,
        `"${group}" must be the only key of its condition (found ${keys.join(', ')})`,
      );
      return null;
    }
    if (group === 'not') {
      const item = parseCondition(input.not, [...path, 'not'], issues, refs, depth + 1);
      return item === null ? null : { kind: 'not', path: here, item };
    }
    const list = input[group];
    if (!Array.isArray(list)) {
      issues.add([...path, group], 'expected a list of conditions');
      return null;
    }
    const items: Node[] = [];
    list.forEach((child, i) => {
      const node = parseCondition(child, [...path, group, i], issues, refs, depth + 1);
      if (node !== null) items.push(node);
    });
    return items.length === list.length ? { kind: group, path: here, items } : null;
  }
  const setOp = keys.find((k) => (SET_OPERATORS as readonly string[]).includes(k)) as
    | SetOperator
    | undefined;
  if (setOp !== undefined) {
    if (keys.length > 1) {
      issues.add(path, `"${setOp}" must be the only key of its condition`);
      return null;
    }
    const ref = parseRef(input[setOp], [...path, setOp], issues);
    if (ref === null) return null;
    const target = setOp === 'inRule' || setOp === 'notInRule' ? 'rule' : 'playlist';
    if (target === 'rule') refs.add(ref);
    return {
      kind: 'set',
      path: formatPath([...path, setOp]),
      op: setOp,
      target,
      negated: setOp.startsWith('not'),
      ref,
    };
  }
  const ops = keys.filter((k) => k !== 'window');
  for (const key of ops) {
    if (!(FIELD_OPERATORS as readonly string[]).includes(key)) {
      issues.add([...path, key], `unknown operator "${key}"`);
      return null;
    }
  }
  if (ops.length !== 1) {
    issues.add(
      path,
      ops.length === 0
        ? '"window" needs an operator beside it'
        : `one operator per condition (found ${ops.join(', ')}); combine them with all/any`,
    );
    return null;
  }
  const op = ops[0] as FieldOperator;
  const body = input[op];
  if (!isRecord(body) || Object.keys(body).length !== 1) {
    issues.add(
      [...path, op],
      `expected exactly one field, e.g. { "${op}": { "playCount": 3 } }; combine fields with all/any`,
    );
    return null;
  }
  const name = Object.keys(body)[0]!;
  const opPath = [...path, op];
  if (!isFieldName(name)) {
    issues.add([...opPath, name], `unknown field "${name}"`);
    return null;
  }
  const info: FieldInfo = RULE_FIELDS[name];
  const allowed = OPERATORS_BY_TYPE[info.type];
  if (!allowed.includes(op)) {
    issues.add(
      opPath,
      `"${op}" does not apply to ${typeLabel(info)} field "${name}" (use ${allowed.join(', ')})`,
    );
    return null;
  }
  let window: WindowSpec | null = null;
  if (input.window !== undefined) {
    if (!info.windowed) {
      issues.add([...path, 'window'], `"window" applies only to play-log fields, not "${name}"`);
      return null;
    }
    window = parseWindow(input.window, [...path, 'window'], issues);
    if (window === null) return null;
  }
  const operand = parseOperand(op, name, info, body[name], opPath, issues);
  if (operand === null) return null;
  const negatedOf = NEGATED_OPERATORS[op];
  return {
    kind: 'field',
    path: formatPath(opPath),
    op,
    base: negatedOf ?? op,
    negated: negatedOf !== undefined,
    field: name,
    operand,
    window,
  };
}

function parseSortString(
  text: string,
  order: 'asc' | 'desc',
  seed: number,
  issues: Issues,
): SortSpec[] {
  const out: SortSpec[] = [];
  for (const [i, raw] of text.split(',').entries()) {
    const part = raw.trim();
    if (part === '') continue;
    const m = /^([+-]?)([A-Za-z]+)(?:\s+(asc|desc))?$/.exec(part);
    if (!m) {
      const shown = part.length > 40 ? `${part.slice(0, 37)}...` : part;
      issues.add(['sort'], `cannot read sort key ${i + 1} "${shown}" (e.g. "-playCount, title")`);
      continue;
    }
    const [, sign, name, dir] = m;
    if (name === 'random') {
      out.push({ kind: 'random', seed });
      continue;
    }
    if (!isFieldName(name!) || !RULE_FIELDS[name].sortable) {
      issues.add(['sort'], `cannot sort by "${name}"`);
      continue;
    }
    const desc =
      sign === '-' ? true : sign === '+' ? false : dir ? dir === 'desc' : order === 'desc';
    out.push({ kind: 'field', field: name, desc, window: null });
  }
  return out;
}

/** Most sort keys a rule may have (each key costs a number per candidate). */
const MAX_SORT_KEYS = 16;

function tooManySortKeys(count: number, issues: Issues): void {
  issues.add(['sort'], `too many sort keys (${count}, at most ${MAX_SORT_KEYS})`);
}

function parseSort(input: Record<string, unknown>, issues: Issues): SortSpec[] {
  const sort = input.sort;
  const order = input.order === 'desc' ? 'desc' : 'asc';
  if (input.order !== undefined && input.order !== 'asc' && input.order !== 'desc') {
    issues.add(['order'], 'expected "asc" or "desc"');
  }
  const seed = typeof input.seed === 'number' ? input.seed : 0;
  if (input.seed !== undefined && !z.number().int().safeParse(input.seed).success) {
    issues.add(['seed'], 'expected an integer');
  }
  if (sort === undefined) return [];
  if (typeof sort === 'string') {
    const keys = parseSortString(sort, order, seed, issues);
    if (keys.length > MAX_SORT_KEYS) tooManySortKeys(keys.length, issues);
    return keys;
  }
  if (!Array.isArray(sort)) {
    issues.add(['sort'], 'expected a list of sort keys or a string such as "-playCount, title"');
    return [];
  }
  if (sort.length > MAX_SORT_KEYS) {
    tooManySortKeys(sort.length, issues);
    return [];
  }
  const out: SortSpec[] = [];
  sort.forEach((key, i) => {
    const path = ['sort', i];
    if (!isRecord(key) || typeof key.by !== 'string') {
      issues.add(path, 'expected { "by": field, "order"?: "asc" | "desc" }');
      return;
    }
    for (const k of Object.keys(key)) {
      if (!['by', 'order', 'window', 'seed'].includes(k)) issues.add([...path, k], 'unknown key');
    }
    if (key.order !== undefined && key.order !== 'asc' && key.order !== 'desc') {
      issues.add([...path, 'order'], 'expected "asc" or "desc"');
    }
    if (key.by === 'random') {
      if (key.seed !== undefined && !z.number().int().safeParse(key.seed).success) {
        issues.add([...path, 'seed'], 'expected an integer');
      }
      out.push({ kind: 'random', seed: typeof key.seed === 'number' ? key.seed : seed });
      return;
    }
    if (!isFieldName(key.by)) {
      issues.add([...path, 'by'], `unknown field "${key.by}"`);
      return;
    }
    const info: FieldInfo = RULE_FIELDS[key.by];
    if (!info.sortable) {
      issues.add([...path, 'by'], `cannot sort by "${key.by}"`);
      return;
    }
    let window: WindowSpec | null = null;
    if (key.window !== undefined) {
      if (!info.windowed) {
        issues.add([...path, 'window'], `"window" applies only to play-log fields`);
        return;
      }
      window = parseWindow(key.window, [...path, 'window'], issues);
    }
    out.push({ kind: 'field', field: key.by, desc: key.order === 'desc', window });
  });
  return out;
}

function parseLimit(value: unknown, issues: Issues): RulePlan['limit'] {
  if (value === undefined) return null;
  if (typeof value === 'number') {
    if (nonNegativeInt.safeParse(value).success) return { kind: 'items', n: value };
    issues.add(['limit'], 'expected a whole number of items (>= 0)');
    return null;
  }
  if (isRecord(value) && Object.keys(value).length === 1) {
    const [key] = Object.keys(value);
    const n = value[key!];
    if (key === 'items') {
      if (nonNegativeInt.safeParse(n).success) return { kind: 'items', n: n as number };
      issues.add(['limit', 'items'], 'expected a whole number of items (>= 0)');
      return null;
    }
    if (key === 'minutes' || key === 'hours') {
      if (positive.safeParse(n).success) {
        return { kind: 'ms', n: (n as number) * (key === 'hours' ? 3_600_000 : 60_000) };
      }
      issues.add(['limit', key], `expected a positive number of ${key}`);
      return null;
    }
  }
  issues.add(['limit'], 'expected a number of items or one of { items | minutes | hours: n }');
  return null;
}

function normalize(input: unknown): { plan: RulePlan | null; issues: RuleIssue[] } {
  const issues = new Issues();
  if (!isRecord(input)) {
    issues.add([], 'expected a rule object');
    return { plan: null, issues: issues.list };
  }
  for (const key of Object.keys(input)) {
    if (!RULE_KEYS.has(key)) {
      const hint = (FIELD_OPERATORS as readonly string[]).includes(key)
        ? ` (put conditions in "match", "all" or "any")`
        : '';
      issues.add([key], `unknown rule key "${key}"${hint}`);
    }
  }
  for (const key of ['name', 'description'] as const) {
    if (input[key] !== undefined && typeof input[key] !== 'string')
      issues.add([key], 'expected text');
  }
  const refs = new Set<string>();
  const groups = ['match', 'all', 'any'].filter((k) => input[k] !== undefined);
  let match: Node | null = { kind: 'true', path: '' };
  if (groups.length > 1) {
    issues.add([], `use one of match, all, any (found ${groups.join(', ')})`);
    match = null;
  } else if (input.match !== undefined) {
    match = parseCondition(input.match, ['match'], issues, refs, 0);
  } else if (input.all !== undefined || input.any !== undefined) {
    const key = input.all !== undefined ? 'all' : 'any';
    match = parseCondition({ [key]: input[key] }, [], issues, refs, 0);
  }
  const sort = parseSort(input, issues);
  if (input.separateArtists !== undefined && typeof input.separateArtists !== 'boolean') {
    issues.add(['separateArtists'], 'expected true or false');
  }
  if (input.dedupe !== undefined && input.dedupe !== 'track' && input.dedupe !== 'isrc') {
    issues.add(['dedupe'], 'expected "track" or "isrc"');
  }
  if (input.offset !== undefined && !nonNegativeInt.safeParse(input.offset).success) {
    issues.add(['offset'], 'expected a whole number (>= 0)');
  }
  const limit = parseLimit(input.limit, issues);
  if (issues.list.length > 0 || match === null) return { plan: null, issues: issues.list };
  return {
    plan: {
      match,
      sort,
      separateArtists: input.separateArtists === true,
      dedupe: input.dedupe === 'isrc' ? 'isrc' : 'track',
      offset: typeof input.offset === 'number' ? input.offset : 0,
      limit,
      ruleRefs: [...refs],
    },
    issues: [],
  };
}

function invalid(issues: readonly RuleIssue[]): PlaylistsError {
  const text = issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`));
  return new PlaylistsError({
    code: 'INVALID_RULE',
    message: `Invalid rule: ${text.join('; ')}`,
    issues,
  });
}

const planCache = new WeakMap<object, RulePlan>();

/** Validates and normalises a rule (cached per rule object). Throws `INVALID_RULE`. */
export function compileRulePlan(rule: unknown): RulePlan {
  if (typeof rule === 'object' && rule !== null) {
    const cached = planCache.get(rule);
    if (cached) return cached;
  }
  const { plan, issues } = normalize(rule);
  if (plan === null) throw invalid(issues);
  if (typeof rule === 'object' && rule !== null) planCache.set(rule, plan);
  return plan;
}

/**
 * zod schema of a {@link Rule}: checks the whole language (fields, operators, values, windows,
 * sort, limits) and reports each mistake at its path (`all[2].inTheLast`).
 *
 * @example
 * ```ts
 * import { ruleSchema } from '@spoti/playlists';
 * const checked = ruleSchema.safeParse({ all: [{ gt: { playCount: 'many' } }] });
 * if (!checked.success) console.log(checked.error.issues[0]?.path); // ['all', 0, 'gt']
 * ```
 */
export const ruleSchema: z.ZodType<Rule> = z.unknown().transform((input, ctx) => {
  const { issues } = normalize(input);
  for (const issue of issues) {
    ctx.issues.push({
      code: 'custom',
      message: issue.message,
      input,
      path: pathParts(issue.path),
    });
  }
  return input as Rule;
});

function pathParts(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/**
 * Validates a rule and returns it typed. Throws a `PlaylistsError` with code `INVALID_RULE` whose
 * `issues` give the path of every mistake (`all[2].inTheLast: expected a positive number of days`).
 *
 * @example
 * ```ts
 * import { parseRule } from '@spoti/playlists';
 * const rule = parseRule(JSON.parse('{"all":[{"is":{"saved":true}},{"is":{"playCount":0}}]}'));
 * ```
 */
export function parseRule(input: unknown): Rule {
  compileRulePlan(input);
  return input as Rule;
}

/**
 * Validates a rule without throwing: `{ success: true, rule }` or `{ success: false, issues }`.
 *
 * @example
 * ```ts
 * import { safeParseRule } from '@spoti/playlists';
 * const result = safeParseRule({ any: [{ inTheLast: { lastPlayed: 0 } }] });
 * if (!result.success) console.log(result.issues[0]); // { path: 'any[0].inTheLast', message: ... }
 * ```
 */
export function safeParseRule(
  input: unknown,
): { success: true; rule: Rule } | { success: false; issues: readonly RuleIssue[] } {
  const { plan, issues } = normalize(input);
  return plan === null ? { success: false, issues } : { success: true, rule: input as Rule };
}
