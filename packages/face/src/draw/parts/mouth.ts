import type { PartDrawContext, Shape } from '../shape.js';
import { filled, line } from './strokes.js';

/** Mouth for a meaning tag. */
export function drawMouth(tag: string, ctx: PartDrawContext): Shape[] {
  const { ink, paper, variant } = ctx;
  const w = 22 + variant * 2;
  if (tag === 'big-smile')
    return [
      filled(
        `M${200 - w - 2} 256 C${200 - w / 2} 261 ${200 + w / 2} 261 ${200 + w + 2} 256 C${200 + w} 282 ${212} 291 200 291 C188 291 ${200 - w} 282 ${200 - w - 2} 256 Z`,
        paper,
        ink,
        5.5,
      ),
      line(`M${200 - w + 3} 265 Q200 270 ${200 + w - 3} 265`, ink, 3.5),
    ];
  if (tag === 'smile')
    return [line(`M${200 - w} 258 Q200 ${280 + variant} ${200 + w} 258`, ink, 6)];
  if (tag === 'soft-smile')
    return [line(`M${200 - w + 8} 263 Q200 ${273 + variant} ${200 + w - 8} 263`, ink, 6)];
  if (tag === 'neutral')
    return [line(`M${200 - w + 8} 267 Q200 ${268 + variant * 0.5} ${200 + w - 8} 266`, ink, 6)];
  return [line(`M${200 - w + 6} 274 Q200 ${259 - variant} ${200 + w - 6} 274`, ink, 6)];
}
