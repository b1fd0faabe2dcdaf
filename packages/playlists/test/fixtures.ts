import { mulberry32 } from '@spoti/internal';
import type { Album, Artist, Play, Track } from '@spoti/catalog';
import type { LibraryInput } from '../src/index.js';

export const DAY = 86_400_000;
/** "Now" of every fixture: 2026-11-01T12:00:00Z. */
export const NOW = Date.UTC(2026, 10, 1, 12);

export function artist(id: string, name: string, genres: string[] = []): Artist {
  return { id, name, genres, ownerUserId: null, imageUrl: null, addedAt: 0 };
}

export function album(id: string, name: string, overrides: Partial<Album> = {}): Album {
  return {
    id,
    name,
    type: 'album',
    artistIds: [],
    releaseDate: '2020-01-01',
    releaseDatePrecision: 'day',
    upc: null,
    explicit: false,
    variantOfAlbumId: null,
    genres: [],
    label: null,
    imageUrl: null,
    totalTracks: 10,
    addedAt: 0,
    ...overrides,
  };
}

export function track(id: string, name: string, overrides: Partial<Track> = {}): Track {
  return {
    id,
    name,
    albumId: null,
    artistIds: [],
    ownerArtistId: null,
    durationMs: 200_000,
    isrc: null,
    explicit: false,
    visibility: 'public',
    discNumber: 1,
    trackNumber: 1,
    addedAt: 0,
    ...overrides,
  };
}

export function play(trackId: string, endedAt: number, overrides: Partial<Play> = {}): Play {
  return {
    userId: 'u1',
    trackId,
    trackName: trackId,
    artistIds: [],
    artistName: '',
    albumId: null,
    albumName: null,
    endedAt,
    msPlayed: 180_000,
    skipped: false,
    reasonStart: null,
    reasonEnd: null,
    shuffle: null,
    offline: null,
    offlineTimestamp: null,
    platform: null,
    source: 'api',
    ...overrides,
  };
}

/**
 * A small hand-made library with known answers:
 * - t1 "Blue in Green" (Miles Davis, jazz, 1959): saved 10 days ago, never played;
 * - t2 "So What" (Miles Davis): saved 100 days ago, played once 5 days ago at 23:10 UTC;
 * - t3 "Paranoid Android" (Radiohead, rock, 1997-05): saved 40 days ago, played 3 times, last 60 days ago;
 * - t4 "Karma Police" (Radiohead): not saved, played 5 times (one skip), explicit;
 * - t5 "Karma Police (Clean)" on the clean edition of t4's album, same position;
 * - t6 "Hoppípolla" (Sigur Rós, post-rock, release year 2005 only), saved 2 days ago, 10 s stream once.
 */
export function smallLibrary(): LibraryInput {
  const artists = [
    artist('a1', 'Miles Davis', ['Jazz', 'cool jazz']),
    artist('a2', 'Radiohead', ['alternative rock']),
    artist('a3', 'Sigur Rós', ['post-rock']),
  ];
  const albums = [
    album('al1', 'Kind of Blue', {
      artistIds: ['a1'],
      releaseDate: '1959-08-17',
      label: 'Columbia',
    }),
    album('al2', 'OK Computer', {
      artistIds: ['a2'],
      releaseDate: '1997-05',
      releaseDatePrecision: 'month',
      explicit: true,
    }),
    album('al2c', 'OK Computer (Clean)', {
      artistIds: ['a2'],
      releaseDate: '1997-05',
      releaseDatePrecision: 'month',
      variantOfAlbumId: 'al2',
    }),
    album('al3', 'Takk...', {
      artistIds: ['a3'],
      releaseDate: '2005',
      releaseDatePrecision: 'year',
    }),
  ];
  const tracks = [
    track('t1', 'Blue in Green', {
      albumId: 'al1',
      artistIds: ['a1'],
      durationMs: 337_000,
      trackNumber: 3,
      isrc: 'USSM15900113',
    }),
    track('t2', 'So What', {
      albumId: 'al1',
      artistIds: ['a1'],
      durationMs: 562_000,
      trackNumber: 1,
    }),
    track('t3', 'Paranoid Android', {
      albumId: 'al2',
      artistIds: ['a2'],
      durationMs: 383_000,
      trackNumber: 2,
    }),
    track('t4', 'Karma Police', {
      albumId: 'al2',
      artistIds: ['a2'],
      durationMs: 264_000,
      trackNumber: 6,
      explicit: true,
      isrc: 'GBAYE9700006',
    }),
    track('t5', 'Karma Police (Clean)', {
      albumId: 'al2c',
      artistIds: ['a2'],
      durationMs: 264_000,
      trackNumber: 6,
      isrc: 'GBAYE9700106',
    }),
    track('t6', 'Hoppípolla', {
      albumId: 'al3',
      artistIds: ['a3'],
      durationMs: 268_000,
      trackNumber: 2,
    }),
  ];
  const likes = [
    { trackId: 't1', likedAt: NOW - 10 * DAY },
    { trackId: 't2', likedAt: NOW - 100 * DAY },
    { trackId: 't3', likedAt: NOW - 40 * DAY },
    { trackId: 't6', likedAt: NOW - 2 * DAY },
  ];
  const at = (days: number, hourUtc = 12) =>
    Date.UTC(2026, 10, 1) - days * DAY + hourUtc * 3_600_000 + 10 * 60_000;
  const plays = [
    play('t2', at(5, 23)),
    play('t3', at(200)),
    play('t3', at(100)),
    play('t3', at(60)),
    play('t4', at(50)),
    play('t4', at(40)),
    play('t4', at(20), { skipped: true }),
    play('t4', at(10)),
    play('t4', at(1, 8)),
    play('t6', at(1), { msPlayed: 10_000, skipped: null }),
    play(null as unknown as string, at(3), {
      trackId: null,
      artistIds: ['a2'],
      trackName: 'Creep',
    }),
  ];
  return {
    tracks,
    albums,
    artists,
    likes,
    plays,
    playlists: [{ id: 'pl1', items: [{ trackId: 't1' }, { trackId: 't4' }] }],
  };
}

