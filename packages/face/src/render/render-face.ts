import { createHash } from 'node:crypto';
import { type SKRSContext2D, createCanvas, loadImage } from '@napi-rs/canvas';
import { z } from 'zod';
import { INK, PAPER, faceBackground, faceShapes } from '../draw/compose.js';
import { FaceError } from '../errors/face-error.js';
import type { Face } from '../face.js';
import type { FaceMapper } from '../mapper.js';
import { drawShapes } from './draw-canvas.js';
import { CJK_FAMILY, FONT_FAMILY, needsCjk, registerCjkFonts, registerFaceFonts } from './fonts.js';
import { NOTIONISTS_FRAMING, toNotionistsSvg } from './notionists.js';
import { type FaceStats, faceStatsSchema } from './stats.js';

/** Output formats of the offline renderer. */
export type FaceImageFormat = 'png' | 'webp' | 'avif';

/** Layouts: a 1024x1024 profile picture or a 1500x500 banner. */
export type FaceLayout = 'square' | 'banner';

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

const SPOTIFY_GREEN = '#1db954';
const MUTED = '#6b6b6b';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * What {@link fitText} needs from a canvas context: text measurement. Declared here so the
 * package's types resolve without `@napi-rs/canvas` installed; its `SKRSContext2D` (and a browser
 * `CanvasRenderingContext2D`) satisfy it.
 */
export interface TextMeasurer {
  /** Measures `text` in the context's current font; only `width` is read. */
  measureText(text: string): { readonly width: number };
}

/**
 * Graphemes of one line that {@link fitText} considers: more never fit a card line at the
 * renderer's sizes (the widest line, 1,500 px, holds about 300 of the narrowest glyphs at the
 * smallest font), and a longer name is cut here before anything is measured.
 */
export const MAX_LINE_GRAPHEMES = 400;

/**
 * Shortens `text` with an ellipsis (on grapheme boundaries) until its measured width fits
 * `maxWidth`. Work and memory are bounded whatever the text's length: at most
 * {@link MAX_LINE_GRAPHEMES} graphemes are read, and only prefixes up to twice the length that
 * fits are measured (a doubling search, then a bisection).
 *
 * @param ctx - measures text in its current font (a canvas 2D context)
 * @param text - the text to fit
 * @param maxWidth - the widest the result may be, in the context's pixels
 *
 * @example
 * ```ts
 * ctx.font = `700 52px ${FONT_FAMILY}`;
 * ctx.fillText(fitText(ctx, userName, 560), 96, 676);
 * ```
 */
export function fitText(ctx: TextMeasurer, text: string, maxWidth: number): string {
  const graphemes: string[] = [];
  let cut = false;
  for (const { segment } of segmenter.segment(text)) {
    if (graphemes.length === MAX_LINE_GRAPHEMES) {
      cut = true;
      break;
    }
    graphemes.push(segment);
  }
  if (!cut && ctx.measureText(text).width <= maxWidth) return text;
  const shortened = (count: number): string => `${graphemes.slice(0, count).join('').trimEnd()}…`;
  const fits = (count: number): boolean => ctx.measureText(shortened(count)).width <= maxWidth;
  // lo always fits (0 stands for the bare ellipsis); grow by doubling, then bisect below hi.
  let lo = 0;
  let hi = 1;
  while (hi <= graphemes.length && fits(hi)) {
    lo = hi;
    hi *= 2;
  }
  hi = Math.min(hi - 1, graphemes.length);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '…' : shortened(lo);
}

function fontFor(weight: number, px: number, cjk: boolean): string {
  return `${weight} ${px}px ${FONT_FAMILY}${cjk ? `, ${CJK_FAMILY}` : ''}`;
}

