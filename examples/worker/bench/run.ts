// `pnpm --filter @spoti/example-worker bench`: the job layer's figures, written to BENCHMARKS.md.
// BENCH_USERS and BENCH_HOURS size the throughput run (default 1,000 users for 24 simulated hours);
// BENCH_BUDGET_MINUTES (or BENCH_STOP_AT, a time) stops it at the first simulated step past that
// much wall time (the figures then cover the simulated time measured, and say so);
// BENCH_CONCURRENCY: jobs per queue at once.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setMaxListeners } from 'node:events';
import { loadavg } from 'node:os';
import { createTokenCipher } from '@spoti/example-server/src/auth/token-cipher.js';
import { ImportProgressHub } from '@spoti/example-server/src/jobs/import-progress.js';
import type { JobDeps } from '@spoti/example-server/src/jobs/deps.js';
import { createLogger } from '@spoti/example-server/src/logger.js';
import { executeJob } from '@spoti/example-server/src/runner/execute-job.js';
import { JobRegistry } from '@spoti/example-server/src/runner/job-registry.js';
import { createJobStore } from '@spoti/example-server/src/runner/job-store.js';
import { jobIdFor } from '@spoti/example-server/src/runner/job-id.js';
import { schedulePlan } from '@spoti/example-server/src/scheduler/plan.js';
import { spreadOffset } from '@spoti/example-server/src/scheduler/slots.js';
import { type Database, openDatabase } from '@spoti/example-server/src/storage/database.js';
import { createUserRepository } from '@spoti/example-server/src/storage/users.js';
import {
  seedUsers,
  storedPlayEnds,
  truthPlayEnds,
} from '@spoti/example-server/test/job-helpers.js';
import { startMock } from '@spoti/mock';
import { sql, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import { FAKE_TOKEN_KEYS, scratchDatabase } from '../test/harness.js';
import { workerSpotify } from '../src/spotify-access.js';
import { startWorker } from '../src/worker.js';

const MINUTE = 60_000;
const USERS = Number(process.env.BENCH_USERS ?? 1000);
const HOURS = Number(process.env.BENCH_HOURS ?? 24);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MINUTES ?? Number.POSITIVE_INFINITY) * MINUTE;
/** BENCH_STOP_AT (an ISO time): the run also stops at the first step past it. */
const STOP_AT = Date.parse(process.env.BENCH_STOP_AT ?? '') || Number.POSITIVE_INFINITY;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** The daily quota assumed (Spotify publishes none; the figure of the mock's quota example). */
const QUOTA = 10_000;
const logger = createLogger('silent');
const [keyId, keyHex] = FAKE_TOKEN_KEYS.split(':') as [string, string];
const cipher = createTokenCipher([{ id: keyId, key: Buffer.from(keyHex, 'hex') }]);

async function queueOverhead(jobs: number) {
  const scratch = await scratchDatabase('worker_bench_q');
  const database = await openDatabase({ kind: 'postgres', url: scratch.url });
  const boss = new PgBoss({ connectionString: scratch.url, schedule: false, supervise: false });
  await boss.start();
  const registry = new JobRegistry().register({ name: 'noop', run: async () => ({ ok: true }) });
  const store = createJobStore(database.db as unknown as Kysely<unknown>);
  const deps = { clock: { now: () => Date.now() }, logger } as unknown as JobDeps;
  const round = async (queue: string, wrapped: boolean) => {
    await boss.createQueue(queue, { name: queue });
    const started = performance.now();
    for (let i = 0; i < jobs; i++) await boss.send(queue, { i }, { id: jobIdFor(`${queue}:${i}`) });
    let done = 0;
    await new Promise<void>((resolve) => {
      void boss.work<{ i: number }>(
        queue,
        { batchSize: 20, pollingIntervalSeconds: 0.5 },
        async (batch) => {
          for (const job of batch) {
            if (wrapped)
              await executeJob(registry, store, deps, {
                id: job.id,
                name: 'noop',
                input: job.data,
                attempt: 1,
              });
            else await registry.get('noop')?.run(deps, job.data);
          }
          done += batch.length;
          if (done >= jobs) resolve();
        },
      );
    });
    await boss.offWork(queue);
    return (performance.now() - started) / jobs;
  };
  // Alternating rounds, so that a change in the machine's load hits both kinds alike.
  const bares: number[] = [];
  const wrappeds: number[] = [];
  for (let r = 0; r < 2; r++) {
    bares.push(await round(`bench-bare-${r}`, false));
    wrappeds.push(await round(`bench-wrapped-${r}`, true));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const bare = mean(bares);
  const wrapped = mean(wrappeds);
  await boss.stop({ graceful: false, wait: true });
  await database.close();
  await scratch.drop();
  return { bare, wrapped };
}

/** Calls in the busiest 30 s window of a day from the poll schedule alone, at `n` users. */
function busiestPollWindow(n: number, callsPerPoll: number): number {
  const windows = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const w = Math.floor(spreadOffset(`poll-plays:user-${i}`, 10 * MINUTE) / 30_000);
    windows.set(w, (windows.get(w) ?? 0) + callsPerPoll);
  }
  return Math.max(...windows.values());
}

/** One line on stderr per simulated hour: wall and CPU so far, jobs completed. */
function progress(steps: number, started: number, cpuBefore: NodeJS.CpuUsage, db: Database['db']) {
  const cpu = process.cpuUsage(cpuBefore);
  void sql<{ n: string }>`select count(*)::text as n from spoti_server_job_runs`
    .execute(db)
    .then((r) =>
      console.error(
        `[bench] hour ${steps / 6}: ${((performance.now() - started) / 1000).toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU, ${r.rows[0]?.n} jobs, load ${loadavg()[0]?.toFixed(1)}`,
      ),
    );
}

async function throughput() {
  const scratch = await scratchDatabase('worker_bench_t');
  const mock = await startMock({
    seed: 21,
    profile: 'development-2026',
    worldOptions: { size: 'tiny', users: USERS, artists: 400, historyDays: 3 },
  });
  const database = await openDatabase({ kind: 'postgres', url: scratch.url });
  const t0 = mock.controls.clock.now();
  const users = await seedUsers(database, cipher, mock, USERS, t0);
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const clock = mock.controls.clock;
  const deps: JobDeps = {
    database,
    spotify: workerSpotify({
      config: { kind: 'embedded', seed: 0 },
      mock: { apiUrl: mock.apiUrl, accountsUrl: mock.accountsUrl },
      clock,
      redis: undefined,
      redisPrefix: 'bench:',
      rate: { windowMs: 1_000, allowance: 5_000 },
    }),
    users: createUserRepository(database.db),
    cipher,
    clock,
    logger,
    redirectUri: () => 'http://127.0.0.1/callback',
    onPlaysChanged: () => undefined,
    onImportDone: () => undefined,
    importProgress: new ImportProgressHub(),
    signal: abort.signal,
  };
  const worker = await startWorker({
    deps,
    databaseUrl: scratch.url,
    logger,
    concurrency: CONCURRENCY,
    tickMs: 100,
    pollingSeconds: 1,
    expireSeconds: 300,
    maintenanceSeconds: 30,
    retryDelaySeconds: 1,
  });
  // Whether any schedule is overdue or any job is not finished yet (one cheap query).
  const busy = async () =>
    (
      await sql<{ busy: boolean }>`select
        exists (select 1 from spoti_server_schedules where next_run_at <= ${clock.now()})
        or exists (select 1 from pgboss.job where state < 'completed') as busy`.execute(database.db)
    ).rows[0]?.busy === true;
  while (
    (
      await sql<{ n: string }>`select count(*)::text as n from spoti_server_schedules`.execute(
        database.db,
      )
    ).rows[0]?.n === '0'
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }
  mock.controls.requests.reset();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const loads: number[] = [];
  let steps = 0;
  const inBudget = () => performance.now() - started < BUDGET_MS && Date.now() < STOP_AT;
  for (; steps < HOURS * 6 && inBudget(); steps++) {
    clock.advance(10 * MINUTE);
    while (await busy()) await new Promise((r) => setTimeout(r, 100));
    loads.push(loadavg()[0] ?? 0);
    if ((steps + 1) % 6 === 0) progress(steps + 1, started, cpuBefore, database.db);
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const load = loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length);
  const end = clock.now();
  const jobs = Number(
    (
      await sql<{ n: string }>`select count(*)::text as n from spoti_server_job_runs`.execute(
        database.db,
      )
    ).rows[0]?.n,
  );
  let lost = 0;
  let extra = 0;
  for (const user of users) {
    const stored = new Set(await storedPlayEnds(database.db, user.id, t0));
    const truth = truthPlayEnds(mock, user.mockId, t0).filter((at) => at <= end);
    lost += truth.filter((at) => !stored.has(at)).length;
    extra += stored.size - (truth.length - truth.filter((at) => !stored.has(at)).length);
  }
  const { total, ...counts } = mock.controls.requests.counts() as Record<string, number>;
  const calls = total ?? Object.values(counts).reduce((a, b) => a + b, 0);
  abort.abort();
  await worker.stop();
  await database.close();
  await mock.close();
  await scratch.drop();
  return { wallMs, cpuMs, load, jobs, lost, extra, calls, counts, hours: steps / 6 };
}

const overhead = await queueOverhead(Number(process.env.BENCH_QUEUE_JOBS ?? 500));
console.log('queue overhead', overhead);
const run = await throughput();
console.log('throughput', { ...run, counts: undefined });
const perUserDay = (run.calls / USERS) * (24 / run.hours);
/** The simulated hours measured, for the text (58 steps of 10 minutes: 9.7). */
const hours = Number(run.hours.toFixed(1));
const plan = schedulePlan();
const full = USERS === 1000 && run.hours === 24;
const msPerJob = run.wallMs / Math.max(1, run.jobs);
// The day's jobs at 1,000 users: 144 polls each, a library sync, an availability check, a
// smart-playlist refresh and a face refresh, and the app's daily and hourly jobs.
const dayJobs = 1000 * (144 + 4) + 2 + 2 * 24;
const lines = [
  '# examples/worker benchmarks',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on the shared 2-core machine under load: load average`,
  `${run.load.toFixed(1)} on average during the throughput run (other work running at the same time), so`,
  'absolute times are pessimistic; the ratios compare figures taken in the same run. Re-run with',
  '`pnpm --filter @spoti/example-worker bench` (BENCH_USERS, BENCH_HOURS size the throughput run).',
  '',
  '## Queue overhead per job (pg-boss 10 on PostgreSQL, same run)',
  '',
  'Two alternating rounds of each, mean per job:',
  '',
  '| Job | ms per job (send, fetch, run, complete) |',
  '| --- | --- |',
  `| bare no-op job on a pg-boss queue (baseline) | ${overhead.bare.toFixed(2)} |`,
  `| the same job through the job layer (ledger check, completion record) | ${overhead.wrapped.toFixed(2)} |`,
  `| ratio | ${(overhead.wrapped / overhead.bare).toFixed(2)} |`,
  `| the queue's cost per job against the mean wall time per job of the run below (${msPerJob.toFixed(1)} ms) | ${(overhead.wrapped / msPerJob).toFixed(2)} |`,
  '',
  `## ${USERS} simulated users, ${hours} simulated hours, one worker (concurrency ${CONCURRENCY} per queue)`,
  '',
  ...(full
    ? []
    : [
        `Measured at ${USERS} users for ${hours} simulated hours instead of the 1,000 users for a day`,
        `the default runs${run.hours < HOURS ? ' (the run stopped at its wall-time budget, BENCH_BUDGET_MINUTES or BENCH_STOP_AT)' : ''}.`,
        `Extrapolation to 1,000 users for a day (about ${dayJobs.toLocaleString('en')} jobs) at the rate`,
        `measured here: **${(dayJobs / (run.jobs / (run.wallMs / 1000)) / 60).toFixed(0)} minutes** of wall time at this load.`,
        '(In real time a day is 86,400 s: see the capacity line below the table.)',
        '',
      ]),
  '| Figure | Value |',
  '| --- | --- |',
  `| wall time | ${(run.wallMs / 1000).toFixed(1)} s |`,
  `| CPU time of the process (worker, mock and driver together) | ${(run.cpuMs / 1000).toFixed(1)} s |`,
  `| load average (1 min, mean over the run) | ${run.load.toFixed(1)} |`,
  `| jobs completed | ${run.jobs} |`,
  `| jobs/s | ${(run.jobs / (run.wallMs / 1000)).toFixed(1)} |`,
  `| plays lost (mock ground truth not stored) | ${run.lost} |`,
  `| plays stored that the mock never served | ${run.extra} |`,
  `| Spotify calls (mock request log) | ${run.calls} |`,
  '',
  `In real time, 1,000 users need ${((dayJobs / 86_400) * 1).toFixed(2)} jobs/s (a poll every 10 minutes each, plus the daily`,
  `jobs); at the ${(run.jobs / (run.wallMs / 1000)).toFixed(1)} jobs/s measured here one worker keeps up with about`,
  `**${(Math.floor(((run.jobs / (run.wallMs / 1000)) * 86_400) / (dayJobs / 1000) / 100) * 100).toLocaleString('en')} users** at this machine load.`,
  '',
  '## Spotify calls',
  '',
  `Per user and day (measured above, scaled to 24 h): **${perUserDay.toFixed(1)}** calls, by endpoint.`,
  'Polls (144 a day) and token refreshes (one an hour) are exact; the library calls come from the',
  'users whose 07:07 fell in the measured hours, each a first (full) sync, scaled to the day: an',
  'upper bound for the daily incremental sync.',
  '',
  '| Endpoint | Calls per user per day |',
  '| --- | --- |',
  ...Object.entries(run.counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `| ${k} | ${((v / USERS) * (24 / run.hours)).toFixed(2)} |`),
  '',
  `The schedule: ${plan.map((s) => s.job).join(', ')}. Polls are spread over the 10-minute interval`,
  'by a hash of the user; the daily jobs fire at a local wall-clock time, so users sharing a time',
  'zone fire together and the client paces that burst.',
  '',
  '| Users | Busiest 30 s window from polls (calls) |',
  '| --- | --- |',
  ...[5, 25, 100, 1000].map((n) => `| ${n} | ${busiestPollWindow(n, 1)} |`),
  '',
  `Users one Development Mode app can serve before the daily quota, assuming a quota of ${QUOTA.toLocaleString('en')}`,
  "calls a day (Spotify publishes no figure; this is the daily quota of `@spoti/mock`'s example),",
  `at ${perUserDay.toFixed(1)} calls per user per day: **${Math.floor(QUOTA / perUserDay)}**. Development Mode`,
  'also allows at most 5 allow-listed users, which is the tighter limit.',
  '',
];
await writeFile(join(import.meta.dirname, '..', 'BENCHMARKS.md'), lines.join('\n'));
console.log(lines.join('\n'));
