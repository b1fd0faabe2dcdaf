import { createHash } from 'node:crypto';
import { type Canvas, createCanvas, loadImage } from '@napi-rs/canvas';
import { z } from 'zod';
import { faceBackground, faceShapes } from '../draw/compose.js';
import { FaceError } from '../errors/face-error.js';
import type { Face } from '../face.js';
import { parseOptions } from '../internal/parse-options.js';
import type { FaceMapper } from '../mapper.js';
import { drawShapes } from './draw-canvas.js';
import { needsCjk, registerCjkFonts, registerFaceFonts } from './fonts.js';
import { FACE_LAYOUTS, type FaceLayout, type FigureSlot, type LayoutSpec } from './layouts.js';
import { type Paint, drawCard, drawFrame, drawNotes, drawWatermark, framePath } from './paint.js';
import { NOTIONISTS_FRAMING, toNotionistsSvg } from './notionists.js';
import { type FaceStats, faceStatsSchema } from './stats.js';

/** Output formats of the offline renderer. */
export type FaceImageFormat = 'png' | 'webp' | 'avif';

export type { FaceLayout };
export { fitText, MAX_LINE_GRAPHEMES } from './fit-text.js';
export type { TextMeasurer } from './fit-text.js';

/**
 * Artwork of the offline renderer: `notionists` (default), the DiceBear Notionists figure (CC0
 * artwork by Zoish) with the skin tone painted in; `line-art`, the package's own line drawing
 * (the same picture as `toFaceSvg`).
 */
export type FaceArtStyle = 'notionists' | 'line-art';

/** Options of {@link renderFace}. */
export interface RenderFaceOptions {
  /** Artwork: `notionists` (default) or `line-art`. */
  readonly style?: FaceArtStyle;
  /** `square` (1024x1024, default) or `banner` (1500x500). */
  readonly layout?: FaceLayout;
  /** Image format (default `png`). */
  readonly format?: FaceImageFormat;
  /** 0..100 quality for webp/avif (default 90). */
  readonly quality?: number;
  /** Statistics to show, or omitted/null for the bare face. */
  readonly stats?: FaceStats | null;
  /** `spotify`: green frame and badge (default); `none`: no frame. */
  readonly frame?: 'spotify' | 'none';
  /** Small text in the corner, e.g. `spoti`; omitted for none. */
  readonly watermark?: string;
  /** Mapper whose plugin parts and overlays to draw. */
  readonly mapper?: FaceMapper;
  /** Background colour (default: the face's soft colour). */
  readonly background?: string;
  /** Side of the square in pixels (default 1024; the banner is always 1500x500). */
  readonly size?: number;
}

/** A rendered image. */
export interface RenderedFace {
  /** The encoded image. */
  readonly data: Buffer;
  /** Its format (`png`, `webp` or `avif`). */
  readonly format: FaceImageFormat;
  /** MIME type of `data` (`image/png`, ...). */
  readonly mimeType: string;
  /** Width in pixels (1024 for a square, 1500 for a banner). */
  readonly width: number;
  /** Height in pixels (1024 for a square, 500 for a banner). */
  readonly height: number;
  /** sha256 of the bytes (hex), for caching and ETags. */
  readonly contentHash: string;
}

const optionsSchema = z.object({
  style: z.enum(['notionists', 'line-art']).optional(),
  layout: z.enum(['square', 'banner']).optional(),
  format: z.enum(['png', 'webp', 'avif']).optional(),
  quality: z.number().min(0).max(100).optional(),
  stats: faceStatsSchema.nullable().optional(),
  frame: z.enum(['spotify', 'none']).optional(),
  watermark: z.string().max(60).optional(),
  mapper: z.any().optional(),
  background: z.string().min(1).optional(),
  size: z.number().int().min(64).max(4096).optional(),
});

/**
 * Renders a face offline to PNG, WebP or AVIF with `@napi-rs/canvas`: the DiceBear Notionists
 * figure mapped from the face's parameters (default, see {@link toNotionistsSvg}) or the package's
 * own line-art (`style: 'line-art'`), skin tone applied, optional statistics overlay,
 * Spotify-style frame and badge, watermark. Fonts come from npm font packages registered by path;
 * nothing is fetched. Deterministic: the same face and options give the same bytes.
 *
 * @example
 * ```ts
 * import { mapFace } from '@spoti/face';
 * import { renderFace, statsFromProfile } from '@spoti/face/render';
 * const image = await renderFace(mapFace(profile), {
 *   stats: statsFromProfile(profile, { userName: 'Ada', generatedAt: '2026-11-28' }),
 * });
 * await writeFile('me.png', image.data);
 * ```
 */
