import { z } from 'zod';
import { PlaylistsError, type RuleIssue } from '../errors/playlists-error.js';
import type { Node, RulePlan } from '../internal/ast.js';
import { FIELD_OPERATORS } from './fields.js';
import { Issues, isRecord } from './issues.js';
import { parseCondition } from './parse-condition.js';
import { parseSort } from './parse-sort.js';
import { nonNegativeInt, positive } from './parse-values.js';
import type { Rule } from './rule.js';

export { formatPath } from './issues.js';
export { parseDateValue } from './parse-values.js';

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