function roundedRect(
  ctx: SKRSContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

interface TextStyle {
  readonly weight: number;
  readonly px: number;
  readonly colour: string;
  readonly align?: 'left' | 'right' | 'center';
}

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
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success)
    throw new FaceError({
      code: 'INVALID_OPTIONS',
      message: `Invalid render options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      cause: parsed.error,
    });
  registerFaceFonts();
  const layout = options.layout ?? 'square';
  const format = options.format ?? 'png';
  const stats = options.stats ?? null;
  const frame = options.frame ?? 'spotify';
  const width = layout === 'banner' ? 1500 : (options.size ?? 1024);
  const height = layout === 'banner' ? 500 : width;
  const allText =
    stats === null ? (options.watermark ?? '') : JSON.stringify(stats) + (options.watermark ?? '');
  const cjk = needsCjk(allText) && registerCjkFonts() > 0;

  try {
    const canvas = createCanvas(width, height);
    const ctx = canvas.getContext('2d');
    const style = options.style ?? 'notionists';
    const mapperOption = options.mapper === undefined ? {} : { mapper: options.mapper };
    ctx.fillStyle = options.background ?? faceBackground(face);
    ctx.fillRect(0, 0, width, height);
    const faceSize =
      layout === 'banner' ? 470 : stats === null ? width : Math.round((550 * width) / 1024);
    // The figure, drawn at (x, y) in a square of `faceSize` pixels, clipped to the frame.
    let drawRaw: (x: number, y: number) => void;
    const drawFigure = (x: number, y: number): void => {
      ctx.save();
      if (frame === 'spotify') {
        const inset = layout === 'banner' ? 10 : (12 * width) / 1024;
        const radius = layout === 'banner' ? 36 : (48 * width) / 1024;
        roundedRect(ctx, inset, inset, width - 2 * inset, height - 2 * inset, radius);
        ctx.clip();
      }
      drawRaw(x, y);
      ctx.restore();
    };
    if (style === 'line-art') {
      const shapes = faceShapes(face, mapperOption);
      drawRaw = (x, y) => drawShapes(ctx, shapes, x, y, faceSize);
    } else {
      // Beside a statistics card the figure's box widens (drawn before the card, which covers
      // it), so raised arms are not cut at the sides of the face square.
      // The zoomed figure spills (scale - 100)% of the box past its sides: exactly what is widened.
      const aspect = stats === null && layout === 'square' ? 1 : NOTIONISTS_FRAMING.scale / 100;
      const svg = toNotionistsSvg(face, {
        ...mapperOption,
        size: faceSize,
        background: false,
        aspect,
      });
      const image = await loadImage(Buffer.from(svg));
      const pad = ((aspect - 1) * faceSize) / 2;
      drawRaw = (x, y) => ctx.drawImage(image, x - pad, y, faceSize * aspect, faceSize);
    }

    const text = (
      value: string,
      x: number,
      y: number,
      maxWidth: number,
      style: TextStyle,
    ): void => {
      ctx.font = fontFor(style.weight, style.px, cjk);
      ctx.fillStyle = style.colour;
      ctx.textAlign = style.align ?? 'left';
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(fitText(ctx, value, maxWidth), x, y);
    };
    const pill = (
      label: string,
      x: number,
      y: number,
      px: number,
      maxWidth: number,
      alignRight: boolean,
    ): void => {
      ctx.font = fontFor(700, px, cjk);
      const shown = fitText(ctx, label, maxWidth - px * 1.4);
      const w = ctx.measureText(shown).width + px * 1.4;
      const h = px * 1.9;
      const left = alignRight ? x - w : x;
      roundedRect(ctx, left, y, w, h, h / 2);
      ctx.fillStyle = SPOTIFY_GREEN;
      ctx.fill();
      ctx.lineWidth = Math.max(3, px / 8);
      ctx.strokeStyle = INK;
      ctx.stroke();
      ctx.fillStyle = PAPER;
      ctx.textAlign = 'left';
      ctx.fillText(shown, left + px * 0.7, y + h * 0.68);
    };
    const card = (x: number, y: number, w: number, h: number, r: number): void => {
      roundedRect(ctx, x, y, w, h, r);
      ctx.fillStyle = PAPER;
      ctx.fill();
      ctx.lineWidth = Math.max(4, width / 220);
      ctx.strokeStyle = INK;
      ctx.stroke();
    };
    const statColumn = (x: number, y: number, w: number, s: FaceStats, scale: number): void => {
      text('TOP GENRE', x, y, w, { weight: 700, px: 22 * scale, colour: MUTED });
      text(s.topGenre ?? 'Unknown', x, y + 42 * scale, w, {
        weight: 600,
        px: 34 * scale,
        colour: INK,
      });
      text('HOURS LISTENED', x, y + 100 * scale, w, { weight: 700, px: 22 * scale, colour: MUTED });
      text(s.hours.toLocaleString('en-US'), x, y + 142 * scale, w, {
        weight: 600,
        px: 34 * scale,
        colour: INK,
      });
    };
    const listColumn = (x: number, y: number, w: number, s: FaceStats, scale: number): void => {
      text(s.listTitle.toUpperCase(), x, y, w, { weight: 700, px: 22 * scale, colour: MUTED });
      s.top.slice(0, 3).forEach((item, i) => {
        const ly = y + (42 + i * 44) * scale;
        text(`${i + 1}`, x, ly, 40 * scale, { weight: 700, px: 30 * scale, colour: SPOTIFY_GREEN });
        text(item, x + 34 * scale, ly, w - 34 * scale, {
          weight: 600,
          px: 30 * scale,
          colour: INK,
        });
      });
      if (s.top.length === 0)
        text('-', x, y + 42 * scale, w, { weight: 600, px: 30 * scale, colour: INK });
    };

    if (layout === 'square') {
      const k = width / 1024;
      if (stats === null) {
        drawFigure(0, 0);
      } else {
        drawFigure(237 * k, 40 * k);
        card(56 * k, 600 * k, 912 * k, 364 * k, 40 * k);
        text(stats.userName, 96 * k, 676 * k, 560 * k, { weight: 700, px: 52 * k, colour: INK });
        if (frame === 'spotify' && stats.period !== null)
          pill(stats.period, 928 * k, 632 * k, 24 * k, 260 * k, true);
        statColumn(96 * k, 742 * k, 380 * k, stats, k);
        listColumn(500 * k, 742 * k, 430 * k, stats, k);
        text(`Generated ${stats.generatedAt}`, 96 * k, 940 * k, 400 * k, {
          weight: 400,
          px: 20 * k,
          colour: MUTED,
        });
      }
      if (frame === 'spotify') {
        roundedRect(ctx, 12 * k, 12 * k, width - 24 * k, height - 24 * k, 48 * k);
        ctx.lineWidth = 14 * k;
        ctx.strokeStyle = SPOTIFY_GREEN;
        ctx.stroke();
      }
      if (options.watermark !== undefined)
        text(options.watermark, width - 48 * k, height - 34 * k, 300 * k, {
          weight: 600,
          px: 20 * k,
          colour: 'rgba(31,31,31,0.45)',
          align: 'right',
        });
    } else {
      if (stats === null) {
        drawNotes(ctx, width, height);
        drawFigure((width - 470) / 2, 30);
      } else {
        drawFigure(50, 30);
        card(560, 56, 884, 388, 36);
        text(stats.userName, 604, 134, 560, { weight: 700, px: 52, colour: INK });
        if (frame === 'spotify' && stats.period !== null)
          pill(stats.period, 1404, 88, 24, 260, true);
        statColumn(604, 206, 360, stats, 1);
        listColumn(980, 206, 430, stats, 1);
        text(`Generated ${stats.generatedAt}`, 604, 420, 400, {
          weight: 400,
          px: 20,
          colour: MUTED,
        });
      }
      if (frame === 'spotify') {
        roundedRect(ctx, 10, 10, width - 20, height - 20, 36);
        ctx.lineWidth = 12;
        ctx.strokeStyle = SPOTIFY_GREEN;
        ctx.stroke();
      }
      if (options.watermark !== undefined)
        text(options.watermark, width - 40, height - 28, 300, {
          weight: 600,
          px: 20,
          colour: 'rgba(31,31,31,0.45)',
          align: 'right',
        });
    }

    const data =
      format === 'png'
        ? await canvas.encode('png')
        : format === 'webp'
          ? await canvas.encode('webp', options.quality ?? 90)
          : await canvas.encode('avif', { quality: options.quality ?? 80, speed: 8 });
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

/** Line-art music notes scattered (at fixed places) on the bare banner. */
function drawNotes(ctx: SKRSContext2D, width: number, height: number): void {
  const spots: [number, number, number][] = [
    [150, 120, 1],
    [300, 330, 0.8],
    [230, 220, 0.6],
    [1230, 140, 0.9],
    [1360, 310, 1],
    [1130, 360, 0.7],
    [420, 90, 0.7],
    [1060, 90, 0.6],
  ];
  ctx.save();
  ctx.strokeStyle = INK;
  ctx.fillStyle = INK;
  ctx.globalAlpha = 0.22;
  ctx.lineCap = 'round';
  for (const [x, y, s] of spots) {
    const px = (x / 1500) * width;
    const py = (y / 500) * height;
    ctx.lineWidth = 6 * s;
    ctx.beginPath();
    ctx.ellipse(px, py, 16 * s, 12 * s, -0.4, 0, Math.PI * 2);
    ctx.fill();
    ctx.beginPath();
    ctx.moveTo(px + 14 * s, py - 4 * s);
    ctx.lineTo(px + 14 * s, py - 70 * s);
    ctx.quadraticCurveTo(px + 30 * s, py - 56 * s, px + 40 * s, py - 40 * s);
    ctx.stroke();
  }
  ctx.restore();
}
