import { PlaylistsError } from '../errors/playlists-error.js';
import type { Node, Operand, RulePlan, SortSpec, WindowSpec } from '../internal/ast.js';
import type { LibraryIndex } from '../library/library-index.js';
import { type FieldName, RULE_FIELDS } from '../rule/fields.js';
import { compileRulePlan } from '../rule/parse-rule.js';
import type { Rule } from '../rule/rule.js';
import { compileNode, compileSelector, describeValue, type SetResolver } from './predicate.js';
import {
  allTracks,
  countWithin,
  fillKey,
  fillRandom,
  fillRaw,
  pick,
  sortRows,
  toList,
} from './track-lists.js';

/** The tracks a rule selects, in playlist order. */
export interface RuleResult {
  /** Track ids in order. */
  readonly trackIds: readonly string[];
  /** True when the order is part of the result (the rule sorts or separates artists). */
  readonly ordered: boolean;
  /** Tracks that satisfied the condition, before dedupe, offset and limit. */
  readonly matched: number;
  /** Total duration of the result in ms. */
  readonly durationMs: number;
}

/** Options of {@link evaluateRule} and {@link explainTrack}. */
export interface EvaluateOptions {
  /** Rules that `inRule`/`notInRule` may name, by slug. */
  readonly rules?: Readonly<Record<string, Rule>>;
}

interface Pipeline {
  readonly final: readonly number[];
  readonly matched: number;
  readonly sorted: readonly number[];
  /** After dedupe and artist separation, before offset and limit. */
  readonly uncut: readonly number[];
  /** Dropped by dedupe: track number -> the kept track number. */
  readonly duplicates: ReadonlyMap<number, number>;
}

/** How many rules deep `inRule`/`notInRule` references may go (a rule naming itself through others is a cycle). */
export const MAX_RULE_DEPTH = 32;

/** A chain of slugs for a message: every slug when short, else the first and last few. */
function describeChain(chain: readonly string[]): string {
  const shown =
    chain.length <= 12
      ? chain
      : [...chain.slice(0, 5), `… ${chain.length - 10} more …`, ...chain.slice(-5)];
  return shown.map((slug) => (slug.length > 60 ? `${slug.slice(0, 57)}...` : slug)).join(' -> ');
}

/** Evaluation state shared by every rule evaluated against one index. */
class Evaluator implements SetResolver {
  readonly #results = new Map<string, { pipeline: Pipeline; members: Uint8Array }>();
  readonly #stack: string[] = [];

  constructor(
    readonly index: LibraryIndex,
    readonly rules: Readonly<Record<string, Rule>>,
  ) {}

  rule(slug: string): Uint8Array {
    return this.evaluateSlug(slug).members;
  }

