import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DAY,
  type ReleasesTestServer,
  followedBy,
  isoDay,
  startReleasesServer,
} from './releases-helpers.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 }); // a busy shared CI machine

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const runBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';
if (!runBrowser)
  console.warn(`[example server] release browser test skipped: no Chromium at ${CHROMIUM}`);
const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts', 'screens');
const AXE_SOURCE = await readFile(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core (serious and critical) and no sideways scrolling at 1280 and 375 px, with screenshots. */
async function check(page: Page, name: string): Promise<void> {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: { run(ctx: Document): Promise<{ violations: AxeViolation[] }> };
        }
      ).axe;
      return axe.run(document);
    });
    const serious = result.violations.filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(
      serious.map(
        (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      ),
      `${name} at ${width}px`,
    ).toEqual([]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow, `${name} scrolls sideways at ${width}px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe.runIf(runBrowser)('release emails in a browser (PGlite, zero-config outbox)', () => {
  let t: ReleasesTestServer;
  let browser: Browser;
  let page: Page;
  let listener: string;
  const problems: string[] = [];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    t = await startReleasesServer('pglite');
    listener = [...t.mock.world.users.values()].find((u) => u.followedArtists.size > 0)?.id ?? '';
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
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
    await check(page, 'releases-signed-in');

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
    await check(page, 'releases-pending');

    // The outbox has the confirmation only; its link confirms.
    await page.goto(`${t.url}/dev/outbox`);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await check(page, 'outbox');
    await page.locator('tbody a').first().click();
    await check(page, 'outbox-confirmation');
    await page.locator('pre a[href*="/releases/confirm?token="]').first().click();
    await page.getByRole('heading', { name: 'Confirm your address' }).waitFor();
    await check(page, 'releases-confirm');
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.getByRole('heading', { name: 'Address confirmed' }).waitFor();
    await t.server.context.runner.idle();

    // The first email: the past four weeks.
    await page.goto(`${t.url}/dev/outbox`);
    expect(await page.locator('tbody tr').count()).toBe(2);
    await page.locator('tbody a', { hasText: 'New releases' }).first().click();
    expect(await page.locator('pre').textContent()).toContain('Lanterns on the Water');
    await check(page, 'outbox-first-digest');
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
    await check(signedOut, 'releases-unsubscribe');
    await signedOut.getByRole('button', { name: 'Unsubscribe' }).click();
    await signedOut.getByRole('heading', { name: 'Unsubscribed' }).waitFor();
    await check(signedOut, 'releases-unsubscribed');
    await visitor.close();

    await page.goto(`${t.url}/releases`);
    expect(await page.getByText('You unsubscribed').count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
