import type { IndexedTrack, PlayIndex } from '../play-index.js';
import type { RankedAlbum, RankedArtist, RankedTrack, TopLists } from '../types.js';
import { countPlayed, rank } from './rank.js';

/** Plays and listening time per track, artist and album of an index. */
export class LibraryTotals {
  readonly trackPlays: Float64Array;
  readonly trackMs: Float64Array;
  readonly artistPlays: Float64Array;
  readonly artistMs: Float64Array;
  readonly albumPlays: Float64Array;
  readonly albumMs: Float64Array;

  constructor(private readonly index: PlayIndex) {
    this.trackPlays = new Float64Array(index.tracks.length);
    this.trackMs = new Float64Array(index.tracks.length);
    this.artistPlays = new Float64Array(index.artists.length);
    this.artistMs = new Float64Array(index.artists.length);
    this.albumPlays = new Float64Array(index.albums.length);
    this.albumMs = new Float64Array(index.albums.length);
  }

  /** Counts a play of `ms` of track `tr` (`info` is its entry in the index). */
  add(tr: number, info: IndexedTrack, ms: number): void {
    this.trackPlays[tr] = (this.trackPlays[tr] as number) + 1;
    this.trackMs[tr] = (this.trackMs[tr] as number) + ms;
    const artist = info.artist;
    this.artistPlays[artist] = (this.artistPlays[artist] as number) + 1;
    this.artistMs[artist] = (this.artistMs[artist] as number) + ms;
    const album = info.album;
    if (album >= 0) {
      this.albumPlays[album] = (this.albumPlays[album] as number) + 1;
      this.albumMs[album] = (this.albumMs[album] as number) + ms;
    }
  }

  /** Distinct tracks, artists and albums played. */
  uniques(): { uniqueTracks: number; uniqueArtists: number; uniqueAlbums: number } {
    return {
      uniqueTracks: countPlayed(this.trackPlays),
      uniqueArtists: countPlayed(this.artistPlays),
      uniqueAlbums: countPlayed(this.albumPlays),
    };
  }

  /** Top artists, tracks and albums, `limit` long. */
  tops(limit: number): {
    topArtists: TopLists<RankedArtist>;
    topTracks: TopLists<RankedTrack>;
    topAlbums: TopLists<RankedAlbum>;
  } {
    const { index } = this;
    const artistOut = (a: number): RankedArtist => {
      const artist = index.artists[a] as (typeof index.artists)[number];
      const { id, name } = artist;
      return {
        id,
        name,
        plays: this.artistPlays[a] as number,
        msPlayed: this.artistMs[a] as number,
      };
    };
    const trackOut = (t: number): RankedTrack => {
      const info = index.tracks[t] as IndexedTrack;
      return {
        id: info.id,
        name: info.name,
        artistName: index.artists[info.artist]?.name ?? '',
        albumName: info.album >= 0 ? (index.albums[info.album]?.name ?? null) : null,
        plays: this.trackPlays[t] as number,
        msPlayed: this.trackMs[t] as number,
      };
    };
    const albumOut = (a: number): RankedAlbum => {
      const album = index.albums[a] as (typeof index.albums)[number];
      return {
        id: album.id,
        name: album.name,
        artistName: index.artists[album.artist]?.name ?? '',
        plays: this.albumPlays[a] as number,
        msPlayed: this.albumMs[a] as number,
      };
    };
    const nArtists = index.artists.length;
    return {
      topArtists: rank(nArtists, this.artistPlays, this.artistMs, limit, artistOut),
      topTracks: rank(index.tracks.length, this.trackPlays, this.trackMs, limit, trackOut),
      topAlbums: rank(index.albums.length, this.albumPlays, this.albumMs, limit, albumOut),
    };
  }

  /**
   * Discovery: artists played in the period (the plays `order[start..]`) whose first play in the
   * whole history falls in it.
   */
  newArtists(order: Uint32Array, start: number): number {
    const { index } = this;
    const nArtists = index.artists.length;
    const seenBefore = new Uint8Array(nArtists);
    for (let k = 0; k < start; k++) {
      const track = index.track[order[k] as number] as number;
      seenBefore[(index.tracks[track] as IndexedTrack).artist] = 1;
    }
    let count = 0;
    for (let a = 0; a < nArtists; a++)
      if ((this.artistPlays[a] as number) > 0 && seenBefore[a] === 0) count++;
    return count;
  }
}
