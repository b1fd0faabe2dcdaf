import type { ParamKey } from './params.js';

/**
 * One option of a parameter in the parts catalogue: a meaning tag, what it means, the Notion
 * Faces indices that show it (one per variant) and the offline part that draws it.
 */
export interface PartOption {
  /** Meaning tag, unique within its parameter (`big-smile`). */
  readonly tag: string;
  /** What the option looks like and means, in one sentence. */
  readonly description: string;
  /** Notion Faces indices, one per variant; `vary()` moves between them. */
  readonly notion: readonly number[];
  /** Id of the line-art part that draws it (`mouth/big-smile`). */
  readonly render: string;
  /**
   * The DiceBear Notionists equivalent, one value per variant (the variant picks
   * `notionists[variant % length]`): component names of the Notionists part named in
   * {@link NOTIONISTS_PARTS} (`variant25`, `handPhone`), a CSS colour for skin, or empty for
   * "draw nothing" (no glasses, no accessory). `null` for plugin parts without one: the renderer
   * then draws the part's own line-art over the Notionists figure.
   */
  readonly notionists: readonly string[] | null;
}

/** Notionists parts (DiceBear option names) that show a parameter; `skin` recolours the face. */
export type NotionistsPartName =
  | 'skin'
  | 'eyes'
  | 'lips'
  | 'nose'
  | 'hair'
  | 'gesture'
  | 'glasses'
  | 'brows';

/**
 * Which Notionists part shows each parameter. Notionists has no accessories and no skin-colour
 * option: achievements are shown as gestures, and the skin tone recolours the face and hands.
 *
 * @example
 * ```ts
 * NOTIONISTS_PARTS.m; // 'lips'
 * ```
 */
export const NOTIONISTS_PARTS: Readonly<Record<ParamKey, NotionistsPartName>> = {
  s: 'skin',
  e: 'eyes',
  m: 'lips',
  n: 'nose',
  h: 'hair',
  a: 'gesture',
  y: 'glasses',
  b: 'brows',
};

/**
 * The Notionists outfit (`body` option) for each hair style, so each genre family dresses its
 * own way (shirt and tie for classical, a jacket with a lightning bolt for rock, a hoodie for
 * hip hop...).
 *
 * @example
 * ```ts
 * NOTIONISTS_BODY_BY_HAIR['neat-part']; // 'variant19' (shirt and tie)
 * ```
 */
export const NOTIONISTS_BODY_BY_HAIR: Readonly<Record<string, string>> = {
  crop: 'variant14',
  'neat-part': 'variant19',
  slick: 'variant13',
  wild: 'variant18',
  spiky: 'variant10',
  long: 'variant06',
  mohawk: 'variant08',
  curly: 'variant15',
  afro: 'variant22',
  locs: 'variant24',
  bob: 'variant21',
  bun: 'variant23',
};

/** The parts catalogue: every option of every parameter. */
export type PartsCatalogue = Readonly<Record<ParamKey, readonly PartOption[]>>;

const option = (
  param: string,
  tag: string,
  description: string,
  notion: readonly number[],
  notionists: readonly (string | number)[],
): PartOption => ({
  tag,
  description,
  notion,
  render: `${param}/${tag}`,
  notionists: notionists.map((v) =>
    typeof v === 'number' ? `variant${String(v).padStart(2, '0')}` : v,
  ),
});

const triple = (start: number): readonly number[] => [start, start + 1, start + 2];

/**
 * The built-in parts catalogue. Notion indices are this package's fixed choice of which Notion
 * option stands for each meaning. The offline renderer draws each tag with the DiceBear
 * Notionists part listed in `notionists` (default style) or with the package's own line-art
 * (`render`, style `line-art`).
 *
 * @example
 * ```ts
 * DEFAULT_CATALOGUE.m.map((o) => o.tag); // ['frown', 'neutral', 'soft-smile', 'smile', 'big-smile']
 * ```
 */
