import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ApiAnswer, ApiClient, registerAndLogin } from './api-client.js';
import { Agent, BACKENDS, type TestServer, startTestServer } from './helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

describe.each(BACKENDS)('platform API accounts on %s', (backend) => {
  let t: TestServer;
  let api: ApiClient;
  beforeAll(async () => {
    t = await startTestServer(backend, {
      API_ADMIN_EMAILS: 'boss@example.test',
      API_LOGIN_ATTEMPTS_PER_15_MINUTES: '5',
      API_CORS_ORIGINS: 'https://app.example.test',
    });
    api = new ApiClient(t.url);
  });
  afterAll(async () => t?.close());

  it('serves an OpenAPI 3.1 document and a readable reference page', async () => {
    const doc = (await api.document()) as unknown as { openapi: string; paths: object };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/auth/register');
    const page = await fetch(`${t.url}/api/v1/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/api/v1/auth/register');
    expect(html).not.toContain('<script');
    // Markdown code spans in the registry's prose are shown as code, never as raw backticks.
    expect(html).toContain('<code>X-Audio-Quality</code>');
    expect(html.replace(/<pre>[\s\S]*?<\/pre>/g, '')).not.toContain('&#96;');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('registers, logs in, lists and revokes tokens', async () => {
    const { client, email, id } = await registerAndLogin(api, 'Ana');
    const me = await client.get('/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id, email, role: 'listener', artistId: null });
    const again = await api.as(null).post('/auth/register', {
      email: email.toUpperCase(),
      password: 'another-fake-pass-phrase',
      displayName: 'Ana 2',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('EMAIL_TAKEN');
    expect(again.headers.get('content-type')).toContain('application/problem+json');

    const extra = await client.post('/tokens', { name: 'ci' });
    expect(extra.status).toBe(201);
    const list = await client.get('/tokens');
    expect(list.body.items.map((i: { name: string }) => i.name).sort()).toEqual(['ci', 'login']);
    expect(JSON.stringify(list.body)).not.toContain(extra.body.token);
    // Used once (its lookup is now kept in memory for a moment): revoking still ends it at once.
    expect((await api.as(extra.body.token).get('/me')).status).toBe(200);
    expect((await client.delete(`/tokens/${extra.body.tokenInfo.id}`)).status).toBe(204);
    expect((await client.delete(`/tokens/${extra.body.tokenInfo.id}`)).status).toBe(204);
    const revoked = await api.as(extra.body.token).get('/me');
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses weak passwords with the field named, and bad JSON as a problem', async () => {
    const weak = await api.post('/auth/register', {
      email: 'weak@example.test',
      password: 'short',
      displayName: 'W',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.fields[0].path).toBe('body.password');
    const common = await api.post('/auth/register', {
      email: 'common@example.test',
      password: 'password1234',
      displayName: 'C',
    });
    expect(common.body.detail).toContain('common');
    const bad = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('INVALID_JSON');
    const unknown = await fetch(`${t.url}/api/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).code).toBe('NOT_FOUND');
  });

  it('limits login attempts per email (429 with Retry-After)', async () => {
    const email = `limit-${backend}@example.test`;
    await api.post('/auth/register', { email, password: 'fake-Pass-phrase-x', displayName: 'L' });
    const statuses: number[] = [];
    let last: ApiAnswer | undefined;
    for (let i = 0; i < 6; i++) {
      last = await api.post('/auth/login', { email, password: 'wrong-password-guess' });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    expect(last?.body.code).toBe('RATE_LIMITED');
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('gives the admin role to configured emails; only admins change roles', async () => {
    const boss = await api.post('/auth/register', {
      email: 'Boss@example.test',
      password: 'fake-Admin-phrase-1',
      displayName: 'Boss',
    });
    expect(boss.body.role).toBe('admin');
    const login = await api.post('/auth/login', {
      email: 'boss@example.test',
      password: 'fake-Admin-phrase-1',
    });
    const admin = api.as(login.body.token);
    const { client, id } = await registerAndLogin(api, 'Lee');
    expect((await client.patch(`/accounts/${id}`, { role: 'admin' })).status).toBe(403);
    const promoted = await admin.patch(`/accounts/${id}`, { role: 'admin' });
    expect(promoted.body.role).toBe('admin');
  });

  it('answers CORS preflights for configured origins only', async () => {
    const ok = await fetch(`${t.url}/api/v1/me`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.test', 'access-control-request-method': 'GET' },
    });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    const other = await fetch(`${t.url}/api/v1/me`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'GET' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('links a platform account to a Spotify-signed-in web user (with CSRF)', async () => {
    const { client, email } = await registerAndLogin(api, 'Linker');
    const web = new Agent(t.url);
    await web.signIn();
    const csrf = await web.csrf('/settings/platform');
    const wrong = await web.post('/settings/platform/link', {
      _csrf: csrf,
      email,
      password: 'not-the-password-at-all',
    });
    expect(wrong.status).toBe(400);
    expect((await client.get('/me')).body.linkedWebUser).toBe(false);
    const noCsrf = await web.post('/settings/platform/link', {
      email,
      password: 'fake-Pass-phrase-for-tests',
    });
    expect(noCsrf.status).toBe(403);
    for (let i = 0; i < 2; i++) {
      const linked = await web.post('/settings/platform/link', {
        _csrf: csrf,
        email,
        password: 'fake-Pass-phrase-for-tests',
      });
      expect(linked.status).toBe(200);
      expect(await linked.text()).toContain(email);
    }
    expect((await client.get('/me')).body.linkedWebUser).toBe(true);
    const unlinked = await web.post('/settings/platform/unlink', { _csrf: csrf });
    expect(unlinked.status).toBe(200);
    expect((await client.get('/me')).body.linkedWebUser).toBe(false);
  });
});
