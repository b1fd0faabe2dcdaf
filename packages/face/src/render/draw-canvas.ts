import { Path2D, type SKRSContext2D } from '@napi-rs/canvas';
import type { Shape } from '../draw/shape.js';

const cache = new Map<string, Path2D>();

function pathOf(d: string): Path2D {
  let p = cache.get(d);
  if (p === undefined) {
    p = new Path2D(d);
    if (cache.size > 4000) cache.clear();
    cache.set(d, p);
  }
  return p;
}

/** Draws shapes of the 400x400 face box at (x, y), scaled to `size` pixels. */
export function drawShapes(
  ctx: SKRSContext2D,
  shapes: readonly Shape[],
  x: number,
  y: number,
  size: number,
): void {
  ctx.save();
  ctx.translate(x, y);
  ctx.scale(size / 400, size / 400);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of shapes) {
    const path = pathOf(s.d);
    ctx.globalAlpha = s.opacity ?? 1;
    if (s.fill !== undefined) {
      ctx.fillStyle = s.fill;
      ctx.fill(path);
    }
    if (s.stroke !== undefined) {
      ctx.strokeStyle = s.stroke;
      ctx.lineWidth = s.width ?? 6;
      ctx.stroke(path);
    }
  }
  ctx.restore();
}
