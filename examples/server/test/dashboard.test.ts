import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer } from '../src/server.js';
import { Agent, BACKENDS, type TestServer, activeListener, startTestServer } from './helpers.js';

vi.setConfig({ testTimeout: 120_000 });

const total = (page: string, name: string) =>
  Number(new RegExp(`data-total="${name}">(\\d+)`).exec(page)?.[1] ?? 'NaN');

/** A GET with exactly these headers, its body as sent (no decoding, unlike `fetch`). */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      request(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    },
  );
}

describe.each(BACKENDS)('the dashboard page and its caches on %s', (backend) => {
  let t: TestServer;
  let listener: string;
  let agent: Agent;
  const cookie = (a: Agent) => [...a.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

  beforeAll(async () => {
    t = await startTestServer(backend, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
    listener = activeListener(t.mock);
    agent = new Agent(t.url);
    await agent.signIn(listener);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends the same page identity-, gzip- and brotli-encoded, never stored by the browser', async () => {
    const url = `${t.url}/dashboard?period=all`;
    const plain = await rawGet(url, { cookie: cookie(agent) });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('no-store');
    expect(String(plain.headers.vary)).toContain('Accept-Encoding');
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    const page = plain.body.toString('utf8');
    expect(page).toContain('<h1>Your dashboard</h1>');
    expect(page).toContain('</html>');
    const again = await rawGet(url, { cookie: cookie(agent) });
    expect(again.body.equals(plain.body)).toBe(true);
    const gzip = await rawGet(url, { cookie: cookie(agent), 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    const br = await rawGet(url, { cookie: cookie(agent), 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
  });

  it("puts each session's own CSRF token in the page, not another session's", async () => {
    const other = new Agent(t.url);
    await other.signIn(listener);
    const mine = await (await agent.get('/dashboard?period=all')).text();
    const theirs = await (await other.get('/dashboard?period=all')).text();
    const token = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(token(mine)).toBe(await agent.csrf());
    expect(token(theirs)).toBe(await other.csrf());
    expect(token(mine)).not.toBe(token(theirs));
  });

  it('shows another period and another time zone at once', async () => {
    const year = await (await agent.get('/dashboard?period=year&year=2020')).text();
    expect(year).toContain('2020-01-01 to');
    const all = await (await agent.get('/dashboard?period=all')).text();
    expect(all).not.toContain('2020-01-01 to');
    const token = await agent.csrf();
    for (const zone of ['Asia/Tokyo', 'America/Lima']) {
      const saved = await agent.post('/settings', { timeZone: zone, _csrf: token });
      expect(saved.status).toBe(303);
      const page = await (await agent.get('/dashboard?period=all')).text();
      expect(page).toContain(`(${zone})`);
    }
  });

  it('shows new plays at once after a sync brings them', async () => {
    const before = await (await agent.get('/dashboard?period=all')).text();
    const cached = await (await agent.get('/dashboard?period=all')).text();
    expect(cached).toBe(before);
    // A day later the listener has played more; "sync now" polls them.
    t.mock.controls.clock.set(t.mock.controls.clock.now() + 86_400_000);
    const synced = await agent.post('/settings/sync', { _csrf: await agent.csrf() });
    expect(synced.status).toBe(303);
    const after = await (await agent.get('/dashboard?period=all')).text();
    expect(total(after, 'plays')).toBeGreaterThan(total(before, 'plays'));
  });

  it.skipIf(backend === 'pglite')(
    'shows plays another process stored (a separate worker) at the next view',
    async () => {
      const before = await (await agent.get('/dashboard?period=all')).text();
      expect(await (await agent.get('/dashboard?period=all')).text()).toBe(before);
      // A second process on the same database polls the listener's new plays: its hook moves the
      // user's cache generation there, which this server's cached statistics never heard of.
      const second = await startServer(t.config, { mock: t.mock, clock: t.mock.controls.clock });
      try {
        const other = new Agent(second.url);
        for (const [k, v] of agent.cookies) other.cookies.set(k, v);
        t.mock.controls.clock.set(t.mock.controls.clock.now() + 86_400_000);
        const synced = await other.post('/settings/sync', { _csrf: await other.csrf() });
        expect(synced.status).toBe(303);
      } finally {
        await second.close();
      }
      const after = await (await agent.get('/dashboard?period=all')).text();
      expect(total(after, 'plays')).toBeGreaterThan(total(before, 'plays'));
    },
  );

  it('shows a one-time message once, and the cached page after it', async () => {
    const token = await agent.csrf();
    // Saving settings leaves a message for the next page.
    await agent.post('/settings', { timeZone: 'UTC', _csrf: token });
    const first = await (await agent.get('/dashboard?period=all')).text();
    const second = await (await agent.get('/dashboard?period=all')).text();
    expect(first).toContain('class="banner" role="status"');
    expect(second).not.toContain('class="banner" role="status"');
  });
});
