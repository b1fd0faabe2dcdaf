/**
 * The 17 broad genre families every genre is folded into (the same families as `@spoti/mock`'s
 * world), in a fixed order.
 *
 * @example
 * ```ts
 * for (const family of GENRE_FAMILIES) console.log(family);
 * ```
 */
export const GENRE_FAMILIES = [
  'rock',
  'metal',
  'punk',
  'pop',
  'electronic',
  'hip hop',
  'r&b',
  'jazz',
  'blues',
  'classical',
  'folk',
  'country',
  'latin',
  'reggae',
  'world',
  'soundtrack',
  'ambient',
] as const;

/** One of {@link GENRE_FAMILIES}. */
export type GenreFamily = (typeof GENRE_FAMILIES)[number];

/**
 * Genres whose family is not what their words suggest, looked up before the keyword rules
 * (`dream pop` is a rock-side style, `c-pop` a regional one, `jazz rap` is hip hop, ...).
 */
const EXACT: Readonly<Record<string, GenreFamily>> = {
  britpop: 'rock',
  'dream pop': 'rock',
  shoegaze: 'rock',
  emo: 'rock',
  grunge: 'rock',
  krautrock: 'rock',
  'blues rock': 'rock',
  'folk rock': 'folk',
  'country rock': 'country',
  'folk metal': 'metal',
  'post-metal': 'metal',
  'gothic metal': 'metal',
  'symphonic metal': 'metal',
  'ska punk': 'punk',
  'pop punk': 'punk',
  'riot grrrl': 'punk',
  'emo rap': 'hip hop',
  'jazz rap': 'hip hop',
  'lo-fi hip hop': 'hip hop',
  'latin trap': 'latin',
  'latin jazz': 'jazz',
  'latin pop': 'latin',
  'acid jazz': 'jazz',
  'nu jazz': 'jazz',
  'trip hop': 'electronic',
  'liquid funk': 'electronic',
  'uk garage': 'electronic',
  'acid house': 'electronic',
  synthwave: 'electronic',
  chillwave: 'electronic',
  downtempo: 'electronic',
  'soul blues': 'blues',
  'country pop': 'country',
  'c-pop': 'world',
  'turkish pop': 'world',
  'j-pop': 'pop',
  'k-pop': 'pop',
  'city pop': 'pop',
  'lo-fi beats': 'ambient',
  minimalism: 'classical',
  impressionism: 'classical',
  'romantic era': 'classical',
  'early music': 'classical',
  neoclassical: 'classical',
  'singer-songwriter': 'folk',
  americana: 'folk',
  bluegrass: 'folk',
  celtic: 'folk',
  disco: 'r&b',
  gospel: 'r&b',
  'quiet storm': 'r&b',
  funk: 'r&b',
  motown: 'r&b',
  anime: 'soundtrack',
  musicals: 'soundtrack',
  'space music': 'ambient',
  'new age': 'ambient',
  sleep: 'ambient',
  drone: 'ambient',
  'field recordings': 'ambient',
  'bossa nova': 'latin',
  tango: 'latin',
  samba: 'latin',
  flamenco: 'world',
  fado: 'world',
  rai: 'world',
};

/**
 * Keyword rules tried in order when a genre is not in the exact table: the first match wins, so
 * the more specific families (metal, punk, latin, hip hop) come before the broad ones (pop, rock).
 */
const RULES: readonly (readonly [RegExp, GenreFamily])[] = [
  [/metal|(?:metal|death|grind)core|djent|grind/, 'metal'],
  [/punk|hardcore/, 'punk'],
  [
    /latin|reggaeton|salsa|bachata|cumbia|bossa|samba|tango|merengue|mexican|corrido|banda|norte[nñ]o|sertanejo|\bmpb\b|forr[oó]|vallenato|urbano|dembow/,
    'latin',
  ],
  [/hip hop|hip-hop|\brap\b|trap|drill|grime|phonk|boom bap/, 'hip hop'],
  [/reggae|dancehall|\bdub\b|\bska\b|rocksteady|lovers rock/, 'reggae'],
  [/jazz|bebop|\bbop\b|swing|big band/, 'jazz'],
  [/blues/, 'blues'],
  [
    /classical|baroque|opera|orchestra|choral|choir|symphon|chamber music|string quartet|requiem|compositional|early music/,
    'classical',
  ],
  [/country|honky|nashville|outlaw/, 'country'],
  [/folk|singer-songwriter|bluegrass|americana|celtic/, 'folk'],
  [
    /soundtrack|score|video game|\bgame\b|anime|musical|broadway|trailer|show tunes|movie/,
    'soundtrack',
  ],
  [
    /ambient|drone|new age|sleep|space music|field recording|meditation|white noise|lo-fi beats/,
    'ambient',
  ],
  [/r&b|\brnb\b|soul|funk|motown|disco|gospel|quiet storm/, 'r&b'],
  [
    /house|techno|trance|\bedm\b|electro(?!pop)|electronica|dubstep|drum and bass|\bdnb\b|(?:uk|speed|future) garage|garage house|\bidm\b|breakbeat|jungle|hardstyle|big room|future bass|synthwave|chillwave|trip hop|downtempo|gabber|bass music|vaporwave|dance(?! pop)/,
    'electronic',
  ],
  [
    /afro|highlife|flamenco|fado|bollywood|filmi|qawwali|mbalax|\brai\b|c-pop|mandopop|cantopop|turkish|arabic|\bindian\b|desi|bhangra|balkan|klezmer|amapiano|k-indie|world/,
    'world',
  ],
  [/pop/, 'pop'],
  [/rock|grunge|shoegaze|indie|alternative|britpop|\bemo\b|garage|post-rock/, 'rock'],
];

/**
 * Maps a genre name (Spotify's artist genres, or the mock's vocabulary) to its
 * {@link GenreFamily}, or `null` when the name says nothing recognisable.
 *
 * The rule, documented because the profile depends on it:
 * 1. the name is lower-cased and trimmed;
 * 2. a short table of names whose family is not what their words suggest is consulted first
 *    (`dream pop` and `shoegaze` are rock, `c-pop` is world, `jazz rap` is hip hop, `latin pop`
 *    is latin, `trip hop` is electronic, ...);
 * 3. otherwise keyword rules are tried in a fixed order, most specific family first: metal,
 *    punk, latin, hip hop, reggae, jazz, blues, classical, country, folk, soundtrack, ambient,
 *    r&b, electronic, world, pop, rock. So `german metal` is metal, `modern country rock` is
 *    country, `uk dance pop` is pop, `indie` is rock;
 * 4. nothing matched: `null` (the profile counts such genres as unknown instead of guessing).
 *
 * Covers every genre of `@spoti/mock`'s vocabulary and the common Spotify genre names.
 *
 * @example
 * ```ts
 * genreFamilyOf('melodic death metal'); // 'metal'
 * genreFamilyOf('Dream Pop');           // 'rock'
 * genreFamilyOf('vapor soul');          // 'r&b'
 * genreFamilyOf('xyz');                 // null
 * ```
 */
export function genreFamilyOf(genre: string): GenreFamily | null {
  const name = genre.trim().toLowerCase();
  if (name === '') return null;
  const exact = Object.hasOwn(EXACT, name) ? EXACT[name] : undefined;
  if (exact !== undefined) return exact;
  if ((GENRE_FAMILIES as readonly string[]).includes(name)) return name as GenreFamily;
  for (const [pattern, family] of RULES) if (pattern.test(name)) return family;
  return null;
}
