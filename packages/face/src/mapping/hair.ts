import type { ParamMappingDefinition } from './rule-types.js';
import { percent } from './signals.js';

/**
 * Hair style for every genre family, with the idea behind it.
 *
 * @example
 * ```ts
 * HAIR_BY_FAMILY.rock.tag; // 'wild'
 * ```
 */
export const HAIR_BY_FAMILY = {
  rock: { tag: 'wild', why: 'rock gives you wild hair' },
  metal: { tag: 'long', why: 'metal gives you long hair to headbang with' },
  punk: { tag: 'mohawk', why: 'punk gives you a mohawk' },
  pop: { tag: 'bob', why: 'pop gives you a neat bob' },
  electronic: { tag: 'spiky', why: 'electronic music gives you wild spikes' },
  'hip hop': { tag: 'afro', why: 'hip hop gives you a big afro' },
  'r&b': { tag: 'curly', why: 'R&B gives you soft curls' },
  jazz: { tag: 'slick', why: 'jazz gives you neat slicked-back hair' },
  blues: { tag: 'slick', why: 'blues gives you neat slicked-back hair' },
  classical: { tag: 'neat-part', why: 'classical gives you a neat side part' },
  folk: { tag: 'long', why: 'folk gives you long, loose hair' },
  country: { tag: 'neat-part', why: 'country gives you a tidy side part' },
  latin: { tag: 'curly', why: 'Latin music gives you curls' },
  reggae: { tag: 'locs', why: 'reggae gives you locs' },
  world: { tag: 'locs', why: 'world music gives you locs' },
  soundtrack: { tag: 'bob', why: 'soundtracks give you a cinematic bob' },
  ambient: { tag: 'bun', why: 'ambient gives you a calm top bun' },
} as const satisfies Record<string, { tag: string; why: string }>;

/**
 * Share lead the previous hair's family keeps over a new top family (hysteresis, 0..1).
 *
 * @example
 * ```ts
 * console.log(`hair keeps its family within ${HAIR_SHARE_MARGIN * 100} points of share`);
 * ```
 */
export const HAIR_SHARE_MARGIN = 0.05;

/** The hair rule. */
export const hair: ParamMappingDefinition = {
  key: 'h',
  inputs: ['topGenre.family', 'genreFamilies'],
  summary:
    'Hair follows the genre family you listen to most: rock and electronic are wild, classical and jazz are neat, every family has a place.',
  rows: [
    ...Object.entries(HAIR_BY_FAMILY).map(([family, h]) => ({
      when: `top family is ${family}`,
      tag: h.tag,
      reason: `Your top genre is {genre} (${family}, {share} of listening), and ${h.why}.`,
    })),
    {
      when: 'no genre known',
      tag: 'crop',
      reason: 'Your genres are unknown, so you get a tidy crop.',
    },
  ],
  notes: [
    `Hysteresis: with a previous face, the previous hair is kept while one of its families is within ${HAIR_SHARE_MARGIN} of the top family's share.`,
  ],
  map: ({ profile, previousTag }) => {
    const top = profile.topGenre;
    if (top === null)
      return {
        tag: 'crop',
        reason: 'Your genres are unknown, so you get a tidy crop.',
        inputs: [{ name: 'topGenre.family', value: null, source: 'history', confidence: 0 }],
      };
    const family = top.family as keyof typeof HAIR_BY_FAMILY;
    let chosen: { family: string; share: number } = { family, share: top.share };
    const topFamilyShare =
      profile.genreFamilies.find((f) => f.family === family)?.share ?? top.share;
    if (previousTag !== undefined && HAIR_BY_FAMILY[family]?.tag !== previousTag) {
      const keep = profile.genreFamilies.find(
        (f) =>
          HAIR_BY_FAMILY[f.family as keyof typeof HAIR_BY_FAMILY]?.tag === previousTag &&
          f.share >= topFamilyShare - HAIR_SHARE_MARGIN,
      );
      if (keep !== undefined) chosen = keep;
    }
    const entry = HAIR_BY_FAMILY[chosen.family as keyof typeof HAIR_BY_FAMILY] ?? {
      tag: 'crop',
      why: 'an unlisted family gives you a tidy crop',
    };
    const shareText = percent(
      profile.genreFamilies.find((f) => f.family === chosen.family)?.share ?? chosen.share,
    );
    const genre = chosen.family === family ? top.name : chosen.family;
    const named = typeof top.via === 'string' && top.via !== '' ? top.via : undefined;
    return {
      tag: entry.tag,
      reason: `Your top genre is ${genre} (${chosen.family}, ${shareText} of listening${named === undefined ? '' : `; genres via ${named}`}), and ${entry.why}.`,
      inputs: [
        {
          name: 'topGenre.family',
          value: chosen.family,
          source: 'history',
          confidence: Math.min(1, 0.4 + chosen.share),
          ...(named === undefined ? {} : { via: named }),
        },
      ],
    };
  },
};
