import type { SKRSContext2D } from '@napi-rs/canvas';
import { INK, PAPER } from '../draw/compose.js';
import { fitText } from './fit-text.js';
import { CJK_FAMILY, FONT_FAMILY } from './fonts.js';
import type { ColumnSlot, LayoutSpec, TextSlot } from './layouts.js';
import type { FaceStats } from './stats.js';

export const SPOTIFY_GREEN = '#1db954';
const MUTED = '#6b6b6b';
const WATERMARK = 'rgba(31,31,31,0.45)';

/** A canvas with what drawing a layout on it needs: the font choice and the layout's scale. */
export interface Paint {
  readonly ctx: SKRSContext2D;
  /** Add the CJK fallback family to every font. */
  readonly cjk: boolean;
  /** Canvas pixels per design pixel of the layout. */
  readonly scale: number;
  /** Canvas size in pixels. */
  readonly width: number;
  readonly height: number;
}

interface TextStyle {
  readonly weight: number;
  readonly px: number;
  readonly colour: string;
  readonly align?: 'left' | 'right' | 'center';
}

function fontFor(weight: number, px: number, cjk: boolean): string {
  return `${weight} ${px}px ${FONT_FAMILY}${cjk ? `, ${CJK_FAMILY}` : ''}`;
}

/** Starts a path with a rounded rectangle. */
export function roundedRect(
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

/** Writes one line, shortened with an ellipsis to fit `maxWidth` (canvas pixels). */
function text(
  p: Paint,
  value: string,
  x: number,
  y: number,
  maxWidth: number,
  style: TextStyle,
): void {
  const { ctx } = p;
  ctx.font = fontFor(style.weight, style.px, p.cjk);
  ctx.fillStyle = style.colour;
  ctx.textAlign = style.align ?? 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(fitText(ctx, value, maxWidth), x, y);
}

/** Writes a text slot of the layout (design pixels, scaled). */
function slotText(
  p: Paint,
  value: string,
  slot: TextSlot,
  weight: number,
  colour: string,
  align?: 'right',
): void {
  const k = p.scale;
  text(p, value, slot.x * k, slot.y * k, slot.maxWidth * k, {
    weight,
    px: slot.px * k,
    colour,
    ...(align === undefined ? {} : { align }),
  });
}

/** A green pill holding `label`, right-aligned at the slot's `x`. */
function pill(p: Paint, label: string, slot: TextSlot): void {
  const { ctx } = p;
  const k = p.scale;
  const px = slot.px * k;
  ctx.font = fontFor(700, px, p.cjk);
  const shown = fitText(ctx, label, slot.maxWidth * k - px * 1.4);
  const w = ctx.measureText(shown).width + px * 1.4;
  const h = px * 1.9;
  const left = slot.x * k - w;
  const y = slot.y * k;
  roundedRect(ctx, left, y, w, h, h / 2);
  ctx.fillStyle = SPOTIFY_GREEN;
  ctx.fill();
  ctx.lineWidth = Math.max(3, px / 8);
  ctx.strokeStyle = INK;
  ctx.stroke();
  ctx.fillStyle = PAPER;
  ctx.textAlign = 'left';
  ctx.fillText(shown, left + px * 0.7, y + h * 0.68);
}

/** Top genre and hours listened. */
function statColumn(p: Paint, slot: ColumnSlot, s: FaceStats): void {
  const scale = p.scale;
  const [x, y, w] = [slot.x * scale, slot.y * scale, slot.width * scale];
  text(p, 'TOP GENRE', x, y, w, { weight: 700, px: 22 * scale, colour: MUTED });
  text(p, s.topGenre ?? 'Unknown', x, y + 42 * scale, w, {
    weight: 600,
    px: 34 * scale,
    colour: INK,
  });
  text(p, 'HOURS LISTENED', x, y + 100 * scale, w, { weight: 700, px: 22 * scale, colour: MUTED });
  text(p, s.hours.toLocaleString('en-US'), x, y + 142 * scale, w, {
    weight: 600,
    px: 34 * scale,
    colour: INK,
  });
}

/** The list's title and its top three, numbered. */
function listColumn(p: Paint, slot: ColumnSlot, s: FaceStats): void {
  const scale = p.scale;
  const [x, y, w] = [slot.x * scale, slot.y * scale, slot.width * scale];
  text(p, s.listTitle.toUpperCase(), x, y, w, { weight: 700, px: 22 * scale, colour: MUTED });
  s.top.slice(0, 3).forEach((item, i) => {
    const ly = y + (42 + i * 44) * scale;
    text(p, `${i + 1}`, x, ly, 40 * scale, { weight: 700, px: 30 * scale, colour: SPOTIFY_GREEN });
    text(p, item, x + 34 * scale, ly, w - 34 * scale, {
      weight: 600,
      px: 30 * scale,
      colour: INK,
    });
  });
  if (s.top.length === 0)
    text(p, '-', x, y + 42 * scale, w, { weight: 600, px: 30 * scale, colour: INK });
}

/** The statistics card of a layout: box, name, period pill (framed only), columns, date. */
export function drawCard(p: Paint, layout: LayoutSpec, stats: FaceStats, framed: boolean): void {
  const { ctx } = p;
  const k = p.scale;
  const { box } = layout.card;
  roundedRect(ctx, box.x * k, box.y * k, box.width * k, box.height * k, box.radius * k);
  ctx.fillStyle = PAPER;
  ctx.fill();
  ctx.lineWidth = Math.max(4, p.width / 220);
  ctx.strokeStyle = INK;
  ctx.stroke();
  slotText(p, stats.userName, layout.card.name, 700, INK);
  if (framed && stats.period !== null) pill(p, stats.period, layout.card.period);
  statColumn(p, layout.card.stats, stats);
  listColumn(p, layout.card.list, stats);
  slotText(p, `Generated ${stats.generatedAt}`, layout.card.generated, 400, MUTED);
}

/** The layout's rounded frame path, inset from the canvas edges. */
export function framePath(p: Paint, layout: LayoutSpec): void {
  const { ctx } = p;
  const k = p.scale;
  const { width, height } = p;
  const inset = layout.frame.inset * k;
  roundedRect(ctx, inset, inset, width - 2 * inset, height - 2 * inset, layout.frame.radius * k);
}

/** Strokes the green Spotify frame. */
export function drawFrame(p: Paint, layout: LayoutSpec): void {
  framePath(p, layout);
  p.ctx.lineWidth = layout.frame.line * p.scale;
  p.ctx.strokeStyle = SPOTIFY_GREEN;
  p.ctx.stroke();
}

/** The watermark in the bottom-right corner. */
export function drawWatermark(p: Paint, layout: LayoutSpec, value: string): void {
  const k = p.scale;
  const { width, height } = p;
  const w = layout.watermark;
  text(p, value, width - w.right * k, height - w.bottom * k, w.maxWidth * k, {
    weight: 600,
    px: w.px * k,
    colour: WATERMARK,
    align: 'right',
  });
}

/** Line-art music notes scattered (at fixed places) on a bare banner. */
export function drawNotes(ctx: SKRSContext2D, width: number, height: number): void {
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
