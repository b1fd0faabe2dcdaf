import { circle, roundRect } from '../geometry.js';
import type { PartDrawContext, Shape } from '../shape.js';
import { EYES_X, EYE_Y } from './eyes.js';
import { line } from './strokes.js';

/** Glasses for a meaning tag (nothing for `none`). */
export function drawGlasses(tag: string, ctx: PartDrawContext): Shape[] {
  const { ink, variant } = ctx;
  if (tag === 'none') return [];
  const lens = variant === 1 ? '#cfe8ff' : undefined;
  const out: Shape[] = [];
  const lensShape = (d: string, width: number): Shape => {
    if (lens !== undefined) out.push({ d, fill: lens, opacity: 0.45 });
    return line(d, ink, width);
  };
  if (tag === 'square') {
    for (const cx of EYES_X)
      out.push(lensShape(roundRect(cx - 25, EYE_Y - 18, 50, 36, 8 + variant * 2), 6));
    out.push(line(`M195 ${EYE_Y - 4} Q200 ${EYE_Y - 8} 205 ${EYE_Y - 4}`, ink, 5));
    out.push(line(`M145 ${EYE_Y - 8} L128 ${EYE_Y - 14}`, ink, 5));
    out.push(line(`M255 ${EYE_Y - 8} L272 ${EYE_Y - 14}`, ink, 5));
  } else {
    const r = tag === 'big-round' ? 28 : 21;
    const width = tag === 'big-round' ? 7 : 4.5;
    for (const cx of EYES_X) out.push(lensShape(circle(cx, EYE_Y, r), width));
    const gap = 30 - r;
    out.push(
      line(`M${200 - gap} ${EYE_Y - 3} Q200 ${EYE_Y - 9} ${200 + gap} ${EYE_Y - 3}`, ink, width),
    );
    out.push(line(`M${170 - r} ${EYE_Y - 4} L128 ${EYE_Y - 12}`, ink, width));
    out.push(line(`M${230 + r} ${EYE_Y - 4} L272 ${EYE_Y - 12}`, ink, width));
  }
  return out;
}
