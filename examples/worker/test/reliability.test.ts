import { jobIdFor } from '@spoti/example-server/src/runner/job-id.js';
import { schedulePlan } from '@spoti/example-server/src/scheduler/plan.js';
import { nextDailyAt } from '@spoti/example-server/src/scheduler/slots.js';
import { storedPlayEnds, truthPlayEnds } from '@spoti/example-server/test/job-helpers.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OwnRedis,
  type Scenario,
  WorkerProcess,
  freePort,
  onAdmin,
  pollRunIds,
  startScenario,
  until,
} from './harness.js';
import { SmartPlaylistCheck, keepSmartPlaylists } from './smart-playlists.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// 20 listeners for two simulated days by default, so the suite fits the test run's time budget;
// the full scenario is WORKER_SUITE_LISTENERS=50 WORKER_SUITE_DAYS=3.
const LISTENERS = Number(process.env.WORKER_SUITE_LISTENERS ?? 20);
const DAYS = Number(process.env.WORKER_SUITE_DAYS ?? 2);
/** Schedules the workers create: one per listener for each user job, one for each app job. */
const PER_LISTENER = schedulePlan().filter((s) => s.scope === 'user').length;
const FOR_APP = schedulePlan().length - PER_LISTENER;
/** The production cadence of the recent-plays poll, spread per user over the interval. */
const POLL_INTERVAL = 10 * MINUTE;
/** Simulated time moves one poll interval per step: each listener is polled once a step. */
const STEP = POLL_INTERVAL;
const STEPS = (DAYS * 24 * HOUR) / STEP;
/** Steps at which a worker is killed, connections are cut, Redis stops and comes back. */
const KILLS = new Set([
  Math.round(STEPS * 0.15),
  Math.round(STEPS * 0.4),
  Math.round(STEPS * 0.85),
]);
const CUT_AT = Math.round(STEPS * 0.3);
const REDIS_DOWN_AT = Math.round(STEPS * 0.55);
const REDIS_UP_AT = Math.round(STEPS * 0.7);
/** The daily jobs of each listener: the job, its hour and minute on the listener's clock. */
const DAILY = [
  ['library-sync', 7, 7],
  ['availability', 4, 30],
  ['playlists-refresh', 10, 0],
] as const;

