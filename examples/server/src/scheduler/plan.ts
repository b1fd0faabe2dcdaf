/** When a schedule fires. */
export type ScheduleTiming =
  /** Every `intervalMs`, each key at its own offset inside the interval. */
  | { readonly kind: 'every'; readonly intervalMs: number }
  /** Once a day at `hour:minute` on the user's wall clock (`zone: 'user'`) or in UTC. */
  | {
      readonly kind: 'daily';
      readonly hour: number;
      readonly minute: number;
      readonly zone: 'user' | 'UTC';
    };

/** One recurring job: per user, or once for the whole app. */
export interface ScheduleSpec {
  /** The registered job it enqueues (the schedule is inactive while no such job is registered). */
  readonly job: string;
  readonly scope: 'user' | 'app';
  readonly timing: ScheduleTiming;
  /**
   * How many missed runs are still enqueued after downtime; older ones are skipped (a poll of
   * recent plays or a daily sync covers what the skipped runs would have done).
   */
  readonly maxCatchUp: number;
}

/** Options of {@link schedulePlan}. */
export interface SchedulePlanOptions {
  /** Interval of the recent-plays poll; default 10 minutes. */
  readonly pollIntervalMs?: number | undefined;
}

const MINUTE = 60_000;

/**
 * The schedule of the server's background work: recent plays every 10 minutes per user (spread
 * over the interval), the library sync daily at 07:07 local (with its weekly reconcile), the
 * availability check daily, smart playlists daily at 10:00 local, the release sweep and digests
 * daily, enrichment, the stop of lapsed Student plans and clean-up hourly.
 */
export function schedulePlan(options: SchedulePlanOptions = {}): readonly ScheduleSpec[] {
  const poll = options.pollIntervalMs ?? 10 * MINUTE;
  return [
    // Recently played holds 50 plays: after downtime, an hour of missed polls is plenty.
    {
      job: 'poll-plays',
      scope: 'user',
      timing: { kind: 'every', intervalMs: poll },
      maxCatchUp: 6,
    },
    {
      job: 'library-sync',
      scope: 'user',
      timing: { kind: 'daily', hour: 7, minute: 7, zone: 'user' },
      maxCatchUp: 1,
    },
    {
      job: 'availability',
      scope: 'user',
      timing: { kind: 'daily', hour: 4, minute: 30, zone: 'user' },
      maxCatchUp: 1,
    },
    {
      job: 'playlists-refresh',
      scope: 'user',
      timing: { kind: 'daily', hour: 10, minute: 0, zone: 'user' },
      maxCatchUp: 1,
    },
    {
      job: 'release-sweep',
      scope: 'app',
      timing: { kind: 'daily', hour: 5, minute: 0, zone: 'UTC' },
      maxCatchUp: 1,
    },
    {
      job: 'release-digests',
      scope: 'app',
      timing: { kind: 'daily', hour: 8, minute: 0, zone: 'UTC' },
      maxCatchUp: 1,
    },
    {
      job: 'enrich-tracks',
      scope: 'app',
      timing: { kind: 'every', intervalMs: 60 * MINUTE },
      maxCatchUp: 1,
    },
    {
      job: 'billing-student-lapses',
      scope: 'app',
      timing: { kind: 'every', intervalMs: 60 * MINUTE },
      maxCatchUp: 1,
    },
    {
      job: 'cleanup',
      scope: 'app',
      timing: { kind: 'every', intervalMs: 60 * MINUTE },
      maxCatchUp: 1,
    },
  ];
}
