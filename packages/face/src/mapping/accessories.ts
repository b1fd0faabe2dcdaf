import type { ParamMappingDefinition } from './rule-types.js';

/**
 * Achievement -> accessory, in priority order: the first reached wins. Rare and characterful
 * milestones come first; common ones (a long session, the first hundred hours) last.
 *
 * @example
 * ```ts
 * ACCESSORY_BY_ACHIEVEMENT.find((a) => a.id === 'night-owl')?.tag; // 'moon-earring'
 * ```
 */
export const ACCESSORY_BY_ACHIEVEMENT = [
  {
    id: 'hours-1000',
    tag: 'headphones',
    why: 'a thousand hours earns you both hands raised in a wave (big headphones in the line-art style)',
  },
  {
    id: 'artists-500',
    tag: 'note-pin',
    why: 'five hundred artists earn you a wave and a raised finger (a music-note pin in the line-art style)',
  },
  {
    id: 'explorer',
    tag: 'star-clip',
    why: 'exploring many genres earns you a pointing hand (a star hair clip in the line-art style)',
  },
  {
    id: 'night-owl',
    tag: 'moon-earring',
    why: 'late-night listening earns you an OK sign (a moon earring in the line-art style)',
  },
  {
    id: 'early-bird',
    tag: 'flower',
    why: 'early-morning listening earns you a raised, waving hand (a flower in the line-art style)',
  },
  {
    id: 'streak-30',
    tag: 'flame-pin',
    why: 'thirty days in a row earns you a raised index finger (a flame pin in the line-art style)',
  },
  {
    id: 'loyal-fan',
    tag: 'heart-earring',
    why: 'loyalty to one artist earns you an OK sign held high (a heart earring in the line-art style)',
  },
  {
    id: 'marathon',
    tag: 'headband',
    why: 'a four-hour session earns you a wave and an OK sign (a sweatband in the line-art style)',
  },
  {
    id: 'hours-100',
    tag: 'earbuds',
    why: 'a hundred hours earns you a phone held up in your hand (earbuds in the line-art style)',
  },
] as const;

/** The accessory rule. */
export const accessories: ParamMappingDefinition = {
  key: 'a',
  inputs: ['achievements'],
  summary:
    'Milestones unlock accessories; the most distinctive milestone reached is shown (rows in priority order).',
  rows: [
    ...ACCESSORY_BY_ACHIEVEMENT.map((a) => ({
      when: `achievement ${a.id} reached`,
      tag: a.tag,
      reason: `You reached "{label}", and ${a.why}.`,
    })),
    { when: 'no milestone yet', tag: 'none', reason: 'No milestone reached yet, so no accessory.' },
  ],
  notes: ['Achievements only accumulate, so no hysteresis is needed.'],
  map: ({ profile }) => {
    for (const a of ACCESSORY_BY_ACHIEVEMENT) {
      const reached = profile.achievements.find((x) => x.id === a.id);
      if (reached !== undefined)
        return {
          tag: a.tag,
          reason: `You reached "${reached.label}", and ${a.why}.`,
          inputs: [{ name: 'achievements', value: a.id, source: 'history', confidence: 1 }],
        };
    }
    return {
      tag: 'none',
      reason: 'No milestone reached yet, so no accessory.',
      inputs: [{ name: 'achievements', value: null, source: 'history', confidence: 1 }],
    };
  },
};
