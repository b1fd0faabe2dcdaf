import { z } from 'zod';
import { PlaylistsError } from '../errors/playlists-error.js';

/**
 * Spotify accepts at most this many URIs per playlist write.
 *
 * @example
 * ```ts
 * import { MAX_ITEMS_PER_CALL } from '@spoti/playlists';
 * const calls = Math.ceil(250 / MAX_ITEMS_PER_CALL); // 3
 * ```
 */
export const MAX_ITEMS_PER_CALL = 100;

/**
 * One write call of a {@link PlaylistPlan}. Each step is exactly one HTTP request.
 *
 * - `remove`: removes every occurrence of the URIs (guarded by the snapshot id).
 * - `add`: inserts the URIs at `position` (or appends when null).
 * - `replace`: replaces the whole playlist with the URIs (first step of a `replace` plan).
 * - `move`: moves `rangeLength` items starting at `rangeStart` before `insertBefore`
 *   (positions in the playlist as it is when the step runs).
 */
export type PlanStep =
  | { readonly kind: 'remove'; readonly uris: readonly string[] }
  | { readonly kind: 'add'; readonly uris: readonly string[]; readonly position: number | null }
  | { readonly kind: 'replace'; readonly uris: readonly string[] }
  | {
      readonly kind: 'move';
      readonly rangeStart: number;
      readonly rangeLength: number;
      readonly insertBefore: number;
    };

/**
 * The write calls that bring a playlist from its current items to a rule's result.
 *
 * `strategy` tells which candidate had the fewest calls: `none` (already right), `edit`
 * (removals then insertions at their positions, re-inserting tracks that are out of order),
 * `moves` (removals, moves of out-of-order runs, insertions) or `replace` (rewrite everything).
 */
export interface PlaylistPlan {
  /** The snapshot the current items were read at (the plan is only valid against it). */
  readonly snapshotId: string | null;
  readonly strategy: 'none' | 'edit' | 'moves' | 'replace';
  readonly steps: readonly PlanStep[];
  /** Number of write calls (= steps). */
  readonly writeCalls: number;
  /** Write calls a naive "replace everything" would make, for comparison. */
  readonly naiveWriteCalls: number;
  /** The URIs the playlist holds once the plan is applied (in order when `ordered`). */
  readonly target: readonly string[];
  /** Whether the order of `target` is part of the goal. */
  readonly ordered: boolean;
  /**
   * Tracks removed (no longer wanted), added (new), re-inserted or moved to fix the order or a
   * duplicate, and left untouched (0 for a replace, which rewrites every item).
   */
  readonly summary: {
    readonly removed: number;
    readonly added: number;
    readonly reordered: number;
    readonly kept: number;
  };
}

/** Input of {@link planPlaylistSync}. */
export interface PlanInput {
  /** The playlist as read: its snapshot id and item URIs in order (null for unreadable items). */
  readonly current: {
    readonly snapshotId: string | null;
    readonly uris: readonly (string | null)[];
  };
  /** The wanted tracks in order: track ids or `spotify:...` URIs (duplicates keep the first). */
  readonly desired: readonly string[];
  /** Whether order matters (default true). When false, new tracks are appended. */
  readonly ordered?: boolean;
  /** Whether `move` steps may be used (the writer must implement `reorderPlaylistItems`). */
  readonly allowMoves?: boolean;
  /**
   * Whether a full replace may be chosen when it takes fewer calls (default true). A replace
   * resets every item's `added_at`; with false it is only used when items cannot be addressed.
   */
  readonly allowReplace?: boolean;
}

const inputSchema = z.object({
  current: z.object({
    snapshotId: z.string().nullable(),
    uris: z.array(z.string().min(1).nullable()),
  }),
  desired: z.array(z.string().min(1)),
  ordered: z.boolean().default(true),
  allowMoves: z.boolean().default(false),
  allowReplace: z.boolean().default(true),
});

/**
 * The URI of a track id (`spotify:track:<id>`); URIs are returned unchanged.
 *
 * @example
 * ```ts
 * import { trackUri } from '@spoti/playlists';
 * trackUri('4uLU6hMCjMI75M1A2tKUQC'); // 'spotify:track:4uLU6hMCjMI75M1A2tKUQC'
 * ```
 */
