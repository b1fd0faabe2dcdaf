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
  /** Id of the offline render part (`mouth/big-smile`). */
  readonly render: string;
}

/** The parts catalogue: every option of every parameter. */
export type PartsCatalogue = Readonly<Record<ParamKey, readonly PartOption[]>>;

const option = (
  param: string,
  tag: string,
  description: string,
  notion: readonly number[],
): PartOption => ({ tag, description, notion, render: `${param}/${tag}` });

const triple = (start: number): readonly number[] => [start, start + 1, start + 2];

/**
 * The built-in parts catalogue. Notion indices are this package's fixed choice of which Notion
 * option stands for each meaning; the offline renderer draws its own line-art for every tag.
 *
 * @example
 * ```ts
 * DEFAULT_CATALOGUE.m.map((o) => o.tag); // ['frown', 'neutral', 'soft-smile', 'smile', 'big-smile']
 * ```
 */
export const DEFAULT_CATALOGUE: PartsCatalogue = {
  s: [
    option('skin', 'tone-1', 'Lightest skin tone.', [0]),
    option('skin', 'tone-2', 'Light skin tone.', [1]),
    option('skin', 'tone-3', 'Light-medium skin tone.', [2]),
    option('skin', 'tone-4', 'Medium skin tone.', [3]),
    option('skin', 'tone-5', 'Medium-deep skin tone.', [4]),
    option('skin', 'tone-6', 'Deepest skin tone.', [5]),
  ],
  e: [
    option('eyes', 'relaxed', 'Half-closed, relaxed eyes.', triple(0)),
    option('eyes', 'calm', 'Small calm dot eyes.', triple(3)),
    option('eyes', 'bright', 'Bright eyes with a highlight.', triple(6)),
    option('eyes', 'wide', 'Wide-open round eyes.', triple(9)),
  ],
  m: [
    option('mouth', 'frown', 'A small frown.', triple(0)),
    option('mouth', 'neutral', 'A straight, neutral mouth.', triple(3)),
    option('mouth', 'soft-smile', 'A gentle closed smile.', triple(6)),
    option('mouth', 'smile', 'A clear smile.', triple(9)),
    option('mouth', 'big-smile', 'A big open smile.', triple(12)),
  ],
  n: [
    option('nose', 'straight', 'A straight, simple nose.', triple(0)),
    option('nose', 'button', 'A small button nose.', triple(3)),
    option('nose', 'curved', 'A curved, characterful nose.', triple(6)),
    option('nose', 'unusual', 'An unusual, playful nose.', triple(9)),
  ],
  h: [
    option('hair', 'crop', 'Short tidy crop.', triple(0)),
    option('hair', 'neat-part', 'Neat hair with a side part.', triple(3)),
    option('hair', 'slick', 'Slicked-back hair.', triple(6)),
    option('hair', 'wild', 'Wild, messy hair.', triple(9)),
    option('hair', 'spiky', 'Spiky hair.', triple(12)),
    option('hair', 'long', 'Long flowing hair.', triple(15)),
    option('hair', 'mohawk', 'A mohawk.', triple(18)),
    option('hair', 'curly', 'Curly hair.', triple(21)),
    option('hair', 'afro', 'A big round afro.', triple(24)),
    option('hair', 'locs', 'Long locs.', triple(27)),
    option('hair', 'bob', 'A bob with a fringe.', triple(30)),
    option('hair', 'bun', 'A top bun.', triple(33)),
  ],
  a: [
    option('accessories', 'none', 'No accessory.', [0]),
    option('accessories', 'earbuds', 'Earbuds (100 hours listened).', [1]),
    option('accessories', 'headphones', 'Big headphones (1000 hours listened).', [2]),
    option('accessories', 'headband', 'A sweatband (a 4-hour listening marathon).', [3]),
    option('accessories', 'flame-pin', 'A flame pin (a 30-day streak).', [4]),
    option('accessories', 'note-pin', 'A music-note pin (500 artists).', [5]),
    option('accessories', 'star-clip', 'A star hair clip (an explorer of many genres).', [6]),
    option('accessories', 'heart-earring', 'A heart earring (a loyal fan of one artist).', [7]),
    option('accessories', 'moon-earring', 'A crescent-moon earring (a night owl).', [8]),
    option('accessories', 'flower', 'A flower behind the ear (an early bird).', [9]),
  ],
  y: [
    option('glasses', 'none', 'No glasses.', [0]),
    option('glasses', 'round', 'Round wire glasses (acoustic listening).', triple(1)),
    option('glasses', 'square', 'Square frames (instrumental listening).', triple(4)),
    option('glasses', 'big-round', 'Big round frames (acoustic and instrumental).', triple(7)),
  ],
  b: [
    option('eyebrows', 'soft', 'Soft, arched eyebrows.', triple(0)),
    option('eyebrows', 'flat', 'Flat, relaxed eyebrows.', triple(3)),
    option('eyebrows', 'focused', 'Slightly angled, focused eyebrows.', triple(6)),
    option('eyebrows', 'intense', 'Thick, intense eyebrows.', triple(9)),
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
