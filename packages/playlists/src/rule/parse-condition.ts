import type { Node, WindowSpec } from '../internal/ast.js';
import {
  FIELD_OPERATORS,
  type FieldInfo,
  type FieldOperator,
  isFieldName,
  NEGATED_OPERATORS,
  OPERATORS_BY_TYPE,
  RULE_FIELDS,
  SET_OPERATORS,
  type SetOperator,
} from './fields.js';
import { formatPath, type Issues, isRecord, type Path } from './issues.js';
import { parseOperand, typeLabel } from './parse-operand.js';
import { parseWindow } from './parse-values.js';

function parseRef(value: unknown, path: Path, issues: Issues): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (isRecord(value) && typeof value.id === 'string' && value.id !== '') return value.id;
  issues.add(path, 'expected an id (a non-empty string or { "id": "..." })');
  return null;
}

/** A condition of a rule (a group, a set test or a field test), or null after an issue. */
export function parseCondition(
  input: unknown,
  path: Path,
  issues: Issues,
  refs: Set<string>,
  depth: number,
): Node | null {
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
  const group = keys.find((k) => k === 'all' || k === 'any' || k === 'not');
  if (group !== undefined) return parseGroup(input, keys, group, path, issues, refs, depth);
  const setOp = keys.find((k) => (SET_OPERATORS as readonly string[]).includes(k)) as
    | SetOperator
    | undefined;
  if (setOp !== undefined) return parseSetCondition(input, keys, setOp, path, issues, refs);
  return parseFieldCondition(input, keys, path, issues);
}

/** `all`, `any` (lists of conditions) or `not` (one condition): the only key of its object. */
function parseGroup(
  input: Record<string, unknown>,
  keys: readonly string[],
  group: 'all' | 'any' | 'not',
  path: Path,
  issues: Issues,
  refs: Set<string>,
  depth: number,
): Node | null {
  const here = formatPath(path);
  if (keys.length > 1) {
    issues.add(path, `"${group}" must be the only key of its condition (found ${keys.join(', ')})`);
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

/** Membership of another rule's result or of a playlist (`inRule`, `notInPlaylist`, ...). */
function parseSetCondition(
  input: Record<string, unknown>,
  keys: readonly string[],
  setOp: SetOperator,
  path: Path,
  issues: Issues,
  refs: Set<string>,
): Node | null {
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

/** The one field operator of a condition, or null after an issue. */
function fieldOperatorOf(
  keys: readonly string[],
  path: Path,
  issues: Issues,
): FieldOperator | null {
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
  return ops[0] as FieldOperator;
}

/** A test of one field (`{ gt: { playCount: 3 }, window?: ... }`). */
function parseFieldCondition(
  input: Record<string, unknown>,
  keys: readonly string[],
  path: Path,
  issues: Issues,
): Node | null {
  const op = fieldOperatorOf(keys, path, issues);
  if (op === null) return null;
  const body = input[op];
  if (!isRecord(body) || Object.keys(body).length !== 1) {
    issues.add(
      [...path, op],
      `expected exactly one field, e.g. { "${op}": { "playCount": 3 } }; combine fields with all/any`,
    );
    return null;
  }
  const name = Object.keys(body)[0] as string;
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