export function trackUri(idOrUri: string): string {
  return idOrUri.startsWith('spotify:') ? idOrUri : `spotify:track:${idOrUri}`;
}

function chunks<T>(list: readonly T[], size = MAX_ITEMS_PER_CALL): T[][] {
  const out: T[][] = [];
  for (let k = 0; k < list.length; k += size) out.push(list.slice(k, k + size));
  return out;
}

/** Marks (1) the indices of `values` in one longest strictly increasing subsequence. */
function longestIncreasing(values: Int32Array): Uint8Array {
  const tails = new Int32Array(values.length);
  let length = 0;
  const previous = new Int32Array(values.length).fill(-1);
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    let lo = 0;
    let hi = length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[k] = tails[lo - 1]!;
    tails[lo] = k;
    if (lo === length) length++;
  }
  const keep = new Uint8Array(values.length);
  let k = length > 0 ? tails[length - 1]! : -1;
  while (k >= 0) {
    keep[k] = 1;
    k = previous[k]!;
  }
  return keep;
}

/** Insert steps for every target position not marked `present`, one per run of positions. */
function insertions(target: readonly string[], present: Uint8Array): PlanStep[] {
  const steps: PlanStep[] = [];
  let k = 0;
  while (k < target.length) {
    if (present[k] === 1) {
      k++;
      continue;
    }
    const start = k;
    while (k < target.length && present[k] !== 1) k++;
    chunks(target.slice(start, k)).forEach((part, c) => {
      steps.push({ kind: 'add', uris: part, position: start + c * MAX_ITEMS_PER_CALL });
    });
  }
  return steps;
}

function removals(uris: Iterable<string>): PlanStep[] {
  return chunks([...uris]).map((part) => ({ kind: 'remove', uris: part }));
}

function replaceSteps(target: readonly string[]): PlanStep[] {
  if (target.length === 0) return [{ kind: 'replace', uris: [] }];
  const [first = [], ...rest] = chunks(target);
  return [
    { kind: 'replace', uris: first },
    ...rest.map((part): PlanStep => ({ kind: 'add', uris: part, position: null })),
  ];
}

/** Moves that sort `items` into `order`, one per run found out of place; null past `budget`. */
function moveSteps(
  items: readonly string[],
  order: readonly string[],
  budget: number,
): PlanStep[] | null {
  const arr = items.slice();
  const steps: PlanStep[] = [];
  for (let j = 0; j < order.length; j++) {
    if (arr[j] === order[j]) continue;
    if (steps.length >= budget) return null;
    const k = arr.indexOf(order[j]!, j + 1);
    let length = 1;
    while (k + length < arr.length && arr[k + length] === order[j + length]) length++;
    const moved = arr.splice(k, length);
    arr.splice(j, 0, ...moved);
    steps.push({ kind: 'move', rangeStart: k, rangeLength: length, insertBefore: j });
    j += length - 1;
  }
  return steps;
}

/**
 * Plans the fewest write calls that turn a playlist's current items into the desired tracks:
 * removals (by URI, 100 per call, guarded by `snapshotId`) and additions (100 per call, at their
 * positions when order matters), moves when allowed, or a full replace when that is cheaper.
 * Tracks already in place are left alone, so their `added_at` survives; a playlist that already
 * matches gets zero steps. Items that cannot be addressed (null URIs) force a replace; an empty
 * result is reached with removals (never an empty replace) when every item can be addressed.
 *
 * @example
 * ```ts
 * import { planPlaylistSync } from '@spoti/playlists';
 * const plan = planPlaylistSync({
 *   current: { snapshotId: 'abc', uris: ['spotify:track:a', 'spotify:track:b'] },
 *   desired: ['b', 'c'],
 *   ordered: true,
 * });
 * plan.steps; // [{ kind: 'remove', uris: ['spotify:track:a'] }, { kind: 'add', uris: ['spotify:track:c'], position: 1 }]
 * ```
 */
