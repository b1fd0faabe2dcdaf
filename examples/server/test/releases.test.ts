import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent, BACKENDS } from './helpers.js';
import {
  DAY,
  type ReleasesTestServer,
  expectedGroups,
  serverUserId,
  type SmtpPeer,
  followedBy,
  headerText,
  htmlLinks,
  isoDay,
  startReleasesServer,
  startSmtpPeer,
  textLinks,
  unsubscribeUrlOf,
} from './releases-helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 }); // a busy shared CI machine

describe.each(BACKENDS)('release emails over HTTP and real SMTP on %s', (backend) => {
  let t: ReleasesTestServer;
  let peer: SmtpPeer;
  let listener: string;
  const email = 'listener-one@example.com';

  beforeAll(async () => {
    peer = await startSmtpPeer();
    t = await startReleasesServer(backend, { SMTP_URL: peer.url });
    const users = [...t.mock.world.users.values()].filter((u) => u.followedArtists.size >= 2);
    listener = users[0]?.id ?? '';
    expect(listener).not.toBe('');
  });
  afterAll(async () => {
    await t?.close();
    await peer?.down();
  });

  it('subscribes with double opt-in, sends the first digest after confirmation, unsubscribes with one click', async () => {
    const agent = new Agent(t.url);
    await agent.signIn(listener);
    await t.server.context.runner.idle();
    const userId = await serverUserId(t, listener);
    const now = t.mock.controls.clock.now();
    const [artistA, artistB] = followedBy(t.mock, listener);
    // Two new releases of followed artists in the last four weeks; one with a clean edition.
    t.mock.controls.catalog.addRelease({
      artistId: artistA ?? '',
      name: 'Harbour Lights',
      type: 'album',
      releaseDate: isoDay(now - 10 * DAY),
      availableAtMs: now - 10 * DAY,
      explicitAndClean: true,
    });
    t.mock.controls.catalog.addRelease({
      artistId: artistB ?? '',
      name: 'Paper Moons',
      type: 'single',
      releaseDate: isoDay(now - 3 * DAY),
      availableAtMs: now - 3 * DAY,
    });

    const page = await (await agent.get('/releases')).text();
    expect(page).toContain('type="email"');
    expect(page).toContain('value="biweekly" checked');
    const csrf = await agent.csrf('/releases');

    // Bad address: a clear 400 naming the field, nothing stored, nothing sent.
    const bad = await agent.post('/releases/subscribe', { _csrf: csrf, email: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('email must be an email address');
    expect(await t.server.context.releases.watcher.store.getSubscriber(userId)).toBeNull();

    const ok = await agent.post('/releases/subscribe', { _csrf: csrf, email, cadence: 'biweekly' });
    expect(ok.status).toBe(303);
    await t.server.context.runner.idle();
    // Only the confirmation mail, even after the subscriber's artists were swept.
    const confirmations = peer.to(email);
    expect(confirmations).toHaveLength(1);
    const confirmation = confirmations[0]?.mail;
    if (confirmation === undefined) throw new Error('no confirmation');
    expect(confirmation.subject).toMatch(/confirm/i);
    expect(confirmation.text).toBeTruthy();
    expect(confirmation.html).toBeTruthy();
    const confirmLink = textLinks(confirmation).find((l) => l.includes('/releases/confirm?token='));
    expect(confirmLink).toBeDefined();
    expect(htmlLinks(confirmation)).toContain(confirmLink);
    expect(await (await agent.get('/releases')).text()).toContain('Check your inbox');

    // The link works signed out: a page with one button, then the POST; a second click is fine.
    const visitor = new Agent(t.url);
    const landing = await visitor.get(confirmLink ?? '');
    expect(landing.status).toBe(200);
    const action = /<form method="post" action="([^"]+)"/.exec(await landing.text())?.[1];
    expect(action).toBeDefined();
    const confirmAction = (action ?? '').replaceAll('&amp;', '&');
    const confirmed = await visitor.post(confirmAction, {});
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Address confirmed');
    expect((await visitor.post(confirmAction, {})).status).toBe(200);
    await t.server.context.runner.idle();

    // The first digest: the past four weeks, once (the second confirmation sent nothing more).
    const mails = peer.to(email);
    expect(mails).toHaveLength(2);
    const digest = mails[1]?.mail;
    if (digest === undefined) throw new Error('no digest');
    const truth = expectedGroups(t.mock, followedBy(t.mock, listener), now, now, now);
    expect(truth.size).toBeGreaterThanOrEqual(2);
    const primaries = new Set(
      [...t.mock.world.albums.values()]
        .filter((a) => truth.has(a.releaseGroupId))
        .map((a) => a.artistIds[0]),
    );
    expect(digest.subject).toBe(
      `New releases: ${truth.size} from ${primaries.size} artist${primaries.size === 1 ? '' : 's'} you follow`,
    );
    expect(digest.text).toContain('Harbour Lights');
    expect(digest.text).toContain('Paper Moons');
    expect(digest.text?.match(/Harbour Lights/g)).toHaveLength(1); // editions folded
    expect(digest.html).toContain('Harbour Lights');
    expect(headerText(digest, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(digest.messageId).toMatch(/^<.+@.+>$/);
    const unsubscribe = unsubscribeUrlOf(digest);
    expect(unsubscribe.startsWith(`${t.url}/releases/unsubscribe?token=`)).toBe(true);
    expect(htmlLinks(digest)).toContain(unsubscribe);
    // Every link in the mail leads somewhere: the release links to Spotify, the rest here.
    for (const link of textLinks(digest).filter((l) => l.startsWith(t.url))) {
      expect((await fetch(link)).status).toBe(200);
    }

    // The sync log shows the mail.
    const runs = await t.server.context.database.syncState.listRuns(userId, { kind: 'releases' });
    expect(runs[0]).toMatchObject({ status: 'ok', added: truth.size, retries: 0 });
    expect((await agent.get('/settings')).status).toBe(200);

    // RFC 8058 one-click: a POST with no cookie and no CSRF token, twice.
    for (let i = 0; i < 2; i++) {
      const oneClick = await fetch(unsubscribe, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(oneClick.status).toBe(200);
    }
    expect((await fetch(unsubscribe)).status).toBe(200);
    const after = await t.server.context.releases.watcher.store.getSubscriber(userId);
    expect(after?.unsubscribedAt).not.toBeNull();

    // Nothing after unsubscribing, whatever comes out.
    t.mock.controls.catalog.addRelease({
      artistId: artistA ?? '',
      name: 'After Hours Again',
      type: 'single',
      releaseDate: isoDay(now + 15 * DAY),
      availableAtMs: now + 15 * DAY,
    });
    t.mock.controls.clock.advance(16 * DAY);
    await t.server.context.runner.run('release-sweep', {});
    expect(peer.to(email)).toHaveLength(2);
  });

  it('refuses a forged or wrong-purpose token with a clear 400 and no change', async () => {
    const forged = await fetch(`${t.url}/releases/unsubscribe?token=abc.def-not-a-token`, {
      method: 'POST',
    });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('not valid');
    const missing = await fetch(`${t.url}/releases/confirm`, { method: 'POST' });
    expect(missing.status).toBe(400);
  });

  it('deleting the account removes the subscription and every release row of the user', async () => {
    const other = [...t.mock.world.users.values()].find(
      (u) => u.id !== listener && u.followedArtists.size > 0,
    )?.id;
    const agent = new Agent(t.url);
    await agent.signIn(other);
    await t.server.context.runner.idle();
    const userId = await serverUserId(t, other ?? '');
    const csrf = await agent.csrf('/releases');
    await agent.post('/releases/subscribe', { _csrf: csrf, email: 'leaving@example.com' });
    await t.server.context.runner.idle();
    const store = t.server.context.releases.watcher.store;
    expect(await store.getSubscriber(userId)).not.toBeNull();
    expect((await store.getSubscriberArtists(userId)).length).toBeGreaterThan(0);
    const deleted = await agent.post('/account/delete', {
      confirm: 'DELETE',
      _csrf: await agent.csrf('/settings'),
    });
    expect(deleted.status).toBe(200);
    const db = t.server.context.database.db;
    const tables = await sql<{ table_name: string }>`select table_name
      from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
    for (const { table_name } of tables.rows) {
      const found = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(
        table_name,
      )} x where x::text like ${`%${userId}%`}`.execute(db);
      expect(Number(found.rows[0]?.n), table_name).toBe(0);
    }
  });

  it('still wants a CSRF token for the signed-in subscription form', async () => {
    const agent = new Agent(t.url);
    await agent.signIn(listener);
    const response = await agent.post('/releases/subscribe', { email });
    expect(response.status).toBe(403);
  });
});
