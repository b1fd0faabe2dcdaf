import type { Rule } from './rule/rule.js';

/** Slugs of the {@link BUILTIN_RULES}. */
export type BuiltinSlug =
  | 'never-played'
  | 'played-once'
  | 'played-more-than-once'
  | 'most-played'
  | 'liked-last-30-days'
  | 'new-never-played';

/**
 * The six classic library-tracker playlists, written in the rule language so they can be read,
 * copied and changed. "Saved" means in the listener's saved tracks (liked songs).
 *
 * @example
 * ```ts
 * import { BUILTIN_RULES } from '@spoti/playlists';
 * console.log(JSON.stringify(BUILTIN_RULES['played-more-than-once']));
 * ```
 */
export const BUILTIN_RULES: Readonly<Record<BuiltinSlug, Rule>> = {
  'never-played': {
    name: 'Never played',
    description: 'Saved tracks with no play yet, newest saves first.',
    all: [{ is: { saved: true } }, { is: { playCount: 0 } }],
    sort: [{ by: 'addedAt', order: 'desc' }],
  },
  'played-once': {
    name: 'Played once',
    description: 'Saved tracks played exactly once, most recently played first.',
    all: [{ is: { saved: true } }, { is: { playCount: 1 } }],
    sort: [{ by: 'lastPlayed', order: 'desc' }],
  },
  'played-more-than-once': {
    name: 'Played more than once',
    description: 'Saved tracks played twice or more, the one played longest ago first.',
    all: [{ is: { saved: true } }, { gt: { playCount: 1 } }],
    sort: [{ by: 'lastPlayed', order: 'asc' }],
  },
  'most-played': {
    name: 'Most played',
    description: 'The 100 tracks with the most plays, saved or not.',
    all: [{ gt: { playCount: 0 } }],
    sort: [
      { by: 'playCount', order: 'desc' },
      { by: 'lastPlayed', order: 'desc' },
    ],
    limit: 100,
  },
  'liked-last-30-days': {
    name: 'Liked in the last 30 days',
    description: 'Tracks saved in the last 30 days, newest first.',
    all: [{ inTheLast: { addedAt: 30 } }],
    sort: [{ by: 'addedAt', order: 'desc' }],
  },
  'new-never-played': {
    name: 'New and never played',
    description: 'Tracks saved in the last 30 days and not played since, newest first.',
    all: [{ inTheLast: { addedAt: 30 } }, { is: { playCount: 0 } }],
    sort: [{ by: 'addedAt', order: 'desc' }],
  },
};
