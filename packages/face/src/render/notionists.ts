import { type Style, createAvatar } from '@dicebear/core';
import * as notionists from '@dicebear/notionists';
import { NOTIONISTS_PARTS } from '../catalogue.js';
import { faceBackground, shapesToSvg } from '../draw/compose.js';
import { NOTIONISTS_LINE_ART_TRANSFORM, notionistsOptions } from '../draw/notionists.js';
import { FaceError } from '../errors/face-error.js';
import type { Face } from '../face.js';
import type { Shape } from '../draw/shape.js';
import type { FaceMapper } from '../mapper.js';
import { PARAM_KEYS, PARAM_NAMES } from '../params.js';

/** The Notionists view box (DiceBear draws the figure in 1744x1744 units). */
const BOX = 1744;
/** Groups whose white fill is skin: the head and neck (`base`) and the hands (`gesture`). */
const SKIN_GROUPS = ['<g transform="translate(531 487)">', '<g transform="translate(0 559)">'];

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

/**
 * DiceBear framing options of the default style: the figure zoomed to 120% and moved down 5%, so
 * the head fills a profile picture and the hair is never cut.
 *
 * @example
 * ```ts
 * createAvatar(notionists, { ...notionistsOptions(face).options, ...NOTIONISTS_FRAMING });
 * ```
 */
export const NOTIONISTS_FRAMING = { scale: 120, translateY: 5 } as const;

/** Gestures whose later white fills are objects, not hands (the phone of `handPhone`). */
const HAND_FILLS: Readonly<Record<string, number>> = { handPhone: 1 };

/** Paints the white fills of the skin groups with `skin`; everything else is left as drawn. */
function paintSkin(body: string, skin: string, gesture: string | undefined): string {
  let out = body;
  for (const open of SKIN_GROUPS) {
    const start = out.indexOf(open);
    if (start < 0) continue;
    // Parts are flat lists of paths: the group ends at the first closing tag.
    const end = out.indexOf('</g>', start + open.length);
    if (end < 0) continue;
    let left =
      open === SKIN_GROUPS[1]
        ? (HAND_FILLS[gesture ?? ''] ?? Number.POSITIVE_INFINITY)
        : Number.POSITIVE_INFINITY;
    const group = out.slice(start, end).replace(/fill="#fff"/g, (m) => {
      if (left <= 0) return m;
      left--;
      return `fill="${skin}"`;
    });
    out = out.slice(0, start) + group + out.slice(end);
  }
  return out;
}

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

/** Options of {@link toNotionistsSvg}. */
export interface NotionistsSvgOptions {
  /** Width and height in pixels (default 400). */
  readonly size?: number;
  /** Background: `true` for the face's soft colour (default), `false` for none, or a colour. */
  readonly background?: boolean | string;
  /** Mapper whose plugin parts (by their `notionists` values or line-art) and overlays to draw. */
  readonly mapper?: FaceMapper;
  /** Draw plugin overlays (default true). */
  readonly overlays?: boolean;
  /**
   * Width / height of the picture, 1 to 3 (default 1): above 1 the figure stays centred at the
   * same scale and the box widens, so raised arms are not cut at the sides (the layouts with a
   * statistics card use 1.2, all the zoomed figure spills). The picture is `size * aspect` wide.
   */
  readonly aspect?: number;
}

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
  const background =
    options.background === false
      ? null
      : typeof options.background === 'string'
        ? options.background
        : faceBackground(face);
  // Line-art on top: plugin parts without a Notionists equivalent (aligned to the Notionists
  // head) and plugin overlays (in the face box as is).
  let lineArt = '';
  if (mapper !== undefined) {
    const partShapes: Shape[] = [];
    for (const key of mapped.lineArt) {
      const part = mapper.catalogue[key].find((o) => o.tag === face.params[key].tag);
      if (part?.draw === undefined || part.draw === null) continue;
      partShapes.push(
        ...part.draw({
          variant: face.params[key].variant,
          skin: mapped.skin,
          ink: '#000',
          paper: '#fff',
          tags: Object.fromEntries(PARAM_KEYS.map((k) => [k, face.params[k].tag])),
        }),
      );
    }
    const k = BOX / 400;
    const { scale, dx, dy } = NOTIONISTS_LINE_ART_TRANSFORM;
    if (partShapes.length > 0)
      lineArt += `<g transform="matrix(${scale * k} 0 0 ${scale * k} ${dx * k} ${dy * k})">${shapesToSvg(partShapes)}</g>`;
    if (options.overlays !== false && mapper.overlays.length > 0) {
      const overlayShapes = mapper.overlays.flatMap((o) => [
        ...o.draw({ face, ink: '#000', paper: '#fff' }),
      ]);
      lineArt += `<g transform="scale(${k})">${shapesToSvg(overlayShapes)}</g>`;
    }
  }
  const size = options.size ?? 400;
  const aspect = Math.min(3, Math.max(1, options.aspect ?? 1));
  const pad = ((aspect - 1) * BOX) / 2;
  const style: Style<notionists.Options> = {
    meta: notionists.meta,
    schema: notionists.schema,
    create: (args) => {
      const result = notionists.create(args);
      return {
        ...result,
        attributes: {
          ...result.attributes,
          viewBox: `${-pad} 0 ${BOX + 2 * pad} ${BOX}`,
          width: String(Math.round(size * aspect)),
          height: String(size),
        },
        body: paintSkin(result.body, mapped.skin, mapped.options.gesture[0]) + lineArt,
      };
    },
  };
  try {
    const svg = createAvatar(style, {
      ...(mapped.options as unknown as notionists.Options & { seed: string }),
      ...NOTIONISTS_FRAMING,
      clip: false,
    }).toString();
    if (background === null) return svg;
    // The background goes outside DiceBear's framing transform, so it always covers the box.
    const rect = `<rect x="${-pad}" width="${BOX + 2 * pad}" height="${BOX}" fill="${background.replace(/[<>&"]/g, '')}"/>`;
    const at = svg.indexOf('</metadata>');
    const cut = at >= 0 ? at + '</metadata>'.length : svg.indexOf('>') + 1;
    return svg.slice(0, cut) + rect + svg.slice(cut);
  } catch (cause) {
    throw new FaceError({
      code: 'RENDER_FAILED',
      message: `Building the Notionists SVG failed: ${(cause as Error).message}`,
      cause,
    });
  }
}
