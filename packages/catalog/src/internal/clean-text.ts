import { CatalogError } from '../errors/catalog-error.js';

/**
 * Text every store can keep. PostgreSQL refuses NUL (U+0000) in text and jsonb, and lone UTF-16
 * surrogates cannot be encoded as UTF-8, so every store (memory included, so all behave alike)
 * treats them the same way:
 * - in names and other free text, each NUL and each lone surrogate becomes U+FFFD (the
 *   replacement character), length kept;
 * - in identifiers (a field named `id`, `…Id`, `…Ids`, or `addedBy`) they are refused with a
 *   {@link CatalogError} (`INVALID_INPUT`) naming the field, since a changed id would name
 *   something else.
 */
export function isStorableText(value: string): boolean {
  return !SUSPECT.test(value) || !UNSTORABLE.test(value);
}

/** NUL or any surrogate (a cheap first test: paired surrogates are fine). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point.
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
/** NUL, a high surrogate not followed by a low one, or a low one not after a high one. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** Replaces NUL and lone surrogates with U+FFFD (returns the same string when there are none). */
export function cleanText(value: string): string {
  if (isStorableText(value)) return value;
  return value.replace(UNSTORABLE_ALL, '\uFFFD');
}

const isIdKey = (key: string) =>
  key === 'id' || key === 'addedBy' || key.endsWith('Id') || key.endsWith('Ids');

/**
 * A copy of `value` with every string made storable (see {@link isStorableText}): the same object
 * when nothing had to change. Throws `INVALID_INPUT` naming the path (`plays[3].trackId`) for an
 * identifier that is not storable.
 */
export function cleanInput<T>(value: T, path: string): T {
  return isClean(value) ? value : (walk(value, path, false) as T);
}

/** Whether every string in `value` is storable (the common case: no copy, no path strings). */
function isClean(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!isClean(item)) return false;
    return true;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) if (!isClean(record[key])) return false;
  return true;
}

function walk(value: unknown, path: string, id: boolean): unknown {
  if (typeof value === 'string') {
    if (isStorableText(value)) return value;
    if (id) {
      throw new CatalogError({
        code: 'INVALID_INPUT',
        message: `Invalid ${path}: an identifier may not hold a NUL character or a lone surrogate`,
      });
    }
    return cleanText(value);
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const next = walk(value[i], `${path}[${i}]`, id);
      if (next !== value[i]) {
        out ??= [...value];
        out[i] = next;
      }
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | null = null;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const v = record[key];
    // Numbers, booleans and null (most fields of a play) need no walk.
    if (typeof v !== 'string' && (typeof v !== 'object' || v === null)) continue;
    const next = walk(v, `${path}.${key}`, isIdKey(key));
    if (next !== v) {
      out ??= { ...record };
      out[key] = next;
    }
  }
  return out ?? value;
}

/** Cleans every item of a list (see {@link cleanInput}), naming items `what[i]`. */
export function cleanList<T>(items: readonly T[], what: string): readonly T[] {
  let out: T[] | null = null;
  for (let i = 0; i < items.length; i++) {
    const next = cleanInput(items[i], `${what}[${i}]`);
    if (next !== items[i]) {
      out ??= [...items];
      out[i] = next as T;
    }
  }
  return out ?? items;
}
