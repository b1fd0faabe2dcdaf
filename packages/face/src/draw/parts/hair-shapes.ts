import { n, onEllipse } from '../geometry.js';
import type { PartDrawContext, Shape } from '../shape.js';
import { filled, line } from './strokes.js';

/** Hair in two layers: `back` (behind the head) and `front` (over the forehead). */
export interface HairLayers {
  /** Shapes drawn behind the head. */
  readonly back: Shape[];
  /** Shapes drawn over the forehead. */
  readonly front: Shape[];
}

function hairFill(ctx: PartDrawContext): { fill: string; highlight: boolean } {
  // variant 0: ink; 1: outlined paper hair with strands; 2: ink with highlights
  return { fill: ctx.variant === 1 ? ctx.paper : ctx.ink, highlight: ctx.variant === 2 };
}

export function hairShape(d: string, ctx: PartDrawContext): Shape {
  return filled(d, hairFill(ctx).fill, ctx.ink, 6);
}

/** Strands drawn on outlined hair (paper) in ink, or on ink hair (highlight) in paper. */
export function strands(ds: readonly string[], ctx: PartDrawContext): Shape[] {
  if (ctx.variant === 0) return [];
  const colour = ctx.variant === 1 ? ctx.ink : ctx.paper;
  return ds.map((d) => line(d, colour, ctx.variant === 1 ? 4 : 3.5));
}

export const CROP =
  'M124 198 C114 128 150 86 202 86 C256 86 288 126 276 198 C272 172 266 152 254 140 C226 152 178 150 150 138 C136 150 128 172 124 198 Z';

export function tufts(
  start: [number, number],
  outer: readonly (readonly [number, number, number])[],
  cx: number,
  cy: number,
): string {
  // outer: [deg, radius, tipOffsetDeg]; connects valleys via quadratic curves to tips
  let d = `M${n(start[0])} ${n(start[1])} `;
  for (let i = 0; i < outer.length; i++) {
    const [deg, r, off] = outer[i]!;
    const [tx, ty] = onEllipse(cx, cy, r, r, deg + off);
    const next = outer[i + 1];
    const valleyDeg = next === undefined ? deg + 10 : (deg + next[0]) / 2;
    const [vx, vy] = onEllipse(cx, cy, 98, 96, valleyDeg);
    d += `Q${n(tx)} ${n(ty)} ${n(vx)} ${n(vy)} `;
  }
  return d;
}
