import { PlaylistsError } from '../errors/playlists-error.js';
import type { Node, Operand } from '../internal/ast.js';
import { durationCutoff, type LibraryIndex } from '../library/library-index.js';
import { type FieldName, RULE_FIELDS } from '../rule/fields.js';
import { fieldSelector, keepFlagged, keepText, type Selector } from './filters.js';

export type { Selector } from './filters.js';

/** A compiled condition: true when the track with this internal number matches. */
export type Predicate = (i: number) => boolean;

/** Resolves `inRule` references to the membership of the other rule's result. */
export interface SetResolver {
  rule(slug: string): Uint8Array;
}

function textTest(node: Extract<Node, { kind: 'field' }>): (value: string) => boolean {
  const operand = node.operand;
  if (operand.t === 'regex') return (v) => operand.re.test(v);
  const text = operand.t === 'text' ? operand.text : '';
  switch (node.base) {
    case 'is':
      return (v) => v === text;
    case 'contains':
      return (v) => v.includes(text);
    case 'startsWith':
      return (v) => v.startsWith(text);
    case 'endsWith':
      return (v) => v.endsWith(text);
    default:
      return () => false;
  }
}

function compileField(node: Extract<Node, { kind: 'field' }>, index: LibraryIndex): Predicate {
  const info = RULE_FIELDS[node.field];
  const operand: Operand = node.operand;
  let positive: Predicate;
  switch (info.type) {
    case 'string': {
      const values = index.texts(node.field, operand.t !== 'regex');
      const test = textTest(node);
      positive = (i) => {
        const list = values.get(i);
        for (let k = 0; k < list.length; k++) if (test(list[k]!)) return true;
        return false;
      };
      break;
    }
    case 'number':
    case 'boolean': {
      const values = index.numbers(node.field, node.window);
      if (operand.t === 'range') {
        const { lo, hi } = operand;
        positive = (i) => values[i]! >= lo && values[i]! <= hi;
      } else {
        const n =
          operand.t === 'num' ? operand.n : operand.t === 'bool' ? (operand.b ? 1 : 0) : Number.NaN;
        positive =
          node.base === 'gt'
            ? (i) => values[i]! > n
            : node.base === 'lt'
              ? (i) => values[i]! < n
              : (i) => values[i] === n;
      }
      break;
    }
    case 'date': {
      const starts = index.numbers(node.field, node.window);
      const ends = index.dateEnds(node.field, node.window);
      if (operand.t === 'duration') {
        const cutoff = durationCutoff(index.now, operand.d);
        positive = (i) => starts[i]! >= cutoff;
      } else if (operand.t === 'range') {
        const { lo, hi } = operand;
        positive = (i) => starts[i]! >= lo && ends[i]! <= hi;
      } else if (operand.t === 'interval') {
        const { start, end } = operand;
        positive =
          node.base === 'before'
            ? (i) => ends[i]! < start
            : node.base === 'after'
              ? (i) => starts[i]! > end
              : (i) => starts[i]! >= start && ends[i]! <= end;
      } else positive = () => false;
      break;
    }
    case 'hours':
    case 'weekdays': {
      const masks = index.masks(node.window);
      const values = info.type === 'hours' ? masks.hours : masks.weekdays;
      const mask = operand.t === 'mask' ? operand.mask : 0;
      positive = (i) => (values[i]! & mask) !== 0;
      break;
    }
  }
  return node.negated ? (i) => !positive(i) : positive;
}

/** Compiles a condition tree into one predicate over track numbers. */
export function compileNode(node: Node, index: LibraryIndex, sets: SetResolver): Predicate {
  switch (node.kind) {
    case 'true':
      return () => true;
    case 'not': {
      const inner = compileNode(node.item, index, sets);
      return (i) => !inner(i);
    }
    case 'all':
    case 'any': {
      const parts = node.items.map((item) => compileNode(item, index, sets));
      if (parts.length === 1) return parts[0]!;
      if (node.kind === 'all') {
        return (i) => {
          for (let k = 0; k < parts.length; k++) if (!parts[k]!(i)) return false;
          return true;
        };
      }
      return (i) => {
        for (let k = 0; k < parts.length; k++) if (parts[k]!(i)) return true;
        return false;
      };
    }
    case 'set': {
      const members = setMembers(node, index, sets);
      return node.negated ? (i) => members[i] !== 1 : (i) => members[i] === 1;
    }
    case 'field':
      return compileField(node, index);
  }
}

