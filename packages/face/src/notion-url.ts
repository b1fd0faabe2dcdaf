import { FaceError } from './errors/face-error.js';
import type { Face } from './face.js';
import { PARAM_KEYS, PARAM_NAMES, type ParamKey } from './params.js';
import { type FaceRangesOverride, assertInRange, resolveRanges } from './ranges.js';

/**
 * The Notion Faces site.
 *
 * @example
 * ```ts
 * new URL(`/?face=${toFaceString(face)}`, NOTION_FACES_ORIGIN).href;
 * ```
 */
export const NOTION_FACES_ORIGIN = 'https://faces.notion.com';

/** The eight raw Notion indices of a face. */
export type NotionFaceParams = Readonly<Record<ParamKey, number>>;

function paramsOf(face: Face | NotionFaceParams): NotionFaceParams {
  if ('params' in face) {
    const out = {} as Record<ParamKey, number>;
    for (const key of PARAM_KEYS) out[key] = (face as Face).params[key].value;
    return out;
  }
  return face as NotionFaceParams;
}

/**
 * The compact face string, in faces.notion.com's order: `s1e10m18n61h212a8y0b44`.
 *
 * @example
 * ```ts
 * toFaceString(face); // 's1e10m18n61h212a8y0b44'
 * ```
 */
export function toFaceString(face: Face | NotionFaceParams): string {
  const params = paramsOf(face);
  return PARAM_KEYS.map((key) => `${key}${params[key]}`).join('');
}

/**
 * The faces.notion.com link that opens the face in Notion's editor.
 *
 * @example
 * ```ts
 * toNotionFaceUrl(face); // 'https://faces.notion.com/?face=s1e10m18n61h212a8y0b44'
 * ```
 */
export function toNotionFaceUrl(face: Face | NotionFaceParams): string {
  return `${NOTION_FACES_ORIGIN}/?face=${toFaceString(face)}`;
}

/**
 * Parses a face string (`s1e10...`) with the eight parameters in any order. Errors name what is
 * wrong: unknown letters, duplicates, missing parameters, values out of range, stray characters.
 *
 * @example
 * ```ts
 * parseFaceString('b44y0a8h212n61m18e10s1').h; // 212
 * ```
 */
export function parseFaceString(
  text: string,
  options: { readonly ranges?: FaceRangesOverride } = {},
): NotionFaceParams {
  const ranges = resolveRanges(options.ranges);
  const fail = (message: string): never => {
    throw new FaceError({
      code: 'INVALID_FACE_STRING',
      message: `Invalid face string "${text.slice(0, 80)}": ${message}`,
    });
  };
  if (typeof text !== 'string' || text.length === 0) fail('it is empty');
  const token = /([a-z])(\d{1,4})/gy;
  const out: Partial<Record<ParamKey, number>> = {};
  let pos = 0;
  while (pos < text.length) {
    token.lastIndex = pos;
    const m = token.exec(text);
    if (m === null) {
      const rest = text.slice(pos);
      if (/^[a-z]/.test(rest)) fail(`parameter "${rest[0]}" at position ${pos} has no number`);
      fail(`unexpected "${rest[0]}" at position ${pos}`);
    }
    const [, letter, digits] = m!;
    const key = letter as ParamKey;
    if (!(PARAM_KEYS as readonly string[]).includes(key))
      fail(`unknown parameter "${letter}" at position ${pos} (expected ${PARAM_KEYS.join(', ')})`);
    if (out[key] !== undefined) fail(`${PARAM_NAMES[key]} (${key}) appears twice`);
    const value = Number(digits);
    try {
      assertInRange(key, value, ranges, 'Face string');
    } catch (cause) {
      throw new FaceError({
        code: 'INVALID_FACE_STRING',
        message: `Invalid face string "${text.slice(0, 80)}": ${(cause as Error).message}`,
        cause,
      });
    }
    out[key] = value;
    pos = token.lastIndex;
  }
  const missing = PARAM_KEYS.filter((k) => out[k] === undefined);
  if (missing.length > 0)
    fail(`missing ${missing.map((k) => `${PARAM_NAMES[k]} (${k})`).join(', ')}`);
  return out as NotionFaceParams;
}

/**
 * Parses a faces.notion.com link (or a bare face string). Only the faces.notion.com host is
 * accepted for URLs; the `face` query parameter may list the eight parameters in any order.
 *
 * @example
 * ```ts
 * const params = parseNotionFaceUrl('https://faces.notion.com/?face=s1e10m18n61h212a8y0b44');
 * params.s; // 1
 * ```
 */
export function parseNotionFaceUrl(
  input: string,
  options: { readonly ranges?: FaceRangesOverride } = {},
): NotionFaceParams {
  const text = typeof input === 'string' ? input.trim() : '';
  if (!/^[a-z]+:\/\//i.test(text) && !text.startsWith('faces.notion.com'))
    return parseFaceString(text, options);
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
  } catch (cause) {
    throw new FaceError({
      code: 'INVALID_FACE_STRING',
      message: `Not a URL: "${text.slice(0, 80)}"`,
      cause,
    });
  }
  if (url.hostname !== 'faces.notion.com')
    throw new FaceError({
      code: 'INVALID_FACE_STRING',
      message: `Not a Notion Faces link: host is "${url.hostname}", expected faces.notion.com`,
    });
  const face = url.searchParams.get('face');
  if (face === null)
    throw new FaceError({
      code: 'INVALID_FACE_STRING',
      message: 'The link has no "face" parameter',
    });
  return parseFaceString(face, options);
}
