import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ARTIFACTS, checkPage, launchChromium, runBrowser } from './browser-helpers.js';
import {
  DAY,
  type ReleasesTestServer,
  followedBy,
  isoDay,
  startReleasesServer,
} from './releases-helpers.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 }); // a busy shared CI machine

describe.runIf(runBrowser)('release emails in a browser (PGlite, zero-config outbox)', () => {
  let t: ReleasesTestServer;
  let browser: Browser;
  let page: Page;
  let listener: string;
  const problems: string[] = [];

  beforeAll(async () => {
    t = await startReleasesServer('pglite');
    listener = [...t.mock.world.users.values()].find((u) => u.followedArtists.size > 0)?.id ?? '';
    browser = await launchChromium();
    page = await (await browser.newContext({ timezoneId: 'Europe/Berlin' })).newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('subscribes, confirms from the outbox, gets the first email, a digest two weeks later, and unsubscribes with one click', async () => {
    const now = t.mock.controls.clock.now();
    const [artist] = followedBy(t.mock, listener);
    t.mock.controls.catalog.addRelease({
      artistId: artist ?? '',
      name: 'Lanterns on the Water',
      type: 'album',
      releaseDate: isoDay(now - 5 * DAY),
      availableAtMs: now - 5 * DAY,
      explicitAndClean: true,
    });
    await page.goto(`${t.url}/login?listener=${encodeURIComponent(listener)}`);
    await page.waitForURL(`${t.url}/dashboard`);
    await t.server.context.runner.idle();

    await page.getByRole('link', { name: 'New releases' }).click();
    await page.waitForURL(`${t.url}/releases`);
    await checkPage(page, 'releases-signed-in');

    // The browser refuses an address that is not one (no request is made).
    await page.fill('#email', 'not an address');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    expect(
      await page.locator('#email').evaluate((e) => (e as HTMLInputElement).validity.valid),
    ).toBe(false);
    expect(page.url()).toBe(`${t.url}/releases`);

    await page.fill('#email', 'browser-listener@example.com');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByText('Check your inbox').first().waitFor();
    await t.server.context.runner.idle();
    await page.reload();
    expect(await page.getByText('Lanterns on the Water').count()).toBeGreaterThan(0);
    await checkPage(page, 'releases-pending');

    // The outbox has the confirmation only; its link confirms.
    await page.goto(`${t.url}/dev/outbox`);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await checkPage(page, 'outbox');
    await page.locator('tbody a').first().click();
    await checkPage(page, 'outbox-confirmation');
    await page.locator('pre a[href*="/releases/confirm?token="]').first().click();
    await page.getByRole('heading', { name: 'Confirm your address' }).waitFor();
    await checkPage(page, 'releases-confirm');
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.getByRole('heading', { name: 'Address confirmed' }).waitFor();
    await t.server.context.runner.idle();

    // The first email: the past four weeks.
    await page.goto(`${t.url}/dev/outbox`);
    expect(await page.locator('tbody tr').count()).toBe(2);
    await page.locator('tbody a', { hasText: 'New releases' }).first().click();
    expect(await page.locator('pre').textContent()).toContain('Lanterns on the Water');
    await checkPage(page, 'outbox-first-digest');
    await page.getByRole('link', { name: 'Open the HTML part' }).click();
    expect(await page.content()).toContain('Lanterns on the Water');
    await page.screenshot({ path: join(ARTIFACTS, 'digest-html-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 900 });
    await page.screenshot({ path: join(ARTIFACTS, 'digest-html-375.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Two weeks later, a digest with what came out since.
    const later = t.mock.controls.clock.now() + 6 * DAY;
    t.mock.controls.catalog.addRelease({
      artistId: artist ?? '',
      name: 'Second Harbour',
      type: 'single',
      releaseDate: isoDay(later),
      availableAtMs: later,
    });
    t.mock.controls.clock.advance(14 * DAY + 60_000);
    await t.server.context.runner.run('release-sweep', { trigger: 'schedule' });
    await page.goto(`${t.url}/dev/outbox`);
    expect(await page.locator('tbody tr').count()).toBe(3);
    await page.locator('tbody a', { hasText: 'New releases' }).first().click();
    const digestText = (await page.locator('pre').textContent()) ?? '';
    expect(digestText).toContain('Second Harbour');
    expect(digestText).not.toContain('Lanterns on the Water');

    // One-click unsubscribe from the List-Unsubscribe link, signed out.
    const unsubscribe =
      (await page
        .locator('dd a[href*="/releases/unsubscribe?token="]')
        .first()
        .getAttribute('href')) ?? '';
    const visitor = await browser.newContext();
    const signedOut = await visitor.newPage();
    await signedOut.goto(unsubscribe);
    await checkPage(signedOut, 'releases-unsubscribe');
    await signedOut.getByRole('button', { name: 'Unsubscribe' }).click();
    await signedOut.getByRole('heading', { name: 'Unsubscribed' }).waitFor();
    await checkPage(signedOut, 'releases-unsubscribed');
    await visitor.close();

    await page.goto(`${t.url}/releases`);
    expect(await page.getByText('You unsubscribed').count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