  evaluateSlug(slug: string): { pipeline: Pipeline; members: Uint8Array } {
    const cached = this.#results.get(slug);
    if (cached) return cached;
    if (this.#stack.includes(slug)) {
      const chain = [...this.#stack.slice(this.#stack.indexOf(slug)), slug].join(' -> ');
      throw new PlaylistsError({
        code: 'RULE_CYCLE',
        message: `Rules reference each other in a loop: ${chain}`,
      });
    }
    if (this.#stack.length >= MAX_RULE_DEPTH) {
      throw new PlaylistsError({
        code: 'RULE_TOO_DEEP',
        message: `inRule references go deeper than ${MAX_RULE_DEPTH} rules: ${describeChain([...this.#stack, slug])}`,
      });
    }
    if (!Object.hasOwn(this.rules, slug)) {
      throw new PlaylistsError({
        code: 'UNKNOWN_RULE',
        message: `inRule names "${slug}", which is not among the rules supplied`,
      });
    }
    this.#stack.push(slug);
    try {
      const pipeline = this.run(compileRulePlan(this.rules[slug]));
      const members = new Uint8Array(this.index.size);
      for (const i of pipeline.final) members[i] = 1;
      const entry = { pipeline, members };
      this.#results.set(slug, entry);
      return entry;
    } finally {
      this.#stack.pop();
    }
  }

  run(plan: RulePlan): Pipeline {
    const index = this.index;
    const needs = playLogNeeds(plan);
    index.prepare(needs.windows, needs.maskWindows, needs.countWindows);
    const select = compileSelector(plan.match, index, this);
    const candidates = toList(select(allTracks(index.size)));
    const sorted = sortTracks(candidates, plan.sort, index);
    const duplicates = new Map<number, number>();
    let list = plan.dedupe === 'isrc' ? dedupeRecordings(sorted, index, duplicates) : sorted;
    if (plan.separateArtists) list = separateArtists(list, index);
    const uncut = list;
    list = list.slice(plan.offset);
    if (plan.limit !== null) {
      list =
        plan.limit.kind === 'items'
          ? list.slice(0, plan.limit.n)
          : list.slice(0, countWithin(list, index.tracks, plan.limit.n));
    }
    return { final: list, matched: candidates.length, sorted, uncut, duplicates };
  }
}

/**
 * The play-log windows a rule reads (its conditions and sort keys), so that the index can build
 * all of them before the clauses run: `windows` need a window's aggregates, `maskWindows` its
 * hours and weekdays, and `countWindows` only its play counts (built alone, a cheaper pass).
 */
function playLogNeeds(plan: RulePlan): {
  windows: (WindowSpec | null)[];
  maskWindows: (WindowSpec | null)[];
  countWindows: (WindowSpec | null)[];
} {
  const windows: (WindowSpec | null)[] = [];
  const maskWindows: (WindowSpec | null)[] = [];
  const countWindows: (WindowSpec | null)[] = [];
  const need = (field: FieldName, window: WindowSpec | null): void => {
    const type = RULE_FIELDS[field].type;
    if (type === 'hours' || type === 'weekdays') maskWindows.push(window);
    else (field === 'playCount' ? countWindows : windows).push(window);
  };
  const visit = (node: Node): void => {
    if (node.kind === 'all' || node.kind === 'any') node.items.forEach(visit);
    else if (node.kind === 'not') visit(node.item);
    else if (node.kind === 'field' && RULE_FIELDS[node.field].scope === 'plays') {
      need(node.field, node.window);
    }
  };
  visit(plan.match);
  for (const spec of plan.sort) {
    if (spec.kind === 'field' && RULE_FIELDS[spec.field].scope === 'plays') {
      (spec.field === 'playCount' ? countWindows : windows).push(spec.window);
    }
  }
  return { windows, maskWindows, countWindows };
}

/**
 * Sorts track numbers by the rule's keys. Every key becomes a number per candidate (text keys by
 * their rank among the library's values, missing values as +Infinity so they come last in either
 * order), then the track id's rank breaks ties: one typed-array comparison per key.
 */
function sortTracks(
  candidates: number[],
  sort: readonly SortSpec[],
  index: LibraryIndex,
): number[] {
  const n = candidates.length;
  const width = sort.length + 1;
  const table = new Float64Array(n * width);
  for (let k = 0; k < sort.length; k++) {
    const spec = sort[k]!;
    if (spec.kind === 'random') {
      fillRandom(table, width, k, candidates, index.trackIds, spec.seed);
      continue;
    }
    const values =
      RULE_FIELDS[spec.field].type === 'string'
        ? index.textRanks(spec.field)
        : index.numbers(spec.field, spec.window);
    fillKey(table, width, k, candidates, values, spec.desc ? -1 : 1);
  }
  fillRaw(table, width, sort.length, candidates, index.idRanks());
  return pick(candidates, sortRows(table, width, n));
}

/** Keeps the first of each recording: same ISRC, or same disc/track on an album and its variant. */
function dedupeRecordings(
  sorted: readonly number[],
  index: LibraryIndex,
  duplicates: Map<number, number>,
): number[] {
  const owner = new Map<string, number>();
  const out: number[] = [];
  for (const i of sorted) {
    const track = index.tracks[i]!;
    const keys: string[] = [];
    if (track.isrc) keys.push(`i:${track.isrc.toUpperCase()}`);
    const family = track.albumId === null ? undefined : index.albumFamily.get(track.albumId);
    if (family !== undefined) keys.push(`v:${family}:${track.discNumber}:${track.trackNumber}`);
    let keeper: number | undefined;
    for (const key of keys) {
      keeper = owner.get(key);
      if (keeper !== undefined) break;
    }
    if (keeper === undefined) {
      out.push(i);
      for (const key of keys) owner.set(key, i);
    } else {
      duplicates.set(i, keeper);
      for (const key of keys) if (!owner.has(key)) owner.set(key, keeper);
    }
  }
  return out;
}

/**
 * Reorders so that no two adjacent tracks share a first artist where that is possible, moving
 * each track as little as possible: at every step the earliest remaining track whose artist
 * differs from the previous one is taken (a heap over each artist's next track).
 */
function separateArtists(list: readonly number[], index: LibraryIndex): number[] {
  const n = list.length;
  // Per position: its artist (numbered densely) and the next position of the same artist.
  const artist = new Int32Array(n);
  const next = new Int32Array(n).fill(-1);
  const numbers = new Map<number, number>();
  const lastOf: number[] = [];
  // Min-heap of positions: each artist's next track (positions are distinct, so the order of
  // pops does not depend on the heap's layout).
  const heap = new Int32Array(n);
  let size = 0;
  const push = (position: number): void => {
    let c = size++;
    while (c > 0) {
      const p = (c - 1) >> 1;
      const parent = heap[p]!;
      if (parent <= position) break;
      heap[c] = parent;
      c = p;
    }
    heap[c] = position;
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap[--size]!;
    let p = 0;
    for (;;) {
      const l = 2 * p + 1;
      if (l >= size) break;
      const r = l + 1;
      const m = r < size && heap[r]! < heap[l]! ? r : l;
      if (heap[m]! >= last) break;
      heap[p] = heap[m]!;
      p = m;
    }
    if (size > 0) heap[p] = last;
    return top;
  };
  for (let position = 0; position < n; position++) {
    const key = index.firstArtistKey(list[position]!);
    let a = numbers.get(key);
    if (a === undefined) {
      a = numbers.size;
      numbers.set(key, a);
      lastOf.push(position);
      push(position);
    } else {
      next[lastOf[a]!] = position;
      lastOf[a] = position;
    }
    artist[position] = a;
  }
  const out: number[] = [];
  let previous = -1;
  while (size > 0) {
    let take = pop();
    if (artist[take] === previous && size > 0) {
      const other = pop();
      push(take);
      take = other;
    }
    out.push(list[take]!);
    previous = artist[take]!;
    const following = next[take]!;
    if (following >= 0) push(following);
  }
  return out;
}

function toResult(plan: RulePlan, pipeline: Pipeline, index: LibraryIndex): RuleResult {
  let durationMs = 0;
  for (const i of pipeline.final) durationMs += index.tracks[i]!.durationMs;
  return {
    trackIds: pipeline.final.map((i) => index.trackIds[i]!),
    ordered: plan.sort.length > 0 || plan.separateArtists,
    matched: pipeline.matched,
    durationMs,
  };
}

/**
 * Evaluates one rule over an indexed library: filter, sort (ties by track id), dedupe,
 * separate artists, offset, limit. Pure: the same rule and index give the same result.
 *
 * @example
 * ```ts
 * import { createLibraryIndex, evaluateRule } from '@spoti/playlists';
 * const index = createLibraryIndex({ tracks: [], plays: [] }, { now: Date.UTC(2026, 10, 1) });
 * const result = evaluateRule({ all: [{ gt: { playCount: 3 } }], sort: '-playCount', limit: 50 }, index);
 * console.log(result.trackIds);
 * ```
 */
export function evaluateRule(
  rule: Rule,
  index: LibraryIndex,
  options: EvaluateOptions = {},
): RuleResult {
  const plan = compileRulePlan(rule);
  const evaluator = new Evaluator(index, options.rules ?? {});
  return toResult(plan, evaluator.run(plan), index);
}

/**
 * Evaluates several rules by slug against one index, sharing its aggregates and each rule's
 * result (a rule named by `inRule` is evaluated once).
 *
 * @example
 * ```ts
 * import { BUILTIN_RULES, createLibraryIndex, evaluateRules } from '@spoti/playlists';
 * const index = createLibraryIndex({ tracks: [] }, { now: Date.now() });
 * const results = evaluateRules(BUILTIN_RULES, index);
 * console.log(results['most-played']?.trackIds.length);
 * ```
 */
export function evaluateRules<K extends string>(
  rules: Readonly<Record<K, Rule>>,
  index: LibraryIndex,
): Record<K, RuleResult> {
  const evaluator = new Evaluator(index, rules);
  const out = {} as Record<K, RuleResult>;
  for (const slug of Object.keys(rules) as K[]) {
    const plan = compileRulePlan(rules[slug]);
    out[slug] = toResult(plan, evaluator.evaluateSlug(slug).pipeline, index);
  }
  return out;
}

/** How one clause of a rule judged a track. */
export interface ClauseExplanation {
  /** Where the clause is in the rule (`all[1].gt`); empty for the whole rule. */
  readonly path: string;
  /** The clause in words, e.g. `playCount gt 3 (window: last 30 days)`. */
  readonly clause: string;
  /** Whether the track satisfied it. */
  readonly result: boolean;
  /** The track's value of the field (for field clauses). */
  readonly actual?: string;
  /** Sub-clauses of `all`/`any`/`not`. */
  readonly children?: readonly ClauseExplanation[];
}

/** Why a track is in or out of a rule's result. */
export interface TrackExplanation {
  readonly trackId: string;
  /** True when the track is in the result. */
  readonly included: boolean;
  /** 0-based position in the result, or null. */
  readonly position: number | null;
  /**
   * The stage that decided: `condition` (the condition is false), `duplicate` (another version
   * was kept), `offset`/`limit` (cut off), or `included`.
   */
  readonly stage: 'condition' | 'duplicate' | 'offset' | 'limit' | 'included';
  /** For `duplicate`: the id of the version kept. */
  readonly duplicateOf: string | null;
  /** The evaluation of every clause for this track. */
  readonly clauses: ClauseExplanation;
  /** One sentence. */
  readonly summary: string;
}

function durationText(d: { unit: string; n: number }): string {
  return `${d.n} ${d.n === 1 ? d.unit.slice(0, -1) : d.unit}`;
}

function windowText(window: WindowSpec | null): string {
  if (window === null) return '';
  if (window.kind === 'last') return ` (window: last ${durationText(window.duration)})`;
  const d = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '…');
  return ` (window: ${d(window.from)} to ${d(window.to)})`;
}

