export { PlaylistsError, isPlaylistsError } from './errors/playlists-error.js';
export type {
  PlaylistsErrorCode,
  PlaylistsErrorOptions,
  RuleIssue,
} from './errors/playlists-error.js';
export {
  FIELD_OPERATORS,
  OPERATORS_BY_TYPE,
  RULE_FIELDS,
  SET_OPERATORS,
} from './rule/fields.js';
export type {
  FieldInfo,
  FieldName,
  FieldOperator,
  FieldScope,
  FieldType,
  SetOperator,
} from './rule/fields.js';
export type {
  Condition,
  DateValue,
  Duration,
  FieldConditionKeys,
  PlayWindow,
  Rule,
  RuleLimit,
  RuleValue,
  SetReference,
  SortKey,
} from './rule/rule.js';
export { parseRule, ruleSchema, safeParseRule } from './rule/parse-rule.js';
export { parseQuery } from './text/parse-query.js';
export { BUILTIN_RULES } from './builtins.js';
export type { BuiltinSlug } from './builtins.js';
export type { LibraryIndexOptions, LibraryInput } from './library/library.js';
export { LibraryIndex, createLibraryIndex } from './library/library-index.js';
export type { PlayStats } from './library/library-index.js';
export type { TextColumn } from './library/text-column.js';
export { loadLibrary } from './library/load-library.js';
export type { LoadLibraryOptions } from './library/load-library.js';
export { evaluateRule, evaluateRules, explainTrack, MAX_RULE_DEPTH } from './evaluate/evaluate.js';
export type {
  ClauseExplanation,
  EvaluateOptions,
  RuleResult,
  TrackExplanation,
} from './evaluate/evaluate.js';
export {
  MAX_ITEMS_PER_CALL,
  planPlaylistSync,
  simulatePlan,
  trackUri,
} from './plan/plan.js';
export type { PlanInput, PlanStep, PlaylistPlan } from './plan/plan.js';
export { createMemoryPlaylistMap } from './plan/playlist-writer.js';
export type {
  PlaylistEntryLike,
  PlaylistMap,
  PlaylistSummaryLike,
  PlaylistWriter,
  ReadCacheOption,
} from './plan/playlist-writer.js';
export { applyPlan, readPlaylistItems } from './plan/apply-plan.js';
export type { ApplyResult } from './plan/apply-plan.js';
export { syncSmartPlaylist } from './plan/sync-smart-playlist.js';
export type { SyncReport, SyncSmartPlaylistOptions } from './plan/sync-smart-playlist.js';
export { MAX_DESCRIPTION_LENGTH, playlistMarker } from './plan/playlist-marker.js';
