import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/**
 * The font family names the renderer draws with (registered from npm font packages).
 *
 * @example
 * ```ts
 * ctx.font = `600 32px ${FONT_FAMILY}`;
 * ```
 */
export const FONT_FAMILY = 'SpotiFaceInter';
/**
 * Family registered from `@fontsource/noto-sans-jp` for Japanese and Chinese text.
 *
 * @example
 * ```ts
 * ctx.font = `600 32px ${FONT_FAMILY}, ${CJK_FAMILY}`;
 * ```
 */
export const CJK_FAMILY = 'SpotiFaceNotoJP';

/** What {@link registerFaceFonts} found and registered. */
export interface FontStatus {
  /** Files registered for the Latin/Cyrillic/Greek/Vietnamese family. */
  readonly latinFiles: number;
  /** Files registered for CJK text, 0 when `@fontsource/noto-sans-jp` is not installed. */
  readonly cjkFiles: number;
}

let status: FontStatus | undefined;
let cjkStatus: number | undefined;

function packageDir(name: string): string | null {
  try {
    const require = createRequire(import.meta.url);
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

/**
 * Registers the bundled fonts (Inter from `@fontsource/inter`, by file path) once. The renderer
 * never uses system fonts: every family it names is registered here.
 *
 * @example
 * ```ts
 * registerFaceFonts().latinFiles; // > 0
 * ```
 */
export function registerFaceFonts(): FontStatus {
  if (status !== undefined) return status;
  let latinFiles = 0;
  const dir = packageDir('@fontsource/inter');
  if (dir !== null) {
    for (const subset of [
      'latin',
      'latin-ext',
      'cyrillic',
      'cyrillic-ext',
      'greek',
      'greek-ext',
      'vietnamese',
    ])
      for (const weight of [400, 600, 700]) {
        const file = join(dir, 'files', `inter-${subset}-${weight}-normal.woff2`);
        if (GlobalFonts.registerFromPath(file, FONT_FAMILY) !== null) latinFiles++;
      }
  }
  status = { latinFiles, cjkFiles: cjkStatus ?? 0 };
  return status;
}

/**
 * Registers the CJK fallback family if its package is installed (only when text needs it).
 *
 * @example
 * ```ts
 * if (registerCjkFonts() === 0) console.warn('install @fontsource/noto-sans-jp for CJK names');
 * ```
 */
export function registerCjkFonts(): number {
  if (cjkStatus !== undefined) return cjkStatus;
  let count = 0;
  const dir = packageDir('@fontsource/noto-sans-jp');
  if (dir !== null) {
    const files = readdirSync(join(dir, 'files')).filter((f) =>
      /-(400|700)-normal\.woff2$/.test(f),
    );
    for (const f of files)
      if (GlobalFonts.registerFromPath(join(dir, 'files', f), CJK_FAMILY) !== null) count++;
  }
  cjkStatus = count;
  if (status !== undefined) status = { ...status, cjkFiles: count };
  return count;
}

/** True when the text has characters outside what Inter covers (CJK, kana, ...). */
export function needsCjk(text: string): boolean {
  return /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u.test(text);
}
