import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapFace, parseNotionFaceUrl, toFaceSvg, toNotionFaceUrl, varyFace } from '../src/index.js';
import { PERSONAS, makeProfile } from './fixtures/profiles.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[@spoti/face] browser test skipped: no Chromium at ${CHROMIUM}`);

const ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));
let browser: Browser | undefined;

beforeAll(async () => {
  if (!hasChromium) return;
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
});

afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!hasChromium)('main entry in Chromium', () => {
  it('bundles without Node built-ins or canvas and gives the same URLs, parameters and SVG as Node', async () => {
    const bundle = await build({
      entryPoints: [ENTRY],
      bundle: true,
      format: 'iife',
      globalName: 'spotiFace',
      platform: 'browser',
      conditions: ['@spoti/source'],
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs.some((i) => i.includes('canvas') || i.startsWith('node:'))).toBe(false);
    expect(inputs.some((i) => i.includes('packages/face/src/render/'))).toBe(false);
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const profiles = Object.entries(PERSONAS)
      .slice(0, 6)
      .map(([name, spec]) => [name, makeProfile(spec)] as const);
    const inBrowser = await page.evaluate((items) => {
      // biome-ignore lint/suspicious/noExplicitAny: the IIFE global is untyped inside the page
      const lib = (globalThis as any).spotiFace;
      return items.map(([name, profile]) => {
        const face = lib.mapFace(profile, { pins: { s: 2 } });
        return {
          name,
          url: lib.toNotionFaceUrl(face),
          varied: lib.toNotionFaceUrl(lib.varyFace(face, 'again')),
          reasons: (Object.values(face.params) as { reason: string }[]).map((p) => p.reason),
          parsed: lib.parseNotionFaceUrl('https://faces.notion.com/?face=b44y0a8h212n61m18e10s1'),
          svg: lib.toFaceSvg(face, { size: 128 }),
          isBrowser: 'document' in globalThis && 'window' in globalThis,
        };
      });
    }, profiles);
    expect(errors).toEqual([]);
    for (const [i, [name, profile]] of profiles.entries()) {
      const face = mapFace(profile, { pins: { s: 2 } });
      expect(inBrowser[i]).toEqual({
        name,
        url: toNotionFaceUrl(face),
        varied: toNotionFaceUrl(varyFace(face, 'again')),
        reasons: Object.values(face.params).map((p) => p.reason),
        parsed: parseNotionFaceUrl('https://faces.notion.com/?face=b44y0a8h212n61m18e10s1'),
        svg: toFaceSvg(face, { size: 128 }),
        isBrowser: true,
      });
    }
    await page.close();
  });
});
