import { type Kysely, sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProviderMocks } from '@spoti/mock';
import { enrichTracksJob } from '../src/jobs/background-jobs.js';
import { openTrackEnrichment } from '../src/jobs/enrichment.js';
import { jobIdFor } from '../src/runner/job-id.js';
import { createJobRegistry, JOB_MODULES } from '../src/runner/job-modules.js';
import { EmbeddedJobs } from '../src/runner/embedded-jobs.js';
import type { JobModule } from '../src/runner/job-registry.js';
import { schedulePlan } from '../src/scheduler/plan.js';
import { nextEvery, spreadOffset } from '../src/scheduler/slots.js';
import { listScheduledUsers } from '../src/scheduler/users.js';
import { Agent, type TestServer, startTestServer } from './helpers.js';
import { type SeededUser, seedUsers, storedPlayEnds, truthPlayEnds } from './job-helpers.js';

const MINUTE = 60_000;
const silent = pino({ level: process.env.SERVER_TEST_LOG_LEVEL ?? 'silent' });
const STEPS = Number(process.env.JOBS_TEST_STEPS ?? 144);

/** A job that always fails, to watch retries and the dead letter. */
const failing: JobModule = {
  name: 'test-failing',
  register: (registry) => {
    registry.register({
      name: 'always-fails',
      attempts: 3,
      backoffMs: 1_000,
      run: async () => {
        throw new Error('the test job fails on purpose');
      },
    });
  },
};

function embedded(t: TestServer, modules = JOB_MODULES, lockMs = 5 * MINUTE): EmbeddedJobs {
  const db = t.server.context.database.db as unknown as Kysely<unknown>;
  return new EmbeddedJobs({
    deps: t.server.context.runner.jobDeps,
    registry: createJobRegistry(modules),
    plan: schedulePlan(),
    listUsers: () => listScheduledUsers(db),
    logger: silent,
    tickMs: 3_600_000,
    lockMs,
  });
}

async function ledger(t: TestServer, name: string, userId: string): Promise<Set<string>> {
  const rows = await t.server.context.database.db
    .selectFrom('spoti_server_job_runs' as never)
    .select(['id' as never])
    .where('name' as never, '=', name as never)
    .where('user_id' as never, '=', userId as never)
    .execute();
  return new Set(rows.map((r) => (r as { id: string }).id));
}

