import type { Face } from '../face.js';
import type { FaceMapper } from '../mapper.js';
import { PARAM_KEYS, type ParamKey } from '../params.js';
import {
  BACKGROUNDS,
  SKIN_TONES,
  drawAccessory,
  drawBody,
  drawBrows,
  drawEyes,
  drawGlasses,
  drawHair,
  drawHead,
  drawMouth,
  drawNose,
} from './parts.js';
import type { PartDrawContext, Shape } from './shape.js';

/** Colours of the artwork. */
export interface FaceColours {
  /** Line colour (default near-black). */
  readonly ink?: string;
  /** Paper colour (default white). */
  readonly paper?: string;
  /** Shirt colour (default paper). */
  readonly shirt?: string;
}

/** Options of {@link faceShapes}. */
export interface FaceShapesOptions {
  /** The mapper whose plugin parts and overlays to draw (default: built-in parts only). */
  readonly mapper?: FaceMapper;
  /** Colours of ink, paper, skin and shirt (default: black on white, the face's skin tone). */
  readonly colours?: FaceColours;
  /** Draw plugin overlays (default true). */
  readonly overlays?: boolean;
}

/**
 * Default ink (line) colour.
 *
 * @example
 * ```ts
 * toFaceSvg(face, { colours: { ink: INK, paper: PAPER } });
 * ```
 */
export const INK = '#1f1f1f';
/**
 * Default paper colour (whites of the eyes, shirt, outlined hair).
 *
 * @example
 * ```ts
 * toFaceSvg(face, { colours: { paper: PAPER, shirt: '#d3e3ff' } });
 * ```
 */
export const PAPER = '#ffffff';

/**
 * The soft background colour of a face (one per hair style, so per genre family).
 *
 * @example
 * ```ts
 * faceBackground(face); // '#e4ddf6' for long hair (metal, folk)
 * ```
 */
export function faceBackground(face: Face): string {
  return BACKGROUNDS[face.params.h.tag] ?? '#ececec';
}

/**
 * The face as drawing instructions in a 400x400 box, in painting order: back hair, body, head,
 * features, front hair, glasses, accessories, plugin overlays.
 *
 * @example
 * ```ts
 * const shapes = faceShapes(mapFace(profile));
 * console.log(shapes.length);
 * ```
 */
export function faceShapes(face: Face, options: FaceShapesOptions = {}): Shape[] {
  const ink = options.colours?.ink ?? INK;
  const paper = options.colours?.paper ?? PAPER;
  const tags: Record<string, string> = {};
  for (const key of PARAM_KEYS) tags[key] = face.params[key].tag;
  const skin = SKIN_TONES[tags.s!] ?? SKIN_TONES['tone-1']!;
  const ctxFor = (key: ParamKey): PartDrawContext => ({
    variant: face.params[key].variant,
    skin,
    ink,
    paper,
    tags,
  });
  const pluginDraw = (key: ParamKey): Shape[] | null => {
    const part = options.mapper?.catalogue[key].find((p) => p.tag === face.params[key].tag);
    if (part?.draw === undefined || part.draw === null) return null;
    return [...part.draw(ctxFor(key))];
  };
  const layered = (
    key: ParamKey,
    draw: (tag: string, ctx: PartDrawContext) => { back: Shape[]; front: Shape[] },
  ) => {
    const custom = pluginDraw(key);
    if (custom !== null) return { back: [], front: custom };
    return draw(face.params[key].tag, ctxFor(key));
  };
  const flat = (key: ParamKey, draw: (tag: string, ctx: PartDrawContext) => Shape[]) =>
    pluginDraw(key) ?? draw(face.params[key].tag, ctxFor(key));

  const hair = layered('h', drawHair);
  const accessory = layered('a', drawAccessory);
  const shapes: Shape[] = [
    ...hair.back,
    ...accessory.back,
    ...drawBody(ctxFor('s'), options.colours?.shirt ?? paper),
    ...drawHead(ctxFor('s')),
    ...flat('e', drawEyes),
    ...flat('n', drawNose),
    ...flat('m', drawMouth),
    ...hair.front,
    ...flat('b', drawBrows),
    ...flat('y', drawGlasses),
    ...accessory.front,
  ];
  if (options.overlays !== false && options.mapper !== undefined)
    for (const overlay of options.mapper.overlays)
      shapes.push(...overlay.draw({ face, ink, paper }));
  return shapes;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Options of {@link toFaceSvg}. */
export interface FaceSvgOptions extends FaceShapesOptions {
  /** Width and height in pixels (default 400). */
  readonly size?: number;
  /** Background: `true` for the face's soft colour (default), `false` for none, or a colour. */
  readonly background?: boolean | string;
}

/**
 * Serialises shapes as SVG elements (no wrapper).
 *
 * @example
 * ```ts
 * const body = shapesToSvg(faceShapes(face));
 * const svg = `<svg viewBox="0 0 400 400">${body}</svg>`;
 * ```
 */
export function shapesToSvg(shapes: readonly Shape[]): string {
  return shapes
    .map((s) => {
      const attrs = [
        `d="${esc(s.d)}"`,
        `fill="${esc(s.fill ?? 'none')}"`,
        s.stroke === undefined
          ? ''
          : `stroke="${esc(s.stroke)}" stroke-width="${s.width ?? 6}" stroke-linecap="round" stroke-linejoin="round"`,
        s.opacity === undefined || s.opacity === 1 ? '' : `opacity="${s.opacity}"`,
      ].filter(Boolean);
      return `<path ${attrs.join(' ')}/>`;
    })
    .join('');
}

/**
 * The face as a standalone SVG document (isomorphic: works in browsers and Node).
 *
 * @example
 * ```ts
 * document.body.innerHTML = toFaceSvg(mapFace(profile), { size: 256 });
 * ```
 */
export function toFaceSvg(face: Face, options: FaceSvgOptions = {}): string {
  const size = options.size ?? 400;
  const bg =
    options.background === false
      ? ''
      : `<rect width="400" height="400" fill="${esc(typeof options.background === 'string' ? options.background : faceBackground(face))}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 400 400">${bg}${shapesToSvg(faceShapes(face, options))}</svg>`;
}
