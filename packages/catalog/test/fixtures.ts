import type { Album, Artist, Play, Track, User } from '../src/index.js';

export const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export function artist(id: string, name: string, genres: string[]): Artist {
  return { id, name, genres, ownerUserId: null, imageUrl: null, addedAt: T0 - 100 * DAY };
}

export function album(
  id: string,
  name: string,
  artistIds: string[],
  releaseDate: string,
  genres: string[] = [],
): Album {
  return {
    id,
    name,
    type: 'album',
    artistIds,
    releaseDate,
    releaseDatePrecision:
      releaseDate.length === 4 ? 'year' : releaseDate.length === 7 ? 'month' : 'day',
    upc: null,
    explicit: false,
    variantOfAlbumId: null,
    genres,
    label: null,
    imageUrl: null,
    totalTracks: 10,
    addedAt: T0 - 50 * DAY,
  };
}

export function track(
  id: string,
  name: string,
  albumId: string | null,
  artistIds: string[],
  extra: Partial<Track> = {},
): Track {
  return {
    id,
    name,
    albumId,
    artistIds,
    ownerArtistId: artistIds[0] ?? null,
    durationMs: 200_000,
    isrc: null,
    explicit: false,
    visibility: 'public',
    discNumber: 1,
    trackNumber: 1,
    addedAt: T0 - 40 * DAY,
    ...extra,
  };
}

export function user(id: string, extra: Partial<User> = {}): User {
  return {
    id,
    displayName: id,
    role: 'listener',
    artistId: null,
    country: null,
    imageUrl: null,
    preferences: { audioQuality: 'high', offlineMode: false, explicitContent: true },
    createdAt: T0 - 365 * DAY,
    ...extra,
  };
}

export function play(userId: string, t: Track, endedAt: number, extra: Partial<Play> = {}): Play {
  return {
    userId,
    trackId: t.id,
    trackName: t.name,
    artistIds: t.artistIds,
    artistName: 'someone',
    albumId: t.albumId,
    albumName: null,
    endedAt,
    msPlayed: 180_000,
    skipped: false,
    reasonStart: 'trackdone',
    reasonEnd: 'trackdone',
    shuffle: false,
    offline: false,
    offlineTimestamp: null,
    platform: 'linux',
    source: 'api',
    ...extra,
  };
}

export const artists = [
  artist('a1', 'Beyoncé', ['Pop', 'R&B']),
  artist('a2', 'Sigur Rós', ['Post-Rock']),
  artist('a3', 'Motörhead', ['Metal']),
  artist('a4', 'Björk', ['Electronic', 'Art Pop']),
  artist('a5', 'Queen', ['Rock']),
];

export const albums = [
  album('al1', 'Lemonade', ['a1'], '2016-04-23', ['Pop']),
  album('al2', 'Ágætis byrjun', ['a2'], '1999-06'),
  album('al3', 'Ace of Spades', ['a3'], '1980'),
  album('al4', 'Homogenic', ['a4'], '1997-09-22'),
  album('al5', 'A Night at the Opera', ['a5'], '1975-11-21'),
];

export const tracks = [
  track('t01', 'Formation', 'al1', ['a1']),
  track('t02', 'Hold Up', 'al1', ['a1']),
  track('t03', 'Sorry', 'al1', ['a1'], { explicit: true }),
  track('t04', 'Svefn-g-englar', 'al2', ['a2']),
  track('t05', 'Starálfur', 'al2', ['a2']),
  track('t06', 'Ace of Spades', 'al3', ['a3']),
  track('t07', 'Jóga', 'al4', ['a4']),
  track('t08', 'Bachelorette', 'al4', ['a4']),
  track('t09', 'Bohemian Rhapsody', 'al5', ['a5']),
  track('t10', 'Love of My Life', 'al5', ['a5']),
  track('t11', 'Hidden Demo', 'al5', ['a5'], { visibility: 'private' }),
];

export function byId(id: string): Track {
  const t = tracks.find((x) => x.id === id);
  if (!t) throw new Error(`no fixture ${id}`);
  return t;
}
