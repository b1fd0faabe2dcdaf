import { storedPlayEnds, truthPlayEnds } from '@spoti/example-server/test/job-helpers.js';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, WorkerProcess, pollRunIds, startScenario, until } from './harness.js';

const MINUTE = 60_000;
const POLL_INTERVAL = 10 * MINUTE;
const LISTENERS = 4;

// SIGTERM while jobs run, with a real worker process: the worker stops fetching, lets the running
// jobs end (or interrupts and defers them past WORKER_STOP_SECONDS), and only then closes the
// queue and the database. Before, jobs could run after the database had closed and failed with
// "driver has already been destroyed" until they were dead-lettered.
describe('examples/worker: SIGTERM while jobs run', () => {
  let scenario: Scenario;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    scenario = await startScenario({
      prefix: 'worker_stop',
      seed: 23,
      listeners: LISTENERS,
      artists: 200,
      historyDays: 3,
      pollIntervalMs: POLL_INTERVAL,
      env: { WORKER_CONCURRENCY: String(LISTENERS), WORKER_EXPIRE_SECONDS: '60' },
    });
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) await worker.kill9().catch(() => undefined);
    await scenario?.close();
  }, 60_000);

  const count = async (query: RawBuilder<{ n: string }>) =>
    Number((await query.execute(scenario.database.db)).rows[0]?.n ?? 0);
  const active = () =>
    count(sql`select count(*)::text as n from pgboss.job
      where name = 'poll-plays' and state = 'active'`);
  /** Tries that failed (retry, failed) and dead letters: a clean stop leaves none. */
  const failures = async () =>
    (await count(
      sql`select count(*)::text as n from pgboss.job where state in ('retry', 'failed')`,
    )) + (await count(sql`select count(*)::text as n from spoti_server_dead_jobs`));
  const ledger = async () =>
    new Set(
      (
        await sql<{ id: string }>`select id from spoti_server_job_runs`.execute(
          scenario.database.db,
        )
      ).rows.map((r) => r.id),
    );
  /** The poll runs of every listener due by now. */
  const dueRuns = () =>
    scenario.users.flatMap((user) =>
      pollRunIds(user.id, scenario.t0, scenario.mock.controls.clock.now(), POLL_INTERVAL),
    );
  const startWorker = async (extra: Record<string, string> = {}) => {
    const worker = new WorkerProcess({ ...scenario.env, ...extra }, scenario.logs, workers.length);
    workers.push(worker);
    worker.start();
    await until(
      async () =>
        (await count(sql`select count(*)::text as n from spoti_server_schedules`)) >= LISTENERS,
      180_000,
      'the schedules',
    );
    return worker;
  };
  /** SIGTERM once `n` polls are running (each held by the mock's latency). */
  const stopWhileRunning = async (worker: WorkerProcess) => {
    scenario.mock.controls.clock.advance(POLL_INTERVAL);
    await until(async () => (await active()) >= LISTENERS, 60_000, 'running polls');
    return await worker.stop();
  };

  it('lets running jobs finish before the queue and the database close', async () => {
    const worker = await startWorker();
    scenario.mock.controls.faults.set({ latencyMs: 1_500, paths: /recently-played/ });
    const code = await stopWhileRunning(worker);
    scenario.mock.controls.faults.clear();

    expect(code).toBe(0);
    expect(await active()).toBe(0);
    expect(await failures()).toBe(0);
    const done = await ledger();
    for (const id of dueRuns()) expect(done.has(id), id).toBe(true);
    const lines = await worker.lines();
    expect(lines.filter((l) => l.msg === 'job failed')).toEqual([]);
    expect(lines.some((l) => String(l.msg).includes('still running at shutdown'))).toBe(false);
  }, 300_000);

  it('interrupts jobs that outlast WORKER_STOP_SECONDS and defers them without spending a try', async () => {
    const worker = await startWorker({ WORKER_STOP_SECONDS: '1' });
    scenario.mock.controls.faults.set({ latencyMs: 20_000, paths: /recently-played/ });
    const before = await ledger();
    const code = await stopWhileRunning(worker);
    scenario.mock.controls.faults.clear();

    expect(code).toBe(0);
    expect(await active()).toBe(0);
    expect(await failures()).toBe(0);
    // The interrupted polls did not complete: each waits as a deferred copy.
    const interrupted = dueRuns().filter((id) => !before.has(id));
    expect(interrupted.length).toBe(LISTENERS);
    const done = await ledger();
    for (const id of interrupted) expect(done.has(id), id).toBe(false);
    const copies = await count(sql`select count(*)::text as n from pgboss.job
      where name = 'poll-plays' and state = 'created' and data->>'runId' = any(${interrupted})`);
    expect(copies).toBe(LISTENERS);

    // A worker started again runs them, once each, and no play is lost.
    const again = await startWorker();
    await until(
      async () =>
        (await count(sql`select count(*)::text as n from pgboss.job where state < 'completed'`)) ===
        0,
      120_000,
      'the deferred polls',
    );
    const after = await ledger();
    for (const id of dueRuns()) expect(after.has(id), id).toBe(true);
    expect(await failures()).toBe(0);
    const { mock, database, t0 } = scenario;
    const end = mock.controls.clock.now();
    for (const user of scenario.users) {
      const stored = await storedPlayEnds(database.db, user.id, t0);
      const truth = truthPlayEnds(mock, user.mockId, t0).filter((at) => at <= end);
      expect(stored, `plays of ${user.mockId}`).toEqual(truth);
    }
    expect(await again.stop()).toBe(0);
  }, 300_000);
});