export async function renderFace(
  face: Face,
  options: RenderFaceOptions = {},
): Promise<RenderedFace> {
  parseOptions(optionsSchema, options, 'render options');
  registerFaceFonts();
  const layout = FACE_LAYOUTS[options.layout ?? 'square'];
  const format = options.format ?? 'png';
  const stats = options.stats ?? null;
  const width = layout.resizable ? (options.size ?? layout.width) : layout.width;
  const scale = width / layout.width;
  const height = layout.height * scale;
  const allText =
    stats === null ? (options.watermark ?? '') : JSON.stringify(stats) + (options.watermark ?? '');
  const cjk = needsCjk(allText) && registerCjkFonts() > 0;
  try {
    const canvas = createCanvas(width, height);
    const paint: Paint = { ctx: canvas.getContext('2d'), cjk, scale, width, height };
    await drawLayout(paint, layout, face, options);
    const data = await encode(canvas, format, options.quality);
    return {
      data,
      format,
      mimeType: `image/${format}`,
      width,
      height,
      contentHash: createHash('sha256').update(data).digest('hex'),
    };
  } catch (cause) {
    throw new FaceError({
      code: 'RENDER_FAILED',
      message: `Rendering the face failed: ${(cause as Error).message}`,
      cause,
    });
  }
}

/** Draws the figure into a square of `slot.size` design pixels at the slot, clipped to the frame. */
async function drawFigure(
  paint: Paint,
  layout: LayoutSpec,
  face: Face,
  slot: FigureSlot,
  options: RenderFaceOptions,
): Promise<void> {
  const { ctx, scale } = paint;
  const size = Math.round(slot.size * scale);
  const [x, y] = [slot.x * scale, slot.y * scale];
  const mapperOption = options.mapper === undefined ? {} : { mapper: options.mapper };
  let draw: () => void;
  if (options.style === 'line-art') {
    const shapes = faceShapes(face, mapperOption);
    draw = () => drawShapes(ctx, shapes, x, y, size);
  } else {
    // A widened box (beside a statistics card, drawn before the card, which covers it) keeps
    // raised arms: the zoomed figure spills (scale - 100)% of the box past its sides.
    const aspect = slot.widen ? NOTIONISTS_FRAMING.scale / 100 : 1;
    const svg = toNotionistsSvg(face, { ...mapperOption, size, background: false, aspect });
    const image = await loadImage(Buffer.from(svg));
    const pad = ((aspect - 1) * size) / 2;
    draw = () => ctx.drawImage(image, x - pad, y, size * aspect, size);
  }
  ctx.save();
  if (options.frame !== 'none') {
    framePath(paint, layout);
    ctx.clip();
  }
  draw();
  ctx.restore();
}

/** Draws a whole picture from its layout: background, figure, card, frame, watermark. */
async function drawLayout(
  paint: Paint,
  layout: LayoutSpec,
  face: Face,
  options: RenderFaceOptions,
): Promise<void> {
  const { ctx, width, height } = paint;
  const stats = options.stats ?? null;
  const framed = options.frame !== 'none';
  ctx.fillStyle = options.background ?? faceBackground(face);
  ctx.fillRect(0, 0, width, height);
  if (stats === null) {
    if (layout.bare.notes) drawNotes(ctx, width, height);
    await drawFigure(paint, layout, face, layout.bare.figure, options);
  } else {
    await drawFigure(paint, layout, face, layout.card.figure, options);
    drawCard(paint, layout, stats, framed);
  }
  if (framed) drawFrame(paint, layout);
  if (options.watermark !== undefined) drawWatermark(paint, layout, options.watermark);
}

function encode(
  canvas: Canvas,
  format: FaceImageFormat,
  quality: number | undefined,
): Promise<Buffer> {
  if (format === 'png') return canvas.encode('png');
  if (format === 'webp') return canvas.encode('webp', quality ?? 90);
  return canvas.encode('avif', { quality: quality ?? 80, speed: 8 });
}
