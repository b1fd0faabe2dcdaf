import type { FieldName, FieldOperator, SetOperator } from '../rule/fields.js';
import type { SafePattern } from '../rule/safe-regex.js';

/** A duration before `now`, resolved against the index's clock at evaluation. */
export type DurationSpec = { readonly unit: 'days' | 'weeks' | 'months'; readonly n: number };

/** Plays counted by a play-log field. */
export type WindowSpec =
  | { readonly kind: 'last'; readonly duration: DurationSpec }
  | { readonly kind: 'between'; readonly from: number; readonly to: number };

/** A validated, normalised operand. */
export type Operand =
  | { readonly t: 'text'; readonly text: string; readonly raw: string }
  | { readonly t: 'regex'; readonly re: SafePattern; readonly raw: string }
  | { readonly t: 'num'; readonly n: number }
  | { readonly t: 'range'; readonly lo: number; readonly hi: number }
  | { readonly t: 'bool'; readonly b: boolean }
  | { readonly t: 'interval'; readonly start: number; readonly end: number; readonly raw: string }
  | { readonly t: 'duration'; readonly d: DurationSpec }
  | { readonly t: 'mask'; readonly mask: number; readonly raw: string };

/** A node of a normalised condition tree; `path` locates it in the rule as written. */
export type Node =
  | { readonly kind: 'true'; readonly path: string }
  | { readonly kind: 'all' | 'any'; readonly path: string; readonly items: readonly Node[] }
  | { readonly kind: 'not'; readonly path: string; readonly item: Node }
  | {
      readonly kind: 'field';
      readonly path: string;
      /** The operator as written. */
      readonly op: FieldOperator;
      /** The positive operator evaluated (`isNot` -> `is`), negated when `negated`. */
      readonly base: FieldOperator;
      readonly negated: boolean;
      readonly field: FieldName;
      readonly operand: Operand;
      readonly window: WindowSpec | null;
    }
  | {
      readonly kind: 'set';
      readonly path: string;
      readonly op: SetOperator;
      readonly target: 'playlist' | 'rule';
      readonly negated: boolean;
      readonly ref: string;
    };

/** A normalised sort key. */
export type SortSpec =
  | {
      readonly kind: 'field';
      readonly field: FieldName;
      readonly desc: boolean;
      readonly window: WindowSpec | null;
    }
  | { readonly kind: 'random'; readonly seed: number };

/** A normalised rule. */
export interface RulePlan {
  readonly match: Node;
  readonly sort: readonly SortSpec[];
  readonly separateArtists: boolean;
  readonly dedupe: 'track' | 'isrc';
  readonly offset: number;
  readonly limit: { readonly kind: 'items' | 'ms'; readonly n: number } | null;
  /** Rules referenced through `inRule`/`notInRule`. */
  readonly ruleRefs: readonly string[];
}
