import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { beforeAll, describe, expect, it } from 'vitest';
import { SKIN_TONES, isFaceError, mapFace, toFaceSvg, type Face } from '../src/index.js';
import {
  fitText,
  toNotionistsSvg,
  registerCjkFonts,
  registerFaceFonts,
  renderFace,
  statsFromProfile,
} from '../src/render/index.js';
import { PERSONAS, makeProfile } from './fixtures/profiles.js';
import { diffShare, pixelAt } from './helpers/pixels.js';

const OUT = fileURLToPath(new URL('../test-output/artifacts/', import.meta.url));
const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const SHOWCASE = ['night-owl', 'morning-acoustic', 'classical-focus'] as const;

function persona(name: string) {
  const profile = makeProfile(PERSONAS[name]!);
  const face = mapFace(profile);
  const stats = statsFromProfile(profile, { userName: name, generatedAt: '2026-11-28T00:00:00Z' });
  return { profile, face, stats };
}

beforeAll(() => {
  mkdirSync(OUT, { recursive: true });
  mkdirSync(GOLDEN, { recursive: true });
});

describe('offline render', () => {
  it('renders a 1024 square and a 1500x500 banner for each persona (saved as artifacts)', async () => {
    for (const name of SHOWCASE) {
      const { face, stats } = persona(name);
      const square = await renderFace(face, { stats, watermark: 'spoti' });
      const banner = await renderFace(face, { layout: 'banner', stats, format: 'webp' });
      expect([square.width, square.height, square.mimeType]).toEqual([1024, 1024, 'image/png']);
      expect([banner.width, banner.height, banner.mimeType]).toEqual([1500, 500, 'image/webp']);
      if (name === SHOWCASE[0]) {
        const sq = await loadImage(square.data);
        const bn = await loadImage(banner.data);
        expect([sq.width, sq.height, bn.width, bn.height]).toEqual([1024, 1024, 1500, 500]);
      }
      writeFileSync(`${OUT}${name}-square.png`, square.data);
      writeFileSync(`${OUT}${name}-banner.webp`, banner.data);
    }
    const { face } = persona('eclectic-explorer');
    writeFileSync(
      `${OUT}eclectic-explorer-bare.png`,
      (await renderFace(face, { frame: 'none', size: 512 })).data,
    );
    writeFileSync(
      `${OUT}eclectic-explorer-banner-bare.png`,
      (await renderFace(face, { layout: 'banner' })).data,
    );
    writeFileSync(
      `${OUT}eclectic-explorer-line-art.png`,
      (await renderFace(face, { style: 'line-art', size: 512 })).data,
    );
  });

  it('encodes PNG, WebP and AVIF', async () => {
    const { face } = persona('punk-kid');
    const png = await renderFace(face, { size: 256 });
    const webp = await renderFace(face, { size: 256, format: 'webp' });
    const avif = await renderFace(face, { size: 256, format: 'avif' });
    expect([...png.data.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(webp.data.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(avif.data.subarray(4, 12).toString('latin1')).toBe('ftypavif');
    writeFileSync(`${OUT}punk-kid-256.avif`, avif.data);
  });

  it('is deterministic and hashes the content', async () => {
    const { face, stats } = persona('jazz-cat');
    const a = await renderFace(face, { stats, size: 512 });
    const b = await renderFace(face, { stats, size: 512 });
    expect(a.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.contentHash).toBe(b.contentHash);
    const other = await renderFace(mapFace(makeProfile(PERSONAS['pop-fan']!)), {
      stats,
      size: 512,
    });
    expect(other.contentHash).not.toBe(a.contentHash);
  });

  it('matches the golden images within a pixel tolerance', async () => {
    const cases: [string, () => Promise<Uint8Array>][] = [
      [
        'night-owl-square',
        async () =>
          (
            await renderFace(persona('night-owl').face, {
              stats: persona('night-owl').stats,
              size: 512,
            })
          ).data,
      ],
      [
        'classical-banner',
        async () =>
          (
            await renderFace(persona('classical-focus').face, {
              layout: 'banner',
              stats: persona('classical-focus').stats,
            })
          ).data,
      ],
      [
        'party-bare',
        async () =>
          (await renderFace(persona('party-hiphop').face, { size: 256, frame: 'none' })).data,
      ],
      [
        'punk-line-art',
        async () =>
          (
            await renderFace(persona('punk-kid').face, {
              size: 256,
              style: 'line-art',
              stats: persona('punk-kid').stats,
            })
          ).data,
      ],
    ];
    for (const [name, make] of cases) {
      const file = `${GOLDEN}${name}.png`;
      const data = await make();
      if (UPDATE || !existsSync(file)) {
        if (!UPDATE)
          throw new Error(`golden image ${name}.png is missing: run with UPDATE_GOLDEN=1`);
        writeFileSync(file, data);
      }
      expect(await diffShare(data, readFileSync(file))).toBeLessThan(0.002);
    }
  });

  it('applies the skin tone visibly in both styles and a pinned tone wins', async () => {
    const { profile } = persona('night-owl');
    const hex = (rgba: number[]) =>
      `#${rgba
        .slice(0, 3)
        .map((c) => c.toString(16).padStart(2, '0'))
        .join('')}`;
    // A cheek of each style: inside the head, away from every feature and from long hair.
    const cheeks = { notionists: [243, 241], 'line-art': [150, 240] } as const;
    for (const [style, [x, y]] of Object.entries(cheeks)) {
      for (const [s, tone] of [
        [0, 'tone-0'],
        [3, 'tone-3'],
        [5, 'tone-5'],
      ] as const) {
        const image = await renderFace(mapFace(profile, { pins: { s } }), {
          size: 400,
          frame: 'none',
          style: style as 'notionists' | 'line-art',
        });
        expect(hex(await pixelAt(image.data, x, y)), `${style} ${tone}`).toBe(SKIN_TONES[tone]);
      }
    }
  });

  it('renders the Notionists figure: the same picture as rasterising toNotionistsSvg', async () => {
    const { face } = persona('reggae-sunshine');
    const image = await renderFace(face, { size: 400, frame: 'none' });
    const svg = await loadImage(Buffer.from(toNotionistsSvg(face, { size: 400 })));
    const canvas = createCanvas(400, 400);
    canvas.getContext('2d').drawImage(svg, 0, 0);
    expect(await diffShare(image.data, canvas.toBuffer('image/png'), 8)).toBeLessThan(0.001);
    // ...and not the line-art.
    const lineArt = await renderFace(face, { size: 400, frame: 'none', style: 'line-art' });
    expect(await diffShare(image.data, lineArt.data)).toBeGreaterThan(0.05);
  });

  it('draws the same picture from SVG and from the canvas renderer (line-art)', async () => {
    const { face } = persona('reggae-sunshine');
    const image = await renderFace(face, { size: 400, frame: 'none', style: 'line-art' });
    const svg = await loadImage(Buffer.from(toFaceSvg(face, { size: 400 })));
    const canvas = createCanvas(400, 400);
    canvas.getContext('2d').drawImage(svg, 0, 0);
    expect(await diffShare(image.data, canvas.toBuffer('image/png'), 48)).toBeLessThan(0.01);
  });

  it('rejects bad options with a typed error', async () => {
    const { face } = persona('pop-fan');
    await expect(renderFace(face, { format: 'gif' as never })).rejects.toSatisfy(
      (e: unknown) =>
        isFaceError(e) && e.code === 'INVALID_OPTIONS' && e.message.includes('format'),
    );
  });
});

describe('text', () => {
  it('registers the bundled fonts by path', () => {
    expect(registerFaceFonts().latinFiles).toBeGreaterThanOrEqual(7);
    expect(registerCjkFonts()).toBeGreaterThan(50);
  });

  it('shortens text that does not fit instead of cutting it', () => {
    registerFaceFonts();
    const ctx = createCanvas(10, 10).getContext('2d');
    ctx.font = '600 40px SpotiFaceInter';
    const long = 'Wolfgang Amadeus Mozart and the Extremely Long Orchestra Name';
    const fitted = fitText(ctx, long, 300);
    expect(fitted.endsWith('…')).toBe(true);
    expect(long.startsWith(fitted.slice(0, -1))).toBe(true);
    expect(ctx.measureText(fitted).width).toBeLessThanOrEqual(300);
    expect(fitText(ctx, 'Short', 300)).toBe('Short');
    // Never splits a grapheme (emoji with modifier, combining accents).
    expect(
      fitText(ctx, '👩🏽‍🎤👩🏽‍🎤👩🏽‍🎤👩🏽‍🎤👩🏽‍🎤👩🏽‍🎤👩🏽‍🎤👩🏽‍🎤👩🏽‍🎤👩🏽‍🎤', 120),
    ).toMatch(/^(👩🏽‍🎤)*…$/u);
  });

  it('renders non-Latin names with real glyphs (not empty boxes)', async () => {
    const { face, stats } = persona('pop-fan');
    const render = (userName: string) =>
      renderFace(face, { stats: { ...stats, userName }, size: 512 });
    const kanji = await render('坂本龍一');
    const other = await render('一二三四');
    const cyrillic = await render('Ива Кузнецова');
    const latin = await render('Iva Kuznetsova');
    // Missing glyphs draw identical boxes; real glyphs differ from each other.
    expect(await diffShare(kanji.data, other.data)).toBeGreaterThan(0.0005);
    expect(await diffShare(cyrillic.data, latin.data)).toBeGreaterThan(0.0005);
    writeFileSync(`${OUT}pop-fan-cjk-name.png`, kanji.data);
  });

  it('renders a very long name shortened, keeping the badge clear', async () => {
    const { face, stats } = persona('rock-roadtrip');
    const image = await renderFace(face, {
      stats: { ...stats, userName: 'Maximilian Alexander von Habsburg-Lothringen the Third' },
      size: 512,
    });
    writeFileSync(`${OUT}rock-roadtrip-long-name.png`, image.data);
    const plain = await renderFace(face, { stats: { ...stats, userName: 'M' }, size: 512 });
    // The badge area (right of the name column) is identical with a short and a long name.
    const crop = async (data: Uint8Array) => {
      const img = await loadImage(data);
      const c = createCanvas(130, 30);
      c.getContext('2d').drawImage(img, 334, 315, 130, 30, 0, 0, 130, 30);
      return c.toBuffer('image/png');
    };
    expect(await diffShare(await crop(image.data), await crop(plain.data))).toBe(0);
  });
});

export type { Face };
