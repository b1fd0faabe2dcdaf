import { z } from 'zod';
import type { SortSpec, WindowSpec } from '../internal/ast.js';
import { type FieldInfo, isFieldName, RULE_FIELDS } from './fields.js';
import { type Issues, isRecord } from './issues.js';
import { parseWindow } from './parse-values.js';

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

/** The sort keys of a rule (`sort`, `order`, `seed`). */
export function parseSort(input: Record<string, unknown>, issues: Issues): SortSpec[] {
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
