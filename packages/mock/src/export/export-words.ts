import { mixSeed, Rng } from '../world/prng.js';

/** Invented podcast shows and audiobooks that data exports mention. */
const SHOW_NAMES = [
  'The Long Listen',
  'Morning Signal',
  'Deep Cuts Weekly',
  'Half Past History',
  'Code and Coffee',
  'The Quiet Hour',
  'Science on Foot',
  'Liner Notes',
  'Field Notes from Nowhere',
  'The Backstage Pass',
];
const BOOK_TITLES = [
  'The Glass Orchard',
  'A River of Static',
  'Northern Lanterns',
  'The Cartographer of Tides',
  'Iron Meadow',
];

const idFor = (seed: number, a: number, b: number) => new Rng(mixSeed(seed, a, b, 0x1d)).id();

export const words = {
  /** A podcast show and one of its episodes. */
  show(rng: Rng, seed: number): { name: string; episode: string; episodeId: string } {
    const s = rng.int(SHOW_NAMES.length);
    const e = 1 + rng.int(300);
    return { name: SHOW_NAMES[s] as string, episode: `Episode ${e}`, episodeId: idFor(seed, s, e) };
  },
  /** An audiobook and one of its chapters. */
  book(rng: Rng, seed: number): { title: string; id: string; chapter: string; chapterId: string } {
    const b = rng.int(BOOK_TITLES.length);
    const c = 1 + rng.int(30);
    return {
      title: BOOK_TITLES[b] as string,
      id: idFor(seed, 1000 + b, 0),
      chapter: `Chapter ${c}`,
      chapterId: idFor(seed, 1000 + b, c),
    };
  },
};
