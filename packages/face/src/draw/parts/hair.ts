import { arcPoints, bumpsThrough, circle, n, onEllipse, polygon } from '../geometry.js';
import type { PartDrawContext, Shape } from '../shape.js';
import { type HairLayers, hairShape, strands, CROP, tufts } from './hair-shapes.js';
import { line } from './strokes.js';

/** Hair `neat-part`. */
function hairNeatPart(ctx: PartDrawContext): HairLayers {
  const { ink } = ctx;
  const d =
    'M123 202 C110 122 156 80 208 82 C262 84 292 126 278 202 C276 176 268 154 256 142 C252 126 246 114 238 106 C212 134 168 150 134 160 C129 172 125 186 123 202 Z';
  return {
    back: [],
    front: [
      hairShape(d, ctx),
      ...strands(['M232 112 C206 136 170 148 146 152', 'M246 122 C250 134 256 148 262 160'], ctx),
      line('M238 108 C240 103 240 99 239 95', ctx.variant === 1 ? ink : ctx.paper, 3),
    ],
  };
}

/** Hair `slick`. */
function hairSlick(ctx: PartDrawContext): HairLayers {
  const d =
    'M125 190 C114 124 136 76 180 64 C196 58 214 58 232 66 C272 82 290 128 275 190 C268 150 250 124 224 118 C198 112 168 116 150 128 C136 140 129 162 125 190 Z';
  return {
    back: [],
    front: [
      hairShape(d, ctx),
      ...strands(
        [
          'M156 104 C176 84 212 78 246 92',
          'M148 120 C172 100 214 94 256 110',
          'M170 82 C186 72 206 70 224 74',
        ],
        ctx,
      ),
    ],
  };
}

/** Hair `wild`. */
function hairWild(ctx: PartDrawContext): HairLayers {
  const outer: [number, number, number][] = [
    [172, 128, -6],
    [192, 140, -4],
    [210, 132, 4],
    [228, 146, -3],
    [246, 136, 5],
    [264, 150, -2],
    [282, 138, 4],
    [300, 148, -5],
    [318, 134, 3],
    [336, 144, 6],
    [354, 126, 8],
  ];
  let d = tufts([126, 208], outer, 200, 176);
  d +=
    'L276 210 C272 180 266 160 256 150 L248 168 L236 142 L222 164 L210 138 L196 164 L184 140 L170 162 L160 140 L150 160 C138 170 130 188 126 208 Z';
  return {
    back: [],
    front: [
      hairShape(d, ctx),
      ...strands(
        [
          'M170 110 C182 100 196 98 208 104',
          'M226 100 C240 98 252 106 258 116',
          'M148 130 C156 118 166 112 176 112',
        ],
        ctx,
      ),
    ],
  };
}

/** Hair `spiky`. */
function hairSpiky(ctx: PartDrawContext): HairLayers {
  const pts: [number, number][] = [
    [124, 206],
    [122, 170],
  ];
  const spikes = 7;
  for (let i = 0; i <= spikes; i++) {
    const deg = 200 + (140 * i) / spikes;
    pts.push(onEllipse(200, 176, 100, 94, deg - 9));
    if (i < spikes) pts.push(onEllipse(200, 176, 136, 130, deg + 8));
  }
  pts.push([278, 170]);
  pts.push(
    [276, 206],
    [268, 168],
    [252, 146],
    [240, 162],
    [226, 142],
    [212, 162],
    [198, 142],
    [184, 162],
    [170, 142],
    [156, 160],
    [146, 150],
    [132, 168],
  );
  return {
    back: [],
    front: [
      { ...hairShape(polygon(pts), ctx) },
      ...strands(['M180 120 L192 92', 'M214 120 L226 90', 'M152 136 L150 112'], ctx),
    ],
  };
}

/** Hair `long`. */
function hairLong(ctx: PartDrawContext): HairLayers {
  const back =
    'M116 196 C104 104 152 72 200 72 C248 72 296 104 284 196 C288 252 300 300 320 352 C284 368 252 356 234 330 L166 330 C148 356 116 368 80 352 C100 300 112 252 116 196 Z';
  const front =
    'M200 88 C160 88 130 114 126 164 C123 204 128 244 138 276 C142 236 146 196 158 166 C168 140 186 122 200 116 C214 122 232 140 242 166 C254 196 258 236 262 276 C272 244 277 204 274 164 C270 114 240 88 200 88 Z';
  return {
    back: [
      hairShape(back, ctx),
      ...strands(['M100 330 C110 290 116 250 118 210', 'M300 330 C290 290 284 250 282 210'], ctx),
    ],
    front: [
      hairShape(front, ctx),
      ...strands(['M150 150 C140 180 136 210 138 240', 'M250 150 C260 180 264 210 262 240'], ctx),
    ],
  };
}

/** Hair `mohawk`. */
function hairMohawk(ctx: PartDrawContext): HairLayers {
  const { ink } = ctx;
  const crest =
    'M178 136 L166 74 L184 96 L186 46 L202 84 L214 42 L220 88 L238 66 L226 136 Q202 126 178 136 Z';
  return {
    back: [],
    front: [
      {
        d: 'M134 176 C130 132 158 106 200 106 C242 106 270 132 266 176 C246 156 154 156 134 176 Z',
        fill: ink,
        opacity: 0.14,
      },
      hairShape(crest, ctx),
      ...strands(['M192 126 L190 84', 'M210 126 L214 80'], ctx),
    ],
  };
}