export function planPlaylistSync(input: PlanInput): PlaylistPlan {
  const { current, desired, ordered, allowMoves, allowReplace } = parsePlanInput(input);
  const target = [...new Set(desired.map(trackUri))];
  const wanted = new Map<string, number>();
  for (let k = 0; k < target.length; k++) wanted.set(target[k]!, k);
  const counts = new Map<string, number>();
  let unaddressable = false;
  for (const uri of current.uris) {
    if (uri === null) unaddressable = true;
    else counts.set(uri, (counts.get(uri) ?? 0) + 1);
  }
  const naiveWriteCalls = Math.max(1, Math.ceil(target.length / MAX_ITEMS_PER_CALL));
  const base: PlanBase = {
    snapshotId: current.snapshotId,
    naiveWriteCalls,
    target,
    ordered,
  };
  const replace = (reordered = 0): PlaylistPlan => {
    const steps = replaceSteps(target);
    return {
      ...base,
      strategy: 'replace',
      steps,
      writeCalls: steps.length,
      summary: {
        removed: [...counts.keys()].filter((uri) => !wanted.has(uri)).length,
        added: target.filter((uri) => !counts.has(uri)).length,
        reordered,
        kept: 0,
      },
    };
  };
  if (unaddressable) return replace();

  // Unwanted URIs, and wanted ones present more than once (removal drops every copy).
  const unwanted = new Set<string>();
  for (const [uri, count] of counts) if (!wanted.has(uri) || count > 1) unwanted.add(uri);
  const kept = current.uris.filter((uri): uri is string => uri !== null && !unwanted.has(uri));
  const removedCount = [...unwanted].filter((u) => !wanted.has(u)).length;
  const edit: EditInput = { base, target, wanted, kept, unwanted, removedCount };
  const candidates = ordered ? orderedCandidates(edit, allowMoves) : [unorderedCandidate(edit)];
  const full = replace(ordered ? candidates[0]!.summary.reordered : 0);
  return pickPlan(candidates, allowReplace && target.length > 0 ? full : null);
}

