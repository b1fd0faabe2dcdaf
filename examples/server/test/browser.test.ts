import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDataExport } from '@spoti/mock';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkPage, launchChromium, runBrowser } from './browser-helpers.js';
import {
  BACKENDS,
  type TestServer,
  activeListener,
  recentTruth,
  startTestServer,
} from './helpers.js';

// A browser and a server per backend on a shared 2-core CI machine: generous per-test time.
vi.setConfig({ testTimeout: 120_000 });

const totalOf = async (page: Page, name: string) =>
  Number(await page.locator(`[data-total="${name}"]`).textContent());

describe.runIf(runBrowser).each(BACKENDS)('the example server in a browser on %s', (backend) => {
  const shots = backend === 'pglite';
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let listener: string;

  beforeAll(async () => {
    t = await startTestServer(backend, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
    listener = activeListener(t.mock);
    browser = await launchChromium();
    const context = await browser.newContext({
      acceptDownloads: true,
      timezoneId: 'Europe/Berlin',
    });
    page = await context.newPage();
    const csp: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
    });
    page.on('pageerror', (e) => csp.push(e.message));
    (page as unknown as { cspErrors: string[] }).cspErrors = csp;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the home page to visitors, accessible at 1280 and 375 px', async () => {
    await page.goto(`${t.url}/`);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    expect(await page.title()).toContain('spoti');
    await checkPage(page, 'home', shots);
  });

  it('signs in through the mock as a demo listener and lands on a dashboard matching the truth', async () => {
    const link = page.locator(`a[href*="listener=${listener}"]`);
    await link.click();
    await page.waitForURL(`${t.url}/dashboard`);
    await t.server.context.runner.idle();
    await page.goto(`${t.url}/dashboard?period=all`);
    const truth = recentTruth(t.mock, listener);
    expect(await totalOf(page, 'plays')).toBe(truth.length);
    const user = await t.server.context.users.get(
      (await t.server.context.users.listIds())[0] ?? '',
    );
    expect(user?.timeZone).toBe('Europe/Berlin');
    await checkPage(page, 'dashboard', shots);
  });

  it('pages through the history', async () => {
    await page.goto(`${t.url}/history`);
    expect(await page.locator('table.history tbody tr').count()).toBeGreaterThan(10);
    await checkPage(page, 'history', shots);
  });

  it('imports a generated export, shows progress reaching 100 %, and the totals change', async () => {
    await page.goto(`${t.url}/dashboard?period=all`);
    const before = await totalOf(page, 'plays');
    await page.goto(`${t.url}/import`);
    await checkPage(page, 'import', shots);
    const zip = join(t.dataDir, 'my_spotify_data.zip');
    await writeDataExport({ seed: 3, persona: 'jazz-commuter', plays: 1500, out: zip });
    await page.setInputFiles('#export-file', zip);
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await page.waitForURL(/\/import\/[0-9a-f-]{36}$/);
    await page.locator('[data-summary="inserted"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-field="percent"]').textContent()).toBe('100');
    const inserted = Number(await page.locator('[data-summary="inserted"]').textContent());
    expect(inserted).toBeGreaterThan(1000);
    await checkPage(page, 'import-done', shots);
    await page.goto(`${t.url}/dashboard?period=all`);
    expect(await totalOf(page, 'plays')).toBe(before + inserted);
  });

  it('downloads a statistics table as CSV', async () => {
    await page.goto(`${t.url}/dashboard?period=all`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('a[href^="/dashboard/download/tracks.csv"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe('spoti-tracks.csv');
    const path = await download.path();
    const csv = await readFile(path, 'utf8');
    expect(csv.split('\r\n').length).toBeGreaterThan(10);
  });

  it('shows settings and the sync log, and the period form works without JavaScript', async () => {
    await page.goto(`${t.url}/settings`);
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(0);
    await checkPage(page, 'settings', shots);
    await page.goto(`${t.url}/dashboard`);
    await page.selectOption('select[name="period"]', 'medium_term');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/period=medium_term/);
    expect(await totalOf(page, 'plays')).toBeGreaterThan(0);
  });

  it('deletes the account and leaves nothing of it', async () => {
    const userId = (await t.server.context.users.listIds())[0] ?? '';
    await page.goto(`${t.url}/settings`);
    await page.fill('#confirm', 'DELETE');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('heading', { name: 'Your account is deleted' }).waitFor();
    await checkPage(page, 'deleted', shots);
    const db = t.server.context.database.db;
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
      db,
    );
    for (const { table_name } of tables.rows) {
      const found = await sql<{
        n: string;
      }>`select count(*)::text as n from ${sql.table(table_name)} x where x::text like ${`%${userId}%`}`.execute(
        db,
      );
      expect(Number(found.rows[0]?.n), table_name).toBe(0);
    }
    await page.goto(`${t.url}/dashboard`);
    expect(await page.getByRole('heading', { name: 'Sign in first' }).count()).toBe(1);
    await checkPage(page, 'sign-in-first', shots);
    expect((page as unknown as { cspErrors: string[] }).cspErrors).toEqual([]);
  });
});
