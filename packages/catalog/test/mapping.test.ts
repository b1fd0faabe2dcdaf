import { describe, expect, it } from 'vitest';
import {
  albumFromSpotify,
  albumSchema,
  artistFromSpotify,
  artistSchema,
  likeFromSpotify,
  linkAlbumVariants,
  playFromSpotify,
  playlistFromSpotify,
  playSchema,
  releaseDateStart,
  trackFromSpotify,
  trackSchema,
} from '../src/index.js';

const at = Date.UTC(2026, 5, 1);
const artistRef = {
  id: '4gzpq5DPGxSnKTe4SA8HAU',
  name: 'Coldplay',
  type: 'artist' as const,
  uri: 'spotify:artist:4gzpq5DPGxSnKTe4SA8HAU',
};

const album2026 = {
  id: '6ZG5lRT77aJ3btmArcykra',
  name: 'Parachutes',
  type: 'album' as const,
  uri: 'spotify:album:6ZG5lRT77aJ3btmArcykra',
  album_type: 'album',
  total_tracks: 10,
  release_date: '2000',
  release_date_precision: 'year' as const,
  artists: [artistRef],
  images: [{ url: 'https://i.scdn.co/image/abc', height: 640, width: 640 }],
};
const albumFull = {
  ...album2026,
  album_type: 'compilation',
  label: 'Parlophone',
  popularity: 77,
  genres: ['permanent wave'],
  album_group: 'album',
  available_markets: ['SE', 'GB'],
  external_ids: { upc: '724352759253' },
};
const track2026 = {
  id: '3AJwUDP919kvQ9QcozQPxg',
  name: 'Yellow',
  type: 'track' as const,
  uri: 'spotify:track:3AJwUDP919kvQ9QcozQPxg',
  duration_ms: 266773,
  explicit: false,
  artists: [artistRef],
  album: album2026,
};
const trackFull = {
  ...track2026,
  album: albumFull,
  track_number: 5,
  disc_number: 1,
  popularity: 88,
  available_markets: ['SE'],
  linked_from: { id: 'x' },
  external_ids: { isrc: 'GBAYE0000351' },
};

describe('mapping from Spotify objects', () => {
  it('maps 2026-shaped artists, albums and tracks with defaults for removed fields', () => {
    const artist = artistFromSpotify(artistRef, at);
    expect(artistSchema.parse(artist)).toEqual({
      id: artistRef.id,
      name: 'Coldplay',
      genres: [],
      ownerUserId: null,
      imageUrl: null,
      addedAt: at,
    });
    const album = albumFromSpotify(album2026, at);
    expect(albumSchema.parse(album)).toMatchObject({
      type: 'album',
      upc: null,
      label: null,
      genres: [],
      releaseDate: '2000',
      releaseDatePrecision: 'year',
      imageUrl: 'https://i.scdn.co/image/abc',
    });
    const track = trackFromSpotify(track2026, at);
    expect(trackSchema.parse(track)).toMatchObject({
      isrc: null,
      discNumber: 1,
      trackNumber: 0,
      ownerArtistId: artistRef.id,
      albumId: album2026.id,
    });
  });

  it('keeps the extra fields of the full shape', () => {
    expect(
      artistFromSpotify(
        { ...artistRef, genres: ['britpop'], popularity: 90, followers: { total: 5 } },
        at,
      ).genres,
    ).toEqual(['britpop']);
    expect(albumFromSpotify(albumFull, at)).toMatchObject({
      type: 'compilation',
      upc: '724352759253',
      label: 'Parlophone',
      genres: ['permanent wave'],
    });
    expect(trackFromSpotify(trackFull, at)).toMatchObject({ isrc: 'GBAYE0000351', trackNumber: 5 });
  });

  it('maps recently played items to Plays, saved tracks to Likes and playlists', () => {
    const p = playFromSpotify({ track: trackFull, played_at: '2026-06-01T10:00:00.123Z' }, 'u1');
    expect(playSchema.parse(p)).toMatchObject({
      userId: 'u1',
      trackId: track2026.id,
      artistIds: [artistRef.id],
      artistName: 'Coldplay',
      albumName: 'Parachutes',
      endedAt: Date.UTC(2026, 5, 1, 10, 0, 0, 123),
      msPlayed: 266773,
      skipped: null,
      source: 'api',
    });
    expect(likeFromSpotify({ added_at: '2026-01-02T03:04:05Z', track: track2026 }, 'u1')).toEqual({
      userId: 'u1',
      trackId: track2026.id,
      likedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    });
    const pl = playlistFromSpotify(
      {
        id: 'p1',
        name: 'Mine',
        snapshot_id: 's',
        owner: { id: 'u1' },
        description: null,
        public: null,
      },
      [
        { added_at: '2026-01-01T00:00:00Z', item: { id: 'a' } },
        { added_at: '2026-01-02T00:00:00Z', track: { id: 'b' }, added_by: { id: 'u2' } },
        { added_at: null, item: null, is_local: true } as { added_at: null; item: null },
      ],
      at,
    );
    expect(pl).toMatchObject({
      description: '',
      public: false,
      collaborative: false,
      snapshotId: 's',
    });
    expect(pl.items).toEqual([
      { trackId: 'a', addedAt: Date.UTC(2026, 0, 1), addedBy: null },
      { trackId: 'b', addedAt: Date.UTC(2026, 0, 2), addedBy: 'u2' },
    ]);
  });
});

