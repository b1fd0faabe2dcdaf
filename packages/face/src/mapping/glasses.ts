import type { ParamMappingDefinition } from './rule-types.js';
import { UNKNOWN_CONFIDENCE, basis, fill, signalInput } from './signals.js';

/**
 * Thresholds of the glasses rule.
 *
 * @example
 * ```ts
 * GLASSES_THRESHOLDS.one; // 0.55
 * ```
 */
export const GLASSES_THRESHOLDS = { both: 0.6, one: 0.55 } as const;

/** The glasses rule. */
export const glasses: ParamMappingDefinition = {
  key: 'y',
  inputs: ['signals.acousticness', 'signals.instrumentalness'],
  summary:
    'Glasses for listeners of acoustic or instrumental music: round for acoustic, square for instrumental.',
  rows: [
    {
      when: `acousticness >= ${GLASSES_THRESHOLDS.both} and instrumentalness >= ${GLASSES_THRESHOLDS.both}`,
      tag: 'big-round',
      reason:
        'Your music is acoustic ({acousticness}) and instrumental ({instrumentalness}), so you wear big round glasses.',
    },
    {
      when: `acousticness >= ${GLASSES_THRESHOLDS.one} and acousticness >= instrumentalness`,
      tag: 'round',
      reason: 'Your music is mostly acoustic ({acousticness}), so you wear round wire glasses.',
    },
    {
      when: `instrumentalness >= ${GLASSES_THRESHOLDS.one}`,
      tag: 'square',
      reason:
        'You listen to a lot of instrumental music ({instrumentalness}), so you wear square frames.',
    },
    {
      when: 'otherwise',
      tag: 'none',
      reason:
        'Your music is mostly electric and sung (acousticness {acousticness}, instrumentalness {instrumentalness}), so no glasses.',
    },
  ],
  notes: [
    'Hysteresis: the previous glasses are kept while their condition still holds with every threshold lowered (or, for none, raised) by the margin.',
  ],
  map: ({ profile, previousTag, hysteresis }) => {
    const ac = signalInput(profile, 'acousticness');
    const ins = signalInput(profile, 'instrumentalness');
    const a = ac.value as number;
    const i = ins.value as number;
    const { both, one } = GLASSES_THRESHOLDS;
    const holds = (tag: string, m: number): boolean => {
      if (tag === 'big-round') return a >= both - m && i >= both - m;
      const notBoth = !(a >= both + m && i >= both + m);
      if (tag === 'round') return a >= one - m && a >= i - m && notBoth;
      if (tag === 'square') return i >= one - m && i >= a - m && notBoth;
      return a < one + m && i < one + m;
    };
    let tag = ['big-round', 'round', 'square'].find((t) => holds(t, 0)) ?? 'none';
    if (previousTag !== undefined && previousTag !== tag && holds(previousTag, hysteresis))
      tag = previousTag;
    const row = glasses.rows.find((r) => r.tag === tag)!;
    const unknown = ac.confidence < UNKNOWN_CONFIDENCE && ins.confidence < UNKNOWN_CONFIDENCE;
    return {
      tag,
      reason: unknown
        ? `Without genres or audio features it is unknown how acoustic or instrumental your music is, so ${tag === 'none' ? 'no glasses' : `"${tag}" glasses`}.`
        : fill(row.reason, { acousticness: basis(ac), instrumentalness: basis(ins) }),
      inputs: [ac, ins],
    };
  },
};
