import { circle, ellipse, onEllipse, polygon, roundRect, scalePath } from '../geometry.js';
import type { PartDrawContext, Shape } from '../shape.js';
import type { HairLayers } from './hair-shapes.js';
import { filled, line, solid } from './strokes.js';

const ACCENT = {
  red: '#ef6b5b',
  orange: '#ffb347',
  yellow: '#ffd84d',
  pink: '#ff8fb1',
  blue: '#7fb8ff',
};

function star(cx: number, cy: number, r: number): string {
  const pts: [number, number][] = [];
  for (let i = 0; i < 10; i++)
    pts.push(
      onEllipse(cx, cy, i % 2 === 0 ? r : r * 0.45, i % 2 === 0 ? r : r * 0.45, -90 + i * 36),
    );
  return polygon(pts);
}

function heart(cx: number, cy: number, s: number): string {
  return `M${cx} ${cy + s} C${cx - s * 1.6} ${cy} ${cx - s} ${cy - s * 1.1} ${cx} ${cy - s * 0.4} C${cx + s} ${cy - s * 1.1} ${cx + s * 1.6} ${cy} ${cx} ${cy + s} Z`;
}

/** Accessory `earbuds`. */
function accessoryEarbuds(ctx: PartDrawContext): HairLayers {
  const { ink, paper } = ctx;
  return {
    back: [],
    front: [
      line('M114 214 L117 250', ink, 9),
      line('M114 214 L117 250', paper, 3.5),
      filled(circle(114, 206, 11), paper, ink, 4.5),
      line('M286 214 L283 250', ink, 9),
      line('M286 214 L283 250', paper, 3.5),
      filled(circle(286, 206, 11), paper, ink, 4.5),
    ],
  };
}

/** Accessory `headphones`. */
function accessoryHeadphones(ctx: PartDrawContext): HairLayers {
  const { ink } = ctx;
  return {
    back: [],
    front: [
      line('M110 196 C100 60 300 60 290 196', ink, 16),
      line('M110 196 C100 60 300 60 290 196', ACCENT.blue, 6),
      filled(roundRect(94, 168, 32, 64, 14), ACCENT.blue, ink, 5),
      filled(roundRect(274, 168, 32, 64, 14), ACCENT.blue, ink, 5),
    ],
  };
}

/** Accessory `headband`. */
function accessoryHeadband(ctx: PartDrawContext): HairLayers {
  const { ink, paper } = ctx;
  return {
    back: [],
    front: [
      filled(
        'M124 146 C168 126 232 126 276 146 L278 168 C232 148 168 148 122 168 Z',
        ACCENT.red,
        ink,
        5,
      ),
      line('M126 157 C170 140 230 140 276 157', paper, 3),
    ],
  };
}

/** Accessory `flame-pin`. */
function accessoryFlamePin(ctx: PartDrawContext): HairLayers {
  const { ink } = ctx;
  return {
    back: [],
    front: [
      filled(
        scalePath(
          'M256 352 C240 352 236 370 246 380 C254 388 270 386 274 374 C278 362 270 350 264 340 C262 350 258 352 256 352 Z',
          258,
          366,
          1.4,
        ),
        ACCENT.orange,
        ink,
        4.5,
      ),
      filled(
        scalePath('M258 366 C252 370 254 378 260 380 C266 380 268 372 262 364 Z', 258, 366, 1.4),
        ACCENT.yellow,
        ink,
        3.5,
      ),
    ],
  };
}

/** Accessory `note-pin`. */
function accessoryNotePin(ctx: PartDrawContext): HairLayers {
  const { ink } = ctx;
  return {
    back: [],
    front: [
      filled(circle(258, 366, 23), ACCENT.yellow, ink, 4.5),
      solid(ellipse(252, 376, 7.5, 6), ink),
      line('M258.5 376 L258.5 350 Q268 355 270 364', ink, 4.5),
    ],
  };
}

/** Accessory `star-clip`. */
function accessoryStarClip(ctx: PartDrawContext): HairLayers {
  const { ink } = ctx;
  return { back: [], front: [filled(star(248, 116, 24), ACCENT.yellow, ink, 4.5)] };
}

/** Accessory `heart-earring`. */
function accessoryHeartEarring(ctx: PartDrawContext): HairLayers {
  const { ink } = ctx;
  return {
    back: [],
    front: [line('M114 226 L114 242', ink, 3.5), filled(heart(114, 254, 12), ACCENT.pink, ink, 4)],
  };
}

/** Accessory `moon-earring`. */
function accessoryMoonEarring(ctx: PartDrawContext): HairLayers {
  const { ink } = ctx;
  return {
    back: [],
    front: [
      line('M114 226 L114 240', ink, 3.5),
      filled(
        'M120 240 C100 238 94 266 112 274 C120 277 128 274 132 268 C118 270 108 256 120 240 Z',
        ACCENT.yellow,
        ink,
        4,
      ),
    ],
  };
}

/** Accessory `flower`. */
function accessoryFlower(ctx: PartDrawContext): HairLayers {
  const { ink } = ctx;
  const petals: Shape[] = [];
  for (let i = 0; i < 5; i++) {
    const [px, py] = onEllipse(282, 166, 14, 14, -90 + i * 72);
    petals.push(filled(circle(px, py, 11), ACCENT.pink, ink, 4));
  }
  return { back: [], front: [...petals, filled(circle(282, 166, 8), ACCENT.yellow, ink, 3.5)] };
}

/** Accessory `default`. */
function accessoryDefault(): HairLayers {
  return { back: [], front: [] };
}

const ACCESSORIES: ReadonlyMap<string, (ctx: PartDrawContext, tag: string) => HairLayers> = new Map(
  [
    ['earbuds', accessoryEarbuds],
    ['headphones', accessoryHeadphones],
    ['headband', accessoryHeadband],
    ['flame-pin', accessoryFlamePin],
    ['note-pin', accessoryNotePin],
    ['star-clip', accessoryStarClip],
    ['heart-earring', accessoryHeartEarring],
    ['moon-earring', accessoryMoonEarring],
    ['flower', accessoryFlower],
  ],
);

/** Accessory for a meaning tag (none for an unknown tag). */
export function drawAccessory(tag: string, ctx: PartDrawContext): HairLayers {
  return (ACCESSORIES.get(tag) ?? accessoryDefault)(ctx, tag);
}
