import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type CatalogStore,
  type Play,
  type SearchQuery,
  type Track,
  createMemoryStore,
  createPgliteStore,
} from '../src/index.js';
import { mulberry32 } from '../src/internal/prng.js';
import { DAY, T0, album, artist, play, track } from './fixtures.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

// The SQL stores rank search in SQL; the memory store runs `searchDocuments`. Both must give the
// same page and total for any query: this generates a catalog with accents, punctuation,
// non-Latin names, repeated words and private tracks, and compares many queries.

const rnd = mulberry32(18);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const WORDS = ['Velvet', 'Rïver', 'light', 'AC/DC', 'Beyoncé', 'ÆON', 'Straße', 'Łódź', 'zoë'];
const MORE = ['night', 'nights', 'nite', 'rivers', 'Jay-Z', 'T. Rex', 'ночь', '東京', 'x', 'lo'];
const name = (n: number) =>
  Array.from({ length: n }, () => pick(rnd() < 0.5 ? WORDS : MORE)).join(rnd() < 0.2 ? ' - ' : ' ');

const artists = Array.from({ length: 12 }, (_, i) =>
  artist(`a${i}`, i === 3 ? 'Velvet' : name(1 + (i % 2)), [pick(['Rock', 'Hip Hop', 'Jazz'])]),
);
const albums = Array.from({ length: 20 }, (_, i) =>
  album(`al${i}`, i === 5 ? 'Beyonce' : name(2), [`a${i % 12}`], String(1990 + (i % 7)), [
    pick(['Rock', 'Post Rock']),
  ]),
);
const tracks: Track[] = Array.from({ length: 160 }, (_, i) =>
  track(
    `t${i}`,
    i % 17 === 0 ? 'velvet' : i % 23 === 0 ? 'Beyoncé' : name(1 + (i % 3)),
    `al${i % 20}`,
    [`a${i % 12}`],
    {
      visibility: i % 9 === 4 ? 'private' : 'public',
      addedAt: T0 - (i % 11) * DAY,
    },
  ),
);
const plays: Play[] = tracks.flatMap((t, i) =>
  Array.from({ length: i % 5 }, (_, k) => play(`u${k}`, t, T0 - (i + k) * 60_000)),
);

async function seed(store: CatalogStore): Promise<void> {
  await store.upsertArtists(artists);
  await store.upsertAlbums(albums);
  await store.upsertTracks(tracks);
  await store.appendPlays(plays);
  for (let i = 0; i < 30; i += 4)
    await store.like({ userId: `u${i % 3}`, trackId: `t${i}`, likedAt: T0 - i * 1000 });
}

function queries(): SearchQuery[] {
  const texts = [
    '',
    'velvet',
    'velvt',
    'xelvet',
    'bight',
    'bigh',
    'ighl',
    'VELVET',
    'river light',
    'rivr',
    'beyonce',
    'beyoncé',
    'acdc',
    'ac dc',
    'strasse',
    'lodz',
    'aeon',
    'ночь',
    '東京',
    'nite',
    'ni',
    'lo',
    'x',
    'jayz',
    'velvet velvet',
    'light velvet',
    'nomatch',
  ];
  const sorts = ['relevance', 'plays', 'likes', 'releaseDate', 'addedDate'] as const;
  const extras: Partial<SearchQuery>[] = [
    {},
    { kinds: ['track'] },
    { kinds: ['album', 'artist'] },
    { offset: 3, limit: 4 },
    { offset: 500 },
    { genre: 'post rock' },
    { artistId: 'a3' },
    { albumId: 'al5' },
    { releasedFrom: Date.UTC(1992, 0, 1), releasedTo: Date.UTC(1994, 0, 1) },
    { viewerArtistId: 'a4' },
  ];
  // Every text by relevance, and twice more with a sort and a filter in turn.
  return texts.flatMap((text, i) => [
    { text },
    { text, sort: sorts[i % sorts.length], ...extras[i % extras.length] },
    { text, sort: sorts[(i + 2) % sorts.length], ...extras[(i + 5) % extras.length] },
  ]);
}

describe('search on PGlite ranks exactly as searchDocuments', () => {
  const pglite = new PGlite();
  let sqlStore: CatalogStore;
  const memory = createMemoryStore();
  beforeAll(async () => {
    sqlStore = await createPgliteStore({ pglite });
    await seed(sqlStore);
    await seed(memory);
  });
  afterAll(async () => {
    await sqlStore?.close();
    await pglite.close();
  });

  it('gives the same page and total for every query', async () => {
    let nonEmpty = 0;
    for (const q of queries()) {
      const expected = await memory.search(q);
      if (expected.hits.length > 0) nonEmpty++;
      expect({ q, result: await sqlStore.search(q) }).toEqual({ q, result: expected });
    }
    // The comparison means something: most queries find hits.
    expect(nonEmpty).toBeGreaterThan(queries().length / 2);
  });

  it('gives the exact-name bonus to names outside ASCII', async () => {
    const { hits } = await sqlStore.search({ text: 'beyonce', kinds: ['track'] });
    expect(hits[0]).toMatchObject({ name: 'Beyoncé', score: 1 });
  });
});
