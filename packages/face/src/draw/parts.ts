import {
  arcPoints,
  bumpsThrough,
  circle,
  ellipse,
  mirror,
  n,
  onEllipse,
  polygon,
  roundRect,
  scalePath,
} from './geometry.js';
import type { PartDrawContext, Shape } from './shape.js';

/**
 * Skin colours of tones 0..5 (lightest to deepest). A tone's number is its Notion index: `tone-2`
 * is `s2` in a face string and `{ pins: { s: 2 } }`.
 *
 * @example
 * ```ts
 * SKIN_TONES['tone-2']; // '#ebc09c'
 * ```
 */
export const SKIN_TONES: Readonly<Record<string, string>> = {
  'tone-0': '#fdeee4',
  'tone-1': '#f7dcc6',
  'tone-2': '#ebc09c',
  'tone-3': '#cf9a6e',
  'tone-4': '#a06a45',
  'tone-5': '#6e4730',
};

/**
 * Soft background colour for each hair style (so each genre family has its own colour).
 *
 * @example
 * ```ts
 * BACKGROUNDS.spiky; // '#d3e3ff'
 * ```
 */
export const BACKGROUNDS: Readonly<Record<string, string>> = {
  crop: '#ececec',
  'neat-part': '#e3efd6',
  slick: '#f3e6d0',
  wild: '#ffd9cc',
  spiky: '#d3e3ff',
  long: '#e4ddf6',
  mohawk: '#ffd6e6',
  curly: '#ffe2c4',
  afro: '#fff0b5',
  locs: '#d6f1e1',
  bob: '#fde0ee',
  bun: '#d9eff4',
};

const W = 6; // default line width

const line = (d: string, ink: string, width = W): Shape => ({ d, stroke: ink, width });
const filled = (d: string, fill: string, ink: string, width = W): Shape => ({
  d,
  fill,
  stroke: ink,
  width,
});
const solid = (d: string, fill: string): Shape => ({ d, fill });

// ---- head, ears, neck, body ---------------------------------------------------------------

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

// ---- eyes -----------------------------------------------------------------------------------

const EYE_Y = 202;
const EYES_X = [170, 230] as const;

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

// ---- eyebrows -------------------------------------------------------------------------------

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

// ---- nose -----------------------------------------------------------------------------------

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

// ---- mouth ----------------------------------------------------------------------------------

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

// ---- glasses --------------------------------------------------------------------------------

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

// ---- hair -----------------------------------------------------------------------------------

/** Hair in two layers: `back` (behind the head) and `front` (over the forehead). */
export interface HairLayers {
  /** Shapes drawn behind the head. */
  readonly back: Shape[];
  /** Shapes drawn over the forehead. */
  readonly front: Shape[];
}

function hairFill(ctx: PartDrawContext): { fill: string; highlight: boolean } {
  // variant 0: ink; 1: outlined paper hair with strands; 2: ink with highlights
  return { fill: ctx.variant === 1 ? ctx.paper : ctx.ink, highlight: ctx.variant === 2 };
}

function hairShape(d: string, ctx: PartDrawContext): Shape {
  return filled(d, hairFill(ctx).fill, ctx.ink, 6);
}

/** Strands drawn on outlined hair (paper) in ink, or on ink hair (highlight) in paper. */
function strands(ds: readonly string[], ctx: PartDrawContext): Shape[] {
  if (ctx.variant === 0) return [];
  const colour = ctx.variant === 1 ? ctx.ink : ctx.paper;
  return ds.map((d) => line(d, colour, ctx.variant === 1 ? 4 : 3.5));
}

const CROP =
  'M124 198 C114 128 150 86 202 86 C256 86 288 126 276 198 C272 172 266 152 254 140 C226 152 178 150 150 138 C136 150 128 172 124 198 Z';

function tufts(
  start: [number, number],
  outer: readonly (readonly [number, number, number])[],
  cx: number,
  cy: number,
): string {
  // outer: [deg, radius, tipOffsetDeg]; connects valleys via quadratic curves to tips
  let d = `M${n(start[0])} ${n(start[1])} `;
  for (let i = 0; i < outer.length; i++) {
    const [deg, r, off] = outer[i]!;
    const [tx, ty] = onEllipse(cx, cy, r, r, deg + off);
    const next = outer[i + 1];
    const valleyDeg = next === undefined ? deg + 10 : (deg + next[0]) / 2;
    const [vx, vy] = onEllipse(cx, cy, 98, 96, valleyDeg);
    d += `Q${n(tx)} ${n(ty)} ${n(vx)} ${n(vy)} `;
  }
  return d;
}

