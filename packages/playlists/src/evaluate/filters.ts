import type { Node } from '../internal/ast.js';
import { durationCutoff, type LibraryIndex } from '../library/library-index.js';
import type { TextColumn } from '../library/text-column.js';
import { RULE_FIELDS } from '../rule/fields.js';

/**
 * Narrows ascending track numbers to those that match. A selector may reuse the memory of the
 * array it is given for its answer (it compacts it in place), so a caller that still needs its
 * candidates afterwards passes a copy.
 */
export type Selector = (candidates: Int32Array) => Int32Array;

type FieldNode = Extract<Node, { kind: 'field' }>;

// One loop per comparison, with the column and bound as arguments: a clause narrows its
// candidates without a call per track, and the few loops below serve every clause and rule (they
// are compiled early and stay compiled, where a loop calling each clause's own test function ran
// unoptimised on a fresh index). Each keeps a track when the comparison's outcome differs from
// `negated`, as `negated ? !test(i) : test(i)` would.

/** Keeps tracks with `values[i] > n`. */
export function keepAbove(c: Int32Array, values: Float64Array, n: number, negated: boolean) {
  let k = 0;
  for (let j = 0; j < c.length; j++) {
    const i = c[j]!;
    if (values[i]! > n !== negated) c[k++] = i;
  }
  return c.subarray(0, k);
}

/** Keeps tracks with `values[i] < n`. */
export function keepBelow(c: Int32Array, values: Float64Array, n: number, negated: boolean) {
  let k = 0;
  for (let j = 0; j < c.length; j++) {
    const i = c[j]!;
    if (values[i]! < n !== negated) c[k++] = i;
  }
  return c.subarray(0, k);
}

/** Keeps tracks with `values[i] >= n`. */
export function keepAtLeast(c: Int32Array, values: Float64Array, n: number, negated: boolean) {
  let k = 0;
  for (let j = 0; j < c.length; j++) {
    const i = c[j]!;
    if (values[i]! >= n !== negated) c[k++] = i;
  }
  return c.subarray(0, k);
}

/** Keeps tracks with `values[i] === n`. */
export function keepEqual(c: Int32Array, values: Float64Array, n: number, negated: boolean) {
  let k = 0;
  for (let j = 0; j < c.length; j++) {
    const i = c[j]!;
    if ((values[i] === n) !== negated) c[k++] = i;
  }
  return c.subarray(0, k);
}

/** Keeps tracks with `starts[i] >= lo && ends[i] <= hi` (one column for both for numbers). */
export function keepBetween(
  c: Int32Array,
  starts: Float64Array,
  ends: Float64Array,
  lo: number,
  hi: number,
  negated: boolean,
) {
  let k = 0;
  for (let j = 0; j < c.length; j++) {
    const i = c[j]!;
    if ((starts[i]! >= lo && ends[i]! <= hi) !== negated) c[k++] = i;
  }
  return c.subarray(0, k);
}

/** Keeps tracks whose mask shares a bit with `mask`. */
export function keepMask(c: Int32Array, values: Int32Array, mask: number, negated: boolean) {
  let k = 0;
  for (let j = 0; j < c.length; j++) {
    const i = c[j]!;
    if (((values[i]! & mask) !== 0) !== negated) c[k++] = i;
  }
  return c.subarray(0, k);
}

/** Keeps tracks flagged 1 in `flags` (members of a set, tracks hit by a branch). */
export function keepFlagged(c: Int32Array, flags: Uint8Array, negated: boolean) {
  let k = 0;
  for (let j = 0; j < c.length; j++) {
    const i = c[j]!;
    if ((flags[i] === 1) !== negated) c[k++] = i;
  }
  return c.subarray(0, k);
}

/**
 * Keeps tracks with a value that passes `test`: the test runs on the values of the first track of
 * each code met, and its verdict (`verdicts[code]`: 0 not tested yet, 1 passed, 2 failed) serves
 * every other track with that code.
 */
export function keepText(
  c: Int32Array,
  column: TextColumn,
  verdicts: Uint8Array,
  test: (value: string) => boolean,
  negated: boolean,
) {
  const codes = column.codes;
  let k = 0;
  for (let j = 0; j < c.length; j++) {
    const i = c[j]!;
    const code = codes[i]!;
    let verdict = verdicts[code]!;
    if (verdict === 0) {
      verdict = anyPasses(column.get(i), test) ? 1 : 2;
      verdicts[code] = verdict;
    }
    if ((verdict === 1) !== negated) c[k++] = i;
  }
  return c.subarray(0, k);
}

/** True when one of `values` passes `test`. */
function anyPasses(values: readonly string[], test: (value: string) => boolean): boolean {
  for (let k = 0; k < values.length; k++) if (test(values[k]!)) return true;
  return false;
}

/** Keeps every candidate (`negated`) or none. */
const keepNone =
  (negated: boolean): Selector =>
  (c) =>
    negated ? c : c.subarray(0, 0);

/**
 * The selector of a numeric, boolean, date, hour or weekday clause, its columns built now (as
 * `compileNode` builds them); null for a text clause, which tests its candidates one by one.
 */
export function fieldSelector(node: FieldNode, index: LibraryIndex): Selector | null {
  const operand = node.operand;
  const negated = node.negated;
  switch (RULE_FIELDS[node.field].type) {
    case 'number':
    case 'boolean': {
      const values = index.numbers(node.field, node.window);
      if (operand.t === 'range') {
        const { lo, hi } = operand;
        return (c) => keepBetween(c, values, values, lo, hi, negated);
      }
      const n =
        operand.t === 'num' ? operand.n : operand.t === 'bool' ? (operand.b ? 1 : 0) : Number.NaN;
      if (node.base === 'gt') return (c) => keepAbove(c, values, n, negated);
      if (node.base === 'lt') return (c) => keepBelow(c, values, n, negated);
      return (c) => keepEqual(c, values, n, negated);
    }
    case 'date': {
      const starts = index.numbers(node.field, node.window);
      const ends = index.dateEnds(node.field, node.window);
      if (operand.t === 'duration') {
        const cutoff = durationCutoff(index.now, operand.d);
        return (c) => keepAtLeast(c, starts, cutoff, negated);
      }
      if (operand.t === 'range') {
        const { lo, hi } = operand;
        return (c) => keepBetween(c, starts, ends, lo, hi, negated);
      }
      if (operand.t === 'interval') {
        const { start, end } = operand;
        if (node.base === 'before') return (c) => keepBelow(c, ends, start, negated);
        if (node.base === 'after') return (c) => keepAbove(c, starts, end, negated);
        return (c) => keepBetween(c, starts, ends, start, end, negated);
      }
      return keepNone(negated);
    }
    case 'hours':
    case 'weekdays': {
      const masks = index.masks(node.window);
      const values = RULE_FIELDS[node.field].type === 'hours' ? masks.hours : masks.weekdays;
      const mask = operand.t === 'mask' ? operand.mask : 0;
      return (c) => keepMask(c, values, mask, negated);
    }
    default:
      return null;
  }
}
