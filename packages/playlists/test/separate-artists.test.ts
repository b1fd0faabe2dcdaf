import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLibraryIndex, evaluateRule, type Rule } from '../src/index.js';
import { generatedLibrary, NOW } from './fixtures.js';

/** The rule as documented: at every step, the earliest remaining track whose first artist differs
 * from the previous one's (the earliest remaining when none does). */
function reference(ids: readonly string[], artistOf: (id: string) => string): string[] {
  const left = [...ids];
  const out: string[] = [];
  let previous: string | null = null;
  while (left.length > 0) {
    let k = left.findIndex((id) => artistOf(id) !== previous);
    if (k < 0) k = 0;
    const [id] = left.splice(k, 1) as [string];
    out.push(id);
    previous = artistOf(id);
  }
  return out;
}

describe('separating artists', () => {
  const library = generatedLibrary({ seed: 3, tracks: 400, plays: 4_000, likes: 200 });
  const index = createLibraryIndex(library, { now: NOW, timeZone: 'Europe/Berlin' });
  const firstArtist = new Map(
    library.tracks.map((t) => [
      t.id,
      t.artistIds[0] === undefined ? `none:${t.id}` : `a:${t.artistIds[0]}`,
    ]),
  );
  const artistOf = (id: string) => firstArtist.get(id) as string;

  it('takes the earliest track of another artist at every step, for any sort and selection', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          '-playCount',
          'title',
          'artist',
          'random',
          '-releaseDate, artist',
          'trackId',
        ),
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom<'track' | 'isrc'>('track', 'isrc'),
        (sort, minPlays, dedupe) => {
          const match: Rule = { all: [{ gt: { playCount: minPlays } }], sort, dedupe };
          const together = evaluateRule(match, index).trackIds;
          const separated = evaluateRule({ ...match, separateArtists: true }, index).trackIds;
          expect(separated).toEqual(reference(together, artistOf));
        },
      ),
      { numRuns: 40, seed: 9 },
    );
  });
});