/** Hair for a meaning tag. */
export function drawHair(tag: string, ctx: PartDrawContext): HairLayers {
  const { ink } = ctx;
  switch (tag) {
    case 'neat-part': {
      const d =
        'M123 202 C110 122 156 80 208 82 C262 84 292 126 278 202 C276 176 268 154 256 142 C252 126 246 114 238 106 C212 134 168 150 134 160 C129 172 125 186 123 202 Z';
      return {
        back: [],
        front: [
          hairShape(d, ctx),
          ...strands(
            ['M232 112 C206 136 170 148 146 152', 'M246 122 C250 134 256 148 262 160'],
            ctx,
          ),
          line('M238 108 C240 103 240 99 239 95', ctx.variant === 1 ? ink : ctx.paper, 3),
        ],
      };
    }
    case 'slick': {
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
    case 'wild': {
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
    case 'spiky': {
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
    case 'long': {
      const back =
        'M116 196 C104 104 152 72 200 72 C248 72 296 104 284 196 C288 252 300 300 320 352 C284 368 252 356 234 330 L166 330 C148 356 116 368 80 352 C100 300 112 252 116 196 Z';
      const front =
        'M200 88 C160 88 130 114 126 164 C123 204 128 244 138 276 C142 236 146 196 158 166 C168 140 186 122 200 116 C214 122 232 140 242 166 C254 196 258 236 262 276 C272 244 277 204 274 164 C270 114 240 88 200 88 Z';
      return {
        back: [
          hairShape(back, ctx),
          ...strands(
            ['M100 330 C110 290 116 250 118 210', 'M300 330 C290 290 284 250 282 210'],
            ctx,
          ),
        ],
        front: [
          hairShape(front, ctx),
          ...strands(
            ['M150 150 C140 180 136 210 138 240', 'M250 150 C260 180 264 210 262 240'],
            ctx,
          ),
        ],
      };
    }
    case 'mohawk': {
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
    case 'curly':
    case 'afro': {
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
    case 'locs': {
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
    case 'bob': {
      const back =
        'M114 204 C100 110 150 70 200 70 C250 70 300 110 286 204 C288 240 292 266 298 286 C270 296 246 292 232 284 L168 284 C154 292 130 296 102 286 C108 266 112 240 114 204 Z';
      const front =
        'M126 192 C118 116 156 82 200 82 C244 82 282 116 274 192 C270 170 266 158 262 150 L138 150 C134 158 130 170 126 192 Z';
      return {
        back: [
          hairShape(back, ctx),
          ...strands(
            ['M116 240 C114 260 112 272 110 280', 'M284 240 C286 260 288 272 290 280'],
            ctx,
          ),
        ],
        front: [
          hairShape(front, ctx),
          ...strands(['M162 150 L166 116', 'M200 150 L200 110', 'M238 150 L234 116'], ctx),
        ],
      };
    }
    case 'bun': {
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
    default: {
      return {
        back: [],
        front: [
          hairShape(CROP, ctx),
          ...strands(
            ['M160 112 C182 100 214 98 240 108', 'M168 128 C190 118 216 118 236 126'],
            ctx,
          ),
        ],
      };
    }
  }
}

// ---- accessories ----------------------------------------------------------------------------

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

/** Accessories in two layers: `back` (behind the head, e.g. a headphone band) and `front`. */
export function drawAccessory(tag: string, ctx: PartDrawContext): HairLayers {
  const { ink, paper } = ctx;
  switch (tag) {
    case 'earbuds':
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
    case 'headphones':
      return {
        back: [],
        front: [
          line('M110 196 C100 60 300 60 290 196', ink, 16),
          line('M110 196 C100 60 300 60 290 196', ACCENT.blue, 6),
          filled(roundRect(94, 168, 32, 64, 14), ACCENT.blue, ink, 5),
          filled(roundRect(274, 168, 32, 64, 14), ACCENT.blue, ink, 5),
        ],
      };
    case 'headband':
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
    case 'flame-pin':
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
            scalePath(
              'M258 366 C252 370 254 378 260 380 C266 380 268 372 262 364 Z',
              258,
              366,
              1.4,
            ),
            ACCENT.yellow,
            ink,
            3.5,
          ),
        ],
      };
    case 'note-pin':
      return {
        back: [],
        front: [
          filled(circle(258, 366, 23), ACCENT.yellow, ink, 4.5),
          solid(ellipse(252, 376, 7.5, 6), ink),
          line('M258.5 376 L258.5 350 Q268 355 270 364', ink, 4.5),
        ],
      };
    case 'star-clip':
      return { back: [], front: [filled(star(248, 116, 24), ACCENT.yellow, ink, 4.5)] };
    case 'heart-earring':
      return {
        back: [],
        front: [
          line('M114 226 L114 242', ink, 3.5),
          filled(heart(114, 254, 12), ACCENT.pink, ink, 4),
        ],
      };
    case 'moon-earring':
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
    case 'flower': {
      const petals: Shape[] = [];
      for (let i = 0; i < 5; i++) {
        const [px, py] = onEllipse(282, 166, 14, 14, -90 + i * 72);
        petals.push(filled(circle(px, py, 11), ACCENT.pink, ink, 4));
      }
      return { back: [], front: [...petals, filled(circle(282, 166, 8), ACCENT.yellow, ink, 3.5)] };
    }
    default:
      return { back: [], front: [] };
  }
}
