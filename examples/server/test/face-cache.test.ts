import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningServer, startServer } from '../src/server.js';
import { Agent, BACKENDS, type TestServer, activeListener, startTestServer } from './helpers.js';

// Servers start slowly on a busy shared machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

describe.each(BACKENDS)('the studio caches and limit in the database on %s', (backend) => {
  let t: TestServer;
  let agent: Agent;
  let userId: string;
  const calls = () => t.mock.controls.requests.counts().total ?? 0;

  const reconnect = () => {
    const fresh = new Agent(t.url);
    for (const [k, v] of agent.cookies) fresh.cookies.set(k, v);
    agent = fresh;
  };

  beforeAll(async () => {
    t = await startTestServer(backend, {
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      FACE_REGENERATE_PER_HOUR: '3',
    });
    agent = new Agent(t.url);
    await agent.signIn(activeListener(t.mock));
    await t.server.context.runner.idle();
    userId = (await t.server.context.users.listIds())[0] ?? '';
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps profiles across a restart: the warm page calls Spotify 0 times', async () => {
    t.mock.controls.requests.reset();
    expect((await agent.get('/face?period=short_term')).status).toBe(200);
    expect(calls()).toBeGreaterThan(0);
    await t.restart();
    reconnect();
    t.mock.controls.requests.reset();
    expect((await agent.get('/face?period=short_term')).status).toBe(200);
    // Another period: the profile is new, the Web API part comes from the database too.
    expect((await agent.get('/face?period=medium_term')).status).toBe(200);
    expect(calls()).toBe(0);
  });

  it('collects a cached profile again after a sync brings new plays, even one collected during it', async () => {
    const faces = t.server.context.faces;
    const user = await t.server.context.users.get(userId);
    if (user === null || user === undefined) throw new Error('no user');
    const first = await faces.profile(user, { kind: 'long_term' });
    t.mock.controls.clock.advance(1000);
    // Within the TTL and with no sync, the cached profile is used.
    expect((await faces.profile(user, { kind: 'long_term' })).collectedAt).toBe(first.collectedAt);
    // What a sync with new plays does (the runner's onPlaysChanged hook): collected again, from
    // the stored plays and the Web API part still cached, so with no call to Spotify.
    await faces.invalidate(userId);
    t.mock.controls.requests.reset();
    const again = await faces.profile(user, { kind: 'long_term' });
    expect(again.collectedAt).toBe(t.mock.controls.clock.now());
    expect(again.calls).toBe(0);
    expect(calls()).toBe(0);

    // A collection that a sync overlaps is stale at once: the next view collects again.
    await faces.invalidate(userId, { sources: true });
    t.mock.controls.faults.script(Array.from({ length: 8 }, () => ({ latencyMs: 500 })));
    t.mock.controls.requests.reset();
    const slow = faces.profile(user, { kind: 'long_term' });
    await vi.waitFor(() => expect(calls()).toBeGreaterThan(0), { timeout: 20_000 });
    await faces.invalidate(userId);
    const during = await slow;
    t.mock.controls.clock.advance(1000);
    const after = await faces.profile(user, { kind: 'long_term' });
    expect(after.collectedAt).toBeGreaterThan(during.collectedAt);
    // A late hook for a deleted account leaves no row behind.
    await faces.invalidate('no-such-user');
    const { rows } = await sql`select user_id from spoti_server_face_cache_marks
      where user_id = 'no-such-user'`.execute(t.server.context.database.db);
    expect(rows).toEqual([]);
  });

  it('shares the regeneration limit between processes and across restarts', async () => {
    const faces = t.server.context.faces;
    await faces.useRegeneration(userId);
    let second: RunningServer | null = null;
    if (backend === 'postgres') {
      // A second server process on the same database: it sees the first one's regenerations.
      second = await startServer(t.config, { mock: t.mock, clock: t.mock.controls.clock });
      await second.context.faces.useRegeneration(userId);
    } else {
      await t.restart();
      reconnect();
      await t.server.context.faces.useRegeneration(userId);
    }
    const other = second?.context.faces ?? t.server.context.faces;
    // Concurrent requests of one user are counted one after the other: one more is allowed.
    const results = await Promise.allSettled([
      other.useRegeneration(userId),
      t.server.context.faces.useRegeneration(userId),
      other.useRegeneration(userId),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(String((refused as PromiseRejectedResult).reason.message)).toMatch(
      /You made 3 new faces in the last 60 minutes, the most allowed: try again in \d+ minute/,
    );
    const csrf = await agent.csrf('/face');
    const response = await agent.post('/face/vary', {
      _csrf: csrf,
      back: 'period=short_term',
      seed: 'abcdefabcdef',
    });
    expect(response.status).toBe(429);
    await second?.close();
    // An hour later the window has passed.
    t.mock.controls.clock.advance(3_600_001);
    await expect(t.server.context.faces.useRegeneration(userId)).resolves.toBeUndefined();
  });
});
