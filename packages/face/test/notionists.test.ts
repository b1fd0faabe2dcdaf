import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CATALOGUE,
  NOTIONISTS_PARTS,
  PARAM_KEYS,
  SKIN_TONES,
  createFaceMapper,
  defineFacePlugin,
  faceFromParams,
  isFaceError,
  mapFace,
  notionistsOptions,
} from '../src/index.js';
import { toNotionistsSvg } from '../src/render/index.js';
import { PERSONAS, makeProfile } from './fixtures/profiles.js';

const schema = JSON.parse(
  JSON.stringify(
    // The installed style's own schema: every catalogue value must exist in it.
    await import('@dicebear/notionists').then((m) => m.schema),
  ),
) as { properties: Record<string, { items?: { enum?: string[] } }> };

describe('DiceBear Notionists style', () => {
  it('every catalogue option names a Notionists component that exists (or a skin colour)', () => {
    for (const key of PARAM_KEYS) {
      for (const option of DEFAULT_CATALOGUE[key]) {
        const part = NOTIONISTS_PARTS[key];
        expect(option.notionists, `${key}/${option.tag}`).not.toBeNull();
        for (const value of option.notionists ?? []) {
          if (part === 'skin') expect(value).toBe(SKIN_TONES[option.tag]);
          else
            expect(schema.properties[part]?.items?.enum, `${key}/${option.tag}`).toContain(value);
        }
      }
    }
  });

  it('maps the eight parameters through the catalogue', () => {
    const face = faceFromParams({ s: 4, e: 9, m: 12, n: 9, h: 12, a: 1, y: 0, b: 9 });
    const { options, skin, lineArt } = notionistsOptions(face);
    expect(skin).toBe(SKIN_TONES['tone-4']);
    expect(options).toMatchObject({
      eyes: ['variant05'], // wide
      lips: ['variant25'], // big-smile
      nose: ['variant19'], // unusual
      hair: ['variant50'], // spiky
      gesture: ['handPhone'], // earbuds: 100 hours
      gestureProbability: 100,
      glasses: [],
      glassesProbability: 0,
      brows: ['variant03'], // intense
      beardProbability: 0,
      seed: 's4e9m12n9h12a1y0b9',
    });
    expect(lineArt).toEqual([]);
    // Variants pick other components of the same meaning.
    const other = notionistsOptions(
      faceFromParams({ s: 4, e: 9, m: 13, n: 9, h: 13, a: 1, y: 0, b: 9 }),
    ).options;
    expect([other.hair, other.lips]).toEqual([['variant52'], ['variant26']]);
  });

  it('is deterministic: the same face gives the same SVG, another face another SVG', () => {
    const face = mapFace(makeProfile(PERSONAS['jazz-cat']!));
    const a = toNotionistsSvg(face, { size: 256 });
    expect(toNotionistsSvg(face, { size: 256 })).toBe(a);
    expect(a).toMatch(/^<svg /);
    expect(a).toContain('width="256"');
    expect(a).toContain('CC0');
    expect(toNotionistsSvg(mapFace(makeProfile(PERSONAS['punk-kid']!)), { size: 256 })).not.toBe(a);
  });

  it('paints the skin tone on the face and hands, and never anything else', () => {
    const face = faceFromParams({ s: 5, e: 0, m: 0, n: 0, h: 0, a: 2, y: 0, b: 0 });
    const svg = toNotionistsSvg(face);
    const skin = SKIN_TONES['tone-5']!;
    // Head, and two raised hands (headphones: 1000 hours, both arms waving).
    expect(svg.split(`fill="${skin}"`).length - 1).toBeGreaterThanOrEqual(3);
    const phone = toNotionistsSvg(
      faceFromParams({ s: 5, e: 0, m: 0, n: 0, h: 0, a: 1, y: 0, b: 0 }),
    );
    // The hand holding the phone is skin, the phone stays white.
    const gesture = phone.slice(phone.indexOf('<g transform="translate(0 559)">'));
    expect(gesture.split(`fill="${skin}"`).length - 1).toBe(1);
    expect(gesture).toContain('fill="#fff"');
  });

  it('draws plugin parts without a Notionists equivalent as line-art, and uses given ones', () => {
    const plugin = defineFacePlugin({
      name: 'hats',
      version: '1.0.0',
      parts: {
        a: [
          {
            tag: 'top-hat',
            description: 'A top hat.',
            notion: [12],
            draw: () => [{ d: 'M150 60 L250 60 L250 120 L150 120 Z', fill: '#123456' }],
          },
          {
            tag: 'wave',
            description: 'A wave.',
            notion: [13],
            draw: () => [],
            notionists: ['waveLongArm'],
          },
          {
            tag: 'bad',
            description: 'Names a component Notionists lacks.',
            notion: [14],
            draw: () => [],
            notionists: ['variant99'],
          },
        ],
      },
    });
    const mapper = createFaceMapper({ plugins: [plugin] });
    const params = { s: 1, e: 0, m: 0, n: 0, h: 0, a: 12, y: 0, b: 0 };
    const hat = mapper.fromParams(params);
    expect(notionistsOptions(hat, { mapper }).lineArt).toEqual(['a']);
    expect(toNotionistsSvg(hat, { mapper })).toContain('fill="#123456"');
    const wave = mapper.fromParams({ ...params, a: 13 });
    expect(notionistsOptions(wave, { mapper }).options.gesture).toEqual(['waveLongArm']);
    try {
      toNotionistsSvg(mapper.fromParams({ ...params, a: 14 }), { mapper });
      expect.unreachable();
    } catch (e) {
      expect(isFaceError(e) && e.code).toBe('UNKNOWN_PART');
      expect(isFaceError(e) && e.plugin).toBe('hats');
      expect((e as Error).message).toContain('variant99');
    }
  });

  it('ships the artwork attribution', () => {
    const notice = readFileSync(fileURLToPath(new URL('../NOTICE.md', import.meta.url)), 'utf8');
    expect(notice).toContain('Zoish');
    expect(notice).toContain('CC0');
  });
});
