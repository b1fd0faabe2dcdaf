import * as notionists from '@dicebear/notionists';
import { NOTIONISTS_PARTS } from '../catalogue.js';
import { notionistsOptions } from '../draw/notionists.js';
import { notionistsArt } from '../draw/notionists-art.js';
import {
  type NotionistsArt,
  type NotionistsSvgOptions,
  notionistsSvg,
} from '../draw/notionists-svg.js';
import { FaceError } from '../errors/face-error.js';
import type { Face } from '../face.js';
import type { FaceMapper } from '../mapper.js';
import { PARAM_KEYS, PARAM_NAMES } from '../params.js';

export { NOTIONISTS_FRAMING, type NotionistsSvgOptions } from '../draw/notionists-svg.js';

/**
 * Attribution of the artwork the default offline style draws (CC0: no attribution is required,
 * this package gives it anyway).
 *
 * @example
 * ```ts
 * console.log(`${NOTIONISTS_ATTRIBUTION.title} by ${NOTIONISTS_ATTRIBUTION.creator}`);
 * ```
 */
export const NOTIONISTS_ATTRIBUTION = {
  title: 'Notionists',
  creator: 'Zoish',
  source: 'https://heyzoish.gumroad.com/l/notionists',
  license: 'CC0 1.0',
  licenseUrl: 'https://creativecommons.org/publicdomain/zero/1.0/',
  code: 'DiceBear (@dicebear/core, @dicebear/notionists), MIT, by Florian Körner',
} as const;

function assertKnownParts(
  options: ReturnType<typeof notionistsOptions>['options'],
  face: Face,
  mapper: FaceMapper | undefined,
): void {
  const props = notionists.schema.properties as Record<
    string,
    { items?: { enum?: readonly string[] } }
  >;
  for (const key of PARAM_KEYS) {
    const part = NOTIONISTS_PARTS[key];
    if (part === 'skin') continue;
    const allowed = props[part]?.items?.enum ?? [];
    for (const value of options[part]) {
      if (allowed.includes(value)) continue;
      const owner =
        mapper?.catalogue[key].find((o) => o.tag === face.params[key].tag)?.plugin ?? undefined;
      throw new FaceError({
        code: 'UNKNOWN_PART',
        message: `${PARAM_NAMES[key]} "${face.params[key].tag}" names Notionists ${part} "${value}", which @dicebear/notionists does not have`,
        ...(owner === undefined || owner === null ? {} : { plugin: owner }),
      });
    }
  }
}

/** The whole style as art data, built once on first use. */
let fullArt: NotionistsArt | undefined;

/**
 * The face as a DiceBear Notionists SVG (CC0 artwork by Zoish): every parameter mapped through
 * the parts catalogue's `notionists` column, the skin tone painted on the face, neck and hands,
 * plugin parts without a Notionists equivalent and plugin overlays drawn as line-art on top.
 * Deterministic (the same face gives the same SVG) and offline: DiceBear runs locally.
 *
 * @example
 * ```ts
 * import { mapFace } from '@spoti/face';
 * import { toNotionistsSvg } from '@spoti/face/render';
 * await writeFile('me.svg', toNotionistsSvg(mapFace(profile), { size: 512 }));
 * ```
 */
export function toNotionistsSvg(face: Face, options: NotionistsSvgOptions = {}): string {
  const mapper = options.mapper;
  const mapped = notionistsOptions(face, mapper === undefined ? {} : { mapper });
  assertKnownParts(mapped.options, face, mapper);
  try {
    fullArt ??= notionistsArt({ all: true });
    return notionistsSvg(face, fullArt, options);
  } catch (cause) {
    throw new FaceError({
      code: 'RENDER_FAILED',
      message: `Building the Notionists SVG failed: ${(cause as Error).message}`,
      cause,
    });
  }
}