describe('the embedded job layer (PGlite, mock clock)', () => {
  let t: TestServer;
  let users: SeededUser[];
  let t0: number;

  beforeAll(async () => {
    t = await startTestServer('pglite', { JOBS: 'off' });
    t0 = t.mock.controls.clock.now();
    users = await seedUsers(t.server.context.database, t.server.context.cipher, t.mock, 3, t0);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('polls every user every 10 minutes for a day through a restart and a job killed mid-run: plays equal the truth, each slot ran once', async () => {
    let jobs = embedded(t);
    const firstTick = t0 + 10 * MINUTE;
    const started = Date.now();
    for (let step = 1; step <= STEPS; step++) {
      t.mock.controls.clock.advance(10 * MINUTE);
      if (step === 60) {
        // A process dies holding a job: its lock expires and another run takes it over.
        await jobs.scheduler.tick();
        const held = await jobs.queue.claim(5 * MINUTE);
        expect(held).not.toBeNull();
      }
      if (step === 90) {
        // Restart: a new runner on the same database picks up where the old one stopped.
        await jobs.stop();
        jobs = embedded(t);
      }
      await jobs.runOnce();
    }
    const end = t.mock.controls.clock.now();
    if (process.env.JOBS_TEST_STEPS) console.log('day took', Date.now() - started, 'ms');
    expect(await jobs.queue.size()).toBe(0);
    for (const user of users) {
      const stored = await storedPlayEnds(t.server.context.database.db, user.id, t0);
      const truth = truthPlayEnds(t.mock, user.mockId, t0).filter((at) => at <= end);
      expect(stored).toEqual(truth);
      // Every slot from the first tick on, once: the ids the series predicts, no more, no fewer.
      const key = `poll-plays:${user.id}`;
      const offset = spreadOffset(key, 10 * MINUTE);
      const expected = new Set<string>();
      for (let s = nextEvery(firstTick, 10 * MINUTE, offset); s <= end; s += 10 * MINUTE) {
        expected.add(jobIdFor(`${key}@${s}`));
      }
      expect(await ledger(t, 'poll-plays', user.id)).toEqual(expected);
      // One daily library sync (07:07 local) and its face refresh.
      if (STEPS === 144) {
        expect((await ledger(t, 'library-sync', user.id)).size).toBe(1);
        expect((await ledger(t, 'face-refresh', user.id)).size).toBe(1);
        expect((await ledger(t, 'availability', user.id)).size).toBe(1);
      }
    }
    await jobs.stop();
  }, 240_000);

  it('enrich-tracks asks the audio-features service about recently played tracks once', async () => {
    const services = await startProviderMocks({ world: t.mock.world });
    try {
      const db = t.server.context.database.db as unknown as Kysely<unknown>;
      const enrichTracks = await openTrackEnrichment({
        db,
        userAgent: 'spoti-tests/0 ( https://example.org )',
        reccoBeatsUrl: services.reccoBeatsUrl,
      });
      // "Now" just after the newest stored play, whatever the hour the simulated day ended at.
      const { rows } = await sql<{
        at: string;
      }>`select max(ended_at)::text as at from catalog_plays`.execute(db);
      const clock = { now: () => Number(rows[0]?.at) + 1 };
      const deps = { ...t.server.context.runner.jobDeps, clock, enrichTracks };
      const first = await enrichTracksJob(deps);
      expect(first.tracks).toBeGreaterThan(0);
      expect(first.enriched).toBeGreaterThan(0);
      expect(first.enriched).toBeLessThanOrEqual(first.tracks);
      const asked = services.controls.counts().reccobeats;
      // The same tracks again: answered from the database cache, no request.
      expect(await enrichTracksJob(deps)).toEqual(first);
      expect(services.controls.counts().reccobeats).toBe(asked);
      // Without enrichment configured, the job does nothing.
      expect(await enrichTracksJob(t.server.context.runner.jobDeps)).toEqual({
        tracks: 0,
        enriched: 0,
      });
    } finally {
      await services.close();
    }
  });

  it('a quota 429 defers every Spotify job until resumeAt without spending a try', async () => {
    const jobs = embedded(t);
    // Catch up first, so only the runs of the next 10 minutes are due.
    await jobs.runOnce();
    t.mock.controls.faults.script([{ status: 429, retryAfterSeconds: 86_207 }]);
    t.mock.controls.clock.advance(10 * MINUTE);
    const now = t.mock.controls.clock.now();
    await jobs.runOnce();
    const until = await jobs.store.blockedUntil('spotify', now);
    expect(until).toBeGreaterThanOrEqual(now + 86_000_000);
    const waiting = await t.server.context.database.db
      .selectFrom('spoti_server_jobs' as never)
      .select(['name' as never, 'attempts' as never, 'run_after' as never])
      .execute();
    // Jobs already talking to Spotify when the 429 came may finish; every other one waits.
    expect(waiting.length).toBeGreaterThanOrEqual(1);
    for (const row of waiting as { name: string; attempts: number; run_after: number }[]) {
      expect(row.name).toBe('poll-plays');
      expect(row.attempts).toBe(0);
      expect(Number(row.run_after)).toBe(until);
    }
    // Once the block lifts, the deferred runs go through: the 50 plays Spotify still holds are
    // stored (a day-long quota block loses older ones; the sync records that gap).
    t.mock.controls.clock.set((until ?? 0) + 1);
    await jobs.runOnce();
    expect(await jobs.queue.size()).toBe(0);
    for (const user of users) {
      const stored = new Set(await storedPlayEnds(t.server.context.database.db, user.id, t0));
      const recent = truthPlayEnds(t.mock, user.mockId, t0).slice(-50);
      expect(recent.filter((at) => !stored.has(at))).toEqual([]);
    }
    await jobs.stop();
  });

  it('invalid_grant marks the user "reconnect" and stops their scheduled jobs', async () => {
    const jobs = embedded(t);
    await jobs.runOnce();
    t.mock.controls.auth.expireAccessTokens();
    t.mock.controls.auth.expireRefreshTokens();
    t.mock.controls.clock.advance(10 * MINUTE);
    await jobs.runOnce();
    for (const user of users) {
      expect((await t.server.context.users.get(user.id))?.reconnectRequired).toBe(true);
    }
    t.mock.controls.clock.advance(30 * MINUTE);
    await jobs.scheduler.tick();
    const queued = await t.server.context.database.db
      .selectFrom('spoti_server_jobs' as never)
      .select(['user_id' as never])
      .execute();
    // Only app-wide jobs (clean-up) were enqueued: none for the users who must reconnect.
    expect(queued.filter((r) => (r as { user_id: string | null }).user_id !== null)).toEqual([]);
    await jobs.stop();
  });
});

describe('retries and dead letters (PGlite)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite', { JOBS: 'off' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('retries with doubling backoff, dead-letters after the last try and shows it in the sync log', async () => {
    const agent = new Agent(t.url);
    await agent.signIn();
    const [user] = await t.server.context.users.listIds();
    const jobs = embedded(t, [...JOB_MODULES, failing]);
    await jobs.queue.enqueue([
      {
        id: jobIdFor('always-fails:1'),
        name: 'always-fails',
        input: { userId: user },
        runAfter: 0,
      },
    ]);
    expect(await jobs.runOnce()).toBe(1); // try 1 fails: retry in 1 s
    t.mock.controls.clock.advance(999);
    expect(await jobs.runOnce()).toBe(0);
    t.mock.controls.clock.advance(1);
    expect(await jobs.runOnce()).toBe(1); // try 2 fails: retry in 2 s
    t.mock.controls.clock.advance(1_999);
    expect(await jobs.runOnce()).toBe(0);
    t.mock.controls.clock.advance(1);
    expect(await jobs.runOnce()).toBe(1); // try 3 fails: dead
    expect(await jobs.queue.size()).toBe(0);
    const dead = await jobs.store.listDead(user ?? '');
    expect(dead).toMatchObject([
      { name: 'always-fails', attempts: 3, error: 'the test job fails on purpose' },
    ]);
    const page = await (await agent.get('/settings')).text();
    expect(page).toContain('Background jobs that gave up');
    expect(page).toContain('always-fails');
    await jobs.stop();
  });

  it('pnpm start runs the scheduler in the server (JOBS=embedded by default)', async () => {
    const started = await startTestServer('pglite');
    try {
      expect(started.server.context.jobs).toBeDefined();
      expect(started.config.jobs).toBe('embedded');
    } finally {
      await started.close();
    }
  }, 120_000);
});
