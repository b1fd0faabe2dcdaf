import { circle } from '../geometry.js';
import type { PartDrawContext, Shape } from '../shape.js';
import { filled, line } from './strokes.js';

/** Nose for a meaning tag. */
export function drawNose(tag: string, ctx: PartDrawContext): Shape[] {
  const { ink, variant, skin } = ctx;
  if (tag === 'straight')
    return [
      line(`M203 ${206 - variant * 2} C201 220 194 230 194 236 C194 242 203 243 211 239`, ink, 5),
    ];
  if (tag === 'button')
    return [
      line(
        `M${189 - variant} 231 C${190 - variant} 243 ${210 + variant} 243 ${211 + variant} 231`,
        ink,
        5,
      ),
    ];
  if (tag === 'curved')
    return [
      line(`M202 ${204 - variant * 2} C214 216 222 230 212 238 C206 243 197 241 193 235`, ink, 5),
    ];
  if (variant === 1) return [filled('M201 208 L216 239 L186 239 Z', skin, ink, 5)];
  if (variant === 2)
    return [line('M196 206 C188 222 180 236 196 240 C206 243 214 236 208 230', ink, 5)];
  return [filled(circle(200, 231, 13), skin, ink, 5), line('M194 236 Q197 238 200 236', ink, 3)];
}
