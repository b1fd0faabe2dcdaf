import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent } from './helpers.js';
import {
  DAY,
  type ReleasesTestServer,
  expectedGroups,
  followedBy,
  isoDay,
  serverUserId,
  startReleasesServer,
  textLinks,
} from './releases-helpers.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 180_000 }); // a busy shared CI machine

const WEEKS = 8;

describe('ground truth over 8 simulated weeks through the server jobs (PGlite, file outbox)', () => {
  let t: ReleasesTestServer;
  beforeAll(async () => {
    t = await startReleasesServer('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('mails every subscriber each new release of the artists they follow exactly once, and nothing else', async () => {
    const ctx = () => t.server.context;
    const outbox = ctx().releases.outbox;
    if (outbox === null) throw new Error('expected the file outbox');
    // The two listeners who follow the fewest artists keep the suite quick: each sweep is paced
    // by the client's rate limiter in real time.
    const listeners = [...t.mock.world.users.values()]
      .filter((u) => u.followedArtists.size > 0)
      .sort((a, b) => a.followedArtists.size - b.followedArtists.size)
      .slice(0, 2)
      .map((u) => u.id);
    expect(listeners).toHaveLength(2);
    const start = t.mock.controls.clock.now();

    // Releases of the coming weeks, each appearing on the mock at its time.
    const followedByAnyone = new Set(listeners.flatMap((l) => followedBy(t.mock, l)));
    const stranger = [...t.mock.world.artists.keys()].find((a) => !followedByAnyone.has(a));
    for (let week = 0; week < WEEKS; week++) {
      const at = start + week * 7 * DAY + 2 * DAY + 3 * 3_600_000;
      for (const [i, listener] of listeners.entries()) {
        const artists = followedBy(t.mock, listener);
        const artistId = artists[(week + i) % artists.length] ?? '';
        const add = (o: {
          name: string;
          type: 'album' | 'single' | 'compilation';
          releaseDate: string;
          explicitAndClean?: boolean;
        }) => t.mock.controls.catalog.addRelease({ artistId, availableAtMs: at, ...o });
        add({
          name: `Week ${week} ${i} LP`,
          type: 'album',
          releaseDate: isoDay(at),
          explicitAndClean: true,
        });
        add({
          name: `Week ${week} ${i} Single`,
          type: 'single',
          releaseDate: isoDay(at).slice(0, 7),
        });
        if (week % 3 === 0)
          add({
            name: `Week ${week} ${i} Vault`,
            type: 'album',
            releaseDate: isoDay(at - 40 * DAY),
          });
        if (week % 3 === 1)
          add({ name: `Week ${week} ${i} Demos`, type: 'album', releaseDate: '2019' });
        add({ name: `Week ${week} ${i} Best Of`, type: 'compilation', releaseDate: isoDay(at) });
      }
      if (stranger !== undefined)
        t.mock.controls.catalog.addRelease({
          artistId: stranger,
          name: `Nobody's ${week}`,
          type: 'album',
          releaseDate: isoDay(at),
          availableAtMs: at,
        });
    }

    // Everyone signs in, subscribes (one weekly) and confirms through the outbox link.
    const userIds = new Map<string, string>();
    for (const [i, listener] of listeners.entries()) {
      const agent = new Agent(t.url);
      await agent.signIn(listener);
      await ctx().runner.idle();
      const email = `${listener}@example.com`;
      const csrf = await agent.csrf('/releases');
      const cadence = i === 0 ? 'weekly' : 'biweekly';
      expect(
        (await agent.post('/releases/subscribe', { _csrf: csrf, email, cadence })).status,
      ).toBe(303);
      await ctx().runner.idle();
      const entry = (await outbox.list()).find((e) => e.to === email);
      const mail = await simpleParser((await outbox.read(entry?.id ?? '')) ?? '');
      const link = textLinks(mail).find((l) => l.includes('/releases/confirm?token='));
      expect((await fetch(link ?? '', { method: 'POST' })).status).toBe(200);
      await ctx().runner.idle();
      userIds.set(listener, await serverUserId(t, listener));
    }

    // The schedule, twice a week for 8 weeks (daily on the worker; the rules are the same).
    let lastSweep = start;
    for (let sweep = 1; sweep <= WEEKS * 2; sweep++) {
      t.mock.controls.clock.advance(3.5 * DAY);
      const result = await ctx().runner.run('release-sweep', { trigger: 'schedule' });
      expect(result.status).toBe('done');
      expect(result.scanFailures).toBe(0);
      lastSweep = t.mock.controls.clock.now();
    }

    const store = ctx().releases.watcher.store;
    const groupOf = (albumId: string) => t.mock.world.albums.get(albumId)?.releaseGroupId;
    let total = 0;
    for (const listener of listeners) {
      const userId = userIds.get(listener) ?? '';
      const sent = (await store.listDigests(userId)).filter((d) => d.status === 'sent');
      const delivered = sent.flatMap((d) => d.releaseIds);
      const pending = (
        await ctx().releases.watcher.pendingReleases(userId, { now: lastSweep + DAY })
      ).map((e) => e.release.id);
      const ids = [...delivered, ...pending];
      expect(new Set(ids).size).toBe(ids.length); // never a release twice
      const releases = await store.getReleases(ids);
      const groups = releases.map((r) => [...new Set(r.editionIds.map(groupOf))]);
      for (const g of groups) expect(g).toHaveLength(1); // editions folded, never merged across
      const got = groups.map((g) => g[0]);
      expect(new Set(got).size).toBe(got.length);
      const expected = expectedGroups(
        t.mock,
        followedBy(t.mock, listener),
        start,
        start,
        lastSweep,
      );
      expect(new Set(got)).toEqual(expected);
      total += expected.size;
      // One mail per sent digest (plus the confirmation), each with its own Message-ID.
      const mails = (await outbox.list()).filter((e) => e.to === `${listener}@example.com`);
      expect(mails).toHaveLength(sent.length + 1);
      expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length);
      expect(sent.length).toBeGreaterThanOrEqual(WEEKS / 2);
    }
    expect(total).toBeGreaterThanOrEqual(listeners.length * WEEKS * 2);
  });
});
