// The ListeningProfile contract lives in `@spoti/profile` (no storage, no I/O); analytics
// re-exports it so existing imports keep working.
export { ACHIEVEMENT_IDS, FEATURE_KEYS, listeningProfileSchema } from '@spoti/profile';
export type {
  AchievementId,
  FeatureKey,
  ListeningProfile,
  Signal,
  SignalSource,
} from '@spoti/profile';