function operandText(operand: Operand, field: string): string {
  switch (operand.t) {
    case 'text':
    case 'regex':
    case 'interval':
      return JSON.stringify(operand.raw);
    case 'num':
      return String(operand.n);
    case 'bool':
      return String(operand.b);
    case 'duration':
      return durationText(operand.d);
    case 'range': {
      const isDate = RULE_FIELDS[field as keyof typeof RULE_FIELDS].type === 'date';
      const f = (v: number) =>
        Number.isFinite(v) ? (isDate ? new Date(v).toISOString().slice(0, 10) : String(v)) : '…';
      return `[${f(operand.lo)}, ${f(operand.hi)}]`;
    }
    case 'mask':
      return operand.raw;
  }
}

function explainNode(node: Node, i: number, evaluator: Evaluator): ClauseExplanation {
  const index = evaluator.index;
  switch (node.kind) {
    case 'true':
      return { path: node.path, clause: 'every track', result: true };
    case 'not': {
      const child = explainNode(node.item, i, evaluator);
      return { path: node.path, clause: 'not', result: !child.result, children: [child] };
    }
    case 'all':
    case 'any': {
      const children = node.items.map((item) => explainNode(item, i, evaluator));
      const result =
        node.kind === 'all' ? children.every((c) => c.result) : children.some((c) => c.result);
      return { path: node.path, clause: node.kind, result, children };
    }
    case 'set': {
      const result = compileNode(node, index, evaluator)(i);
      return { path: node.path, clause: `${node.op} ${JSON.stringify(node.ref)}`, result };
    }
    case 'field': {
      const result = compileNode(node, index, evaluator)(i);
      return {
        path: node.path,
        clause: `${node.field} ${node.op} ${operandText(node.operand, node.field)}${windowText(node.window)}`,
        result,
        actual: describeValue(node.field, node, index, i),
      };
    }
  }
}

