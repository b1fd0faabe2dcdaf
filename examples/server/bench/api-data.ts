// Seeded synthetic catalog for the platform API benchmark: artists, albums, songs (some private),
// and a play log with a skewed popularity, written through the catalog store in batches.
import type { Album, Artist, CatalogStore, Play, Track } from '@spoti/catalog';
import { mulberry } from './api-prng.js';

const DAY = 86_400_000;
const WORDS = [
  'love',
  'night',
  'fire',
  'heart',
  'song',
  'dream',
  'blue',
  'river',
  'light',
  'summer',
  'city',
  'rain',
  'gold',
  'wild',
  'home',
  'glass',
  'echo',
  'storm',
  'velvet',
  'neon',
  'ocean',
  'shadow',
  'silver',
  'quiet',
  'north',
  'paper',
  'ember',
  'tide',
  'lantern',
  'drift',
];
const GENRES = [
  'pop',
  'rock',
  'jazz',
  'hip hop',
  'electronic',
  'folk',
  'metal',
  'soul',
  'indie',
  'ambient',
];

/** Sizes of the generated world. */
export interface ApiBenchSizes {
  readonly artists: number;
  readonly albums: number;
  readonly tracks: number;
  readonly users: number;
  readonly plays: number;
}

/** Writes the world into `store`; plays end within the `days` before `now`. */
export async function seedCatalog(
  store: CatalogStore,
  sizes: ApiBenchSizes,
  now: number,
  days: number,
  onProgress: (plays: number) => void,
): Promise<void> {
  const rnd = mulberry(2026);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const SYLLABLES = [
    'ka',
    'lo',
    'mi',
    'ra',
    'ne',
    'to',
    'su',
    'vi',
    'do',
    're',
    'el',
    'an',
    'or',
    'is',
    'qu',
    'ba',
  ];
  const coined = () =>
    Array.from({ length: 2 + Math.floor(rnd() * 2) }, () => pick(SYLLABLES)).join('');
  // One common word and coined ones: a realistic spread of how many songs share a term.
  const title = (n: number) => [pick(WORDS), ...Array.from({ length: n - 1 }, coined)].join(' ');
  const artists: Artist[] = Array.from({ length: sizes.artists }, (_, i) => ({
    id: `ar${i}`,
    name: `${title(2)} ${i}`,
    genres: [pick(GENRES)],
    ownerUserId: null,
    imageUrl: null,
    addedAt: now - 400 * DAY,
  }));
  const albums: Album[] = Array.from({ length: sizes.albums }, (_, i) => ({
    id: `al${i}`,
    name: title(2),
    type: 'album',
    artistIds: [`ar${i % sizes.artists}`],
    releaseDate: String(1970 + (i % 56)),
    releaseDatePrecision: 'year',
    upc: null,
    explicit: false,
    variantOfAlbumId: null,
    genres: [pick(GENRES)],
    label: null,
    imageUrl: null,
    totalTracks: Math.ceil(sizes.tracks / sizes.albums),
    addedAt: now - 300 * DAY,
  }));
  const tracks: Track[] = Array.from({ length: sizes.tracks }, (_, i) => {
    const album = albums[i % albums.length] as Album;
    return {
      id: `tr${i}`,
      name: title(3),
      albumId: album.id,
      artistIds: album.artistIds,
      ownerArtistId: album.artistIds[0] ?? null,
      durationMs: 180_000,
      isrc: null,
      explicit: false,
      visibility: i % 50 === 7 ? 'private' : 'public',
      discNumber: 1,
      trackNumber: 1 + Math.floor(i / albums.length),
      addedAt: now - 200 * DAY,
    };
  });
  await store.upsertArtists(artists);
  await store.upsertAlbums(albums);
  for (let i = 0; i < tracks.length; i += 10_000)
    await store.upsertTracks(tracks.slice(i, i + 10_000));
  const batch = 20_000;
  for (let done = 0; done < sizes.plays; done += batch) {
    const plays: Play[] = [];
    for (let i = done; i < Math.min(sizes.plays, done + batch); i++) {
      const t = tracks[
        Math.min(tracks.length - 1, Math.floor(tracks.length * rnd() ** 3))
      ] as Track;
      plays.push({
        userId: `u${Math.floor(rnd() * sizes.users)}`,
        trackId: t.id,
        trackName: t.name,
        artistIds: t.artistIds,
        artistName: 'x',
        albumId: t.albumId,
        albumName: null,
        // Distinct per play: the play key dedupes (user, track, minute).
        endedAt: now - Math.floor(((i + 0.5) / sizes.plays) * days * DAY),
        msPlayed: 180_000,
        skipped: null,
        reasonStart: null,
        reasonEnd: null,
        shuffle: null,
        offline: null,
        offlineTimestamp: null,
        platform: 'bench',
        source: 'api',
      });
    }
    await store.appendPlays(plays);
    onProgress(Math.min(sizes.plays, done + batch));
  }
}
