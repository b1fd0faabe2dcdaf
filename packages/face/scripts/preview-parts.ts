// Renders every option of one parameter in all its variants to test-output/preview/parts-<key>.png
// for a visual check: pnpm --filter @spoti/face preview:parts h
import { mkdirSync, writeFileSync } from 'node:fs';
import { createCanvas } from '@napi-rs/canvas';
import {
  DEFAULT_CATALOGUE,
  type ParamKey,
  faceBackground,
  faceShapes,
  mapFace,
} from '../src/index.js';
import { drawShapes } from '../src/render/draw-canvas.js';
import { PERSONAS, makeProfile } from '../test/fixtures/profiles.js';

mkdirSync('test-output/preview', { recursive: true });
const key = (process.argv[2] ?? 'h') as ParamKey;
const profile = makeProfile(PERSONAS['pop-fan']!);
const cells: { pins: Record<string, number>; label: string }[] = [];
for (const o of DEFAULT_CATALOGUE[key])
  for (const [v, idx] of o.notion.entries())
    cells.push({ pins: { [key]: idx, a: key === 'a' ? idx : 0, s: 2 }, label: `${o.tag} v${v}` });
const cell = 220;
const cols = key === 'h' ? 6 : 6;
const rows = Math.ceil(cells.length / cols);
const canvas = createCanvas(cell * cols, cell * rows);
const ctx = canvas.getContext('2d');
ctx.fillStyle = '#fff';
ctx.fillRect(0, 0, canvas.width, canvas.height);
cells.forEach((c, i) => {
  const face = mapFace(profile, { pins: c.pins });
  const x = (i % cols) * cell;
  const y = Math.floor(i / cols) * cell;
  ctx.fillStyle = faceBackground(face);
  ctx.fillRect(x + 2, y + 2, cell - 4, cell - 4);
  drawShapes(ctx, faceShapes(face), x + 10, y, cell - 20);
  ctx.fillStyle = '#000';
  ctx.font = '13px sans-serif';
  ctx.fillText(c.label, x + 8, y + cell - 8);
});
writeFileSync(`test-output/preview/parts-${key}.png`, canvas.toBuffer('image/png'));
console.log('ok');
