import type { PartDrawContext, Shape } from '../shape.js';
import { line, solid } from './strokes.js';

const BROW_Y = 174;

/** Eyebrows for a meaning tag. */
export function drawBrows(tag: string, ctx: PartDrawContext): Shape[] {
  const { ink, variant } = ctx;
  const lift = ctx.tags.e === 'wide' ? -4 : 0;
  const y = BROW_Y + lift;
  const out: Shape[] = [];
  for (const [cx, dir] of [
    [170, 1],
    [230, -1],
  ] as const) {
    const inner = cx + 15 * dir;
    const outer = cx - 16 * dir;
    if (tag === 'soft') {
      out.push(line(`M${outer} ${y + 3} Q${cx} ${y - 9 - variant} ${inner} ${y + 1}`, ink, 5));
    } else if (tag === 'flat') {
      out.push(line(`M${outer} ${y} Q${cx} ${y - 2} ${inner} ${y + variant}`, ink, 5.5));
    } else if (tag === 'focused') {
      out.push(line(`M${outer} ${y - 3} Q${cx} ${y - 7} ${inner} ${y + 4 + variant}`, ink, 6.5));
    } else {
      const t = 7 + variant;
      out.push(
        solid(
          `M${outer - 2 * dir} ${y - 6} Q${cx} ${y - 9} ${inner + 2 * dir} ${y + 5} L${inner + 1 * dir} ${y + 5 + t} Q${cx} ${y + 1} ${outer - 2 * dir} ${y + 2} Z`,
          ink,
        ),
      );
    }
  }
  return out;
}
