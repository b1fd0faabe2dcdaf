import { createSpotifyClient, createMemoryTokenStore } from '@spoti/client';
import { DEFAULT_CATALOGUE, type ListeningProfile, mapFace, toFaceString } from '@spoti/face';
import { collectListeningProfile } from '@spoti/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent, BACKENDS, type TestServer, activeListener, startTestServer } from './helpers.js';

// Servers start slowly on a busy shared machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(bytes);
  expect(view.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

const faceStringOf = (page: string) => /id="face-string">([a-z0-9]+)</.exec(page)?.[1];
const profileOf = (page: string) =>
  (
    JSON.parse(
      (
        /<script type="application\/json" id="face-data">(.*?)<\/script>/s.exec(page)?.[1] ?? '{}'
      ).replace(/\\u003c/g, '<'),
    ) as { profile: ListeningProfile }
  ).profile;

async function keepFace(agent: Agent, form: Record<string, string>): Promise<Response> {
  const csrf = await agent.csrf('/face');
  return agent.post('/face/download', { _csrf: csrf, back: 'period=short_term', ...form });
}

describe.each(BACKENDS)('the face studio over HTTP on %s', (backend) => {
  let t: TestServer;
  let listener: string;
  let agent: Agent;
  let userId: string;

  beforeAll(async () => {
    t = await startTestServer(backend, {
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      FACE_REGENERATE_PER_HOUR: '4',
    });
    listener = activeListener(t.mock);
    agent = new Agent(t.url);
    await agent.signIn(listener);
    await t.server.context.runner.idle();
    const row = await t.server.context.database.db
      .selectFrom('spoti_server_users')
      .select('id')
      .where('spotify_id', '=', listener)
      .executeTakeFirstOrThrow();
    userId = row.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows the face mapFace gives for the profile collectListeningProfile builds on its own', async () => {
    const page = await (await agent.get('/face?period=medium_term')).text();
    const issued = t.mock.controls.auth.issueTokens({ userId: listener, clientId: 'face-test' });
    const client = createSpotifyClient({
      apiBaseUrl: t.mock.apiUrl,
      accountsBaseUrl: t.mock.accountsUrl,
      clientId: 'face-test',
      clock: t.mock.controls.clock,
      tokenStore: createMemoryTokenStore({
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        expiresAt: t.mock.controls.clock.now() + issued.expires_in * 1000,
      }),
    });
    const user = await t.server.context.users.get(userId);
    const own = await collectListeningProfile({
      client,
      store: t.server.context.database.catalog,
      userId,
      timeZone: user?.timeZone ?? 'UTC',
      period: 'medium_term',
      now: t.mock.controls.clock.now(),
    });
    await client.close();
    expect(own.calls).toBe(8);
    const expected = mapFace(own.profile);
    expect(faceStringOf(page)).toBe(toFaceString(expected));
    expect(profileOf(page)).toEqual(own.profile);
    for (const p of Object.values(expected.params)) expect(page).toContain(p.tag);
    expect(page).toContain('https://faces.notion.com/?face=');
  });

  it('answers a warm studio page without calling Spotify', async () => {
    await agent.get('/face?period=long_term');
    t.mock.controls.requests.reset();
    expect((await agent.get('/face?period=long_term')).status).toBe(200);
    expect((await agent.get('/face?period=short_term')).status).toBe(200);
    expect(t.mock.controls.requests.counts().total ?? 0).toBe(0);
  });

  it('refuses an unknown period, compare period and face string with 400', async () => {
    const period = await agent.get('/face?period=forever');
    expect(period.status).toBe(400);
    expect(await period.text()).toContain('period must be one of short_term');
    const compare = await agent.get('/face?compare=tomorrow');
    expect(compare.status).toBe(400);
    expect((await agent.get('/face/art/zz.svg')).status).toBe(400);
    expect((await agent.get('/face/art-data/0000000000000000.json')).status).toBe(404);
  });

  it('refuses an invalid pin with 400 naming the allowed values, and keeps valid pins', async () => {
    const csrf = await agent.csrf('/face');
    const bad = await agent.post('/face/pins', { _csrf: csrf, pin_h: 'purple' });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain('hair cannot be pinned to');
    for (const o of DEFAULT_CATALOGUE.h) expect(text).toContain(o.tag);
    const ok = await agent.request('/face/pins', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ _csrf: csrf, pin_h: 'afro', pin_s: 'auto' }).toString(),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ pins: { h: 'afro' } });
    const page = await (await agent.get('/face')).text();
    expect(page).toContain('<option value="afro" selected>');
    expect(page).toMatch(/data-tag="h">afro</);
    const face = mapFace(profileOf(page), { pins: { h: 'afro' } });
    expect(faceStringOf(page)).toBe(toFaceString(face));
    // The pins survive a restart: they are stored, not in the session.
    expect(await t.server.context.faces.repository.getChoices(userId)).toEqual({
      pins: { h: 'afro' },
      seed: null,
    });
  });

  it('makes another variation with the same meanings, and limits regenerations per user', async () => {
    const before = await (await agent.get('/face')).text();
    const csrf = await agent.csrf('/face');
    const seed = /name="seed" value="([0-9a-f]{12})"/.exec(before)?.[1] ?? '';
    const varied = await agent.post('/face/vary', { _csrf: csrf, back: 'period=short_term', seed });
    expect(varied.status).toBe(303);
    // A retried post (the answer was lost) changes nothing and is not counted.
    expect((await agent.post('/face/vary', { _csrf: csrf, seed })).status).toBe(303);
    const after = await (await agent.get('/face')).text();
    expect(faceStringOf(after)).not.toBe(faceStringOf(before));
    const tags = (page: string) =>
      [...page.matchAll(/data-tag="(\w)">([\w-]+)</g)].map((m) => m.slice(1));
    expect(tags(after)).toEqual(tags(before));
    let limited: Response | undefined;
    for (let i = 0; i < 5 && limited === undefined; i++) {
      const r = await agent.post('/face/vary', {
        _csrf: csrf,
        back: 'period=short_term',
        seed: `00000000000${i}`,
      });
      if (r.status === 429) limited = r;
    }
    expect(limited?.status).toBe(429);
    expect(await limited?.text()).toMatch(/the most allowed: try again in \d+ minute/);
    const reset = await agent.post('/face/vary', { _csrf: csrf, reset: '1' });
    expect(reset.status).toBe(303);
  });

  it('downloads a 1024 x 1024 PNG and a banner, addressed by hash with immutable caching', async () => {
    const first = await keepFace(agent, { layout: 'square', format: 'png' });
    expect(first.status).toBe(303);
    const location = first.headers.get('location') ?? '';
    expect(location).toMatch(/^\/faces\/image\/[0-9a-f]{40}\.png\?download=/);
    const image = await agent.get(location);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(image.headers.get('content-disposition')).toContain('attachment');
    const etag = image.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    expect(pngSize(new Uint8Array(await image.arrayBuffer()))).toEqual({
      width: 1024,
      height: 1024,
    });
    const again = await agent.request(location, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    // The same face gives the same address; the retry keeps no second face.
    const repeat = await keepFace(agent, { layout: 'square', format: 'png' });
    expect(repeat.headers.get('location')).toBe(location);
    const banner = await keepFace(agent, { layout: 'banner', format: 'png', overlay: '1' });
    const bannerBytes = new Uint8Array(
      await (await agent.get(banner.headers.get('location') ?? '')).arrayBuffer(),
    );
    expect(pngSize(bannerBytes)).toEqual({ width: 1500, height: 500 });
    const webp = await keepFace(agent, { layout: 'square', format: 'webp' });
    const webpBytes = Buffer.from(
      await (await agent.get(webp.headers.get('location') ?? '')).arrayBuffer(),
    );
    expect(webpBytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
    const kept = await t.server.context.faces.repository.list(userId);
    expect(kept).toHaveLength(1);
    expect(kept[0]?.images.map((i) => `${i.layout}/${i.format}/${i.overlay}`)).toEqual([
      'square/png/false',
      'banner/png/true',
      'square/webp/false',
    ]);
    const bad = await keepFace(agent, { layout: 'poster', format: 'png' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('layout must be square or banner');
  });

  it('lists faces in the gallery; another user gets 404 for them, with no hint they exist', async () => {
    const gallery = await (await agent.get('/faces')).text();
    const [face] = await t.server.context.faces.repository.list(userId);
    expect(gallery).toContain(`data-face-id="${face?.id}"`);
    expect(gallery).toContain('Month by month');
    const other = new Agent(t.url);
    const second = [...t.mock.world.users.keys()].find((id) => id !== listener) ?? '';
    await other.signIn(second);
    await t.server.context.runner.idle();
    const theirs = await other.get(`/faces/${face?.id}`);
    const unknown = await other.get('/faces/00000000-0000-4000-8000-000000000000');
    expect(theirs.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await theirs.text()).toBe(await unknown.text());
    const csrf = await other.csrf('/faces');
    expect((await other.post(`/faces/${face?.id}/share`, { _csrf: csrf })).status).toBe(404);
    const image = face?.images[0];
    expect((await other.get(`/faces/image/${image?.hash}.${image?.format}`)).status).toBe(404);
    await other.post(`/faces/${face?.id}/delete`, { _csrf: csrf });
    expect(await t.server.context.faces.repository.get(userId, face?.id ?? '')).not.toBeNull();
  });

  it('shares a face at an unguessable /f/<slug> that works signed out and is 404 after revoking', async () => {
    const [face] = await t.server.context.faces.repository.list(userId);
    const csrf = await agent.csrf('/faces');
    expect((await agent.post(`/faces/${face?.id}/share`, { _csrf: csrf })).status).toBe(303);
    const shared = await t.server.context.faces.repository.get(userId, face?.id ?? '');
    const slug = shared?.shareSlug ?? '';
    expect(slug).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // A repeated share keeps the same link.
    await agent.post(`/faces/${face?.id}/share`, { _csrf: csrf });
    expect((await t.server.context.faces.repository.get(userId, face?.id ?? ''))?.shareSlug).toBe(
      slug,
    );
    const visitor = new Agent(t.url);
    const page = await visitor.get(`/f/${slug}`);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain(`<meta property="og:image" content="${t.url}/f/${slug}/banner.png">`);
    expect(text).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(text).toContain('data-copy=');
    const banner = await visitor.get(`/f/${slug}/banner.png`);
    expect(banner.status).toBe(200);
    expect(pngSize(new Uint8Array(await banner.arrayBuffer()))).toEqual({
      width: 1500,
      height: 500,
    });
    await agent.post(`/faces/${face?.id}/unshare`, { _csrf: csrf });
    expect((await visitor.get(`/f/${slug}`)).status).toBe(404);
    expect((await visitor.get(`/f/${slug}/banner.png`)).status).toBe(404);
  });

  it('answers with a self-refreshing loading page while a slow profile is gathered', async () => {
    await t.server.context.faces.invalidate(userId, { sources: true });
    t.mock.controls.faults.script(Array.from({ length: 8 }, () => ({ latencyMs: 4000 })));
    const loading = await (await agent.get('/face?period=all')).text();
    expect(loading).toContain('Gathering your listening');
    expect(loading).toContain('<meta http-equiv="refresh" content="2">');
    let page = loading;
    for (let i = 0; i < 150 && page.includes('Gathering your listening'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      page = await (await agent.get('/face?period=all')).text();
    }
    t.mock.controls.faults.clear();
    expect(page).toContain('id="face-string"');
  });

  it('shows the last face and when Spotify allows more when the account is rate-limited', async () => {
    const csrf = await agent.csrf('/face');
    // The regeneration budget of this suite is spent: let an hour pass.
    t.mock.controls.clock.advance(3_700_000);
    await agent.post('/face/refresh', { _csrf: csrf, back: 'period=medium_term' });
    t.mock.controls.faults.script(
      Array.from({ length: 12 }, () => ({ status: 429, retryAfterSeconds: 7200 })),
    );
    const page = await (await agent.get('/face?period=medium_term')).text();
    t.mock.controls.faults.clear();
    expect(page).toContain('data-blocked');
    expect(page).toContain('Spotify allows more from');
    expect(faceStringOf(page)).toMatch(/^s\d+e/);
  });

  it('deletes a face with its images, and every face object with the account', async () => {
    const objects = t.server.context.objects;
    const count = async () => {
      let n = 0;
      for await (const _ of objects.list(`faces/${userId}/`)) n++;
      return n;
    };
    expect(await count()).toBeGreaterThan(0);
    const csrf = await agent.csrf('/settings');
    const done = await agent.post('/account/delete', { confirm: 'DELETE', _csrf: csrf });
    expect(done.status).toBe(200);
    expect(await count()).toBe(0);
  });
});
