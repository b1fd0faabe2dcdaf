import { join } from 'node:path';
import { playlistMarker } from '@spoti/playlists';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ARTIFACTS, checkPage, launchChromium, runBrowser } from './browser-helpers.js';
import { PlaylistsService } from '../src/services/playlists-service.js';
import { BACKENDS, type TestServer, activeListener, startTestServer } from './helpers.js';

// A browser and a server per backend on a shared 2-core CI machine: generous per-test time.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describe.runIf(runBrowser).each(BACKENDS)('smart playlists in a browser on %s', (backend) => {
  const shots = backend === 'pglite';
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let listener: string;
  const problems: string[] = [];

  /** The server's own evaluation of a rule, every track in order. */
  const evaluation = async (slug: string) => {
    const ctx = t.server.context;
    const userId = (await ctx.users.listIds())[0] ?? '';
    const user = await ctx.users.get(userId);
    if (user === null) throw new Error('no user');
    const service = new PlaylistsService(ctx.database, ctx.clock);
    const all = await service.list(userId);
    const playlist = all.find((p) => p.slug === slug);
    if (playlist === undefined) throw new Error(`no rule ${slug}`);
    const library = await service.loadLibrary(user, ctx.clock.now());
    return service.preview(library, playlist.rule, service.rulesBySlug(all)).trackIds;
  };

  beforeAll(async () => {
    t = await startTestServer(backend, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
    listener = activeListener(t.mock);
    browser = await launchChromium();
    const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${t.url}/login?listener=${listener}`);
    await page.waitForURL(`${t.url}/dashboard`);
    await t.server.context.runner.idle();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the smart playlists, reachable from the navigation', async () => {
    await page.getByRole('link', { name: 'Playlists' }).click();
    await page.waitForURL(`${t.url}/playlists`);
    expect(await page.locator('table.playlists tbody tr').count()).toBe(6);
    await checkPage(page, 'playlists', shots);
  });

  it('shows a query error live, with the faulty term marked, and clears it once fixed', async () => {
    const box = page.locator('#rule-query');
    await box.fill('plays:0 genre:jazz nope:3');
    const error = page.locator('#query-error');
    await expect.poll(() => error.textContent()).toContain('unknown field "nope"');
    expect(await page.locator('[data-query-echo] mark').textContent()).toBe('nope:3');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    await checkPage(page, 'playlists-invalid', shots);
    await box.fill('plays:0 liked:true added+');
    await expect.poll(() => error.textContent()).toBe('');
    expect(await page.locator('[data-query-echo]').isHidden()).toBe(true);
    expect(await box.getAttribute('aria-invalid')).toBeNull();
  });

  it('previews the rule, keeps it, saves it: the playlist on the mock equals the evaluation', async () => {
    await page.fill('#rule-name', 'Unplayed, oldest saves first');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.waitForURL(/\/playlists\/try\?/);
    const previewed = Number(await page.locator('[data-total="tracks"]').textContent());
    expect(previewed).toBeGreaterThan(0);
    expect(await page.locator('table.preview tbody tr').count()).toBe(Math.min(previewed, 50));
    await checkPage(page, 'playlists-try', shots);
    await page.getByRole('button', { name: 'Keep this rule' }).click();
    await page.waitForURL(/\/playlists\/c-[0-9a-f]{16}$/);
    const slug = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    expect(Number(await page.locator('[data-total="tracks"]').textContent())).toBe(previewed);
    await page.getByRole('button', { name: 'Save to Spotify' }).click();
    await page.getByRole('status').filter({ hasText: 'created on Spotify' }).waitFor();
    const owned = [...t.mock.world.playlists.values()].filter(
      (p) => p.ownerId === listener && p.description.includes(playlistMarker(slug)),
    );
    expect(owned).toHaveLength(1);
    const ids = await evaluation(slug);
    expect(ids).toHaveLength(previewed);
    expect(owned[0]?.items.map((i) => i.trackId)).toEqual(ids);
    expect(await page.locator('[data-playlist-id]').textContent()).toBe(owned[0]?.id);
    await checkPage(page, 'playlist-saved', shots);
  });

  it('explains why a track is in and why one is not', async () => {
    const first = await page.locator('table.preview tbody tr').first().getAttribute('data-track');
    await page.locator('table.preview tbody tr').first().getByRole('link').click();
    await page.locator('[data-why="in"]').waitFor();
    expect(page.url()).toContain(`why=${first}`);
    const played = t.mock.controls.truth.plays(listener).at(-1)?.trackId ?? '';
    await page.fill('#why-track', played);
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.locator('[data-why="out"]').waitFor();
    await checkPage(page, 'playlist-why', shots);
  });

  it('turns auto-refresh on and off', async () => {
    await page.getByRole('button', { name: 'Turn auto-refresh on' }).click();
    await page.getByRole('button', { name: 'Turn auto-refresh off' }).waitFor();
    await page.getByRole('button', { name: 'Turn auto-refresh off' }).click();
    await page.getByRole('button', { name: 'Turn auto-refresh on' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('checks the rule on submit without JavaScript, showing the error and its position', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.addCookies(await page.context().cookies());
    const plain = await context.newPage();
    await plain.goto(`${t.url}/playlists`);
    await plain.fill('#rule-query', 'plays:x');
    await plain.getByRole('button', { name: 'Keep this rule' }).click();
    await plain.locator('#query-error').waitFor();
    expect(await plain.locator('#query-error').textContent()).toContain(
      '"plays:x": expected a number (at character 1)',
    );
    expect(await plain.locator('[data-query-echo] mark').textContent()).toBe('plays:x');
    // axe-core needs JavaScript: the same markup was checked above with the live error shown.
    for (const width of [1280, 375]) {
      await plain.setViewportSize({ width, height: 900 });
      if (shots)
        await plain.screenshot({
          path: join(ARTIFACTS, `playlists-nojs-error-${width}.png`),
          fullPage: true,
        });
    }
    await context.close();
  });
});
