import { clamp, hashText, Rng } from './prng.js';
import type { AudioFeatures, Genre, GenreFamily } from './types.js';

type Centre = Omit<AudioFeatures, 'key' | 'mode' | 'timeSignature'>;

const c = (
  energy: number,
  valence: number,
  danceability: number,
  acousticness: number,
  instrumentalness: number,
  speechiness: number,
  tempo: number,
  loudness: number,
): Centre => ({
  energy,
  valence,
  danceability,
  acousticness,
  instrumentalness,
  speechiness,
  liveness: 0.15,
  tempo,
  loudness,
});

/** Audio-feature centre of each family, before per-genre adjustments. */
const FAMILY_CENTRES: Record<GenreFamily, Centre> = {
  rock: c(0.72, 0.48, 0.48, 0.12, 0.08, 0.05, 124, -7),
  metal: c(0.92, 0.28, 0.38, 0.01, 0.25, 0.07, 132, -5),
  punk: c(0.9, 0.5, 0.45, 0.02, 0.03, 0.08, 165, -5),
  pop: c(0.68, 0.6, 0.68, 0.18, 0.01, 0.06, 118, -6),
  electronic: c(0.8, 0.45, 0.72, 0.04, 0.65, 0.06, 126, -6.5),
  'hip hop': c(0.65, 0.5, 0.78, 0.12, 0.01, 0.28, 95, -6.5),
  'r&b': c(0.55, 0.52, 0.7, 0.22, 0.02, 0.1, 100, -7.5),
  jazz: c(0.38, 0.5, 0.52, 0.72, 0.55, 0.05, 118, -13),
  blues: c(0.5, 0.52, 0.55, 0.5, 0.12, 0.05, 104, -10),
  classical: c(0.15, 0.25, 0.24, 0.93, 0.88, 0.04, 92, -21),
  folk: c(0.32, 0.45, 0.5, 0.82, 0.06, 0.04, 108, -11.5),
  country: c(0.6, 0.6, 0.6, 0.35, 0.01, 0.04, 120, -7),
  latin: c(0.74, 0.72, 0.76, 0.22, 0.02, 0.08, 100, -5.5),
  reggae: c(0.58, 0.72, 0.76, 0.12, 0.05, 0.1, 84, -7.5),
  world: c(0.55, 0.6, 0.6, 0.5, 0.2, 0.06, 112, -9),
  soundtrack: c(0.32, 0.22, 0.28, 0.62, 0.85, 0.04, 100, -16),
  ambient: c(0.12, 0.18, 0.22, 0.82, 0.9, 0.04, 85, -22),
};

