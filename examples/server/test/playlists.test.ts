import { playlistMarker } from '@spoti/playlists';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Agent,
  BACKENDS,
  type TestServer,
  activeListener,
  recentTruth,
  startTestServer,
} from './helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const count = (page: string, slug: string) =>
  Number(new RegExp(`data-count="${slug}">(\\d+)<`).exec(page)?.[1] ?? 'NaN');
const total = (page: string, name: string) =>
  Number(new RegExp(`data-total="${name}">(\\d+)<`).exec(page)?.[1] ?? 'NaN');
const previewIds = (page: string) => [...page.matchAll(/data-track="([^"]+)"/g)].map((m) => m[1]);
const formKey = (page: string) => /name="key" value="([0-9a-f]{16})"/.exec(page)?.[1] ?? '';

describe.each(BACKENDS)('smart playlists over HTTP on %s', (backend) => {
  let t: TestServer;
  let listener: string;
  let agent: Agent;
  let userId: string;

  /** The listener's playlists on the mock that carry the marker of `slug`. */
  const marked = (slug: string) => {
    const marker = playlistMarker(slug);
    return [...t.mock.world.playlists.values()].filter(
      (p) => p.ownerId === listener && p.description.includes(marker),
    );
  };

  /** What the server evaluates for `slug`, read through its own page (every track, in order). */
  const evaluation = async (slug: string) => {
    const service = new (await import('../src/services/playlists-service.js')).PlaylistsService(
      t.server.context.database,
      t.server.context.clock,
    );
    const user = await t.server.context.users.get(userId);
    if (user === null) throw new Error('no user');
    const all = await service.list(userId);
    const playlist = all.find((p) => p.slug === slug);
    if (playlist === undefined) throw new Error(`no ${slug}`);
    const library = await service.loadLibrary(user, t.server.context.clock.now());
    return service.preview(library, playlist.rule, service.rulesBySlug(all)).trackIds;
  };

  beforeAll(async () => {
    t = await startTestServer(backend, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
    listener = activeListener(t.mock);
    agent = new Agent(t.url);
    await agent.signIn(listener);
    await t.server.context.runner.idle();
    userId = (await t.server.context.users.listIds())[0] ?? '';
  });
  afterAll(async () => {
    await t?.close();
  });

  it('asks visitors to sign in', async () => {
    for (const path of ['/playlists', '/playlists/most-played', '/playlists/check?query=x']) {
      expect((await fetch(`${t.url}${path}`, { redirect: 'manual' })).status, path).toBe(401);
    }
  });

  it('lists the six built-ins with counts matching the library the mock holds', async () => {
    const page = await (await agent.get('/playlists')).text();
    for (const name of [
      'Never played',
      'Played once',
      'Played more than once',
      'Most played',
      'Liked in the last 30 days',
      'New and never played',
    ]) {
      expect(page).toContain(name);
    }
    // Ground truth from the mock: its saved tracks, and the plays it served (the last 50).
    const saved = t.mock.world.users.get(listener)?.savedTracks ?? new Map<string, number>();
    const plays = new Map<string, number>();
    for (const p of recentTruth(t.mock, listener))
      plays.set(p.trackId, (plays.get(p.trackId) ?? 0) + 1);
    expect(saved.size).toBeGreaterThan(0);
    // The seeded world gives every built-in something to hold, so the checks below compare numbers.
    for (const slug of [
      'never-played',
      'played-once',
      'played-more-than-once',
      'liked-last-30-days',
    ])
      expect(count(page, slug), slug).toBeGreaterThan(0);
    const savedIds = [...saved.keys()];
    expect(count(page, 'never-played')).toBe(savedIds.filter((id) => !plays.has(id)).length);
    expect(count(page, 'played-once')).toBe(savedIds.filter((id) => plays.get(id) === 1).length);
    expect(count(page, 'played-more-than-once')).toBe(
      savedIds.filter((id) => (plays.get(id) ?? 0) > 1).length,
    );
    expect(count(page, 'most-played')).toBe(Math.min(100, plays.size));
    const now = t.mock.controls.clock.now();
    const recent = savedIds.filter((id) => (saved.get(id) ?? 0) >= now - 30 * 86_400_000);
    expect(count(page, 'liked-last-30-days')).toBe(recent.length);
    expect(count(page, 'new-never-played')).toBe(recent.filter((id) => !plays.has(id)).length);
    // The page follows the database at once (a library read earlier is not shown stale).
    const catalog = t.server.context.database.catalog;
    const unplayed = savedIds.find((id) => !plays.has(id)) ?? '';
    await catalog.unlike(userId, unplayed);
    const after = await (await agent.get('/playlists')).text();
    expect(count(after, 'never-played')).toBe(count(page, 'never-played') - 1);
    await catalog.like({ userId, trackId: unplayed, likedAt: saved.get(unplayed) ?? 0 });
    expect(count(await (await agent.get('/playlists')).text(), 'never-played')).toBe(
      count(page, 'never-played'),
    );
  });

  it('previews a built-in: count, length and the first 50 tracks in order', async () => {
    const page = await (await agent.get('/playlists/never-played')).text();
    const ids = await evaluation('never-played');
    expect(total(page, 'tracks')).toBe(ids.length);
    expect(previewIds(page)).toEqual(ids.slice(0, 50));
    // Newest saves first.
    const saved = t.mock.world.users.get(listener)?.savedTracks ?? new Map<string, number>();
    const times = ids.map((id) => saved.get(id) ?? Number.NaN);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(page).toContain('Save to Spotify');
  });

  it('checks a query live with the position of the faulty term', async () => {
    const bad = await agent.get(
      `/playlists/check?query=${encodeURIComponent('plays:0 genre:jazz foo:1')}`,
    );
    expect(bad.status).toBe(200);
    expect(await bad.json()).toEqual({
      ok: false,
      message: expect.stringContaining('unknown field "foo"'),
      start: 19,
      end: 24,
    });
    const good = await agent.get(
      `/playlists/check?query=${encodeURIComponent('plays:0 added:-30d..')}`,
    );
    expect(await good.json()).toEqual({ ok: true });
    const quote = await (
      await agent.get(`/playlists/check?query=${encodeURIComponent('plays:0 "open')}`)
    ).json();
    expect(quote).toMatchObject({ ok: false, start: 8, end: 13 });
  });

  it('shows the error and its position without JavaScript, and keeps nothing', async () => {
    const token = await agent.csrf('/playlists');
    const key = formKey(await (await agent.get('/playlists')).text());
    const response = await agent.post('/playlists', {
      _csrf: token,
      key,
      name: 'Broken',
      query: 'plays:x genre:jazz',
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('&quot;plays:x&quot;: expected a number (at character 1)');
    expect(page).toContain('<mark>plays:x</mark> genre:jazz');
    expect(page).toContain('aria-invalid="true"');
    const rows = await t.server.context.database.db
      .selectFrom('spoti_server_playlists' as never)
      .selectAll()
      .execute();
    expect(rows).toHaveLength(0);
    const tried = await agent.get(`/playlists/try?query=${encodeURIComponent('plays:x')}`);
    expect(tried.status).toBe(400);
    expect(await tried.text()).toContain('<mark>plays:x</mark>');
  });

  it('previews an unsaved rule and keeps it once even when the form is sent twice', async () => {
    const query = 'plays:0 liked:true added+';
    const tried = await (
      await agent.get(`/playlists/try?query=${encodeURIComponent(query)}`)
    ).text();
    expect(total(tried, 'tracks')).toBeGreaterThan(0);
    const token = await agent.csrf('/playlists');
    const key = formKey(await (await agent.get('/playlists')).text());
    const form = { _csrf: token, key, name: 'Unplayed, oldest saves first', query };
    const first = await agent.post('/playlists', form);
    expect(first.status).toBe(303);
    const location = first.headers.get('location') ?? '';
    expect(location).toBe(`/playlists/c-${key}`);
    const again = await agent.post('/playlists', form);
    expect(again.headers.get('location')).toBe(location);
    const page = await (await agent.get('/playlists')).text();
    expect(page.split(`href="${location}"`).length - 1).toBe(1);
    const detail = await (await agent.get(location)).text();
    const ids = await evaluation(`c-${key}`);
    expect(total(detail, 'tracks')).toBe(ids.length);
    // Same tracks as "never played", oldest save first.
    expect([...ids].sort()).toEqual([...(await evaluation('never-played'))].sort());
    expect(previewIds(detail)).toEqual(ids.slice(0, 50));
  });

  it('explains why a track is in and why another is not', async () => {
    const inside = (await evaluation('never-played'))[0] ?? '';
    const played = recentTruth(t.mock, listener)[0]?.trackId ?? '';
    const yes = await (await agent.get(`/playlists/never-played?why=${inside}`)).text();
    expect(yes).toContain('data-why="in"');
    expect(yes).toContain('at position 1');
    const no = await (
      await agent.get(`/playlists/never-played?why=spotify:track:${played}`)
    ).text();
    expect(no).toContain('data-why="out"');
    expect(no).toMatch(/playCount is 0.*actual [1-9]/s);
    const none = await (
      await agent.get('/playlists/never-played?why=zzzz-no-such-title-zzzz')
    ).text();
    expect(none).toContain('No track of your library has');
    const name = t.mock.world.tracks.get(inside)?.name ?? '';
    const byName = await (
      await agent.get(`/playlists/never-played?why=${encodeURIComponent(name)}`)
    ).text();
    expect(byName).toMatch(/data-why="in"|Several tracks match/);
  });

  it('saves to Spotify: the playlist equals the evaluation; a repeat writes nothing and creates nothing', async () => {
    const token = await agent.csrf('/playlists');
    const response = await agent.post('/playlists/most-played/save', { _csrf: token });
    expect(response.status).toBe(303);
    expect((await evaluation('most-played')).length).toBeGreaterThan(2);
    const [playlist, ...others] = marked('most-played');
    expect(others).toHaveLength(0);
    expect(playlist?.public).toBe(false);
    expect(playlist?.items.map((i) => i.trackId)).toEqual(await evaluation('most-played'));
    const page = await (await agent.get('/playlists/most-played')).text();
    expect(page).toContain(`data-playlist-id>${playlist?.id}<`);
    expect(page).toContain('created on Spotify');
    const writes = () =>
      t.mock.controls.requests
        .log()
        .filter((r) => r.method !== 'GET' && r.path.includes('playlists')).length;
    const before = writes();
    await agent.post('/playlists/most-played/save', { _csrf: token });
    expect(writes()).toBe(before);
    expect(marked('most-played')).toHaveLength(1);
    expect(await (await agent.get('/playlists/most-played')).text()).toContain(
      'already up to date',
    );
  });

  it('creates one playlist when the answer to the create is lost', async () => {
    const token = await agent.csrf('/playlists');
    expect((await evaluation('played-more-than-once')).length).toBeGreaterThan(0);
    t.mock.controls.requests.reset();
    t.mock.controls.faults.script([{ lostAnswer: true }]);
    await agent.post('/playlists/played-more-than-once/save', { _csrf: token });
    t.mock.controls.faults.clear();
    // The create was applied and its answer dropped.
    expect(
      t.mock.controls.requests
        .log()
        .filter((r) => r.method === 'POST' && r.path === '/v1/me/playlists')
        .map((r) => [r.status, r.answerLost]),
    ).toEqual([[201, 'dropped']]);
    // Whatever the first answer said, a repeat converges on one playlist holding the rule's tracks.
    await agent.post('/playlists/played-more-than-once/save', { _csrf: token });
    const found = marked('played-more-than-once');
    expect(found).toHaveLength(1);
    expect(found[0]?.items.map((i) => i.trackId)).toEqual(
      await evaluation('played-more-than-once'),
    );
    const row = await t.server.context.database.db
      .selectFrom('spoti_server_playlists' as never)
      .select(['spotify_playlist_id' as never])
      .where('slug' as never, '=', 'played-more-than-once' as never)
      .executeTakeFirst();
    expect(row).toEqual({ spotify_playlist_id: found[0]?.id });
  });

  it('refreshes only auto-refresh rules, and repairs a playlist changed on Spotify', async () => {
    const token = await agent.csrf('/playlists');
    expect(
      (await agent.post('/playlists/most-played/auto-refresh', { _csrf: token, on: '1' })).status,
    ).toBe(303);
    // Sent twice (a lost answer): still on.
    await agent.post('/playlists/most-played/auto-refresh', { _csrf: token, on: '1' });
    expect(await (await agent.get('/playlists/most-played')).text()).toContain(
      'Turn auto-refresh off',
    );
    const [playlist] = marked('most-played');
    if (playlist === undefined) throw new Error('most-played was not saved');
    // Someone edits the playlist in another app.
    playlist.items = playlist.items.slice(2).reverse();
    playlist.version += 1;
    const result = await t.server.context.runner.run('playlists-refresh', { userId });
    expect(result.status).toBe('ok');
    expect(result.refreshed.map((r) => r.slug)).toEqual(['most-played']);
    expect(result.refreshed[0]?.writeCalls).toBeGreaterThan(0);
    expect(playlist.items.map((i) => i.trackId)).toEqual(await evaluation('most-played'));
    expect(marked('most-played')).toHaveLength(1);
    await agent.post('/playlists/most-played/auto-refresh', { _csrf: token, on: '0' });
    const none = await t.server.context.runner.run('playlists-refresh', { userId });
    expect(none).toEqual({ status: 'skipped', refreshed: [] });
  });

  it('asks a listener who never granted playlist access to sign in again, and writes nothing', async () => {
    const other = [...t.mock.world.users.keys()].find((id) => id !== listener) ?? '';
    const second = new Agent(t.url);
    const start = await second.get(`/login?listener=${other}`);
    const authorize = new URL(start.headers.get('location') ?? '');
    // A grant from before the playlist scopes were asked for.
    const scopes = (authorize.searchParams.get('scope') ?? '').split(' ');
    authorize.searchParams.set('scope', scopes.filter((s) => !s.startsWith('playlist-')).join(' '));
    const consent = await second.get(authorize.toString());
    await second.follow(consent.headers.get('location') ?? '');
    await t.server.context.runner.idle();
    const token = await second.csrf('/playlists');
    const before = t.mock.world.playlists.size;
    const saved = await second.post('/playlists/most-played/save', { _csrf: token });
    expect(saved.status).toBe(303);
    const page = await (await second.get('/playlists/most-played')).text();
    expect(page).toContain('sign in again to grant it');
    expect(t.mock.world.playlists.size).toBe(before);
  });

  it('refuses bad input with a message naming it, and state changes without the CSRF token', async () => {
    expect((await agent.get('/playlists/no-such-rule')).status).toBe(404);
    expect((await agent.get('/playlists/c-0123456789abcdef')).status).toBe(404);
    expect((await agent.post('/playlists/most-played/save', {})).status).toBe(403);
    const token = await agent.csrf('/playlists');
    const bad = await agent.post('/playlists/most-played/auto-refresh', {
      _csrf: token,
      on: 'maybe',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('on must be 0 or 1');
    const key = await agent.post('/playlists', { _csrf: token, key: 'nope', query: 'plays:0' });
    expect(key.status).toBe(400);
    expect((await agent.post('/playlists/never-played/delete', { _csrf: token })).status).toBe(400);
  });

  it('deletes a custom rule once; a repeat says it is gone', async () => {
    const token = await agent.csrf('/playlists');
    const page = await (await agent.get('/playlists')).text();
    const slug = /href="\/playlists\/(c-[0-9a-f]{16})"/.exec(page)?.[1] ?? '';
    const first = await agent.post(`/playlists/${slug}/delete`, { _csrf: token });
    expect(first.status).toBe(303);
    expect(await (await agent.get('/playlists')).text()).toContain('deleted.');
    await agent.post(`/playlists/${slug}/delete`, { _csrf: token });
    expect(await (await agent.get('/playlists')).text()).toContain('deleted already');
    expect((await agent.get(`/playlists/${slug}`)).status).toBe(404);
  });

  it('lets one save of a rule run at a time, until it finishes or its lease runs out', async () => {
    const { createPlaylistRepository } = await import('../src/storage/playlists.js');
    const repo = createPlaylistRepository(t.server.context.database.db);
    const now = 1_000_000;
    await repo.insert({
      userId,
      slug: 'played-once',
      kind: 'builtin',
      name: 'x',
      query: null,
      now,
    });
    const first = { token: 'first', until: now + 300_000, now };
    expect(await repo.claim(userId, 'played-once', first)).toBe(true);
    expect(await repo.claim(userId, 'played-once', { ...first, token: 'second' })).toBe(false);
    // Only the holder's token gives the lease back.
    await repo.finish(userId, 'played-once', 'second', { ok: false, error: 'x' }, now);
    expect(await repo.claim(userId, 'played-once', { ...first, token: 'third' })).toBe(false);
    await repo.finish(
      userId,
      'played-once',
      'first',
      { ok: true, trackCount: 3, writeCalls: 1 },
      now,
    );
    expect((await repo.get(userId, 'played-once'))?.lastTrackCount).toBe(3);
    expect(await repo.claim(userId, 'played-once', { ...first, token: 'fourth' })).toBe(true);
    // A save that died holds the lease until it runs out.
    const later = { token: 'fifth', until: now + 900_000, now: now + 300_000 };
    expect(await repo.claim(userId, 'played-once', later)).toBe(true);
    await repo.finish(
      userId,
      'played-once',
      'fifth',
      { ok: true, trackCount: 3, writeCalls: 0 },
      now,
    );
  });

  it('leaves no playlist row behind when the account is deleted', async () => {
    const rows = () =>
      t.server.context.database.db
        .selectFrom('spoti_server_playlists' as never)
        .selectAll()
        .where('user_id' as never, '=', userId as never)
        .execute();
    expect((await rows()).length).toBeGreaterThan(0);
    const token = await agent.csrf('/playlists');
    expect((await agent.post('/account/delete', { _csrf: token, confirm: 'DELETE' })).status).toBe(
      200,
    );
    expect(await rows()).toEqual([]);
  });
});
