import type { FaceInput } from '../face.js';
import { PARAM_NAMES, type ParamKey } from '../params.js';
import type { FaceProfile } from '../profile-input.js';
import { type Band, selectBand } from './bands.js';

/**
 * Version of the default mapping. Bump on any change of bands, tables or reasons.
 *
 * @example
 * ```ts
 * if (face.mappingVersion !== MAPPING_VERSION) console.log('face made by another mapping version');
 * ```
 */
export const MAPPING_VERSION = 2;

/**
 * The default hysteresis margin around band edges (on the 0..1 input scale).
 *
 * @example
 * ```ts
 * createFaceMapper({ hysteresis: DEFAULT_HYSTERESIS * 2 });
 * ```
 */
export const DEFAULT_HYSTERESIS = 0.04;

/** What a mapping rule decided for one parameter. */
export interface MappedChoice {
  /** The catalogue tag chosen. */
  readonly tag: string;
  /** One sentence a listener understands. */
  readonly reason: string;
  /** The profile inputs used, with their confidence. */
  readonly inputs: readonly FaceInput[];
}

/** Context handed to each parameter rule. */
export interface MappingContext {
  /** The profile being mapped. */
  readonly profile: FaceProfile;
  /** The previous face's tag for this parameter, for hysteresis. */
  readonly previousTag: string | undefined;
  /** How far past a band edge an input must move before the previous tag is left (0..1). */
  readonly hysteresis: number;
}

/** A row of a rule's documentation table. */
export interface MappingRow {
  /** The condition, in words (`energy < 35%`). */
  readonly when: string;
  /** The tag chosen when the condition holds. */
  readonly tag: string;
  /** The reason given with it. */
  readonly reason: string;
}

/** One parameter's default rule: what it reads, its table (for docs) and the rule itself. */
export interface ParamMappingDefinition {
  /** The parameter the rule decides. */
  readonly key: ParamKey;
  /** Profile fields read. */
  readonly inputs: readonly string[];
  /** One sentence on the idea behind the rule. */
  readonly summary: string;
  /** The rule as a table, in evaluation order, generated into docs/face-mapping.md. */
  readonly rows: readonly MappingRow[];
  /** Notes on hysteresis and edge cases. */
  readonly notes: readonly string[];
  /** The rule: profile in, tag and reason out. */
  readonly map: (ctx: MappingContext) => MappedChoice;
}

type SignalName =
  | 'energy'
  | 'valence'
  | 'acousticness'
  | 'instrumentalness'
  | 'intensity'
  | 'genreConsistency'
  | 'timeOfDayDiversity';

const percent = (v: number): string => `${Math.round(v * 100)}%`;

/**
 * Below this confidence a signal is treated as unknown in reasons.
 *
 * @example
 * ```ts
 * const unknown = profile.signals.energy.confidence < UNKNOWN_CONFIDENCE;
 * ```
 */
export const UNKNOWN_CONFIDENCE = 0.05;

const SIGNAL_LABELS: Readonly<Record<SignalName, string>> = {
  energy: "music's energy",
  valence: "music's mood",
  acousticness: 'acoustic listening',
  instrumentalness: 'instrumental listening',
  intensity: "music's intensity",
  genreConsistency: 'genre consistency',
  timeOfDayDiversity: 'spread of listening over the day',
};

function signalInput(profile: FaceProfile, name: SignalName): FaceInput {
  const s = profile.signals[name];
  return {
    name: `signals.${name}`,
    value: s.value,
    source: s.source,
    confidence: s.confidence,
    ...(typeof s.via === 'string' && s.via !== '' ? { via: s.via } : {}),
    ...(s.basis === undefined ? {} : { basis: s.basis }),
  };
}

const MEASURED_SOURCES = new Set(['spotify', 'supplied', 'enriched']);

/**
 * Where a value came from, in words: `from audio features of 412 of your 500 tracks, via
 * ReccoBeats` for measured features whose service is named, `genres via MusicBrainz` for
 * history signals computed over a service's genres, or nothing.
 */
function provenance(input: FaceInput): string {
  if (input.via === undefined) return '';
  if (input.basis !== undefined && input.basis.tracks > 0)
    return `audio features of ${input.basis.tracks} of your ${input.basis.of} tracks, via ${input.via}`;
  return `genres via ${input.via}`;
}

