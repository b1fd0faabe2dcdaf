/**
 * Every failure code a {@link PlaylistsError} can carry.
 *
 * - `INVALID_RULE`: a rule failed validation; `issues` lists each mistake with its path.
 * - `INVALID_QUERY`: a text query could not be parsed; the message names the term.
 * - `INVALID_OPTIONS`: options or input data rejected at the boundary.
 * - `UNKNOWN_RULE`: `inRule` names a rule that was not supplied.
 * - `RULE_CYCLE`: rules reference each other in a loop through `inRule`.
 * - `RULE_TOO_DEEP`: a chain of `inRule` references is deeper than `MAX_RULE_DEPTH` (32); the
 *   message names the chain.
 * - `UNKNOWN_TRACK`: `explainTrack` was asked about a track the library does not hold.
 * - `STALE_PLAN`: the Spotify playlist changed since the plan was made (its `snapshot_id` moved on).
 * - `UNSUPPORTED_STEP`: a plan needs a capability the writer lacks (moving items).
 * - `SPOTIFY_FAILURE`: a call through the playlist writer failed; `cause` holds the original error.
 */
export type PlaylistsErrorCode =
  | 'INVALID_RULE'
  | 'INVALID_QUERY'
  | 'INVALID_OPTIONS'
  | 'UNKNOWN_RULE'
  | 'RULE_CYCLE'
  | 'RULE_TOO_DEEP'
  | 'UNKNOWN_TRACK'
  | 'STALE_PLAN'
  | 'UNSUPPORTED_STEP'
  | 'SPOTIFY_FAILURE';

/** One validation mistake: where it is (`all[2].inTheLast`) and what was expected. */
export interface RuleIssue {
  /** Path of the mistake inside the rule, e.g. `all[2].inTheLast`; empty for the rule itself. */
  readonly path: string;
  /** What was wrong. */
  readonly message: string;
}

/** Options accepted by the {@link PlaylistsError} constructor. */
export interface PlaylistsErrorOptions {
  /** Machine-readable reason. */
  readonly code: PlaylistsErrorCode;
  /** Human-readable explanation (never contains tokens). */
  readonly message: string;
  /** Validation mistakes, for `INVALID_RULE` and `INVALID_OPTIONS`. */
  readonly issues?: readonly RuleIssue[];
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

const brand = Symbol.for('@spoti/playlists/PlaylistsError');

/**
 * The one error class thrown by `@spoti/playlists`.
 *
 * @example
 * ```ts
 * import { isPlaylistsError, parseRule } from '@spoti/playlists';
 * try {
 *   parseRule({ all: [{ inTheLast: { lastPlayed: -3 } }] });
 * } catch (error) {
 *   if (isPlaylistsError(error) && error.code === 'INVALID_RULE') console.log(error.issues);
 * }
 * ```
 */
export class PlaylistsError extends Error {
  override readonly name = 'PlaylistsError' as const;
  /** Machine-readable reason. */
  readonly code: PlaylistsErrorCode;
  /** Validation mistakes (empty unless the input was rejected). */
  readonly issues: readonly RuleIssue[];
  readonly [brand] = true;

  constructor(options: PlaylistsErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.issues = options.issues ?? [];
  }
}

/**
 * Type guard for {@link PlaylistsError} that works across bundles (ESM/CJS copies).
 *
 * @example
 * ```ts
 * import { isPlaylistsError } from '@spoti/playlists';
 * const failed = (e: unknown) => isPlaylistsError(e) && e.code === 'STALE_PLAN';
 * ```
 */
export function isPlaylistsError(value: unknown): value is PlaylistsError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true &&
    (value as { name?: unknown }).name === 'PlaylistsError'
  );
}
