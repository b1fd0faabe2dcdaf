import { gunzipSync, gzipSync } from 'node:zlib';
import { faceFromParams, toFaceString } from '@spoti/face';
import { notionistsSvg } from '@spoti/face/notionists';
import { toNotionistsSvg } from '@spoti/face/render';
import { describe, expect, it, vi } from 'vitest';
import {
  STUDIO_SCRIPT_BUDGET,
  buildBrowserScripts,
  faceArtAsset,
} from '../src/views/face-scripts.js';

vi.setConfig({ testTimeout: 60_000 });

describe('the studio script and its art data', () => {
  it(`bundles the studio script within ${STUDIO_SCRIPT_BUDGET / 1024} KB gzipped`, async () => {
    const sizes = await buildBrowserScripts();
    expect(sizes.studio).toBeGreaterThan(10_000);
    expect(sizes.studio).toBeLessThanOrEqual(STUDIO_SCRIPT_BUDGET);
  });

  it('serves art data that draws what the server draws, named by a hash of its bytes', () => {
    const asset = faceArtAsset();
    expect(asset.file).toMatch(/^[0-9a-f]{16}\.json$/);
    expect(gunzipSync(gzipSync(asset.body)).length).toBe(asset.body.length);
    expect(asset.gzipped).toBeLessThan(100 * 1024);
    const art = JSON.parse(asset.body.toString('utf8'));
    for (const params of [
      { s: 0, e: 0, m: 0, n: 0, h: 0, a: 0, y: 0, b: 0 },
      { s: 5, e: 9, m: 14, n: 11, h: 35, a: 9, y: 9, b: 11 },
      { s: 3, e: 4, m: 7, n: 5, h: 25, a: 1, y: 5, b: 6 },
    ]) {
      const face = faceFromParams(params);
      expect(notionistsSvg(face, art), toFaceString(face)).toBe(toNotionistsSvg(face));
    }
    expect(faceArtAsset()).toBe(asset);
  });
});
