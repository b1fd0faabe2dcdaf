import type { ListeningProfile } from '@spoti/face';
import { mapFace, toFaceString } from '@spoti/face';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enrichTracksJob } from '../src/jobs/background-jobs.js';
import { Agent, type TestServer, activeListener, startTestServer } from './helpers.js';

// Servers start slowly on a busy shared machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const profileOf = (page: string) =>
  (
    JSON.parse(
      (
        /<script type="application\/json" id="face-data">(.*?)<\/script>/s.exec(page)?.[1] ?? '{}'
      ).replace(/\\u003c/g, '<'),
    ) as { profile: ListeningProfile }
  ).profile;

// Enrichment does not touch the database: one backend is enough.
describe('the face studio and the dashboard with enrichment (local stand-ins)', () => {
  let plain: TestServer;
  let enriched: TestServer;

  beforeAll(async () => {
    plain = await startTestServer('pglite', { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
    enriched = await startTestServer('pglite', {
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      ENRICH_PROVIDERS: 'reccobeats,deezer',
      ENRICH_MOCK: '1',
      ENRICH_USER_AGENT: 'spoti-example-server-tests/0 ( https://example.invalid )',
    });
  });
  afterAll(async () => {
    await plain?.close();
    await enriched?.close();
  });

  const studio = async (t: TestServer) => {
    const agent = new Agent(t.url);
    await agent.signIn(activeListener(t.mock));
    await t.server.context.runner.idle();
    const page = await (await agent.get('/face?period=short_term')).text();
    return { agent, page, profile: profileOf(page) };
  };

  it('takes the feature signals from the audio-features service and names it in the reasons', async () => {
    const without = await studio(plain);
    const withIt = await studio(enriched);
    expect(without.profile.signals.energy.source).toBe('estimated');
    expect(withIt.profile.signals.energy.source).toBe('enriched');
    expect(withIt.profile.signals.energy.via).toContain('ReccoBeats');
    const face = mapFace(withIt.profile);
    expect(withIt.page).toContain(`id="face-string">${toFaceString(face)}<`);
    expect(face.params.e.reason).toContain('ReccoBeats');
    expect(withIt.page).toContain('ReccoBeats');
  });

  it('gives the dashboard genres the catalog lacks, found in the background', async () => {
    const genresOn = async (t: TestServer) => {
      const ctx = t.server.context;
      await ctx.enrichment?.idle();
      const userId = (await ctx.users.listIds())[0] ?? '';
      const result = await ctx.stats.forPeriod(userId, { kind: 'all' }, 'UTC', ctx.clock.now());
      return result.stats.topGenres.byPlays.map((g) => g.name);
    };
    // The same seeded listener on both servers: the same plays, more genres with enrichment.
    const without = await genresOn(plain);
    const withIt = await genresOn(enriched);
    expect(withIt.length).toBeGreaterThan(without.length);
    expect(plain.server.context.enrichment).toBeUndefined();
  });

  it('runs the background enrich-tracks job against the configured service, and not without one', async () => {
    await studio(enriched);
    // "Now" just after the newest stored play: the job looks at the last two hours of plays.
    const { rows } = await sql<{
      at: string;
    }>`select max(ended_at)::text as at from catalog_plays`.execute(
      enriched.server.context.database.db,
    );
    const clock = { now: () => Number(rows[0]?.at) + 1 };
    const ran = await enrichTracksJob({ ...enriched.server.context.runner.jobDeps, clock });
    expect(ran.tracks).toBeGreaterThan(0);
    expect(ran.enriched).toBeGreaterThan(0);
    expect(await enrichTracksJob(plain.server.context.runner.jobDeps)).toEqual({
      tracks: 0,
      enriched: 0,
    });
  });
});