/** Hair `curly / afro`. */
function hairCurlyAfro(ctx: PartDrawContext, tag: string): HairLayers {
  const big = tag === 'afro';
  const rx = big ? 138 : 108;
  const ry = big ? 118 : 92;
  const cy = big ? 164 : 170;
  const outline = arcPoints(200, cy, rx, ry, 150, 390, big ? 16 : 14);
  const back = big
    ? `M${n(outline[0]![0])} ${n(outline[0]![1])} ${bumpsThrough(outline)} ${bumpsThrough([outline[outline.length - 1]!, [286, 246], [250, 268], [150, 268], [114, 246], outline[0]!])}Z`
    : '';
  const top = arcPoints(
    200,
    cy - 4,
    rx - (big ? 22 : 6),
    ry - (big ? 24 : 10),
    166,
    374,
    big ? 12 : 11,
  );
  const fringe: [number, number][] = [
    top[top.length - 1]!,
    [262, 150],
    [240, 138],
    [218, 146],
    [198, 136],
    [178, 146],
    [158, 138],
    [138, 152],
    top[0]!,
  ];
  const front = `M${n(top[0]![0])} ${n(top[0]![1])} ${bumpsThrough(top)}${bumpsThrough(fringe, 0.6)}Z`;
  const curls = [
    'M170 112 q8 -8 16 0 q-8 8 -16 0',
    'M214 104 q8 -8 16 0',
    'M240 124 q8 -8 16 0',
    'M146 130 q8 -8 16 0',
  ];
  return {
    back: big ? [hairShape(back, ctx)] : [],
    front: [hairShape(front, ctx), ...strands(curls, ctx)],
  };
}

/** Hair `locs`. */
function hairLocs(ctx: PartDrawContext): HairLayers {
  const { ink } = ctx;
  const cap =
    'M124 196 C114 124 152 84 202 84 C254 84 288 124 276 196 C272 168 262 148 246 138 C222 146 178 146 154 138 C138 148 128 168 124 196 Z';
  const locX = [112, 132, 268, 288];
  const back: Shape[] = [];
  for (const [i, x] of locX.entries()) {
    const len = 300 + (i % 2) * 26;
    const dx = x < 200 ? -6 : 6;
    const d = `M${x} 150 C${x + dx} 210 ${x - dx} 260 ${x + dx / 2} ${len}`;
    back.push(line(d, ink, 22));
    if (ctx.variant === 1) back.push(line(d, ctx.paper, 11));
    if (ctx.variant === 2) back.push(line(`M${x} 170 L${x + dx / 3} 220`, ctx.paper, 3));
  }
  const front: Shape[] = [hairShape(cap, ctx)];
  for (const x of [146, 254]) {
    const d = `M${x} 150 C${x + (x < 200 ? -8 : 8)} 190 ${x} 220 ${x + (x < 200 ? -4 : 4)} 250`;
    front.push(line(d, ink, 18));
    if (ctx.variant === 1) front.push(line(d, ctx.paper, 8));
  }
  front.push(
    ...strands(['M170 108 C186 100 214 100 232 108', 'M160 124 C186 114 216 114 242 124'], ctx),
  );
  return { back, front };
}

/** Hair `bob`. */
function hairBob(ctx: PartDrawContext): HairLayers {
  const back =
    'M114 204 C100 110 150 70 200 70 C250 70 300 110 286 204 C288 240 292 266 298 286 C270 296 246 292 232 284 L168 284 C154 292 130 296 102 286 C108 266 112 240 114 204 Z';
  const front =
    'M126 192 C118 116 156 82 200 82 C244 82 282 116 274 192 C270 170 266 158 262 150 L138 150 C134 158 130 170 126 192 Z';
  return {
    back: [
      hairShape(back, ctx),
      ...strands(['M116 240 C114 260 112 272 110 280', 'M284 240 C286 260 288 272 290 280'], ctx),
    ],
    front: [
      hairShape(front, ctx),
      ...strands(['M162 150 L166 116', 'M200 150 L200 110', 'M238 150 L234 116'], ctx),
    ],
  };
}

/** Hair `bun`. */
function hairBun(ctx: PartDrawContext): HairLayers {
  const { ink } = ctx;
  const cap =
    'M126 188 C118 118 158 84 202 84 C248 84 284 118 274 188 C268 156 254 136 232 130 C208 124 180 126 160 134 C142 144 132 162 126 188 Z';
  return {
    back: [hairShape(circle(200, 74, 32), ctx), ...strands(['M184 64 Q200 52 216 64'], ctx)],
    front: [
      hairShape(cap, ctx),
      line('M180 92 Q200 100 220 92', ctx.variant === 1 ? ink : ctx.paper, 4),
      ...strands(['M160 118 C180 104 214 102 240 112'], ctx),
    ],
  };
}

/** Hair `default`. */
function hairDefault(ctx: PartDrawContext): HairLayers {
  return {
    back: [],
    front: [
      hairShape(CROP, ctx),
      ...strands(['M160 112 C182 100 214 98 240 108', 'M168 128 C190 118 216 118 236 126'], ctx),
    ],
  };
}

const HAIR_STYLES: ReadonlyMap<string, (ctx: PartDrawContext, tag: string) => HairLayers> = new Map(
  [
    ['neat-part', hairNeatPart],
    ['slick', hairSlick],
    ['wild', hairWild],
    ['spiky', hairSpiky],
    ['long', hairLong],
    ['mohawk', hairMohawk],
    ['curly', hairCurlyAfro],
    ['afro', hairCurlyAfro],
    ['locs', hairLocs],
    ['bob', hairBob],
    ['bun', hairBun],
  ],
);

/** Hair for a meaning tag (an unknown tag gets the crop). */
export function drawHair(tag: string, ctx: PartDrawContext): HairLayers {
  return (HAIR_STYLES.get(tag) ?? hairDefault)(ctx, tag);
}
