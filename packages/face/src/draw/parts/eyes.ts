import { circle, ellipse } from '../geometry.js';
import type { PartDrawContext, Shape } from '../shape.js';
import { filled, line, solid } from './strokes.js';

/** Height of the eyes' centres. */
export const EYE_Y = 202;
/** Horizontal centres of the eyes. */
export const EYES_X = [170, 230] as const;

/** Eyes for a meaning tag. */
export function drawEyes(tag: string, ctx: PartDrawContext): Shape[] {
  const { ink, paper, variant } = ctx;
  const out: Shape[] = [];
  for (const cx of EYES_X) {
    if (tag === 'wide') {
      const pupil = 6 + variant;
      out.push(filled(circle(cx, EYE_Y, 14), paper, ink, 5));
      out.push(solid(circle(cx + 1, EYE_Y + 1, pupil), ink));
      out.push(solid(circle(cx - 2, EYE_Y - 3, 2.4), paper));
    } else if (tag === 'bright') {
      out.push(solid(ellipse(cx, EYE_Y, 7 + variant * 0.6, 9.5 + variant * 0.6), ink));
      out.push(solid(circle(cx - 2.2, EYE_Y - 3.4, 2.6), paper));
    } else if (tag === 'calm') {
      out.push(solid(circle(cx, EYE_Y, 5.2 + variant * 0.6), ink));
      if (variant === 2)
        out.push(
          line(`M${cx - 10} ${EYE_Y - 12} Q${cx} ${EYE_Y - 16} ${cx + 10} ${EYE_Y - 12}`, ink, 3),
        );
    } else {
      // relaxed: a heavy lid over a half-open eye
      const w = 13 + variant;
      out.push(solid(`M${cx - 8} ${EYE_Y} A8 8 0 0 0 ${cx + 8} ${EYE_Y} Z`, ink));
      out.push(line(`M${cx - w} ${EYE_Y + 1} Q${cx} ${EYE_Y - 5} ${cx + w} ${EYE_Y + 1}`, ink, 5));
    }
  }
  return out;
}
