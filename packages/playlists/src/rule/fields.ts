/** The kinds of value a rule field holds. */
export type FieldType = 'string' | 'number' | 'boolean' | 'date' | 'hours' | 'weekdays';

/** Where a field's value comes from. */
export type FieldScope = 'track' | 'album' | 'artist' | 'library' | 'plays';

/** Description of one rule field (see {@link RULE_FIELDS}). */
export interface FieldInfo {
  /** Value kind, which decides the operators that apply. */
  readonly type: FieldType;
  /** Where the value comes from. */
  readonly scope: FieldScope;
  /** True when a track may have several values (any value may satisfy a positive operator). */
  readonly multi: boolean;
  /** True for play-log fields, which accept a `window`. */
  readonly windowed: boolean;
  /** True when the field may be used in `sort`. */
  readonly sortable: boolean;
  /** One line for the rule reference. */
  readonly description: string;
}

function field(
  type: FieldType,
  scope: FieldScope,
  description: string,
  extra: Partial<Pick<FieldInfo, 'multi' | 'sortable'>> = {},
): FieldInfo {
  return {
    type,
    scope,
    multi: extra.multi ?? false,
    windowed: scope === 'plays',
    sortable: extra.sortable ?? true,
    description,
  };
}

/**
 * Every field a rule may test or sort by, with its type and origin. Play-log fields count plays of
 * at least `minPlayMs` (default 30 s) as plays and shorter or `skipped` ones as skips.
 *
 * @example
 * ```ts
 * import { RULE_FIELDS } from '@spoti/playlists';
 * RULE_FIELDS.lastPlayed.type; // 'date'
 * ```
 */
export const RULE_FIELDS = {
  title: field('string', 'track', 'Track name.'),
  artist: field('string', 'artist', 'Name of any of the track’s artists.', { multi: true }),
  artistId: field('string', 'artist', 'Id of any of the track’s artists.', { multi: true }),
  album: field('string', 'album', 'Album name.'),
  albumId: field('string', 'album', 'Album id.'),
  albumType: field('string', 'album', '`album`, `single` or `compilation`.'),
  label: field('string', 'album', 'Record label of the album.'),
  trackId: field('string', 'track', 'Track id.'),
  isrc: field('string', 'track', 'International Standard Recording Code.'),
  genre: field('string', 'artist', 'Any genre of the album or of the track’s artists.', {
    multi: true,
  }),
  duration: field('number', 'track', 'Length in seconds.'),
  trackNumber: field('number', 'track', 'Position on its disc.'),
  discNumber: field('number', 'track', 'Disc number.'),
  explicit: field('boolean', 'track', 'Explicit lyrics.'),
  releaseDate: field('date', 'album', 'Album release date, with its precision (year, month, day).'),
  year: field('number', 'album', 'Release year.'),
  saved: field('boolean', 'library', 'In the listener’s saved tracks (liked).'),
  addedAt: field('date', 'library', 'When the track was saved; none when not saved.'),
  playCount: field('number', 'plays', 'Plays of at least `minPlayMs`.'),
  skipCount: field('number', 'plays', 'Plays marked skipped, or shorter than `minPlayMs`.'),
  skipRate: field('number', 'plays', 'skipCount / all streams (0..1); none when never streamed.'),
  minutesPlayed: field('number', 'plays', 'Total listening time in minutes (every stream).'),
  firstPlayed: field('date', 'plays', 'First play; none when never played.'),
  lastPlayed: field('date', 'plays', 'Latest play; none when never played.'),
  daysSinceLastPlay: field('number', 'plays', 'Whole days from the latest play to `now`.'),
  playedAtHour: field('hours', 'plays', 'Local hours (0..23) at which the track was played.', {
    multi: true,
    sortable: false,
  }),
  playedOnWeekday: field(
    'weekdays',
    'plays',
    'Local weekdays (0 = Sunday .. 6, or `mon`..`sun`) on which it was played.',
    { multi: true, sortable: false },
  ),
  artistPlayCount: field('number', 'plays', 'Plays of any track by the track’s first artist.'),
  albumPlayCount: field('number', 'plays', 'Plays of any track of the album.'),
} as const satisfies Record<string, FieldInfo>;

/** A field name of the rule language. */
export type FieldName = keyof typeof RULE_FIELDS;

/**
 * Operators that compare one field with a value.
 *
 * @example
 * ```ts
 * import { FIELD_OPERATORS } from '@spoti/playlists';
 * FIELD_OPERATORS.includes('inTheLast'); // true
 * ```
 */
export const FIELD_OPERATORS = [
  'is',
  'isNot',
  'gt',
  'lt',
  'contains',
  'notContains',
  'startsWith',
  'endsWith',
  'matches',
  'inTheRange',
  'before',
  'after',
  'inTheLast',
  'notInTheLast',
] as const;
/** An operator that compares one field with a value. */
export type FieldOperator = (typeof FIELD_OPERATORS)[number];

/**
 * Operators that test membership of a playlist or of another rule's result.
 *
 * @example
 * ```ts
 * import { SET_OPERATORS } from '@spoti/playlists';
 * SET_OPERATORS; // ['inPlaylist', 'notInPlaylist', 'inRule', 'notInRule']
 * ```
 */
export const SET_OPERATORS = ['inPlaylist', 'notInPlaylist', 'inRule', 'notInRule'] as const;
/** An operator that tests membership of a playlist or of another rule's result. */
export type SetOperator = (typeof SET_OPERATORS)[number];

/**
 * Which operators apply to which field type.
 *
 * @example
 * ```ts
 * import { OPERATORS_BY_TYPE, RULE_FIELDS } from '@spoti/playlists';
 * OPERATORS_BY_TYPE[RULE_FIELDS.releaseDate.type]; // ['is', 'before', 'after', 'inTheRange', 'inTheLast', 'notInTheLast']
 * ```
 */
export const OPERATORS_BY_TYPE: Readonly<Record<FieldType, readonly FieldOperator[]>> = {
  string: ['is', 'isNot', 'contains', 'notContains', 'startsWith', 'endsWith', 'matches'],
  number: ['is', 'isNot', 'gt', 'lt', 'inTheRange'],
  boolean: ['is', 'isNot'],
  date: ['is', 'before', 'after', 'inTheRange', 'inTheLast', 'notInTheLast'],
  hours: ['is', 'isNot', 'gt', 'lt', 'inTheRange'],
  weekdays: ['is', 'isNot', 'inTheRange'],
};

/** Operators that are the exact negation of another one (true where the other is false). */
export const NEGATED_OPERATORS: Readonly<Partial<Record<FieldOperator, FieldOperator>>> = {
  isNot: 'is',
  notContains: 'contains',
  notInTheLast: 'inTheLast',
};

/** True when `name` is a field of the rule language. */
export function isFieldName(name: string): name is FieldName {
  return Object.hasOwn(RULE_FIELDS, name);
}
