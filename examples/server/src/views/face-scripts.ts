import { createHash, randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { notionistsArt } from '@spoti/face/notionists';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRIES = ['studio', 'share'] as const;

/**
 * Most bytes, gzipped, the studio script may weigh. It counts the script (mapping, drawing,
 * DiceBear's core); the Notionists art it draws with is a separate immutable JSON asset
 * ({@link faceArtAsset}), loaded once and cached for a year.
 */
export const STUDIO_SCRIPT_BUDGET = 150 * 1024;

/** The Notionists art data the studio script draws with, served at `/face/art-data/<file>`. */
export interface FaceArtAsset {
  /** `<hash of the bytes>.json`: a new catalogue or artwork gives a new name. */
  readonly file: string;
  readonly body: Buffer;
  /** Gzipped size in bytes (what a browser downloads once). */
  readonly gzipped: number;
}

let artAsset: FaceArtAsset | null = null;

/**
 * The art data of the studio's preview: the Notionists components the catalogue can select
 * (`notionistsArt()` of `@spoti/face/notionists`), made once per process.
 */
export function faceArtAsset(): FaceArtAsset {
  if (artAsset === null) {
    const body = Buffer.from(JSON.stringify(notionistsArt()));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
    artAsset = { file: `${hash}.json`, body, gzipped: gzipSync(body).length };
  }
  return artAsset;
}

/** What a build wrote: gzipped size per script. */
export type BrowserScriptSizes = Record<(typeof ENTRIES)[number], number>;

let building: Promise<BrowserScriptSizes> | null = null;

/**
 * Bundles the browser scripts (`browser/studio.ts`, `browser/share.ts`) into `public/` with
 * esbuild and makes the studio's art data ({@link faceArtAsset}), once per process (the server calls it at start, so `pnpm start` and the tests always
 * serve scripts built from the sources). A file is rewritten only when its bytes changed, by a
 * rename, so a running server never serves half a file.
 *
 * @throws Error when the studio script is over {@link STUDIO_SCRIPT_BUDGET} gzipped.
 */
export function buildBrowserScripts(): Promise<BrowserScriptSizes> {
  building ??= (async () => {
    const result = await build({
      entryPoints: ENTRIES.map((name) => join(ROOT, 'browser', `${name}.ts`)),
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@spoti/source'],
      outdir: join(ROOT, 'public'),
      write: false,
      logLevel: 'silent',
      legalComments: 'none',
    });
    const sizes = {} as BrowserScriptSizes;
    for (const file of result.outputFiles) {
      const name = ENTRIES.find((n) => file.path.endsWith(`${n}.js`));
      if (name === undefined) continue;
      sizes[name] = gzipSync(file.contents).length;
      const current = await readFile(file.path).catch(() => null);
      if (current?.equals(file.contents) === true) continue;
      const temp = `${file.path}.${randomUUID()}.tmp`;
      await writeFile(temp, file.contents);
      await rename(temp, file.path);
    }
    // The art data the studio script loads is made now too, not on the first studio page.
    faceArtAsset();
    if (sizes.studio > STUDIO_SCRIPT_BUDGET) {
      throw new Error(
        `browser/studio.ts bundles to ${sizes.studio} bytes gzipped, over the ${STUDIO_SCRIPT_BUDGET}-byte budget`,
      );
    }
    return sizes;
  })();
  building.catch(() => {
    building = null;
  });
  return building;
}
