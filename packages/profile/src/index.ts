/**
 * `@spoti/profile`: the `ListeningProfile` contract (types, zod schema, genre families and
 * achievement ids) shared by `@spoti/analytics` and `@spoti/sync`, which produce profiles, and
 * `@spoti/face`, which draws them. No storage, no I/O; its only dependency is zod.
 *
 * @packageDocumentation
 */
export { GENRE_FAMILIES, genreFamilyOf } from './genre-family.js';
export type { GenreFamily } from './genre-family.js';
export { ACHIEVEMENT_IDS, FEATURE_KEYS, listeningProfileSchema } from './listening-profile.js';
export type {
  AchievementId,
  FeatureKey,
  ListeningProfile,
  Signal,
  SignalSource,
} from './listening-profile.js';
