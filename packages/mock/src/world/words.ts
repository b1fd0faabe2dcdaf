import type { Rng } from './prng.js';

/** Word lists for names of artists, albums, tracks, labels and users (invented, not real works). */
const ADJECTIVES = [
  'Silent',
  'Golden',
  'Broken',
  'Electric',
  'Velvet',
  'Hollow',
  'Crimson',
  'Northern',
  'Wild',
  'Paper',
  'Iron',
  'Neon',
  'Quiet',
  'Burning',
  'Frozen',
  'Lonely',
  'Midnight',
  'Secret',
  'Bright',
  'Distant',
  'Gentle',
  'Savage',
  'Lucky',
  'Restless',
  'Sacred',
  'Hidden',
  'Blue',
  'Black',
  'Silver',
  'Amber',
  'Endless',
  'Faded',
  'Lost',
  'Tiny',
  'Heavy',
  'Soft',
  'Cosmic',
  'Rusty',
  'Sunny',
  'Bitter',
  'Sweet',
  'Glass',
  'Stone',
  'Wooden',
  'Painted',
  'Static',
];
const NOUNS = [
  'River',
  'Wolves',
  'Mirror',
  'Garden',
  'Echo',
  'Harbor',
  'Engine',
  'Lantern',
  'Ocean',
  'Forest',
  'Signal',
  'Horizon',
  'Thunder',
  'Sparrow',
  'Comet',
  'Desert',
  'Machine',
  'Cathedral',
  'Valley',
  'Tide',
  'Crown',
  'Ghost',
  'Orchard',
  'Satellite',
  'Meadow',
  'Tower',
  'Fever',
  'Shadow',
  'Island',
  'Circuit',
  'Summer',
  'Winter',
  'Anchor',
  'Pilot',
  'Raven',
  'Bridge',
  'Candle',
  'Static',
  'Highway',
  'Planet',
  'Feather',
  'Ember',
  'Canyon',
  'Lighthouse',
];
const FIRST = [
  'Mira',
  'Jonas',
  'Ada',
  'Leo',
  'Nina',
  'Omar',
  'Sofia',
  'Kai',
  'Lena',
  'Theo',
  'Yuki',
  'Ines',
  'Malik',
  'Freya',
  'Ravi',
  'Clara',
  'Elias',
  'Noor',
  'Hugo',
  'Aiko',
  'Luca',
  'Zoe',
  'Mateo',
  'Ida',
  'Sami',
  'Eva',
  'Ren',
  'Lia',
];
const LAST = [
  'Park',
  'Novak',
  'Silva',
  'Berg',
  'Okafor',
  'Larsen',
  'Moreau',
  'Tanaka',
  'Costa',
  'Weber',
  'Quinn',
  'Haddad',
  'Ivanova',
  'Lund',
  'Reyes',
  'Brandt',
  'Kaur',
  'Sato',
  'Mendes',
  'Falk',
  'Ortiz',
  'Holm',
  'Adeyemi',
  'Rossi',
];
const LABEL_SUFFIX = ['Records', 'Recordings', 'Music', 'Sound', 'Audio', 'Editions'];

/** An artist name: a band ("The Hollow Engines"), a duo or a person. */
export function artistName(rng: Rng): string {
  const kind = rng.next();
  if (kind < 0.35) return `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
  if (kind < 0.6) return `The ${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
  if (kind < 0.85) return `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
  return `${rng.pick(NOUNS)} & ${rng.pick(NOUNS)}`;
}

/** A title for an album or a track. */
export function title(rng: Rng): string {
  const kind = rng.next();
  if (kind < 0.4) return `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
  if (kind < 0.6) return rng.pick(NOUNS);
  if (kind < 0.8) return `${rng.pick(NOUNS)} of the ${rng.pick(NOUNS)}`;
  return `${rng.pick(ADJECTIVES)} ${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
}

/** A record label name. */
export function labelName(rng: Rng): string {
  return `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)} ${rng.pick(LABEL_SUFFIX)}`;
}

/** A listener's first name. */
export function firstName(rng: Rng): string {
  return rng.pick(FIRST);
}

/** A listener's last name. */
export function lastName(rng: Rng): string {
  return rng.pick(LAST);
}
