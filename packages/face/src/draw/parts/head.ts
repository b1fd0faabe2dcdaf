import { mirror } from '../geometry.js';
import type { PartDrawContext, Shape } from '../shape.js';
import { filled, line } from './strokes.js';

const HEAD =
  'M200 102 C252 102 274 142 273 194 C272 250 240 298 200 300 C160 298 128 250 127 194 C126 142 148 102 200 102 Z';
const EAR_LEFT = 'M134 188 C114 174 100 196 108 214 C114 230 130 234 140 224 Z';
const EAR_INNER_LEFT = 'M126 200 C118 196 114 206 120 214';
const NECK = 'M178 262 L178 356 L222 356 L222 262 Z';
const BODY = 'M86 404 C90 360 128 336 178 326 Q200 346 222 326 C272 336 310 360 314 404 Z';
const COLLAR = 'M186 338 Q200 348 214 338';

/** Neck and shirt, drawn behind the head. */
export function drawBody(ctx: PartDrawContext, shirt: string): Shape[] {
  return [
    filled(NECK, ctx.skin, ctx.ink),
    filled(BODY, shirt, ctx.ink),
    { d: COLLAR, stroke: ctx.ink, width: 3, opacity: 0.35 },
  ];
}

/** Ears and head. */
export function drawHead(ctx: PartDrawContext): Shape[] {
  return [
    filled(EAR_LEFT, ctx.skin, ctx.ink),
    filled(mirror(EAR_LEFT), ctx.skin, ctx.ink),
    line(EAR_INNER_LEFT, ctx.ink, 4),
    line(mirror(EAR_INNER_LEFT), ctx.ink, 4),
    filled(HEAD, ctx.skin, ctx.ink),
  ];
}