describe('tolerant album mapping and explicit/clean variants', () => {
  it('fills in what a reduced album object leaves out', () => {
    const bare = { id: 'x', name: 'Bare', artists: [artistRef], images: null, genres: null };
    expect(albumSchema.parse(albumFromSpotify(bare, at))).toMatchObject({
      type: 'album',
      totalTracks: 0,
      releaseDate: '0000',
      releaseDatePrecision: 'year',
      imageUrl: null,
      genres: [],
    });
    const date = (release_date: string, release_date_precision?: 'year' | 'month' | 'day') => {
      const a = albumFromSpotify({ ...album2026, release_date, release_date_precision }, at);
      return [a.releaseDate, a.releaseDatePrecision];
    };
    expect(date('0000', 'year')).toEqual(['0000', 'year']);
    expect(date('1981-12')).toEqual(['1981-12', 'month']);
    expect(date('1981-01-01', 'year')).toEqual(['1981', 'year']);
    expect(date('1981', 'day')).toEqual(['1981', 'year']);
    expect(date('soon', 'day')).toEqual(['0000', 'year']);
    // "0000" sorts before every real date instead of landing in 1900.
    expect(releaseDateStart('0000')).toBeLessThan(releaseDateStart('1899'));
    expect(releaseDateStart('0099-02')).toBe(new Date('0099-02-01T00:00:00Z').getTime());
  });

  it('derives explicit albums from their tracks and links explicit and clean versions', () => {
    const base = albumFromSpotify(albumFull, at);
    const albums = [
      { ...base, id: 'e', name: 'Parachutes' },
      { ...base, id: 'c', name: 'Parachutes (Clean)' },
      { ...base, id: 'other', name: 'Parachutes', artistIds: ['someone-else'] },
      { ...base, id: 'lonely', name: 'X&Y' },
    ];
    const tracks = [
      { albumId: 'e', explicit: true },
      { albumId: 'e', explicit: false },
      { albumId: 'c', explicit: false },
      { albumId: 'other', explicit: true },
      { albumId: null, explicit: true },
    ];
    const linked = linkAlbumVariants(albums, tracks);
    expect(linked.map((a) => [a.id, a.explicit, a.variantOfAlbumId])).toEqual([
      ['e', true, 'c'],
      ['c', false, 'e'],
      ['other', true, null],
      ['lonely', false, null],
    ]);
    // Two clean candidates for one explicit album: ambiguous, nothing is linked.
    const twice = linkAlbumVariants([...albums.slice(0, 2), { ...albums[1]!, id: 'c2' }], tracks);
    expect(twice.every((a) => a.variantOfAlbumId === null)).toBe(true);
    expect(albums[0]?.variantOfAlbumId).toBeNull(); // input untouched
  });
});
