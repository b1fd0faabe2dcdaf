import type { Album, Artist, Play, Track } from '../src/index.js';
import { mulberry32 } from '@spoti/internal';

/** How many of each entity to generate. */
export interface Sizes {
  readonly artists: number;
  readonly albums: number;
  readonly tracks: number;
  readonly plays: number;
  readonly users: number;
}

const DAY = 86_400_000;

const rnd = mulberry32(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const SYL = [
  'ka',
  'lo',
  'mi',
  'ra',
  'ne',
  'to',
  'su',
  'vi',
  'do',
  'ré',
  'jö',
  'ñа',
  'el',
  'an',
  'or',
  'is',
];
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
  'star',
];
const GENRES = [
  'pop',
  'rock',
  'jazz',
  'hip hop',
  'techno',
  'house',
  'folk',
  'metal',
  'soul',
  'r&b',
  'indie',
  'punk',
  'blues',
  'classical',
  'reggae',
  'latin',
  'k-pop',
  'ambient',
  'trap',
  'country',
];
const word = () => Array.from({ length: 2 + Math.floor(rnd() * 2) }, () => pick(SYL)).join('');
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// Zipf-like popularity: index = floor(n * u^3) concentrates plays on the head.
const skewed = (n: number) => Math.min(n - 1, Math.floor(n * rnd() ** 3));

/** The benchmark's seeded synthetic catalog and play log. */
export function generate(SIZES: Sizes, NOW: number) {
  const artists: Artist[] = Array.from({ length: SIZES.artists }, (_, i) => ({
    id: `ar${i}`,
    name: `${cap(word())} ${cap(word())}`,
    genres: [pick(GENRES), ...(rnd() < 0.5 ? [pick(GENRES)] : [])],
    ownerUserId: null,
    imageUrl: null,
    addedAt: NOW - Math.floor(rnd() * 3000) * DAY,
  }));
  const albums: Album[] = Array.from({ length: SIZES.albums }, (_, i) => {
    const year = 1960 + Math.floor(rnd() * 66);
    return {
      id: `al${i}`,
      name: `${cap(pick(WORDS))} ${cap(word())}`,
      type: rnd() < 0.7 ? 'album' : 'single',
      artistIds: [`ar${Math.floor(rnd() * SIZES.artists)}`],
      releaseDate: `${year}-0${1 + Math.floor(rnd() * 9)}`,
      releaseDatePrecision: 'month',
      upc: null,
      explicit: false,
      variantOfAlbumId: null,
      genres: [],
      label: null,
      imageUrl: null,
      totalTracks: 10,
      addedAt: NOW - Math.floor(rnd() * 3000) * DAY,
    };
  });
  const tracks: Track[] = Array.from({ length: SIZES.tracks }, (_, i) => {
    const album = albums[i % albums.length]!;
    return {
      id: `tr${i}`,
      name: `${cap(pick(WORDS))} ${pick(WORDS)} ${word()}`,
      albumId: album.id,
      artistIds: album.artistIds,
      ownerArtistId: album.artistIds[0] ?? null,
      durationMs: 120_000 + Math.floor(rnd() * 240_000),
      isrc: null,
      explicit: rnd() < 0.1,
      visibility: 'public',
      discNumber: 1,
      trackNumber: 1 + Math.floor(i / albums.length),
      addedAt: album.addedAt,
    };
  });
  const plays: Play[] = [];
  for (let i = 0; i < SIZES.plays; i++) {
    const t = tracks[skewed(tracks.length)]!;
    plays.push({
      userId: `u${Math.floor(rnd() * SIZES.users)}`,
      trackId: t.id,
      trackName: t.name,
      artistIds: t.artistIds,
      artistName: 'x',
      albumId: t.albumId,
      albumName: null,
      endedAt: NOW - Math.floor(rnd() * 365 * DAY),
      msPlayed: 100_000,
      skipped: rnd() < 0.2,
      reasonStart: 'trackdone',
      reasonEnd: 'trackdone',
      shuffle: false,
      offline: false,
      offlineTimestamp: null,
      platform: 'linux',
      source: 'api',
    });
  }
  return { artists, albums, tracks, plays };
}