/** A generated library of `tracks` tracks, `plays` plays and `likes` saved tracks (seeded). */
export function generatedLibrary(options: {
  seed: number;
  tracks: number;
  plays: number;
  likes: number;
  artists?: number;
}): LibraryInput {
  const rnd = mulberry32(options.seed);
  const nArtists = options.artists ?? Math.max(1, Math.round(options.tracks / 20));
  const GENRES = ['jazz', 'rock', 'indie pop', 'techno', 'ambient', 'hip hop', 'folk', 'metal'];
  const artists: Artist[] = [];
  for (let a = 0; a < nArtists; a++) {
    artists.push(artist(`ar${a}`, `Artist ${a}`, [GENRES[a % GENRES.length]!]));
  }
  const albums: Album[] = [];
  const tracks: Track[] = [];
  const perAlbum = 10;
  const nAlbums = Math.ceil(options.tracks / perAlbum);
  for (let b = 0; b < nAlbums; b++) {
    const year = 1960 + Math.floor(rnd() * 66);
    const precision = rnd() < 0.1 ? 'year' : 'day';
    albums.push(
      album(`al${b}`, `Album ${b}`, {
        artistIds: [`ar${b % nArtists}`],
        releaseDate: precision === 'year' ? `${year}` : `${year}-0${1 + (b % 9)}-1${b % 10}`,
        releaseDatePrecision: precision,
        variantOfAlbumId: b % 17 === 1 ? `al${b - 1}` : null,
        genres: rnd() < 0.3 ? [GENRES[b % GENRES.length]!] : [],
      }),
    );
  }
  for (let t = 0; t < options.tracks; t++) {
    const b = Math.floor(t / perAlbum);
    const a = b % nArtists;
    const features =
      rnd() < 0.1 && nArtists > 1 ? [`ar${a}`, `ar${(a + 1) % nArtists}`] : [`ar${a}`];
    tracks.push(
      track(`tr${t}`, `Song ${t} ${GENRES[t % GENRES.length]}`, {
        albumId: `al${b}`,
        artistIds: features,
        durationMs: 90_000 + Math.floor(rnd() * 300_000),
        trackNumber: (t % perAlbum) + 1,
        explicit: rnd() < 0.15,
        isrc: rnd() < 0.05 && t > 0 ? `ISRC${t - 1}` : `ISRC${t}`,
      }),
    );
  }
  const likes: { trackId: string; likedAt: number }[] = [];
  const liked = new Set<number>();
  while (liked.size < Math.min(options.likes, options.tracks)) {
    liked.add(Math.floor(rnd() * options.tracks));
  }
  for (const t of liked)
    likes.push({ trackId: `tr${t}`, likedAt: NOW - Math.floor(rnd() * 720) * DAY });
  const plays: Play[] = [];
  const hot = Math.max(1, Math.floor(options.tracks / 5));
  for (let p = 0; p < options.plays; p++) {
    const t = rnd() < 0.7 ? Math.floor(rnd() * hot) : Math.floor(rnd() * options.tracks);
    const ms = rnd() < 0.15 ? Math.floor(rnd() * 30_000) : 30_000 + Math.floor(rnd() * 200_000);
    plays.push(
      play(`tr${t}`, NOW - Math.floor(rnd() * 730 * DAY), {
        msPlayed: ms,
        skipped: ms < 30_000 ? true : rnd() < 0.05,
        artistIds: [`ar${Math.floor(t / perAlbum) % nArtists}`],
        albumId: `al${Math.floor(t / perAlbum)}`,
      }),
    );
  }
  const playlists = [
    { id: 'gp1', items: tracks.filter((_, k) => k % 7 === 0).map((t) => ({ trackId: t.id })) },
  ];
  return { tracks, albums, artists, likes, plays, playlists };
}