/**
 * `82%`; `82%, estimated from your genres` for estimated signals; `a rough estimate` under 0.4
 * confidence; and an explicit "unknown" when the signal has no evidence at all. A value from a
 * named service says so: `82% from audio features of 412 of your 500 tracks, via ReccoBeats`.
 */
function basis(input: FaceInput): string {
  const v = typeof input.value === 'number' ? percent(input.value) : String(input.value);
  if (input.confidence < UNKNOWN_CONFIDENCE) return `${v}: unknown, so a middle value is assumed`;
  const from = provenance(input);
  if (input.source === 'estimated')
    return from === ''
      ? `${v}, estimated from your genres`
      : input.basis !== undefined && input.basis.tracks > 0
        ? `${v}, estimated from your genres and ${from}`
        : `${v}, estimated from your ${from}`;
  const measured =
    from === '' ? v : MEASURED_SOURCES.has(input.source) ? `${v} from ${from}` : `${v}, ${from}`;
  if (input.confidence < 0.4) return `${measured}, a rough estimate`;
  return measured;
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? `{${k}}`);
}

const bandRows = (bands: readonly Band[], input: string): MappingRow[] =>
  bands.map((b, i) => ({
    when:
      i === bands.length - 1
        ? `${b.from.toFixed(2)} <= ${input} <= 1`
        : `${b.from.toFixed(2)} <= ${input} < ${b.to.toFixed(2)}`,
    tag: b.tag,
    reason: b.reason,
  }));

function banded(
  key: ParamKey,
  signal: SignalName,
  summary: string,
  bands: readonly Band[],
): ParamMappingDefinition {
  return {
    key,
    inputs: [`signals.${signal}`],
    summary,
    rows: bandRows(bands, signal),
    notes: [
      'Hysteresis: with a previous face, its tag is kept while the value stays within the margin (default 0.04) of that band.',
      `A signal with no evidence (confidence under ${UNKNOWN_CONFIDENCE}) still picks a band from its assumed value, and the reason says the input is unknown.`,
    ],
    map: ({ profile, previousTag, hysteresis }) => {
      const input = signalInput(profile, signal);
      const band = selectBand(input.value as number, bands, previousTag, hysteresis);
      const reason =
        input.confidence < UNKNOWN_CONFIDENCE
          ? `Your ${SIGNAL_LABELS[signal]} is unknown without genres or audio features, so the middle option "${band.tag}" is used for your ${PARAM_NAMES[key]}.`
          : fill(band.reason, { value: basis(input) });
      return { tag: band.tag, reason, inputs: [input] };
    },
  };
}

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

const hair: ParamMappingDefinition = {
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

const accessories: ParamMappingDefinition = {
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

/**
 * Thresholds of the glasses rule.
 *
 * @example
 * ```ts
 * GLASSES_THRESHOLDS.one; // 0.55
 * ```
 */
export const GLASSES_THRESHOLDS = { both: 0.6, one: 0.55 } as const;

const glasses: ParamMappingDefinition = {
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

/**
 * The eight default parameter rules, keyed by letter.
 *
 * @example
 * ```ts
 * DEFAULT_MAPPING.e.rows.map((r) => `${r.when}: ${r.tag}`);
 * ```
 */
export const DEFAULT_MAPPING: Readonly<Record<ParamKey, ParamMappingDefinition>> = {
  s: banded(
    's',
    'timeOfDayDiversity',
    'Skin tone follows how spread over the day your listening is; it is an identity trait, so listeners are invited to pin it.',
    SKIN_BANDS,
  ),
  e: banded(
    'e',
    'energy',
    'Eyes follow the energy of your music: high energy opens them wide, calm music relaxes them.',
    EYES_BANDS,
  ),
  m: banded(
    'm',
    'valence',
    'The mouth follows valence, the musical positivity of what you play: happy music smiles, sad music frowns.',
    MOUTH_BANDS,
  ),
  n: banded(
    'n',
    'genreConsistency',
    'The nose follows genre consistency: one genre all the time gives a straight nose, a spread of genres an unusual one.',
    NOSE_BANDS,
  ),
  h: hair,
  a: accessories,
  y: glasses,
  b: banded(
    'b',
    'intensity',
    'Eyebrows follow intensity: aggressive music gives intense brows, gentle music soft ones.',
    BROW_BANDS,
  ),
};
