import type { Shape } from '../shape.js';

/** The default line width. */
export const W = 6;

/** A stroked path. */
export const line = (d: string, ink: string, width = W): Shape => ({ d, stroke: ink, width });
/** A filled and stroked path. */
export const filled = (d: string, fill: string, ink: string, width = W): Shape => ({
  d,
  fill,
  stroke: ink,
  width,
});
/** A filled path without outline. */
export const solid = (d: string, fill: string): Shape => ({ d, fill });
