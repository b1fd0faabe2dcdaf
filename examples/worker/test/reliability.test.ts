import { type MockServer, startMock } from '@spoti/mock';
import { createTokenCipher } from '@spoti/example-server/src/auth/token-cipher.js';
import { jobIdFor } from '@spoti/example-server/src/runner/job-id.js';
import { schedulePlan } from '@spoti/example-server/src/scheduler/plan.js';
import { nextDailyAt, nextEvery, spreadOffset } from '@spoti/example-server/src/scheduler/slots.js';
import { type Database, openDatabase } from '@spoti/example-server/src/storage/database.js';
import {
  type SeededUser,
  seedUsers,
  storedPlayEnds,
  truthPlayEnds,
} from '@spoti/example-server/test/job-helpers.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_TOKEN_KEYS,
  OwnRedis,
  WorkerProcess,
  freePort,
  logFolder,
  onAdmin,
  scratchDatabase,
  serveClock,
  until,
} from './harness.js';

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

describe(`examples/worker: three processes on PostgreSQL, ${LISTENERS} listeners, ${DAYS} simulated day(s)`, () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let mock: MockServer;
  let database: Database;
  let users: SeededUser[];
  let clock: Awaited<ReturnType<typeof serveClock>>;
  let redis: OwnRedis;
  const workers: WorkerProcess[] = [];
  let t0 = 0;

  beforeAll(async () => {
    // Commits do not wait on the shared disk: the suite kills clients and cuts their connections;
    // the PostgreSQL server itself keeps running, so nothing committed is lost.
    scratch = await scratchDatabase('worker_rel', { asyncCommit: true });
    mock = await startMock({
      seed: 16,
      profile: 'development-2026',
      worldOptions: { size: 'tiny', users: LISTENERS, artists: 300, historyDays: 7 },
    });
    database = await openDatabase({ kind: 'postgres', url: scratch.url });
    t0 = mock.controls.clock.now();
    const [id, hex] = FAKE_TOKEN_KEYS.split(':') as [string, string];
    const cipher = createTokenCipher([{ id, key: Buffer.from(hex, 'hex') }]);
    users = await seedUsers(database, cipher, mock, LISTENERS, t0);
    clock = await serveClock(mock.controls.clock);
    redis = new OwnRedis(await freePort());
    await redis.start();
    const logs = await logFolder();
    const env = {
      DATABASE_URL: scratch.url,
      PUBLIC_URL: 'http://127.0.0.1:3000',
      TOKEN_KEYS: FAKE_TOKEN_KEYS,
      SPOTIFY_API_URL: mock.apiUrl,
      SPOTIFY_ACCOUNTS_URL: mock.accountsUrl,
      CLOCK_URL: clock.url,
      REDIS_URL: redis.url,
      DATA_DIR: logs,
      LOG_LEVEL: 'info',
      WORKER_CONCURRENCY: '2',
      WORKER_TICK_MS: '100',
      WORKER_POLLING_SECONDS: '0.5',
      WORKER_EXPIRE_SECONDS: '15',
      // Time runs several hundred times faster than the wall clock: pacing scaled to match.
      POLL_INTERVAL_MS: String(POLL_INTERVAL),
      SPOTIFY_RATE_WINDOW_MS: '1000',
      SPOTIFY_RATE_ALLOWANCE: '2000',
      WORKER_MAINTENANCE_SECONDS: '1',
      WORKER_RETRY_DELAY_SECONDS: '1',
    };
    for (let i = 0; i < 3; i++) workers.push(new WorkerProcess(env, logs, i));
    for (const worker of workers) worker.start();
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) await worker.stop().catch(() => undefined);
    await redis?.stop();
    await clock?.close();
    await database?.close();
    await mock?.close();
    // WORKER_SUITE_KEEP_DB=1 keeps the database (and its name in the log) to look into a failure.
    if (process.env.WORKER_SUITE_KEEP_DB === '1') console.log(`kept database ${scratch?.name}`);
    else await scratch?.drop();
  }, 60_000);

  const pending = async (): Promise<number> => {
    const { rows } = await sql<{ n: string }>`
      select count(*)::text as n from pgboss.job where state < 'completed'`.execute(database.db);
    return Number(rows[0]?.n ?? 0);
  };
  const overdueSchedules = async (now: number): Promise<number> => {
    const { rows } = await sql<{ n: string }>`
      select count(*)::text as n from spoti_server_schedules where next_run_at <= ${now}`.execute(
      database.db,
    );
    return Number(rows[0]?.n ?? 0);
  };
  const drained = async () => {
    const now = mock.controls.clock.now();
    return (await overdueSchedules(now)) === 0 && (await pending()) === 0;
  };

  it('stores exactly the plays the mock served and runs every scheduled run once, through kill -9, dropped connections and a Redis outage', async () => {
    // The schedules exist (created by whichever worker ticked first) before time moves.
    await until(
      async () => {
        const { rows } = await sql<{ n: string }>`
          select count(*)::text as n from spoti_server_schedules`.execute(database.db);
        // One schedule per listener for each user job of the plan, one for each app job.
        return Number(rows[0]?.n) === LISTENERS * PER_LISTENER + FOR_APP;
      },
      // Three workers start (and compile) at once: slow on a loaded machine.
      180_000,
      'the schedules',
    );
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
        // Every connection of the workers to PostgreSQL is cut, as a server restart would.
        await until(async () => (await pending()) > 0, 10_000, 'running jobs');
        const cut = await onAdmin<{ pid: number }>(
          `select pg_terminate_backend(pid) as pid from pg_stat_activity
           where datname = $1 and application_name = 'spoti-worker'`,
          [scratch.name],
        );
        expect(cut.length).toBeGreaterThan(0);
      }
      if (step === REDIS_DOWN_AT) await redis.stop();
      if (step === REDIS_UP_AT) await redis.start();
      // The first steps hold every listener's first full library sync: minutes on a loaded machine.
      await until(drained, 300_000, `step ${step} to drain`);
    }
    const end = mock.controls.clock.now();

    // The workers reconnected after their connections were cut.
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

    // Every scheduled run completed exactly once: the ledger holds the ids of the schedule's
    // series, no more and no fewer.
    const { rows } = await sql<{ id: string; name: string; user_id: string | null }>`
      select id, name, user_id from spoti_server_job_runs`.execute(database.db);
    const done = new Map<string, Set<string>>();
    for (const row of rows) {
      const key = `${row.name}:${row.user_id ?? ''}`;
      done.set(key, (done.get(key) ?? new Set()).add(row.id));
    }
    const zones = new Map(users.map((u) => [u.id, mock.controls.truth.user(u.mockId).timezone]));
    for (const user of users) {
      const pollKey = `poll-plays:${user.id}`;
      const polls = new Set<string>();
      const offset = spreadOffset(pollKey, POLL_INTERVAL);
      for (let s = nextEvery(t0, POLL_INTERVAL, offset); s <= end; s += POLL_INTERVAL) {
        polls.add(jobIdFor(`${pollKey}@${s}`));
      }
      expect(done.get(`poll-plays:${user.id}`), pollKey).toEqual(polls);
      for (const [job, hour, minute] of [
        ['library-sync', 7, 7],
        ['availability', 4, 30],
      ] as const) {
        const key = `${job}:${user.id}`;
        const expected = new Set<string>();
        const zone = zones.get(user.id) ?? 'UTC';
        for (
          let s = nextDailyAt(t0, zone, hour, minute);
          s <= end;
          s = nextDailyAt(s, zone, hour, minute)
        ) {
          expected.add(jobIdFor(`${key}@${s}`));
        }
        expect(done.get(`${job}:${user.id}`), key).toEqual(expected);
      }
      // One face refresh after each library sync.
      expect(done.get(`face-refresh:${user.id}`)?.size).toBe(DAYS);
    }
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