/** The members of the playlist or rule a set clause names, as a flag per track. */
function setMembers(
  node: Extract<Node, { kind: 'set' }>,
  index: LibraryIndex,
  sets: SetResolver,
): Uint8Array {
  if (node.target === 'rule') return sets.rule(node.ref);
  const found = index.playlists.get(node.ref);
  if (found === undefined) {
    throw new PlaylistsError({
      code: 'INVALID_OPTIONS',
      message: `${node.path}: playlist "${node.ref}" is not in the library's playlists`,
      issues: [{ path: node.path, message: `unknown playlist "${node.ref}"` }],
    });
  }
  return found;
}

function mark(hit: Uint8Array, selected: Int32Array): void {
  for (let k = 0; k < selected.length; k++) hit[selected[k]!] = 1;
}

/**
 * Compiles a condition tree into a selector that evaluates it clause by clause over the
 * candidates still in play: each clause of an `all` only sees the tracks the clauses before it
 * kept, each branch of an `any` only those no earlier branch took. Every leaf is compiled up
 * front (its columns built, its references resolved, its errors thrown), exactly as
 * {@link compileNode} does; only the per-track tests are skipped, so the selection equals
 * filtering every track with `compileNode(node)`.
 */
export function compileSelector(node: Node, index: LibraryIndex, sets: SetResolver): Selector {
  switch (node.kind) {
    case 'true':
      return (candidates) => candidates;
    case 'not': {
      const inner = compileSelector(node.item, index, sets);
      return (candidates) => {
        const hit = new Uint8Array(index.size);
        mark(hit, inner(candidates.slice()));
        return keepFlagged(candidates, hit, true);
      };
    }
    case 'all': {
      const parts = node.items.map((item) => compileSelector(item, index, sets));
      return (candidates) => {
        let left = candidates;
        for (let k = 0; k < parts.length && left.length > 0; k++) left = parts[k]!(left);
        return left;
      };
    }
    case 'any': {
      const parts = node.items.map((item) => compileSelector(item, index, sets));
      return (candidates) => {
        const hit = new Uint8Array(index.size);
        let open: Int32Array = candidates.slice();
        const scratch = new Int32Array(open.length);
        for (let k = 0; k < parts.length && open.length > 0; k++) {
          const copy = scratch.subarray(0, open.length);
          copy.set(open);
          mark(hit, parts[k]!(copy));
          open = keepFlagged(open, hit, true);
        }
        return keepFlagged(candidates, hit, false);
      };
    }
    case 'set': {
      const members = setMembers(node, index, sets);
      const negated = node.negated;
      return (candidates) => keepFlagged(candidates, members, negated);
    }
    case 'field': {
      const selector = fieldSelector(node, index);
      if (selector !== null) return selector;
      // A text clause: its test runs once per code of the column (see TextColumn), its verdicts
      // kept for the other tracks with that code.
      const column = index.texts(node.field, node.operand.t !== 'regex');
      const test = textTest(node);
      const verdicts = new Uint8Array(column.codeCount);
      const negated = node.negated;
      return (candidates) => keepText(candidates, column, verdicts, test, negated);
    }
  }
}

const fmtDate = (ms: number): string =>
  Number.isNaN(ms)
    ? 'none'
    : new Date(ms)
        .toISOString()
        .replace(/T00:00:00\.000Z$|\.000Z$/, (m) => (m.startsWith('T00') ? '' : 'Z'));

/** The actual value of a field for one track, for explanations. */
export function describeValue(
  field: FieldName,
  node: Extract<Node, { kind: 'field' }>,
  index: LibraryIndex,
  i: number,
): string {
  const info = RULE_FIELDS[field];
  switch (info.type) {
    case 'string': {
      const values = index.texts(field, false).get(i);
      return values.length === 0 ? 'none' : values.map((v) => JSON.stringify(v)).join(', ');
    }
    case 'boolean':
      return index.numbers(field, node.window)[i] === 1 ? 'true' : 'false';
    case 'number': {
      const v = index.numbers(field, node.window)[i]!;
      return Number.isNaN(v) ? 'none' : String(Math.round(v * 1000) / 1000);
    }
    case 'date': {
      const start = index.numbers(field, node.window)[i]!;
      if (field === 'releaseDate') {
        const album = index.albums[i];
        return album ? `${album.releaseDate} (${album.releaseDatePrecision})` : 'none';
      }
      return fmtDate(start);
    }
    case 'hours':
    case 'weekdays': {
      const masks = index.masks(node.window);
      const mask = (info.type === 'hours' ? masks.hours : masks.weekdays)[i]!;
      const names =
        info.type === 'hours' ? null : ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
      const out: string[] = [];
      for (let v = 0; v < (names ? 7 : 24); v++) {
        if (mask & (1 << v)) out.push(names ? names[v]! : String(v));
      }
      return out.length === 0 ? 'none' : out.join(', ');
    }
  }
}
