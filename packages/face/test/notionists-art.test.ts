import { fileURLToPath } from 'node:url';
import * as notionists from '@dicebear/notionists';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CATALOGUE,
  PARAM_KEYS,
  createFaceMapper,
  defineFacePlugin,
  faceFromParams,
  isFaceError,
  mapFace,
  varyFace,
} from '../src/index.js';
import { notionistsArt, notionistsSvg } from '../src/notionists.js';
import { toNotionistsSvg } from '../src/render/index.js';
import { PERSONAS, makeProfile } from './fixtures/profiles.js';

const art = notionistsArt();
const base = { s: 1, e: 0, m: 0, n: 0, h: 0, a: 0, y: 0, b: 0 };

describe('Notionists art data and notionistsSvg', () => {
  it('draws every option and variant of the catalogue byte for byte like toNotionistsSvg', () => {
    let checked = 0;
    for (const key of PARAM_KEYS) {
      for (const option of DEFAULT_CATALOGUE[key]) {
        for (const index of option.notion) {
          // Glasses and a gesture on, so every part shows in some face.
          const face = faceFromParams({
            ...base,
            a: key === 'a' ? index : 2,
            y: key === 'y' ? index : 1,
            [key]: index,
          });
          expect(notionistsSvg(face, art), `${key}${index}`).toBe(toNotionistsSvg(face));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('matches for mapped and varied faces, sizes, backgrounds and wide boxes', () => {
    for (const persona of Object.values(PERSONAS)) {
      const face = mapFace(makeProfile(persona));
      for (const face2 of [face, varyFace(face, 'a1b2c3d4e5f6'), varyFace(face, 7)]) {
        expect(notionistsSvg(face2, art)).toBe(toNotionistsSvg(face2));
        for (const options of [
          { size: 1024 },
          { background: false },
          { background: '#123456' },
          { size: 500, aspect: 1.2 },
        ]) {
          expect(notionistsSvg(face2, art, options)).toBe(toNotionistsSvg(face2, options));
        }
      }
    }
  });

  it('is plain data: a JSON round trip draws the same', () => {
    const copy = JSON.parse(JSON.stringify(art)) as typeof art;
    const face = mapFace(makeProfile(Object.values(PERSONAS)[0]!));
    expect(notionistsSvg(face, copy)).toBe(toNotionistsSvg(face));
    expect(copy.meta.license?.name).toBe('CC0 1.0');
    // Only what the catalogue can select: 36 hair styles of 64, 12 outfits of 25.
    expect(Object.keys(copy.parts.hair ?? {})).toHaveLength(36);
    expect(Object.keys(copy.parts.body ?? {})).toHaveLength(12);
    expect(copy.parts.beard).toBeUndefined();
    const styles = notionists.schema.properties as Record<string, { items: { enum: string[] } }>;
    expect(Object.keys(notionistsArt({ all: true }).parts.hair ?? {})).toEqual(
      styles.hair?.items.enum,
    );
  });

  it("holds a plugin's components and draws its line-art like the renderer", () => {
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
            tag: 'hand',
            description: 'A hand.',
            notion: [13],
            draw: () => [],
            notionists: ['hand'],
          },
        ],
      },
      overlays: [{ id: 'dot', draw: () => [{ d: 'M10 10 L20 20', stroke: '#f00' }] }],
    });
    const mapper = createFaceMapper({ plugins: [plugin] });
    const withPlugin = notionistsArt({ mapper });
    for (const a of [12, 13]) {
      const face = mapper.fromParams({ ...base, a });
      expect(notionistsSvg(face, withPlugin, { mapper })).toBe(toNotionistsSvg(face, { mapper }));
    }
    const hand = mapper.fromParams({ ...base, a: 13 });
    try {
      notionistsSvg(hand, art, { mapper });
      expect.unreachable();
    } catch (e) {
      expect(isFaceError(e) && e.code).toBe('UNKNOWN_PART');
      expect((e as Error).message).toContain('gesture "hand"');
    }
  });

  it('refuses a catalogue naming a component the style lacks', () => {
    const plugin = defineFacePlugin({
      name: 'bad',
      version: '1.0.0',
      parts: {
        a: [
          {
            tag: 'odd',
            description: 'Odd.',
            notion: [12],
            draw: () => [],
            notionists: ['variant99'],
          },
        ],
      },
    });
    expect(() => notionistsArt({ mapper: createFaceMapper({ plugins: [plugin] }) })).toThrow(
      /gesture "variant99"/,
    );
  });

  it('bundles for a browser without @dicebear/notionists or zod', async () => {
    const result = await build({
      stdin: {
        contents:
          "import { notionistsSvg } from '@spoti/face/notionists'; console.log(notionistsSvg);",
        resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      },
      bundle: true,
      minify: true,
      write: false,
      metafile: true,
      platform: 'browser',
      format: 'iife',
      conditions: ['@spoti/source'],
      logLevel: 'silent',
    });
    // What reached the output (tree-shaken modules are listed with 0 bytes).
    const output = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
    const inputs = Object.keys(output).filter((f) => (output[f]?.bytesInOutput ?? 0) > 0);
    expect(inputs.some((f) => f.includes('@dicebear/core') || f.includes('@dicebear+core'))).toBe(
      true,
    );
    expect(inputs.filter((f) => f.includes('notionists/lib'))).toEqual([]);
    expect(inputs.filter((f) => /[/+]zod[@/]/.test(f))).toEqual([]);
  });
});
