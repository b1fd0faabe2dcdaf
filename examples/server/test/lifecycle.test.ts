import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { writeDataExport } from '@spoti/mock';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { isServerError } from '../src/server-error.js';
import { Agent, BACKENDS, type TestServer, activeListener, startTestServer } from './helpers.js';

// Each test starts its own server (PGlite start-up is CPU-heavy): allow for a busy CI machine.
vi.setConfig({ testTimeout: 120_000 });

describe('configuration', () => {
  const load = (env: Record<string, string>) =>
    loadConfig(env, { baseDir: '/tmp/spoti-config-test', randomBytes });

  it('needs nothing for the embedded default', () => {
    const config = load({});
    expect(config.spotify.kind).toBe('embedded');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '/tmp/spoti-config-test/.data/db' });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.uploadLimitBytes).toBe(1024 ** 3);
  });

  it('names every wrong variable and says what is wrong', () => {
    let caught: unknown;
    try {
      load({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TOKEN_KEYS: 'k1:short' });
    } catch (error) {
      caught = error;
    }
    expect(isServerError(caught)).toBe(true);
    const message = (caught as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'TOKEN_KEYS']) expect(message).toContain(name);
    expect(message).toContain('64 hex characters');
    expect(() => load({ SPOTIFY_CLIENT_ID: 'abc' })).toThrow(
      /SPOTIFY_REDIRECT_URI is required.*PUBLIC_URL is required.*SESSION_SECRET is required.*TOKEN_KEYS is required/,
    );
  });

  it('reads a real Spotify configuration with rotating keys', () => {
    const config = load({
      SPOTIFY_CLIENT_ID: 'client-id',
      SPOTIFY_REDIRECT_URI: 'https://spoti.example/callback',
      PUBLIC_URL: 'https://spoti.example/',
      SESSION_SECRET: 'x'.repeat(40),
      TOKEN_KEYS: `new:${'cd'.repeat(32)},old:${'ef'.repeat(32)}`,
      DATABASE_URL: 'postgres://u@db/spoti',
      REDIS_URL: 'redis://cache:6379',
    });
    expect(config.spotify).toMatchObject({
      kind: 'real',
      clientId: 'client-id',
      redirectUri: 'https://spoti.example/callback',
    });
    expect(config.publicUrl).toBe('https://spoti.example');
    expect(config.tokenKeys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(config.database.kind).toBe('postgres');
  });
});