export const DEFAULT_CATALOGUE: PartsCatalogue = {
  s: [
    // A tone's number is its Notion index (tone-N is sN), the number a pin takes.
    option('skin', 'tone-0', 'Lightest skin tone.', [0], ['#fdeee4']),
    option('skin', 'tone-1', 'Light skin tone.', [1], ['#f7dcc6']),
    option('skin', 'tone-2', 'Light-medium skin tone.', [2], ['#ebc09c']),
    option('skin', 'tone-3', 'Medium skin tone.', [3], ['#cf9a6e']),
    option('skin', 'tone-4', 'Medium-deep skin tone.', [4], ['#a06a45']),
    option('skin', 'tone-5', 'Deepest skin tone.', [5], ['#6e4730']),
  ],
  e: [
    option('eyes', 'relaxed', 'Half-closed, relaxed eyes.', triple(0), [2, 1, 2]),
    option('eyes', 'calm', 'Small calm dot eyes.', triple(3), [3]),
    option('eyes', 'bright', 'Bright eyes with a highlight.', triple(6), [4]),
    option('eyes', 'wide', 'Wide-open round eyes.', triple(9), [5]),
  ],
  m: [
    option('mouth', 'frown', 'A small frown.', triple(0), [18, 19, 24]),
    option('mouth', 'neutral', 'A straight, neutral mouth.', triple(3), [4, 13, 20]),
    option('mouth', 'soft-smile', 'A gentle closed smile.', triple(6), [17, 22, 23]),
    option('mouth', 'smile', 'A clear smile.', triple(9), [3, 14, 30]),
    option('mouth', 'big-smile', 'A big open smile.', triple(12), [25, 26, 11]),
  ],
  n: [
    option('nose', 'straight', 'A straight, simple nose.', triple(0), [6, 16, 10]),
    option('nose', 'button', 'A small button nose.', triple(3), [3, 14, 17]),
    option('nose', 'curved', 'A curved, characterful nose.', triple(6), [1, 5, 18]),
    option('nose', 'unusual', 'An unusual, playful nose.', triple(9), [19, 15, 2]),
  ],
  h: [
    option('hair', 'crop', 'Short tidy crop.', triple(0), [49, 55, 15]),
    option('hair', 'neat-part', 'Neat hair with a side part.', triple(3), [6, 54, 18]),
    option('hair', 'slick', 'Slicked-back hair.', triple(6), [44, 27, 35]),
    option('hair', 'wild', 'Wild, messy hair.', triple(9), [1, 3, 17]),
    option('hair', 'spiky', 'Spiky hair.', triple(12), [50, 52, 53]),
    option('hair', 'long', 'Long flowing hair.', triple(15), [23, 41, 58]),
    option('hair', 'mohawk', 'A mohawk.', triple(18), [51, 26, 60]),
    option('hair', 'curly', 'Curly hair.', triple(21), [9, 22, 33]),
    option('hair', 'afro', 'A big round afro.', triple(24), [20, 40, 59]),
    option('hair', 'locs', 'Long locs.', triple(27), [28, 36, 37]),
    option('hair', 'bob', 'A bob with a fringe.', triple(30), [43, 4, 11]),
    option('hair', 'bun', 'A top bun.', triple(33), [29, 30, 48]),
  ],
  a: [
    option('accessories', 'none', 'No accessory.', [0], []),
    option(
      'accessories',
      'earbuds',
      'A phone held up in one hand; earbuds in the line-art style (100 hours listened).',
      [1],
      ['handPhone'],
    ),
    option(
      'accessories',
      'headphones',
      'Both hands raised in a wave; big headphones in the line-art style (1000 hours listened).',
      [2],
      ['waveLongArms'],
    ),
    option(
      'accessories',
      'headband',
      'A wave and an OK sign; a sweatband in the line-art style (a 4-hour listening marathon).',
      [3],
      ['waveOkLongArms'],
    ),
    option(
      'accessories',
      'flame-pin',
      'A raised index finger; a flame pin in the line-art style (a 30-day streak).',
      [4],
      ['pointLongArm'],
    ),
    option(
      'accessories',
      'note-pin',
      'A wave and a raised finger; a music-note pin in the line-art style (500 artists).',
      [5],
      ['wavePointLongArms'],
    ),
    option(
      'accessories',
      'star-clip',
      'A pointing hand; a star hair clip in the line-art style (an explorer of many genres).',
      [6],
      ['point'],
    ),
    option(
      'accessories',
      'heart-earring',
      'An OK sign held high; a heart earring in the line-art style (a loyal fan of one artist).',
      [7],
      ['okLongArm'],
    ),
    option(
      'accessories',
      'moon-earring',
      'An OK sign; a crescent-moon earring in the line-art style (a night owl).',
      [8],
      ['ok'],
    ),
    option(
      'accessories',
      'flower',
      'A raised, waving hand; a flower behind the ear in the line-art style (an early bird).',
      [9],
      ['waveLongArm'],
    ),
  ],
  y: [
    option('glasses', 'none', 'No glasses.', [0], []),
    option('glasses', 'round', 'Round wire glasses (acoustic listening).', triple(1), [11]),
    option('glasses', 'square', 'Square frames (instrumental listening).', triple(4), [8, 3, 6]),
    option(
      'glasses',
      'big-round',
      'Big round frames (acoustic and instrumental).',
      triple(7),
      [9, 10, 4],
    ),
  ],
  b: [
    option('eyebrows', 'soft', 'Soft, arched eyebrows.', triple(0), [1, 12, 11]),
    option('eyebrows', 'flat', 'Flat, relaxed eyebrows.', triple(3), [9, 10, 2]),
    option('eyebrows', 'focused', 'Slightly angled, focused eyebrows.', triple(6), [4, 5, 7]),
    option('eyebrows', 'intense', 'Thick, intense eyebrows.', triple(9), [3, 8, 13]),
  ],
};

/** Finds an option by tag, or undefined. */
export function findOption(
  catalogue: PartsCatalogue,
  key: ParamKey,
  tag: string,
): PartOption | undefined {
  return catalogue[key].find((o) => o.tag === tag);
}

/** Where a Notion index sits in the catalogue: the option and the variant, or null. */
export function lookupIndex(
  catalogue: PartsCatalogue,
  key: ParamKey,
  index: number,
): { option: PartOption; variant: number } | null {
  for (const o of catalogue[key]) {
    const variant = o.notion.indexOf(index);
    if (variant >= 0) return { option: o, variant };
  }
  return null;
}