describe(`examples/worker: three processes on PostgreSQL, ${LISTENERS} listeners, ${DAYS} simulated day(s)`, () => {
  let scenario: Scenario;
  let redis: OwnRedis;
  let playlists: SmartPlaylistCheck;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    scenario = await startScenario({
      prefix: 'worker_rel',
      seed: 16,
      listeners: LISTENERS,
      artists: 300,
      historyDays: 7,
      pollIntervalMs: POLL_INTERVAL,
      env: {
        PUBLIC_URL: 'http://127.0.0.1:3000',
        REDIS_URL: redis.url,
        WORKER_CONCURRENCY: '2',
        WORKER_EXPIRE_SECONDS: '15',
        WORKER_MAINTENANCE_SECONDS: '1',
      },
    });
    const { database, users, mock, t0 } = scenario;
    // Every other listener keeps the six built-in smart playlists and a rule of their own, each
    // with auto-refresh on: refreshed daily at 10:00 local and after each library sync (half of
    // them, so that the suite's run time stays near what it was before the check).
    const keepers = users.filter((_, i) => i % 2 === 0);
    const rules = await keepSmartPlaylists(database, keepers, t0);
    const zones = new Map(users.map((u) => [u.id, mock.controls.truth.user(u.mockId).timezone]));
    playlists = new SmartPlaylistCheck({
      database,
      users: keepers,
      rules,
      zones,
      t0,
      stepMs: STEP,
      steps: STEPS,
    });
    for (let i = 0; i < 3; i++) workers.push(new WorkerProcess(scenario.env, scenario.logs, i));
    for (const worker of workers) worker.start();
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) await worker.stop().catch(() => undefined);
    await redis?.stop();
    // WORKER_SUITE_KEEP_DB=1 keeps the database (and its name in the log) to look into a failure.
    const keepDatabase = process.env.WORKER_SUITE_KEEP_DB === '1';
    if (keepDatabase) console.log(`kept database ${scenario?.scratch.name}`);
    await scenario?.close({ keepDatabase });
  }, 60_000);

  const count = async (query: ReturnType<typeof sql<{ n: string }>>) =>
    Number((await query.execute(scenario.database.db)).rows[0]?.n ?? 0);
  const pending = () =>
    count(sql`select count(*)::text as n from pgboss.job where state < 'completed'`);
  const drained = async () => {
    const now = scenario.mock.controls.clock.now();
    const overdue = await count(
      sql`select count(*)::text as n from spoti_server_schedules where next_run_at <= ${now}`,
    );
    return overdue === 0 && (await pending()) === 0;
  };

  /** Moves simulated time step by step, with the faults on the way, each step drained. */
  const run = async () => {
    const { mock } = scenario;
    let rng = 7;
    const random = () => {
      rng = (Math.imul(rng, 1_103_515_245) + 12_345) >>> 0;
      return rng / 2 ** 32;
    };
    const started = Date.now();
    for (let step = 1; step <= STEPS; step++) {
      if (process.env.WORKER_TEST_VERBOSE)
        console.log(`step ${step} at ${Date.now() - started} ms`);
      mock.controls.clock.advance(STEP);
      if (KILLS.has(step)) {
        // kill -9 a worker while jobs are running, then start it again.
        await until(async () => (await pending()) > 0, 10_000, 'running jobs');
        await new Promise((resolve) => setTimeout(resolve, 50 + random() * 300));
        const victim = workers[Math.floor(random() * workers.length)] as WorkerProcess;
        await victim.kill9();
        victim.start();
      }
      if (step === CUT_AT) {
        // PostgreSQL restarts under the workers: every connection drops, and for two seconds
        // new ones are refused.
        await until(async () => (await pending()) > 0, 10_000, 'running jobs');
        expect(await scenario.postgres.restart(2_000)).toBeGreaterThan(0);
      }
      if (step === REDIS_DOWN_AT) await redis.stop();
      if (step === REDIS_UP_AT) await redis.start();
      // The first steps hold every listener's first full library sync: minutes on a loaded machine.
      await until(drained, 300_000, `step ${step} to drain`);
      await playlists.afterStep(step);
    }
  };

  /**
   * Every scheduled run completed exactly once: the ledger holds the ids of each schedule's
   * series, no more and no fewer, and one follow-up of each library sync.
   */
  const expectEveryRunOnce = async (end: number) => {
    const { database, users, mock, t0 } = scenario;
    const { rows } = await sql<{ id: string; name: string; user_id: string | null }>`
      select id, name, user_id from spoti_server_job_runs`.execute(database.db);
    const done = new Map<string, Set<string>>();
    for (const row of rows) {
      const key = `${row.name}:${row.user_id ?? ''}`;
      done.set(key, (done.get(key) ?? new Set()).add(row.id));
    }
    for (const user of users) {
      const polls = new Set(pollRunIds(user.id, t0, end, POLL_INTERVAL));
      expect(done.get(`poll-plays:${user.id}`), `poll-plays:${user.id}`).toEqual(polls);
      const zone = mock.controls.truth.user(user.mockId).timezone;
      for (const [job, hour, minute] of DAILY) {
        const key = `${job}:${user.id}`;
        const expected = new Set<string>();
        for (let s = nextDailyAt(t0, zone, hour, minute); s <= end; ) {
          expected.add(jobIdFor(`${key}@${s}`));
          s = nextDailyAt(s, zone, hour, minute);
        }
        // The playlist refresh also follows each library sync, under a run id of its own.
        const followUps = job === 'playlists-refresh' ? DAYS : 0;
        const ran = done.get(key) ?? new Set();
        expect(ran.size, key).toBe(expected.size + followUps);
        for (const id of expected) expect(ran.has(id), `${key} ran ${id}`).toBe(true);
      }
      // One face refresh after each library sync.
      expect(done.get(`face-refresh:${user.id}`)?.size).toBe(DAYS);
    }
  };

  it('stores exactly the plays the mock served, runs every scheduled run once and keeps every smart playlist equal to its rule, through kill -9, a PostgreSQL restart and a Redis outage', async () => {
    const { database, users, mock, t0, scratch } = scenario;
    // The schedules exist (created by whichever worker ticked first) before time moves.
    await until(
      async () =>
        // One schedule per listener for each user job of the plan, one for each app job.
        (await count(sql`select count(*)::text as n from spoti_server_schedules`)) ===
        LISTENERS * PER_LISTENER + FOR_APP,
      // Three workers start (and compile) at once: slow on a loaded machine.
      180_000,
      'the schedules',
    );
    await run();
    const end = mock.controls.clock.now();

    // The workers reconnected after the restart.
    const reconnected = await onAdmin(
      `select pid from pg_stat_activity where datname = $1 and application_name = 'spoti-worker'`,
      [scratch.name],
    );
    expect(reconnected.length).toBeGreaterThan(0);

    // Plays stored equal the mock's ground truth exactly: nothing lost, nothing twice.
    for (const user of users) {
      const stored = await storedPlayEnds(database.db, user.id, t0);
      const truth = truthPlayEnds(mock, user.mockId, t0).filter((at) => at <= end);
      expect(stored, `plays of ${user.mockId}`).toEqual(truth);
    }
    await expectEveryRunOnce(end);
    // Each smart playlist on the mock equals its rule's evaluation at its last refresh, and the
    // library changed enough between the last two refreshes for a skipped one to show.
    expect(await playlists.differences(mock)).toEqual([]);
    expect(playlists.noticeableSkips()).toBeGreaterThan(0);
    const { rows: dead } = await sql`select * from spoti_server_dead_jobs`.execute(database.db);
    expect(dead).toEqual([]);

    // Redis went away once: each worker alive through the outage logged it once, not per job.
    for (const worker of workers) {
      const lines = await worker.lines();
      const down = lines.filter((l) => String(l.msg).startsWith('redis unavailable'));
      expect(down.length, `worker ${worker.index}`).toBe(1);
    }
  }, 1_800_000);
});
