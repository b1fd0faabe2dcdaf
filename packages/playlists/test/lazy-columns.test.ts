import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLibraryIndex, evaluateRule, type LibraryIndex, parseRule } from '../src/index.js';
import type { WindowSpec } from '../src/internal/ast.js';
import type { FieldName } from '../src/rule/fields.js';
import { matchText } from '../src/library/match-text.js';
import { textReader } from '../src/library/track-columns.js';
import { album, artist, DAY, generatedLibrary, NOW, play, track } from './fixtures.js';

const options = { now: NOW, timeZone: 'Europe/Berlin' };

// A window whose play count alone a rule reads is counted by a pass of its own; the count must be
// the one the window's full aggregates give, whatever the order of the log and whichever comes
// first on an index.
describe('play counts built alone', () => {
  const library = generatedLibrary({ seed: 11, tracks: 200, plays: 4_000, likes: 50 });
  const sortedPlays = [...(library.plays ?? [])].sort((a, b) => a.endedAt - b.endedAt);
  const window = fc.oneof(
    fc.integer({ min: 1, max: 800 }),
    fc
      .tuple(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 800 }))
      .map(([a, b]) => ({ from: NOW - Math.max(a, b) * DAY, to: NOW - Math.min(a, b) * DAY })),
  );

  it('equal the play counts of the full aggregates, in a log in any order', () => {
    for (const plays of [library.plays ?? [], sortedPlays]) {
      // One index per side, shared by every run (windows counted alone and windows aggregated in
      // full accumulate on them, and the shuffled log goes through its day buckets).
      const alone = createLibraryIndex({ ...library, plays }, options);
      const full = createLibraryIndex({ ...library, plays }, options);
      fc.assert(
        fc.property(window, fc.integer({ min: 0, max: 5 }), (w, n) => {
          const counted = parseRule({
            all: [{ gt: { playCount: n }, window: w }],
            sort: [{ by: 'playCount', order: 'desc', window: w }],
          });
          const aggregated = parseRule({
            all: [
              { gt: { playCount: n }, window: w },
              { not: { lt: { skipCount: 0 }, window: w } },
            ],
            sort: [{ by: 'playCount', order: 'desc', window: w }],
          });
          expect(evaluateRule(counted, alone).trackIds).toEqual(
            evaluateRule(aggregated, full).trackIds,
          );
        }),
        { numRuns: 40, seed: 12 },
      );
    }
  });

  it('give the column the aggregates give, and the other aggregates when asked later', () => {
    const w: WindowSpec = { kind: 'last', duration: { n: 60, unit: 'days' } };
    const alone = createLibraryIndex(library, options);
    const full = createLibraryIndex(library, options);
    alone.prepare([], [], [w]);
    full.prepare([w], []);
    expect(alone.numbers('playCount', w)).toEqual(full.numbers('playCount', w));
    // A later rule reading the window's other aggregates gets them built then.
    for (const field of ['skipCount', 'lastPlayed', 'artistPlayCount'] as FieldName[]) {
      expect(alone.numbers(field, w)).toEqual(full.numbers(field, w));
    }
    expect(alone.stats(w)).toEqual(full.stats(w));
  });
});

// A text column reads the values of a code once and shares them with every track of that code:
// each track must still get exactly the values read from the track itself.
describe('text columns shared by code', () => {
  const fields: FieldName[] = [
    'title',
    'artist',
    'artistId',
    'album',
    'albumId',
    'albumType',
    'label',
    'trackId',
    'isrc',
    'genre',
  ];

  function expectSameAsPerTrack(index: LibraryIndex): void {
    for (const field of fields) {
      for (const normalized of [true, false]) {
        const column = index.texts(field, normalized);
        const one = (s: string | null | undefined): readonly string[] =>
          s === null || s === undefined ? [] : [normalized ? matchText(s) : s];
        const read = textReader(field, index.tracks, index.albums, index.artistsById, one);
        // Read in reverse so that the first track of a code is not always the one read first.
        for (let i = index.size - 1; i >= 0; i--) {
          expect([...column.get(i)], `${field} of ${index.trackIds[i]}`).toEqual([...read(i)]);
        }
      }
    }
  }

  it('gives every track its own values (albums, artists, genres, missing ones)', () => {
    const index = createLibraryIndex(
      {
        tracks: [
          track('t1', 'One', { artistIds: ['a1'], albumId: 'b0', isrc: 'X1' }),
          track('t2', 'Two', { artistIds: ['a2', 'a1'], albumId: 'b0' }),
          track('t3', 'Three', { artistIds: ['a2'], albumId: 'b1' }),
          track('t4', 'Four', { artistIds: ['a1'], albumId: 'b1' }),
          track('t5', 'Five', { artistIds: ['a1'], albumId: 'b9' }),
          track('t6', 'Six', { artistIds: [], albumId: null }),
          track('t7', 'Seven', { artistIds: ['a9'], albumId: 'b0' }),
          track('t8', 'Eight', { artistIds: ['a1', 'a2'], albumId: 'b2' }),
          track('t9', 'Nine', { artistIds: ['a1'], albumId: 'b0' }),
        ],
        albums: [
          album('b0', 'Plain', { label: 'Blue Note' }),
          album('b1', 'Blue', { genres: ['Blues', 'soul'], type: 'compilation' }),
          album('b2', 'Third', { type: 'single' }),
        ],
        artists: [artist('a1', 'Ánna', ['Soul', 'jazz', 'SOUL']), artist('a2', 'Bo', ['Rock'])],
        plays: [play('t1', NOW - DAY)],
      },
      options,
    );
    expectSameAsPerTrack(index);
  });

  it('gives every track its own values in a generated library', () => {
    const index = createLibraryIndex(
      generatedLibrary({ seed: 3, tracks: 500, plays: 100, likes: 10 }),
      options,
    );
    expectSameAsPerTrack(index);
  });
});