/** Genre names per family: the world's vocabulary. */
const NAMES: Record<GenreFamily, readonly string[]> = {
  rock: [
    'rock',
    'classic rock',
    'alternative rock',
    'indie rock',
    'hard rock',
    'psychedelic rock',
    'garage rock',
    'post-rock',
    'shoegaze',
    'grunge',
    'progressive rock',
    'stoner rock',
    'blues rock',
    'art rock',
    'math rock',
    'surf rock',
    'krautrock',
    'britpop',
    'dream pop',
    'noise rock',
    'southern rock',
    'soft rock',
    'emo',
  ],
  metal: [
    'metal',
    'heavy metal',
    'thrash metal',
    'death metal',
    'black metal',
    'doom metal',
    'sludge metal',
    'power metal',
    'progressive metal',
    'metalcore',
    'deathcore',
    'nu metal',
    'symphonic metal',
    'grindcore',
    'melodic death metal',
    'gothic metal',
    'folk metal',
    'post-metal',
    'djent',
    'speed metal',
  ],
  punk: [
    'punk',
    'hardcore punk',
    'pop punk',
    'post-punk',
    'skate punk',
    'crust punk',
    'street punk',
    'ska punk',
    'riot grrrl',
  ],
  pop: [
    'pop',
    'dance pop',
    'electropop',
    'synthpop',
    'indie pop',
    'k-pop',
    'j-pop',
    'teen pop',
    'art pop',
    'bedroom pop',
    'hyperpop',
    'europop',
    'chamber pop',
    'acoustic pop',
    'city pop',
    'bubblegum pop',
  ],
  electronic: [
    'house',
    'deep house',
    'tech house',
    'progressive house',
    'techno',
    'minimal techno',
    'trance',
    'psytrance',
    'drum and bass',
    'liquid funk',
    'dubstep',
    'uk garage',
    'electro',
    'idm',
    'breakbeat',
    'jungle',
    'hardstyle',
    'big room',
    'future bass',
    'synthwave',
    'chillwave',
    'trip hop',
    'downtempo',
    'edm',
    'acid house',
    'gabber',
  ],
  'hip hop': [
    'hip hop',
    'rap',
    'trap',
    'boom bap',
    'gangsta rap',
    'conscious hip hop',
    'underground hip hop',
    'drill',
    'uk drill',
    'grime',
    'cloud rap',
    'lo-fi hip hop',
    'jazz rap',
    'southern hip hop',
    'phonk',
    'emo rap',
  ],
  'r&b': [
    'r&b',
    'contemporary r&b',
    'neo soul',
    'soul',
    'funk',
    'motown',
    'quiet storm',
    'alternative r&b',
    'disco',
    'gospel',
  ],
  jazz: [
    'jazz',
    'bebop',
    'cool jazz',
    'hard bop',
    'free jazz',
    'jazz fusion',
    'smooth jazz',
    'vocal jazz',
    'swing',
    'big band',
    'latin jazz',
    'modal jazz',
    'acid jazz',
    'nu jazz',
    'gypsy jazz',
    'contemporary jazz',
  ],
  blues: ['blues', 'delta blues', 'chicago blues', 'electric blues', 'texas blues', 'soul blues'],
  classical: [
    'classical',
    'baroque',
    'romantic era',
    'opera',
    'chamber music',
    'contemporary classical',
    'minimalism',
    'early music',
    'choral',
    'orchestral',
    'impressionism',
    'neoclassical',
  ],
  folk: [
    'folk',
    'indie folk',
    'contemporary folk',
    'singer-songwriter',
    'folk rock',
    'celtic',
    'americana',
    'bluegrass',
    'anti-folk',
    'freak folk',
    'chamber folk',
    'traditional folk',
  ],
  country: [
    'country',
    'contemporary country',
    'outlaw country',
    'country pop',
    'alt-country',
    'honky tonk',
    'country rock',
  ],
  latin: [
    'reggaeton',
    'latin pop',
    'salsa',
    'bachata',
    'cumbia',
    'bossa nova',
    'samba',
    'tango',
    'latin trap',
    'merengue',
    'regional mexican',
    'corridos tumbados',
  ],
  reggae: ['reggae', 'roots reggae', 'dancehall', 'dub', 'ska', 'rocksteady', 'lovers rock'],
  world: [
    'afrobeat',
    'afrobeats',
    'highlife',
    'flamenco',
    'fado',
    'bollywood',
    'qawwali',
    'mbalax',
    'rai',
    'c-pop',
    'turkish pop',
    'amapiano',
  ],
  soundtrack: [
    'soundtrack',
    'video game music',
    'anime',
    'musicals',
    'film score',
    'trailer music',
  ],
  ambient: [
    'ambient',
    'dark ambient',
    'drone',
    'new age',
    'space music',
    'lo-fi beats',
    'sleep',
    'field recordings',
  ],
};