/** The input, validated; bad input throws `INVALID_OPTIONS` naming up to five fields. */
function parsePlanInput(input: PlanInput): z.infer<typeof inputSchema> {
  const parsed = inputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => ({
    path: i.path.join('.'),
    message: i.message,
  }));
  throw new PlaylistsError({
    code: 'INVALID_OPTIONS',
    message: `Invalid plan input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  });
}

/** The fields every plan of one input shares. */
type PlanBase = Pick<PlaylistPlan, 'snapshotId' | 'naiveWriteCalls' | 'target' | 'ordered'>;

/** What the edit plans start from. */
interface EditInput {
  readonly base: PlanBase;
  /** The desired URIs, without repeats. */
  readonly target: readonly string[];
  /** Position of each desired URI in `target`. */
  readonly wanted: ReadonlyMap<string, number>;
  /** Current items that stay (wanted, present once), in playlist order. */
  readonly kept: readonly string[];
  /** URIs to remove: unwanted, or wanted but present more than once. */
  readonly unwanted: ReadonlySet<string>;
  /** How many of `unwanted` are not wanted at all. */
  readonly removedCount: number;
}

/** Unordered: remove the unwanted, append what is missing. */
function unorderedCandidate(edit: EditInput): PlaylistPlan {
  const { base, target, wanted, kept, unwanted, removedCount } = edit;
  const present = new Uint8Array(target.length);
  for (const uri of kept) present[wanted.get(uri)!] = 1;
  const additions = target.filter((_, k) => present[k] !== 1);
  const steps = [
    ...removals(unwanted),
    ...chunks(additions).map((part): PlanStep => ({ kind: 'add', uris: part, position: null })),
  ];
  return {
    ...base,
    strategy: steps.length === 0 ? 'none' : 'edit',
    steps,
    writeCalls: steps.length,
    summary: {
      removed: removedCount,
      added: additions.length - (unwanted.size - removedCount),
      reordered: unwanted.size - removedCount,
      kept: kept.length,
    },
  };
}

/**
 * Ordered: the edit plan (remove and re-insert tracks out of order) first, then, when moves are
 * allowed and help, the plan that moves them instead.
 */
function orderedCandidates(edit: EditInput, allowMoves: boolean): PlaylistPlan[] {
  const { base, target, wanted, kept, unwanted, removedCount } = edit;
  const positions = Int32Array.from(kept, (uri) => wanted.get(uri)!);
  const inOrder = longestIncreasing(positions);
  const stay = new Uint8Array(target.length);
  const keptMask = new Uint8Array(target.length);
  const outOfOrder: string[] = [];
  let stayCount = 0;
  for (let k = 0; k < kept.length; k++) {
    keptMask[positions[k]!] = 1;
    if (inOrder[k] === 1) {
      stay[positions[k]!] = 1;
      stayCount++;
    } else outOfOrder.push(kept[k]!);
  }
  const duplicated = unwanted.size - removedCount;
  const summary = {
    removed: removedCount,
    added: target.length - kept.length - duplicated,
    reordered: outOfOrder.length + duplicated,
    kept: stayCount,
  };
  // Edit: re-insert out-of-order tracks along with the new ones.
  const editSteps = [...removals([...unwanted, ...outOfOrder]), ...insertions(target, stay)];
  const candidates: PlaylistPlan[] = [
    {
      ...base,
      strategy: editSteps.length === 0 ? 'none' : 'edit',
      steps: editSteps,
      writeCalls: editSteps.length,
      summary,
    },
  ];
  if (allowMoves && outOfOrder.length > 0) {
    const order = target.filter((_, k) => keptMask[k] === 1);
    const removeSteps = removals(unwanted);
    const insertSteps = insertions(target, keptMask);
    const budget = editSteps.length - removeSteps.length - insertSteps.length;
    const moves = moveSteps(kept, order, budget);
    if (moves !== null) {
      const steps = [...removeSteps, ...moves, ...insertSteps];
      candidates.push({
        ...base,
        strategy: 'moves',
        steps,
        writeCalls: steps.length,
        summary: { ...summary },
      });
    }
  }
  return candidates;
}

/**
 * The plan with the fewest write calls: the edit plan (`candidates[0]`) wins ties, then later
 * candidates over earlier ones and over the full replace (`full`, null when not allowed).
 */
function pickPlan(candidates: readonly PlaylistPlan[], full: PlaylistPlan | null): PlaylistPlan {
  // An empty replace clears a playlist on Spotify but some implementations refuse it: clear
  // addressable items with removals instead.
  let best = full ?? candidates[0]!;
  for (const candidate of candidates) {
    if (candidate.writeCalls <= best.writeCalls) best = candidate;
  }
  // Prefer editing over replacing on a tie (keeps added_at), and edit over moves on a tie.
  const edit = candidates[0]!;
  if (edit.writeCalls <= best.writeCalls) best = edit;
  return best;
}

/**
 * Applies a plan to a list of item URIs in memory, with Spotify's semantics (a removal drops
 * every occurrence of a URI). Useful to preview a plan, and to test one.
 *
 * @example
 * ```ts
 * import { planPlaylistSync, simulatePlan } from '@spoti/playlists';
 * const current = ['spotify:track:a', 'spotify:track:b'];
 * const plan = planPlaylistSync({ current: { snapshotId: null, uris: current }, desired: ['b', 'a'] });
 * simulatePlan(current, plan); // ['spotify:track:b', 'spotify:track:a']
 * ```
 */
export function simulatePlan(
  uris: readonly (string | null)[],
  plan: Pick<PlaylistPlan, 'steps'>,
): (string | null)[] {
  let items = uris.slice();
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'remove': {
        const gone = new Set(step.uris);
        items = items.filter((uri) => uri === null || !gone.has(uri));
        break;
      }
      case 'add': {
        const at = step.position ?? items.length;
        if (at < 0 || at > items.length) throw new RangeError(`add position ${at} out of bounds`);
        items.splice(at, 0, ...step.uris);
        break;
      }
      case 'replace':
        items = step.uris.slice();
        break;
      case 'move': {
        const { rangeStart: start, rangeLength: length, insertBefore: before } = step;
        if (start < 0 || start + length > items.length || before < 0 || before > items.length) {
          throw new RangeError('move out of bounds');
        }
        const moved = items.splice(start, length);
        items.splice(before > start ? before - length : before, 0, ...moved);
        break;
      }
    }
  }
  return items;
}
