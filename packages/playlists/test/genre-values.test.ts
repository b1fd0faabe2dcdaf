import { describe, expect, it } from 'vitest';
import { createLibraryIndex, evaluateRule, type Rule } from '../src/index.js';
import { album, artist, NOW, track } from './fixtures.js';

// Genres of a track: its album's, then each of its artists', normalised, each once, in that order
// (one artist and an album without genres share the artist's list).
describe('genre and artist values of a track', () => {
  const index = createLibraryIndex(
    {
      tracks: [
        track('t1', 'One', { artistIds: ['a1'], albumId: 'b0' }),
        track('t2', 'Two', { artistIds: ['a2', 'a1'], albumId: 'b0' }),
        track('t3', 'Three', { artistIds: ['a2'], albumId: 'b1' }),
        track('t4', 'Four', { artistIds: ['a3'] }),
        track('t5', 'Five', { artistIds: ['a9'] }),
        track('t6', 'Six', { artistIds: ['a1'], albumId: 'b0' }),
      ],
      albums: [album('b0', 'Plain'), album('b1', 'Blue', { genres: ['Blues', 'soul'] })],
      artists: [
        artist('a1', 'Ánna', ['Soul', 'jazz', 'SOUL']),
        artist('a2', 'Bo', ['Rock', 'Jazz']),
        artist('a3', 'Cy'),
      ],
    },
    { now: NOW },
  );
  const ids = (rule: Rule) => evaluateRule(rule, index).trackIds;

  it('matches any genre of the album or the artists', () => {
    expect(ids({ all: [{ is: { genre: 'jazz' } }] })).toEqual(['t1', 't2', 't3', 't6']);
    expect(ids({ all: [{ is: { genre: 'blues' } }] })).toEqual(['t3']);
    expect(ids({ all: [{ notContains: { genre: 'soul' } }] })).toEqual(['t4', 't5']);
    expect(ids({ all: [{ is: { artist: 'anna' } }] })).toEqual(['t1', 't2', 't6']);
    expect(ids({ all: [{ is: { artist: 'bo' } }] })).toEqual(['t2', 't3']);
  });

  it('sorts by the first genre: the album’s, else the first artist’s', () => {
    const sorted = ids({
      all: [{ is: { genre: 'jazz' } }],
      sort: [{ by: 'genre' }, { by: 'title' }],
    });
    // t3: blues (album); t2: rock (first artist); t1, t6: soul.
    expect(sorted).toEqual(['t3', 't2', 't1', 't6']);
    const byArtist = ids({
      all: [{ gt: { duration: 0 } }],
      sort: [{ by: 'artist', order: 'desc' }, { by: 'title' }],
    });
    expect(byArtist).toEqual(['t4', 't3', 't2', 't1', 't6', 't5']);
  });
});
