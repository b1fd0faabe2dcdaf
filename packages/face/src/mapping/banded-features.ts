import type { Band } from './bands.js';
import type { ParamMappingDefinition } from './rule-types.js';
import { banded } from './signals.js';

/**
 * Skin-tone band edges on time-of-day diversity. Listening is rarely concentrated in a few hours
 * (the normalised entropy of 24 hourly shares is usually 0.5-0.95), so the edges follow that
 * observed spread instead of equal sixths, and every tone is reachable.
 *
 * @example
 * ```ts
 * SKIN_EDGES[1]; // 0.55: below it, skin tone 0
 * ```
 */
export const SKIN_EDGES = [0, 0.55, 0.65, 0.73, 0.8, 0.87, 1] as const;

// Tones are numbered 0..5 like their Notion indices, so a tag, a pin and a face string agree.
const SKIN_BANDS: readonly Band[] = [0, 1, 2, 3, 4, 5].map((n) => ({
  tag: `tone-${n}`,
  from: SKIN_EDGES[n]!,
  to: SKIN_EDGES[n + 1]!,
  reason: `Your listening spreads over the day ({value} time-of-day diversity), which picks skin tone ${n} (0 lightest to 5 deepest); skin tone is yours to choose, so pin it.`,
}));

const EYES_BANDS: readonly Band[] = [
  {
    tag: 'relaxed',
    from: 0,
    to: 0.35,
    reason: 'Your music is calm (energy {value}), so your eyes are relaxed.',
  },
  {
    tag: 'calm',
    from: 0.35,
    to: 0.55,
    reason: 'Your music has moderate energy ({value}), so your eyes are calm.',
  },
  {
    tag: 'bright',
    from: 0.55,
    to: 0.75,
    reason: 'Your music is lively (energy {value}), so your eyes are bright.',
  },
  {
    tag: 'wide',
    from: 0.75,
    to: 1,
    reason: 'Your music is high-energy ({value}), so your eyes are wide open.',
  },
];

const MOUTH_BANDS: readonly Band[] = [
  {
    tag: 'frown',
    from: 0,
    to: 0.25,
    reason: 'Your music leans dark and sad (valence {value}), so your mouth turns down.',
  },
  {
    tag: 'neutral',
    from: 0.25,
    to: 0.42,
    reason: 'Your music is more moody than cheerful (valence {value}), so your mouth is neutral.',
  },
  {
    tag: 'soft-smile',
    from: 0.42,
    to: 0.58,
    reason: 'Your music mixes moods (valence {value}), so you wear a soft smile.',
  },
  {
    tag: 'smile',
    from: 0.58,
    to: 0.75,
    reason: 'Your music is upbeat (valence {value}), so you smile.',
  },
  {
    tag: 'big-smile',
    from: 0.75,
    to: 1,
    reason: 'Your music is happy and bright (valence {value}), so you grin.',
  },
];

const NOSE_BANDS: readonly Band[] = [
  {
    tag: 'unusual',
    from: 0,
    to: 0.25,
    reason:
      'You spread your listening over many genres (consistency {value}), so your nose is unusual.',
  },
  {
    tag: 'curved',
    from: 0.25,
    to: 0.5,
    reason: 'You move between several genres (consistency {value}), so your nose is curved.',
  },
  {
    tag: 'button',
    from: 0.5,
    to: 0.75,
    reason: 'You mostly stick to a few genres (consistency {value}), so your nose is a button.',
  },
  {
    tag: 'straight',
    from: 0.75,
    to: 1,
    reason:
      'You listen to one genre family most of the time (consistency {value}), so your nose is straight.',
  },
];

const BROW_BANDS: readonly Band[] = [
  {
    tag: 'soft',
    from: 0,
    to: 0.3,
    reason: 'Your music is gentle (intensity {value}), so your eyebrows are soft.',
  },
  {
    tag: 'flat',
    from: 0.3,
    to: 0.55,
    reason: 'Your music is moderately intense ({value}), so your eyebrows are relaxed and flat.',
  },
  {
    tag: 'focused',
    from: 0.55,
    to: 0.75,
    reason: 'Your music has some punch (intensity {value}), so your eyebrows look focused.',
  },
  {
    tag: 'intense',
    from: 0.75,
    to: 1,
    reason: 'Your music is loud and aggressive (intensity {value}), so your eyebrows are intense.',
  },
];

/** The skin rule. */
export const skin: ParamMappingDefinition = banded(
  's',
  'timeOfDayDiversity',
  'Skin tone follows how spread over the day your listening is; it is an identity trait, so listeners are invited to pin it.',
  SKIN_BANDS,
);

/** The eyes rule. */
export const eyes: ParamMappingDefinition = banded(
  'e',
  'energy',
  'Eyes follow the energy of your music: high energy opens them wide, calm music relaxes them.',
  EYES_BANDS,
);

/** The mouth rule. */
export const mouth: ParamMappingDefinition = banded(
  'm',
  'valence',
  'The mouth follows valence, the musical positivity of what you play: happy music smiles, sad music frowns.',
  MOUTH_BANDS,
);

/** The nose rule. */
export const nose: ParamMappingDefinition = banded(
  'n',
  'genreConsistency',
  'The nose follows genre consistency: one genre all the time gives a straight nose, a spread of genres an unusual one.',
  NOSE_BANDS,
);

/** The brows rule. */
export const brows: ParamMappingDefinition = banded(
  'b',
  'intensity',
  'Eyebrows follow intensity: aggressive music gives intense brows, gentle music soft ones.',
  BROW_BANDS,
);