describe.each(BACKENDS)('server lifecycle on %s', (backend) => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('limits requests per minute with 429', async () => {
    t = await startTestServer(backend, { AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await fetch(`${t.url}/login`, { redirect: 'manual' })).status);
    expect(statuses.slice(0, 3)).toEqual([303, 303, 303]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect((await fetch(`${t.url}/`)).status).toBe(200);
  });

  it("counts a signed-in user's form posts per user, apart from the sign-in limit", async () => {
    t = await startTestServer(backend, {
      AUTH_RATE_LIMIT_PER_MINUTE: '4',
      WRITE_RATE_LIMIT_PER_MINUTE: '6',
    });
    const agent = new Agent(t.url);
    expect((await agent.signIn()).status).toBe(200);
    const token = await agent.csrf();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push(
        (await agent.post('/settings', { timeZone: 'Europe/Paris', email: '', _csrf: token }))
          .status,
      );
    // Four posts are more than the sign-in limit allows; the user's own limit decides.
    expect(statuses.slice(0, 6).every((s) => s < 400)).toBe(true);
    expect(statuses.slice(6)).toEqual([429, 429]);
    // A visitor who is not signed in posts under the address's sign-in limit.
    const visitor = await fetch(`${t.url}/logout`, { method: 'POST', redirect: 'manual' });
    expect(visitor.status).not.toBe(429);
  });

  it('shares the limits through Redis when REDIS_URL is set', async () => {
    const prefix = `spoti-test-${randomBytes(6).toString('hex')}:`;
    t = await startTestServer(backend, {
      AUTH_RATE_LIMIT_PER_MINUTE: '2',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: prefix,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await fetch(`${t.url}/login`, { redirect: 'manual' })).status);
    expect(statuses).toEqual([303, 303, 429]);
    const redis = new Redis('redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`${prefix}*`);
      expect(keys.some((k) => k.startsWith(`${prefix}rl:auth:`))).toBe(true);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
  });

  it('shows public trends only for what at least k listeners share', async () => {
    t = await startTestServer(backend, { TRENDS_K: '2', AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
    const ids = [...t.mock.world.users.keys()];
    for (const id of ids) expect((await new Agent(t.url).signIn(id)).status).toBe(200);
    await t.server.context.runner.idle();
    const now = t.mock.controls.clock.now();
    const recent = await sql<{ n: string }>`
      select count(distinct user_id)::text as n from catalog_plays where ended_at >= ${now - 30 * 86_400_000}`.execute(
      t.server.context.database.db,
    );
    const trends = await t.server.context.trends.get(now);
    expect(trends.month.listeners).toBe(Number(recent.rows[0]?.n));
    expect(trends.month.listeners).toBeGreaterThanOrEqual(2);
    for (const artist of trends.month.artists) expect(artist.listeners).toBeGreaterThanOrEqual(2);
    const home = await (await fetch(`${t.url}/`)).text();
    expect(home).not.toContain('Trends appear once at least');
    expect(home).toContain('This month: top artists by listeners');
    const strict = await startTestServer(backend, { TRENDS_K: '50' });
    try {
      await new Agent(strict.url).signIn(ids[0]);
      await strict.server.context.runner.idle();
      expect(await (await fetch(`${strict.url}/`)).text()).toContain(
        'Trends appear once at least 50 listeners',
      );
    } finally {
      await strict.close();
    }
  }, 90_000);

  it('reports 503 on /readyz once the database is gone', async () => {
    t = await startTestServer(backend);
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    await t.server.context.database.close();
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ database: 'unreachable' });
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('shuts down gracefully: an in-flight upload finishes, then the database closes', async () => {
    t = await startTestServer(backend);
    const agent = new Agent(t.url);
    await agent.signIn(activeListener(t.mock));
    await t.server.context.runner.idle();
    const token = await agent.csrf('/import');
    const url = new URL(`${t.url}/import?_csrf=${encodeURIComponent(token)}`);
    const boundary = 'x-boundary-x';
    const response = new Promise<number>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: {
            cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            'content-type': `multipart/form-data; boundary=${boundary}`,
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="export"; filename="endsong_0.json"\r\nContent-Type: application/json\r\n\r\n[`,
      );
      // The rest of the body arrives after the shutdown has begun.
      setTimeout(() => req.end(`]\r\n--${boundary}--\r\n`), 300);
    });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const closing = t.server.close();
    expect(await response).toBe(303);
    await closing;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await t.server.context.database.ping()).toBe(false);
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
  });

  it('resumes an interrupted import after a restart', async () => {
    t = await startTestServer(backend);
    const agent = new Agent(t.url);
    await agent.signIn(activeListener(t.mock));
    await t.server.context.runner.idle();
    const zip = join(t.dataDir, 'export.zip');
    await writeDataExport({
      seed: 9,
      persona: 'heavy-pop',
      plays: 3000,
      out: zip,
      accountData: false,
    });
    const token = await agent.csrf('/import');
    const form = new FormData();
    form.append('export', new Blob([new Uint8Array(await readFile(zip))]), 'my_spotify_data.zip');
    const upload = await agent.request(`/import?_csrf=${encodeURIComponent(token)}`, {
      method: 'POST',
      body: form,
    });
    const id = (upload.headers.get('location') ?? '').split('/').pop() ?? '';
    // Stop while the import runs: it halts at its next checkpoint and stays "running".
    await t.restart();
    const fresh = new Agent(t.url);
    for (const [k, v] of agent.cookies) fresh.cookies.set(k, v);
    let job = await t.server.context.importJobs.get(id);
    for (let i = 0; i < 300 && job?.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = await t.server.context.importJobs.get(id);
    }
    expect(job?.status).toBe('done');
    expect(job?.result?.rows).toBeGreaterThanOrEqual(3000);
    // Every music row was written once: a batch re-read after the restart counts as duplicates.
    expect((job?.result?.inserted ?? 0) + (job?.result?.duplicates ?? 0)).toBeGreaterThanOrEqual(
      3000,
    );
    const stored = await sql<{
      n: string;
    }>`select count(*)::text as n from catalog_plays where source = 'export'`.execute(
      t.server.context.database.db,
    );
    expect(Number(stored.rows[0]?.n)).toBe(job?.result?.inserted);
    expect(job?.result?.inserted).toBeGreaterThan(2900);
    expect(await (await fresh.get(`/import/${id}`)).text()).toContain('data-field="percent">100<');
  }, 120_000);
});

describe('logs', () => {
  it('never contain tokens, cookies, codes or CSRF tokens', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const t = await startTestServer('pglite', { LOG_LEVEL: 'info' }, sink);
    try {
      const agent = new Agent(t.url);
      await agent.signIn(activeListener(t.mock));
      await t.server.context.runner.idle();
      const token = await agent.csrf();
      await agent.post('/settings', { timeZone: 'UTC', _csrf: token });
      const log = lines.join('');
      expect(log).toContain('"path":"/callback"');
      expect(log).toContain('"id":');
      expect(log).not.toMatch(/code=|state=|_csrf|spoti\.sid|Bearer|access_token|refresh_token/);
      expect(log).not.toContain(token);
      const rows = await t.server.context.database.db
        .selectFrom('spoti_server_tokens')
        .selectAll()
        .execute();
      for (const row of rows) expect(log).not.toContain(row.ciphertext);
    } finally {
      await t.close();
    }
  });
});
