import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDataExport } from '@spoti/mock';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { zipArchive } from './import-archives.js';
import { SCOPES } from '../src/auth/spotify.js';
import {
  Agent,
  BACKENDS,
  type TestServer,
  activeListener,
  recentTruth,
  startTestServer,
} from './helpers.js';

// One server per backend; the import test writes thousands of plays: allow for a busy CI machine.
vi.setConfig({ testTimeout: 120_000 });

const total = (html: string, name: string) =>
  Number(new RegExp(`data-total="${name}">(\\d+)`).exec(html)?.[1] ?? 'NaN');

async function waitForImport(agent: Agent, location: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const page = await (await agent.get(location)).text();
    if (!page.includes('http-equiv="refresh"')) return page;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the import at ${location} did not finish`);
}

function uploadForm(files: { name: string; body: Buffer | string; type?: string }[]): FormData {
  const form = new FormData();
  for (const f of files)
    form.append(
      'export',
      new Blob([typeof f.body === 'string' ? f.body : new Uint8Array(f.body)], {
        type: f.type ?? 'application/octet-stream',
      }),
      f.name,
    );
  return form;
}

describe.each(BACKENDS)('example server over HTTP on %s', (backend) => {
  let t: TestServer;
  let listener: string;
  let agent: Agent;

  beforeAll(async () => {
    t = await startTestServer(backend, {
      UPLOAD_LIMIT_BYTES: String(2 * 1024 ** 2),
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    });
    listener = activeListener(t.mock);
    agent = new Agent(t.url);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers /healthz and /readyz', async () => {
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok' });
  });

  it('sends a strict CSP whose nonce is the one on every script, and no session to visitors', async () => {
    const response = await fetch(`${t.url}/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const body = await response.text();
    const scripts = body.match(/<script[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(body).toContain('Sign in as a demo listener');
    const second = await fetch(`${t.url}/`);
    expect(second.headers.get('content-security-policy')).not.toContain(nonce);
  });

  it('serves static assets with a cache lifetime', async () => {
    const css = await fetch(`${t.url}/static/app.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('cache-control')).toContain('max-age=604800');
  });

  it('asks visitors to sign in on every personal page', async () => {
    for (const path of [
      '/dashboard',
      '/history',
      '/import',
      '/settings',
      '/dashboard/download/artists.csv',
    ]) {
      const response = await fetch(`${t.url}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(401);
    }
  });

  it('signs in with PKCE, state, the exact redirect URI and only the documented scopes', async () => {
    const start = await agent.get(`/login?listener=${listener}&tz=Europe/Berlin`);
    expect(start.status).toBe(303);
    const before = agent.cookies.get('spoti.sid');
    const cookie = start.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin).toBe(new URL(t.mock.accountsUrl).origin);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')?.length).toBeGreaterThanOrEqual(16);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${t.url}/callback`);
    expect(authorize.searchParams.get('scope')?.split(' ').sort()).toEqual(
      SCOPES.map((s) => s.scope).sort(),
    );
    const consent = await agent.get(authorize.toString());
    const callback = await agent.get(consent.headers.get('location') ?? '');
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/dashboard');
    expect(agent.cookies.get('spoti.sid')).not.toBe(before);
  });

  it('shows dashboard totals equal to the plays the mock served', async () => {
    const truth = recentTruth(t.mock, listener);
    const page = await (await agent.get('/dashboard?period=all')).text();
    expect(total(page, 'plays')).toBe(truth.length);
    // Recently played carries no play time: a polled play counts its track's length.
    const minutes =
      truth.reduce((sum, p) => sum + (t.mock.world.tracks.get(p.trackId)?.durationMs ?? 0), 0) /
      60_000;
    expect(total(page, 'minutes')).toBe(Math.round(minutes));
    expect(page).toContain('<svg class="chart"');
  });

  it('keeps tokens encrypted with a key id, never in the clear', async () => {
    const rows = await t.server.context.database.db
      .selectFrom('spoti_server_tokens')
      .selectAll()
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.key_id).toBe('test');
    const stored = JSON.stringify(rows);
    const tokens = await t.server.context.spotify.mock?.controls.auth; // the mock never hands out stored tokens
    expect(tokens).toBeDefined();
    expect(stored).not.toMatch(/accessToken|refreshToken|Bearer/);
  });

  it('rejects bad dashboard periods and unknown downloads, serves CSV and JSON', async () => {
    expect((await agent.get('/dashboard?period=year&year=abc')).status).toBe(400);
    expect((await agent.get('/dashboard?period=custom&from=2026-01-01')).status).toBe(400);
    expect((await agent.get('/dashboard?period=custom&from=2026-02-01&to=2026-01-01')).status).toBe(
      400,
    );
    expect((await agent.get('/dashboard?period=weekly')).status).toBe(400);
    const csv = await agent.get('/dashboard/download/artists.csv?period=all');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('spoti-artists.csv');
    expect((await csv.text()).split('\r\n')[0]).toContain('plays');
    const json = await agent.get('/dashboard/download/stats.json?period=all');
    expect((JSON.parse(await json.text()) as { totals: { plays: number } }).totals.plays).toBe(
      recentTruth(t.mock, listener).length,
    );
    expect((await agent.get('/dashboard/download/secrets.csv')).status).toBe(404);
  });

  it('lists history newest first and rejects bad filters', async () => {
    const page = await (await agent.get('/history')).text();
    const truth = recentTruth(t.mock, listener);
    const newest = t.mock.world.tracks.get(truth.at(-1)?.trackId ?? '')?.name ?? '';
    expect(page).toContain(newest.replaceAll('&', '&amp;').replaceAll("'", '&#39;'));
    expect((await agent.get('/history?from=yesterday')).status).toBe(400);
    expect((await agent.get('/history?before=abc')).status).toBe(400);
    expect((await agent.get('/history?from=2026-02-01&to=2026-01-01')).status).toBe(400);
    const filtered = await (await agent.get('/history?artist=%25%25nobody-plays-this%25')).text();
    expect(filtered).toContain('No plays match.');
  });

  it('refuses state-changing requests without the CSRF token', async () => {
    expect((await agent.post('/settings', { timeZone: 'Europe/Paris' })).status).toBe(403);
    expect(
      (await agent.post('/settings', { timeZone: 'Europe/Paris', _csrf: 'forged' })).status,
    ).toBe(403);
    const token = await agent.csrf();
    const ok = await agent.post('/settings', { timeZone: 'Europe/Paris', email: '', _csrf: token });
    expect(ok.status).toBe(303);
    expect(await (await agent.get('/settings')).text()).toContain('value="Europe/Paris"');
  });

  it('names what is wrong with bad settings', async () => {
    const token = await agent.csrf();
    const zone = await agent.post('/settings', { timeZone: 'Mars/Olympus', _csrf: token });
    expect(zone.status).toBe(400);
    expect(await zone.text()).toContain('timeZone must be an IANA time zone');
    const email = await agent.post('/settings', {
      timeZone: 'UTC',
      email: 'not-an-email',
      _csrf: token,
    });
    expect(email.status).toBe(400);
    expect(await email.text()).toContain('email');
    const huge = await agent.post('/settings', { timeZone: 'x'.repeat(40_000), _csrf: token });
    expect(huge.status).toBe(413);
  });

  it('rejects uploads that are not exports, too large or not multipart', async () => {
    const token = await agent.csrf('/import');
    const path = `/import?_csrf=${encodeURIComponent(token)}`;
    const notMultipart = await agent.post(path, { export: 'x', _csrf: token });
    expect(notMultipart.status).toBe(400);
    const wrongName = await agent.request(path, {
      method: 'POST',
      body: uploadForm([{ name: 'notes.txt', body: 'hello' }]),
    });
    expect(wrongName.status).toBe(415);
    expect(await wrongName.text()).toContain('not a Spotify data export');
    const fakeZip = await agent.request(path, {
      method: 'POST',
      body: uploadForm([{ name: 'my_spotify_data.zip', body: '{"not":"zip"}' }]),
    });
    expect(fakeZip.status).toBe(415);
    const tooBig = await agent.request(path, {
      method: 'POST',
      body: uploadForm([
        { name: 'Streaming_History_Audio_2026_1.json', body: `[${' '.repeat(3 * 1024 ** 2)}]` },
      ]),
    });
    expect(tooBig.status).toBe(413);
    const noToken = await agent.request('/import', {
      method: 'POST',
      body: uploadForm([{ name: 'endsong_0.json', body: '[]' }]),
    });
    expect(noToken.status).toBe(403);
  });

  it('imports an export in the background with progress, then the dashboard and history grow', async () => {
    const zip = join(t.dataDir, 'my_spotify_data.zip');
    await writeDataExport({ seed: 5, persona: 'night-owl', plays: 400, out: zip });
    const before = total(await (await agent.get('/dashboard?period=all')).text(), 'plays');
    const token = await agent.csrf('/import');
    const upload = await agent.request(`/import?_csrf=${encodeURIComponent(token)}`, {
      method: 'POST',
      body: uploadForm([
        { name: 'my_spotify_data.zip', body: await readFile(zip), type: 'application/zip' },
      ]),
    });
    expect(upload.status).toBe(303);
    const location = upload.headers.get('location') ?? '';
    expect(location).toMatch(/^\/import\/[0-9a-f-]{36}$/);
    const done = await waitForImport(agent, location);
    expect(done).toContain('data-field="percent">100<');
    const inserted = Number(/data-summary="inserted">(\d+)/.exec(done)?.[1]);
    expect(inserted).toBeGreaterThan(300);
    const events = await (await agent.get(`${location}/events`)).text();
    expect(events).toContain('event: progress');
    expect(events).toContain('"status":"done"');
    const after = total(await (await agent.get('/dashboard?period=all')).text(), 'plays');
    expect(after).toBe(before + inserted);
    const first = await (await agent.get('/history')).text();
    const next = /rel="next" href="([^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBeDefined();
    const second = await (await agent.get(next ?? '')).text();
    const whenOf = (html: string) => [...html.matchAll(/<tr><td>([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(whenOf(second).length).toBeGreaterThan(0);
    expect(whenOf(first)).not.toContain(whenOf(second)[0]);
    expect((await agent.get('/import/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it("fails hostile archives naming the file and the reason, never the server's paths", async () => {
    const history = 'Spotify Extended Streaming History/Streaming_History_Audio_2024_0.json';
    const importZip = async (zip: Buffer) => {
      const token = await agent.csrf('/import');
      const upload = await agent.request(`/import?_csrf=${encodeURIComponent(token)}`, {
        method: 'POST',
        body: uploadForm([{ name: 'my_spotify_data.zip', body: zip, type: 'application/zip' }]),
      });
      expect(upload.status).toBe(303);
      const location = upload.headers.get('location') ?? '';
      await t.server.context.runner.idle();
      const job = await t.server.context.importJobs.get(location.split('/').pop() ?? '');
      expect(job?.status).toBe('failed');
      expect(job?.error).not.toContain(t.dataDir);
      expect(await (await agent.get(location)).text()).toContain('The import failed');
      return job?.error ?? '';
    };
    // An empty archive, and one without history files.
    for (const zip of [
      zipArchive([]),
      zipArchive([{ name: 'ReadMeFirst.txt', data: Buffer.from('hi') }]),
    ])
      expect(await importZip(zip)).toMatch(/^Import of my_spotify_data.zip stopped: No streaming/);
    const cases: { data: Buffer; declaredSize: number; reason: RegExp }[] = [
      // A zip bomb: declares 100 bytes, inflates to 4 MiB.
      { data: Buffer.alloc(4 * 1024 ** 2, 0x20), declaredSize: 100, reason: /cannot be read/ },
      // A huge entry: more than the largest history file accepted (never inflated).
      { data: Buffer.from('[]'), declaredSize: 2 ** 31, reason: /more than the 268435456/ },
      {
        data: Buffer.from('{"ts": "2024-01-01T00:00:00Z"'),
        declaredSize: 29,
        reason: /not valid JSON/,
      },
    ];
    for (const c of cases) {
      const error = await importZip(zipArchive([{ name: history, ...c }]));
      expect(error).toContain('Streaming_History_Audio_2024_0.json');
      expect(error).toMatch(c.reason);
    }
  });

  it('explains callback errors: denied, missing state, replayed state, used code', async () => {
    const other = new Agent(t.url);
    const denied = await other.get('/callback?error=access_denied&state=x');
    expect(denied.status).toBe(400);
    expect(await denied.text()).toContain('did not allow access');
    const missing = await other.get('/callback?code=abc');
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('state is missing');
    const start = await other.get('/login');
    const consent = await other.get(start.headers.get('location') ?? '');
    const callbackUrl = consent.headers.get('location') ?? '';
    expect((await other.get(callbackUrl)).status).toBe(303);
    const replay = await other.get(callbackUrl);
    expect(replay.status).toBe(400);
    const code = new URL(callbackUrl).searchParams.get('code') ?? '';
    const again = await other.get('/login');
    const state = new URL(again.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const used = await other.get(
      `/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`,
    );
    expect(used.status).toBe(400);
    expect(await used.text()).toContain('expired or was already used');
    const forged = await new Agent(t.url).get(`/callback?code=x&state=${'y'.repeat(20)}`);
    expect(forged.status).toBe(400);
  });

  it('explains the Development Mode allow-list when Spotify answers 403', async () => {
    const other = new Agent(t.url);
    t.mock.controls.faults.set({ paths: /^\/v1\/me$/, errorRate: 1, statuses: [403] });
    try {
      const page = await other.signIn();
      expect(page.status).toBe(403);
      expect(await page.text()).toContain('allow-list');
    } finally {
      t.mock.controls.faults.clear();
    }
  });

  it('asks to reconnect Spotify when the refresh token is dead, and stops syncing', async () => {
    const other = new Agent(t.url);
    const otherUser = [...t.mock.world.users.keys()].find((id) => id !== listener) ?? listener;
    await other.signIn(otherUser);
    await t.server.context.runner.idle();
    t.mock.controls.auth.expireAccessTokens();
    t.mock.controls.auth.expireRefreshTokens();
    const token = await other.csrf();
    const sync = await other.post('/settings/sync', { _csrf: token });
    expect(sync.status).toBe(303);
    const settings = await (await other.get('/settings')).text();
    expect(settings).toContain('Reconnect Spotify');
    expect(settings).toContain('sign in again');
    const second = await other.post('/settings/sync', { _csrf: await other.csrf() });
    expect(second.status).toBe(303);
    expect(await (await other.get('/settings')).text()).toContain('reconnect Spotify first');
    await other.signIn(otherUser);
    expect(await (await other.get('/settings')).text()).toContain('Sync now');
  });

  it('signs out, forgetting the session and the tokens', async () => {
    const other = new Agent(t.url);
    const otherUser = [...t.mock.world.users.keys()].find((id) => id !== listener) ?? listener;
    await other.signIn(otherUser);
    const token = await other.csrf();
    const out = await other.post('/logout', { _csrf: token });
    expect(out.status).toBe(303);
    expect((await other.get('/dashboard')).status).toBe(401);
    const user = await t.server.context.database.db
      .selectFrom('spoti_server_users')
      .select('id')
      .where('spotify_id', '=', otherUser)
      .executeTakeFirstOrThrow();
    const tokens = await t.server.context.database.db
      .selectFrom('spoti_server_tokens')
      .where('user_id', '=', user.id)
      .selectAll()
      .execute();
    expect(tokens).toHaveLength(0);
  });

  it('deletes the account with a typed confirmation, leaving no row of the user in any table', async () => {
    const db = t.server.context.database.db;
    const user = await db
      .selectFrom('spoti_server_users')
      .select('id')
      .where('spotify_id', '=', listener)
      .executeTakeFirstOrThrow();
    const token = await agent.csrf();
    const wrong = await agent.post('/account/delete', { confirm: 'delete', _csrf: token });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Type DELETE');
    const plays = await sql<{
      n: string;
    }>`select count(*)::text as n from catalog_plays where user_id = ${user.id}`.execute(db);
    expect(Number(plays.rows[0]?.n)).toBeGreaterThan(0);
    const done = await agent.post('/account/delete', { confirm: 'DELETE', _csrf: token });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('account is deleted');
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
    expect(tables.rows.length).toBeGreaterThan(15);
    for (const { table_name } of tables.rows) {
      const found = await sql<{ n: string }>`
        select count(*)::text as n from ${sql.table(table_name)} x where x::text like ${`%${user.id}%`}`.execute(
        db,
      );
      expect(Number(found.rows[0]?.n), table_name).toBe(0);
    }
    expect((await agent.get('/dashboard')).status).toBe(401);
  });
});
