import type { FieldName } from './fields.js';

/**
 * A date in a rule: `"2024"`, `"2024-05"`, `"2024-05-17"` (a whole year, month or day, UTC), an
 * ISO 8601 instant (`"2024-05-17T08:00:00Z"`) or Unix epoch milliseconds.
 */
export type DateValue = string | number;

/** A length of time: a number of days, or exactly one of `days`, `weeks`, `months` (calendar). */
export type Duration =
  | number
  | { readonly days: number }
  | { readonly weeks: number }
  | { readonly months: number };

/**
 * The plays a play-log field looks at: the last {@link Duration} before `now`, or the plays
 * between two dates (both inclusive, each at its own precision).
 */
export type PlayWindow = Duration | { readonly from?: DateValue; readonly to?: DateValue };

/** A value on the right of an operator (which one depends on the field and operator). */
export type RuleValue =
  | string
  | number
  | boolean
  | Duration
  | readonly [DateValue | number | null, DateValue | number | null];

/** Every key of a field condition. */
export interface FieldConditionKeys {
  readonly is?: Readonly<Record<string, RuleValue>>;
  readonly isNot?: Readonly<Record<string, RuleValue>>;
  readonly gt?: Readonly<Record<string, RuleValue>>;
  readonly lt?: Readonly<Record<string, RuleValue>>;
  readonly contains?: Readonly<Record<string, RuleValue>>;
  readonly notContains?: Readonly<Record<string, RuleValue>>;
  readonly startsWith?: Readonly<Record<string, RuleValue>>;
  readonly endsWith?: Readonly<Record<string, RuleValue>>;
  readonly matches?: Readonly<Record<string, RuleValue>>;
  readonly inTheRange?: Readonly<Record<string, RuleValue>>;
  readonly before?: Readonly<Record<string, RuleValue>>;
  readonly after?: Readonly<Record<string, RuleValue>>;
  readonly inTheLast?: Readonly<Record<string, RuleValue>>;
  readonly notInTheLast?: Readonly<Record<string, RuleValue>>;
  /** Restricts the plays that play-log fields count. */
  readonly window?: PlayWindow;
}

/** A reference to a playlist (Spotify or catalog id) or to another rule (its slug). */
export type SetReference = string | { readonly id: string };

/**
 * One condition of a rule: a nested `all`/`any`/`not`, one operator applied to one field
 * (`{ "gt": { "playCount": 3 } }`, optionally with a play `window`), or membership of a playlist
 * or of another rule's result.
 */
export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | { readonly inPlaylist: SetReference }
  | { readonly notInPlaylist: SetReference }
  | { readonly inRule: SetReference }
  | { readonly notInRule: SetReference }
  | FieldConditionKeys;

/** One sort key: a field (ascending unless `order` says otherwise), or `random` with a seed. */
export interface SortKey {
  /** The field to sort by, or `random`. */
  readonly by: FieldName | 'random';
  /** `asc` (default) or `desc`. Tracks without a value always come last. */
  readonly order?: 'asc' | 'desc';
  /** For play-log fields: the plays to count. */
  readonly window?: PlayWindow;
  /** For `random`: the seed (default: the rule's `seed`, else 0). */
  readonly seed?: number;
}

/** How much of the sorted result to keep. A number means items. */
export type RuleLimit =
  | number
  | { readonly items: number }
  | { readonly minutes: number }
  | { readonly hours: number };

/**
 * A smart-playlist rule: which tracks (`match`, or Navidrome-style top-level `all`/`any`), in
 * which order (`sort`, `separateArtists`), without duplicates (`dedupe`), and how many
 * (`offset`, `limit`). See `docs/playlists-rules.md` for the whole language.
 */
export interface Rule {
  /** Display name (used as the Spotify playlist name when syncing). */
  readonly name?: string;
  /** Free text (used as the Spotify playlist description when syncing). */
  readonly description?: string;
  /** The condition; omitted means every track of the library. */
  readonly match?: Condition;
  /** Navidrome-style shorthand for `match: { all: [...] }`. */
  readonly all?: readonly Condition[];
  /** Navidrome-style shorthand for `match: { any: [...] }`. */
  readonly any?: readonly Condition[];
  /**
   * Sort keys, or a string such as `"-playCount, title"` / `"lastPlayed desc"` / `"random"`.
   * Ties are always broken by track id, so the order is deterministic.
   */
  readonly sort?: string | readonly SortKey[];
  /** Default order for keys of a string `sort` (Navidrome's `order`). */
  readonly order?: 'asc' | 'desc';
  /** Seed of `random` sort keys without their own seed. */
  readonly seed?: number;
  /** Reorders so that no two adjacent tracks share their first artist, where possible. */
  readonly separateArtists?: boolean;
  /**
   * `track` (default): each track once. `isrc`: one version per recording: tracks sharing an ISRC
   * (market editions) or the same position on an explicit album and its clean version count once;
   * the first in sort order is kept.
   */
  readonly dedupe?: 'track' | 'isrc';
  /** Skip this many tracks of the sorted, deduplicated result. */
  readonly offset?: number;
  /** Keep at most this many items, or minutes/hours of music. */
  readonly limit?: RuleLimit;
}