/** Keyword adjustments that move a genre away from its family centre. */
const TWEAKS: readonly [RegExp, Partial<Centre>][] = [
  [
    /death|black|grind|thrash|gabber|hardstyle|hardcore|deathcore|djent|speed/,
    { energy: 0.97, valence: 0.2, loudness: -4 },
  ],
  [/doom|sludge|drone|post-metal|stoner/, { energy: 0.78, tempo: 74, valence: 0.15 }],
  [
    /acoustic|singer-songwriter|traditional|bluegrass|fado|delta/,
    { acousticness: 0.9, energy: 0.3 },
  ],
  [
    /dance|house|disco|reggaeton|bachata|salsa|cumbia|merengue|amapiano|afrobeats|k-pop/,
    { danceability: 0.84, valence: 0.7 },
  ],
  [/rap|trap|drill|grime|phonk|hip hop/, { speechiness: 0.3 }],
  [
    /lo-fi|chill|downtempo|sleep|quiet storm|smooth|bossa|new age|dream/,
    { energy: 0.3, loudness: -13 },
  ],
  [/opera|choral|vocal jazz|gospel|musicals/, { instrumentalness: 0.1, speechiness: 0.05 }],
  [/drum and bass|jungle|liquid/, { tempo: 174 }],
  [/dubstep|uk drill|drill|grime/, { tempo: 140 }],
  [/trance|psytrance/, { tempo: 140, energy: 0.86 }],
  [/techno/, { tempo: 132 }],
  [/punk|speed|thrash|bebop/, { tempo: 180 }],
  [/dub$|roots reggae|lovers rock/, { tempo: 76 }],
  [/emo|sad|gothic|dark/, { valence: 0.2 }],
  [/pop punk|ska|bubblegum|surf|swing|highlife|samba|afrobeat/, { valence: 0.8 }],
];

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

function genreFeatures(name: string, family: GenreFamily): AudioFeatures {
  const centre: Record<keyof Centre, number> = { ...FAMILY_CENTRES[family] };
  for (const [pattern, tweak] of TWEAKS) {
    if (pattern.test(name))
      for (const [key, value] of Object.entries(tweak)) centre[key as keyof Centre] = value;
  }
  // A small per-genre wobble so genres of a family are not identical.
  const rng = new Rng(hashText(name));
  const wobble = (x: number) => round(clamp(x + (rng.next() - 0.5) * 0.08, 0, 1));
  return {
    energy: wobble(centre.energy),
    valence: wobble(centre.valence),
    danceability: wobble(centre.danceability),
    acousticness: wobble(centre.acousticness),
    instrumentalness: wobble(centre.instrumentalness),
    speechiness: round(clamp(centre.speechiness + (rng.next() - 0.5) * 0.02, 0.02, 0.6)),
    liveness: round(centre.liveness),
    tempo: round(centre.tempo * (0.96 + rng.next() * 0.08), 1),
    loudness: round(centre.loudness + (rng.next() - 0.5), 1),
    key: -1,
    mode: centre.valence >= 0.45 ? 1 : 0,
    timeSignature: /waltz|baroque|romantic|chamber music/.test(name) ? 3 : 4,
  };
}

/**
 * Every genre family (17), in a fixed order.
 *
 * @example
 * ```ts
 * const perFamily = GENRE_FAMILIES.map((f) => GENRES.filter((g) => g.family === f).length);
 * ```
 */
export const GENRE_FAMILIES: readonly GenreFamily[] = Object.keys(NAMES) as GenreFamily[];

/**
 * The world's genre vocabulary: real-world genre names, each with its family and the audio-feature
 * centre its tracks are drawn around (metal is loud and energetic, classical acoustic and
 * instrumental, and so on). The same for every seed.
 *
 * @example
 * ```ts
 * const metal = GENRES.filter((g) => g.family === 'metal').map((g) => g.name);
 * ```
 */
export const GENRES: readonly Genre[] = Object.freeze(
  GENRE_FAMILIES.flatMap((family) =>
    NAMES[family].map((name) =>
      Object.freeze({ name, family, features: genreFeatures(name, family) }),
    ),
  ),
);

/**
 * Genre name -> genre, for lookups.
 *
 * @example
 * ```ts
 * GENRE_BY_NAME.get('doom metal')?.family; // 'metal'
 * ```
 */
export const GENRE_BY_NAME: ReadonlyMap<string, Genre> = new Map(GENRES.map((g) => [g.name, g]));