function shorten(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 37)}...`;
}

/** The leaves that decided a group's outcome: true leaves when it holds, false ones when not. */
function deciding(clause: ClauseExplanation, want: boolean, out: ClauseExplanation[]): void {
  if (!clause.children) {
    if (clause.result === want) out.push(clause);
    return;
  }
  const flip = clause.clause === 'not';
  for (const child of clause.children) {
    if (child.result === (flip ? !want : want)) deciding(child, flip ? !want : want, out);
  }
}

/**
 * Explains why a track is in or out of a rule's result: every clause with its outcome and the
 * track's actual value, and the stage (condition, dedupe, offset, limit) that decided.
 *
 * @example
 * ```ts
 * import { createLibraryIndex, explainTrack } from '@spoti/playlists';
 * const index = createLibraryIndex(
 *   { tracks: [{ id: 't1', name: 'Song', albumId: null, artistIds: [], ownerArtistId: null, durationMs: 200_000, isrc: null, explicit: false, visibility: 'public', discNumber: 1, trackNumber: 1, addedAt: 0 }] },
 *   { now: Date.UTC(2026, 10, 1) },
 * );
 * explainTrack({ all: [{ gt: { playCount: 0 } }] }, index, 't1').summary;
 * // 'out: all[0].gt failed (playCount gt 0, actual 0)'
 * ```
 */
export function explainTrack(
  rule: Rule,
  index: LibraryIndex,
  trackId: string,
  options: EvaluateOptions = {},
): TrackExplanation {
  const plan = compileRulePlan(rule);
  const i = index.positionOf(trackId);
  if (i === undefined) {
    throw new PlaylistsError({
      code: 'UNKNOWN_TRACK',
      message: `Track "${trackId}" is not in the library`,
    });
  }
  const evaluator = new Evaluator(index, options.rules ?? {});
  const clauses = explainNode(plan.match, i, evaluator);
  const pipeline = evaluator.run(plan);
  const position = pipeline.final.indexOf(i);
  const leaves: ClauseExplanation[] = [];
  deciding(clauses, clauses.result, leaves);
  const list = leaves
    .slice(0, 4)
    .map(
      (c) =>
        `${c.path || 'rule'} ${c.result ? 'matched' : 'failed'} (${c.clause}${c.actual === undefined ? '' : `, actual ${shorten(c.actual)}`})`,
    )
    .join('; ');
  let stage: TrackExplanation['stage'];
  let duplicateOf: string | null = null;
  let summary: string;
  if (!clauses.result) {
    stage = 'condition';
    summary = `out: ${list}`;
  } else if (position >= 0) {
    stage = 'included';
    summary = `in at position ${position + 1}: ${list}`;
  } else if (pipeline.duplicates.has(i)) {
    stage = 'duplicate';
    duplicateOf = index.trackIds[pipeline.duplicates.get(i)!]!;
    summary = `out: matched, but another version of the recording (${duplicateOf}) comes first`;
  } else {
    const rank = pipeline.uncut.indexOf(i);
    stage = plan.offset > 0 && rank < plan.offset ? 'offset' : 'limit';
    summary =
      stage === 'offset'
        ? `out: matched, but skipped by offset ${plan.offset}`
        : `out: matched, but beyond the limit`;
  }
  return {
    trackId,
    included: position >= 0,
    position: position >= 0 ? position : null,
    stage,
    duplicateOf,
    clauses,
    summary,
  };
}
