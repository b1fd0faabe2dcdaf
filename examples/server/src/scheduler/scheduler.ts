import { type Kysely, sql } from 'kysely';
import type { JobQueue, NewJob } from '../runner/job-queue.js';
import { jobIdFor } from '../runner/job-id.js';
import type { JobsDatabase } from '../storage/jobs-schema.js';
import type { ScheduleSpec, ScheduleTiming } from './plan.js';
import { nextDailyAt, nextEvery, spreadOffset } from './slots.js';

/** A user as the scheduler needs them. */
export interface ScheduledUser {
  readonly id: string;
  readonly timeZone: string;
  /** Spotify refused their token: their Spotify jobs stop until they sign in again. */
  readonly reconnectRequired: boolean;
}

/** What one {@link Scheduler.tick} did. */
export interface TickResult {
  /** Runs that came due (each enqueued under its own run key). */
  readonly due: number;
  /** Of those, the jobs the queue did not have yet. */
  readonly enqueued: number;
  /** Missed runs past `maxCatchUp` that were skipped. */
  readonly skipped: number;
}

/** Options of {@link Scheduler}. */
export interface SchedulerOptions {
  readonly db: Kysely<unknown>;
  readonly plan: readonly ScheduleSpec[];
  /** Only specs whose job is registered are scheduled. */
  readonly isRegistered: (job: string) => boolean;
  readonly queue: JobQueue;
  readonly listUsers: () => Promise<readonly ScheduledUser[]>;
  readonly clock: { now(): number };
  /** Due schedules handled per tick (default 2,000). */
  readonly batch?: number;
  /**
   * Jobs that wait while the app is blocked (Spotify's rate limit or daily quota) and the end of
   * that block: their schedules stay put until it lifts, then `maxCatchUp` runs are enqueued.
   */
  readonly blocked?: {
    readonly jobs: (job: string) => boolean;
    readonly until: (now: number) => Promise<number | null>;
  };
}

function scheduleKey(spec: ScheduleSpec, userId: string | null): string {
  return userId === null ? spec.job : `${spec.job}:${userId}`;
}

function nextAfter(timing: ScheduleTiming, key: string, afterMs: number, zone: string): number {
  if (timing.kind === 'every') {
    return nextEvery(afterMs, timing.intervalMs, spreadOffset(key, timing.intervalMs));
  }
  return nextDailyAt(afterMs, timing.zone === 'UTC' ? 'UTC' : zone, timing.hour, timing.minute);
}

/**
 * Turns the schedule plan into queued jobs. The next run of every schedule lives in
 * `spoti_server_schedules`; a tick enqueues each due run under a run key
 * (`poll-plays:<user>@<slot>`) whose job id is derived from it, then moves the schedule on with a
 * compare-and-set. A crash between the two re-enqueues the same ids (ignored), and two processes
 * ticking at once enqueue each run once: so a restart neither loses nor repeats a run, and any
 * number of workers may tick.
 */
export class Scheduler {
  readonly #db: Kysely<JobsDatabase>;
  /** The user ids the schedules were last completed for (a tick skips the pass while equal). */
  #ensuredFor: string | null = null;

  constructor(private readonly options: SchedulerOptions) {
    this.#db = options.db as Kysely<JobsDatabase>;
  }

  /**
   * Creates the schedules of new users and app-wide jobs (first run: the next slot after now).
   * Given the users a tick just listed, it does nothing while they are the ones it last completed
   * the schedules for (a tick then reads no schedule keys).
   */
  async ensureSchedules(listed?: readonly ScheduledUser[]): Promise<number> {
    const users = listed ?? (await this.options.listUsers());
    const signature = users.map((u) => u.id).join('\n');
    if (listed !== undefined && signature === this.#ensuredFor) return 0;
    const now = this.options.clock.now();
    const specs = this.options.plan.filter((s) => this.options.isRegistered(s.job));
    const existing = new Set(
      (await this.#db.selectFrom('spoti_server_schedules').select('key').execute()).map(
        (r) => r.key,
      ),
    );
    const rows: {
      key: string;
      job: string;
      user_id: string | null;
      next_run_at: number;
      updated_at: number;
    }[] = [];
    for (const spec of specs) {
      const owners: (ScheduledUser | null)[] = spec.scope === 'app' ? [null] : [...users];
      for (const owner of owners) {
        const key = scheduleKey(spec, owner?.id ?? null);
        if (existing.has(key)) continue;
        rows.push({
          key,
          job: spec.job,
          user_id: owner?.id ?? null,
          next_run_at: nextAfter(spec.timing, key, now, owner?.timeZone ?? 'UTC'),
          updated_at: now,
        });
      }
    }
    for (let i = 0; i < rows.length; i += 500) {
      await this.#db
        .insertInto('spoti_server_schedules')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    }
    this.#ensuredFor = signature;
    return rows.length;
  }

  /** Enqueues every run that is due and moves each schedule to its next run. */
  async tick(): Promise<TickResult> {
    const listed = await this.options.listUsers();
    await this.ensureSchedules(listed);
    const now = this.options.clock.now();
    const specs = new Map(this.options.plan.map((s) => [s.job, s]));
    const due = await this.#db
      .selectFrom('spoti_server_schedules')
      .selectAll()
      .where('next_run_at', '<=', now)
      .orderBy('next_run_at')
      .limit(this.options.batch ?? 2000)
      .execute();
    if (due.length === 0) return { due: 0, enqueued: 0, skipped: 0 };
    const users = new Map(listed.map((u) => [u.id, u]));
    const blocked = (await this.options.blocked?.until(now)) != null;
    const jobs: NewJob[] = [];
    const moves: { key: string; from: number; to: number }[] = [];
    let skipped = 0;
    for (const row of due) {
      const spec = specs.get(row.job);
      const user = row.user_id === null ? undefined : users.get(row.user_id);
      const from = Number(row.next_run_at);
      if (spec === undefined || (row.user_id !== null && user === undefined)) continue;
      if (blocked && this.options.blocked?.jobs(spec.job) === true) continue;
      const slots: number[] = [];
      let at = from;
      for (; at <= now; at = nextAfter(spec.timing, row.key, at, user?.timeZone ?? 'UTC')) {
        slots.push(at);
      }
      const kept = slots.slice(-spec.maxCatchUp);
      skipped += slots.length - kept.length;
      if (this.options.isRegistered(spec.job) && user?.reconnectRequired !== true) {
        for (const slot of kept) {
          const runKey = `${row.key}@${slot}`;
          jobs.push({
            id: jobIdFor(runKey),
            name: spec.job,
            input: { ...(row.user_id === null ? {} : { userId: row.user_id }), slot, runKey },
            runAfter: slot,
          });
        }
      }
      moves.push({ key: row.key, from, to: at });
    }
    // Enqueue first, then move the schedules: a crash in between re-enqueues the same ids.
    const enqueued = await this.options.queue.enqueue(jobs);
    for (const move of moves) {
      await sql`update spoti_server_schedules set next_run_at = ${move.to}, updated_at = ${now}
        where key = ${move.key} and next_run_at = ${move.from}`.execute(this.#db);
    }
    return { due: jobs.length, enqueued, skipped };
  }

  /** The earliest next run of any schedule, or null. */
  async nextDue(): Promise<number | null> {
    const row = await this.#db
      .selectFrom('spoti_server_schedules')
      .select((eb) => eb.fn.min('next_run_at').as('at'))
      .executeTakeFirst();
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }
}
