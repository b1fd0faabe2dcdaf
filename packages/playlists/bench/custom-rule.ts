import type { Rule } from '../src/index.js';

/** The 20-clause nested rule of the benchmark: every field kind, windows, sort, dedupe and limit. */
export const CUSTOM: Rule = {
  name: '20-clause rule',
  all: [
    { is: { saved: true } },
    {
      any: [
        {
          all: [
            { gt: { playCount: 3 } },
            { inTheLast: { lastPlayed: 90 } },
            { lt: { skipRate: 0.3 } },
          ],
        },
        { all: [{ contains: { genre: 'jazz' } }, { inTheRange: { year: [1955, 1975] } }] },
        {
          all: [
            { gt: { playCount: 1 }, window: { weeks: 8 } },
            { inTheRange: { playedAtHour: [22, 4] } },
            { not: { is: { explicit: true } } },
          ],
        },
        { all: [{ startsWith: { title: 'song 1' } }, { gt: { artistPlayCount: 50 } }] },
      ],
    },
    { notContains: { genre: 'metal' } },
    { inTheRange: { duration: [100, 420] } },
    { any: [{ before: { releaseDate: '2010' } }, { after: { releaseDate: '2019-06' } }] },
    { not: { inTheLast: { addedAt: 3 } } },
    { any: [{ notInPlaylist: 'gp1' }, { gt: { minutesPlayed: 10 } }] },
    { matches: { artist: '^artist [0-9]+$' } },
    { isNot: { albumType: 'compilation' } },
  ],
  sort: [
    { by: 'playCount', order: 'desc', window: 30 },
    { by: 'lastPlayed', order: 'desc' },
  ],
  separateArtists: true,
  dedupe: 'isrc',
  limit: { hours: 6 },
};
