import { type Style, type StyleCreateProps, createAvatar } from '@dicebear/core';
import { FaceError } from '../errors/face-error.js';
import type { Face } from '../face.js';
import type { FaceMapper } from '../mapper.js';
import { PARAM_KEYS } from '../params.js';
import { faceBackground, shapesToSvg } from './compose.js';
import {
  NOTIONISTS_LINE_ART_TRANSFORM,
  type NotionistsFace,
  notionistsOptions,
} from './notionists.js';
import type { Shape } from './shape.js';

/**
 * The DiceBear Notionists artwork as plain data (JSON-serialisable): the style's metadata, its
 * SVG attributes, the groups it paints in order, and the SVG of each component. Built in Node by
 * `notionistsArt()` from `@dicebear/notionists`, usually for only the components a catalogue
 * can select, so a browser can draw faces without bundling the whole style.
 */
export interface NotionistsArt {
  /** The style's metadata (title, creator, source, licence): DiceBear writes it into every SVG. */
  readonly meta: {
    readonly title?: string;
    readonly creator?: string;
    readonly source?: string;
    readonly homepage?: string;
    readonly license?: { readonly name: string; readonly url: string };
  };
  /** Attributes of the `<svg>` element the style returns (`viewBox`, `fill`...). */
  readonly attributes: Readonly<Record<string, string>> & { readonly viewBox: string };
  /** The groups in painting order: the DiceBear option name and the group's opening tag. */
  readonly slots: readonly { readonly part: string; readonly open: string }[];
  /** SVG of each component held, by option name and component name (`hair.variant50`). */
  readonly parts: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Options of {@link notionistsSvg}. */
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
   * same scale and the box widens, so raised arms are not cut at the sides.
   */
  readonly aspect?: number;
}

/** The Notionists view box (DiceBear draws the figure in 1744x1744 units). */
const BOX = 1744;
/** Groups whose white fill is skin: the head and neck (`base`) and the hands (`gesture`). */
const SKIN_GROUPS = ['<g transform="translate(531 487)">', '<g transform="translate(0 559)">'];
/** Gestures whose later white fills are objects, not hands (the phone of `handPhone`). */
const HAND_FILLS: Readonly<Record<string, number>> = { handPhone: 1 };
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

/** Plugin parts without a Notionists equivalent and plugin overlays, as SVG in the 1744 box. */
function lineArtSvg(face: Face, mapped: NotionistsFace, options: NotionistsSvgOptions): string {
  const mapper = options.mapper;
  if (mapper === undefined) return '';
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
  let svg = '';
  if (partShapes.length > 0)
    svg += `<g transform="matrix(${scale * k} 0 0 ${scale * k} ${dx * k} ${dy * k})">${shapesToSvg(partShapes)}</g>`;
  if (options.overlays !== false && mapper.overlays.length > 0) {
    const overlayShapes = mapper.overlays.flatMap((o) => [
      ...o.draw({ face, ink: '#000', paper: '#fff' }),
    ]);
    svg += `<g transform="scale(${k})">${shapesToSvg(overlayShapes)}</g>`;
  }
  return svg;
}

/** The component a DiceBear option picks, or '' (absent, or its probability says no). */
function component(
  art: NotionistsArt,
  part: string,
  { prng, options }: StyleCreateProps<Record<string, unknown>>,
): string {
  const values = (options[part] ?? []) as string[];
  const name = prng.pick(values);
  const probability = options[`${part}Probability`];
  if (typeof probability === 'number' && !prng.bool(probability)) return '';
  if (name === undefined) return '';
  const svg = art.parts[part]?.[name];
  if (svg === undefined) {
    throw new FaceError({
      code: 'UNKNOWN_PART',
      message: `Notionists ${part} "${name}" is not in this artwork data (build it with notionistsArt() for the catalogue in use)`,
    });
  }
  return svg;
}

/**
 * The face as a DiceBear Notionists SVG drawn from {@link NotionistsArt} data: byte for byte what
 * `toNotionistsSvg` of `@spoti/face/render` draws with the full `@dicebear/notionists` style,
 * without importing it (about 5 KB of `@dicebear/core` instead of 390 KB of artwork). Browser-safe:
 * the studio draws its preview with it.
 *
 * @throws FaceError `UNKNOWN_PART` when the face needs a component the art data does not hold.
 * @example
 * ```ts
 * import { mapFace } from '@spoti/face';
 * import { notionistsSvg } from '@spoti/face/notionists';
 * const art = await (await fetch('/static/face-art.json')).json();
 * preview.src = `data:image/svg+xml,${encodeURIComponent(notionistsSvg(mapFace(profile), art))}`;
 * ```
 */
export function notionistsSvg(
  face: Face,
  art: NotionistsArt,
  options: NotionistsSvgOptions = {},
): string {
  const mapper = options.mapper;
  const mapped = notionistsOptions(face, mapper === undefined ? {} : { mapper });
  const lineArt = lineArtSvg(face, mapped, options);
  const size = options.size ?? 400;
  const aspect = Math.min(3, Math.max(1, options.aspect ?? 1));
  const pad = ((aspect - 1) * BOX) / 2;
  const style: Style<Record<string, unknown>> = {
    meta: art.meta,
    create: (props) => ({
      attributes: {
        ...art.attributes,
        viewBox: `${-pad} 0 ${BOX + 2 * pad} ${BOX}`,
        width: String(Math.round(size * aspect)),
        height: String(size),
      },
      body:
        paintSkin(
          art.slots.map((s) => `${s.open}${component(art, s.part, props)}</g>`).join(''),
          mapped.skin,
          mapped.options.gesture[0],
        ) + lineArt,
    }),
  };
  const svg = createAvatar(style, {
    ...mapped.options,
    ...NOTIONISTS_FRAMING,
    clip: false,
  }).toString();
  const background =
    options.background === false
      ? null
      : typeof options.background === 'string'
        ? options.background
        : faceBackground(face);
  if (background === null) return svg;
  // The background goes outside DiceBear's framing transform, so it always covers the box.
  const rect = `<rect x="${-pad}" width="${BOX + 2 * pad}" height="${BOX}" fill="${background.replace(/[<>&"]/g, '')}"/>`;
  const at = svg.indexOf('</metadata>');
  const cut = at >= 0 ? at + '</metadata>'.length : svg.indexOf('>') + 1;
  return svg.slice(0, cut) + rect + svg.slice(cut);
}
