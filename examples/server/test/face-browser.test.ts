import { readFile } from 'node:fs/promises';
import { createMemoryTokenStore, createSpotifyClient } from '@spoti/client';
import { mapFace, toFaceString } from '@spoti/face';
import { collectListeningProfile } from '@spoti/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkPage, launchChromium, runBrowser } from './browser-helpers.js';
import { BACKENDS, type TestServer, activeListener, startTestServer } from './helpers.js';

// Servers start slowly on a busy shared machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

describe.runIf(runBrowser).each(BACKENDS)('the face studio in a browser on %s', (backend) => {
  const shots = backend === 'pglite';
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let listener: string;
  const errors: string[] = [];

  beforeAll(async () => {
    t = await startTestServer(backend, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
    listener = activeListener(t.mock);
    browser = await launchChromium();
    const context = await browser.newContext({ acceptDownloads: true, timezoneId: 'UTC' });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        errors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico'))
        errors.push(`${r.status()} ${r.url()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in and shows the face mapFace gives for the profile the test builds itself', async () => {
    await page.goto(`${t.url}/login?listener=${encodeURIComponent(listener)}`);
    await page.waitForURL(`${t.url}/dashboard`);
    await t.server.context.runner.idle();
    await page.goto(`${t.url}/face?period=medium_term`);
    const shown = await page.locator('#face-string').textContent();
    const userId = (await t.server.context.users.listIds())[0] ?? '';
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
    const { profile } = await collectListeningProfile({
      client,
      store: t.server.context.database.catalog,
      userId,
      timeZone: (await t.server.context.users.get(userId))?.timeZone ?? 'UTC',
      period: 'medium_term',
      now: t.mock.controls.clock.now(),
    });
    await client.close();
    expect(shown).toBe(toFaceString(mapFace(profile)));
    const art = page.locator('#face-preview');
    await expect.poll(() => art.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(400);
    await checkPage(page, 'face', shots);
  });

  it('changes the preview when a pin changes, without navigating, and keeps the pin', async () => {
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    const url = page.url();
    const before = await page.locator('#face-string').textContent();
    const hair = await page.locator('[data-tag="h"]').textContent();
    const target = hair === 'afro' ? 'mohawk' : 'afro';
    // The art data is loaded once when the page opens; a pin change asks the server for no art.
    await page.waitForLoadState('networkidle');
    const requested: string[] = [];
    const onRequest = (r: { url(): string }) => requested.push(new URL(r.url()).pathname);
    page.on('request', onRequest);
    await page.selectOption('#pin-h', target);
    await expect.poll(() => page.locator('[data-tag="h"]').textContent()).toBe(target);
    await expect.poll(() => page.locator('#pin-status').textContent()).toBe('Pins saved.');
    const shown = (await page.locator('#face-string').textContent()) ?? '';
    expect(shown).not.toBe(before);
    const preview = page.locator('#face-preview');
    await expect.poll(() => preview.getAttribute('data-face')).toBe(shown);
    page.off('request', onRequest);
    expect(requested).toEqual(['/face/pins']);
    // Drawn in the page, byte for byte the SVG the server draws for the same face.
    const src = (await preview.getAttribute('src')) ?? '';
    expect(src.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    const drawn = decodeURIComponent(src.slice(src.indexOf(',') + 1));
    const served = await (await fetch(`${t.url}/face/art/${shown}.svg`)).text();
    expect(drawn).toBe(served);
    await expect
      .poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBe(400);
    expect(page.url()).toBe(url);
    await checkPage(page, 'face-drawn', shots);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(
      true,
    );
    await page.reload();
    expect(await page.locator('[data-tag="h"]').textContent()).toBe(target);
    expect(await page.locator('#pin-h').inputValue()).toBe(target);
    await checkPage(page, 'face-pinned', shots);
  });

  it('downloads a 1024 x 1024 PNG, and the gallery lists the face', async () => {
    await page.selectOption('select[name="layout"]', 'square');
    await page.selectOption('select[name="format"]', 'png');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download' }).click(),
    ]);
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1024, 1024]);
    expect(download.suggestedFilename()).toMatch(/^spoti-face-s\d+.*-square\.png$/);
    await page.goto(`${t.url}/faces`);
    expect(await page.locator('.gallery-item').count()).toBe(1);
    await checkPage(page, 'faces', shots);
  });

  it('shares a face: the page works signed out, and is 404 after revoking', async () => {
    await page.getByRole('button', { name: 'Share' }).click();
    await page.waitForURL(/\/faces\/[0-9a-f-]{36}$/);
    const link = (await page.locator('[data-share-url]').getAttribute('data-share-url')) ?? '';
    expect(link).toMatch(/\/f\/[A-Za-z0-9_-]{22}$/);
    const visitor = await browser.newPage();
    const shared = await visitor.goto(link);
    expect(shared?.status()).toBe(200);
    expect(await visitor.locator('meta[property="og:image"]').getAttribute('content')).toBe(
      `${link}/banner.png`,
    );
    await expect
      .poll(() =>
        visitor.locator('img.banner-image').evaluate((i: HTMLImageElement) => i.naturalWidth),
      )
      .toBe(1500);
    await checkPage(visitor, 'face-shared', shots);
    await page.getByRole('button', { name: 'Stop sharing' }).click();
    await page.waitForURL(/\/faces\/[0-9a-f-]{36}$/);
    expect((await visitor.goto(link))?.status()).toBe(404);
    await visitor.close();
    expect(errors).toEqual([]);
  });
});
