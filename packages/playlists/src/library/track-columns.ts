import { type Album, type Artist, releaseDateStart, type Track } from '@spoti/catalog';
import type { FieldName } from '../rule/fields.js';
import { DAY, type PlayStats } from './play-stats.js';

/**
 * How a text field of track `i` is read: `one` turns a single value into its (shared) list.
 * Album-, artist- and genre-valued fields follow the track's album and artists.
 */
export function textReader(
  field: FieldName,
  tracks: readonly Track[],
  albums: readonly (Album | undefined)[],
  artistsById: ReadonlyMap<string, Artist>,
  one: (s: string | null | undefined) => readonly string[],
): (i: number) => readonly string[] {
  // The genres of each artist, read once: most tracks have one artist and an album without
  // genres, whose genres are then that artist's list.
  const artistGenres = new Map<string, readonly string[]>();
  const genresOfArtist = (id: string): readonly string[] => {
    let list = artistGenres.get(id);
    if (list === undefined) {
      const set = new Set<string>();
      for (const g of artistsById.get(id)?.genres ?? []) for (const v of one(g)) set.add(v);
      list = [...set];
      artistGenres.set(id, list);
    }
    return list;
  };
  // One small reader per field, chosen once (a reader switching on the field for every track
  // was compiled as one large function with every field's code inlined).
  switch (field) {
    case 'title':
      return (i) => one(tracks[i]!.name);
    case 'artist':
      return (i) => {
        const ids = tracks[i]!.artistIds;
        return ids.length === 1
          ? one(artistsById.get(ids[0]!)?.name)
          : ids.flatMap((id) => one(artistsById.get(id)?.name));
      };
    case 'artistId':
      return (i) => tracks[i]!.artistIds;
    case 'album':
      return (i) => one(albums[i]?.name);
    case 'albumId':
      return (i) => {
        const id = tracks[i]!.albumId;
        return id === null ? [] : [id];
      };
    case 'albumType':
      return (i) => one(albums[i]?.type);
    case 'label':
      return (i) => one(albums[i]?.label);
    case 'trackId':
      return (i) => [tracks[i]!.id];
    case 'isrc':
      return (i) => one(tracks[i]!.isrc);
    case 'genre':
      return (i) => {
        const track = tracks[i]!;
        const albumGenres = albums[i]?.genres ?? [];
        if (albumGenres.length === 0 && track.artistIds.length === 1) {
          return genresOfArtist(track.artistIds[0]!);
        }
        const set = new Set<string>();
        for (const g of albumGenres) for (const v of one(g)) set.add(v);
        for (const id of track.artistIds) for (const v of genresOfArtist(id)) set.add(v);
        return [...set];
      };
    default:
      return () => [];
  }
}

/** The tracks' values of one field, into `out` (NaN: none). */
type ColumnFiller = (
  out: Float64Array,
  tracks: readonly Track[],
  albums: readonly (Album | undefined)[],
  likedAt: Float64Array,
) => void;

/**
 * One loop per field, each a function of its own (one function holding every field's loop was
 * compiled whole, with all of them, as soon as one was hot).
 */
const TRACK_COLUMNS: Partial<Record<FieldName, ColumnFiller>> = {
  duration: (out, tracks) => {
    for (let i = 0; i < out.length; i++) out[i] = tracks[i]!.durationMs / 1000;
  },
  trackNumber: (out, tracks) => {
    for (let i = 0; i < out.length; i++) out[i] = tracks[i]!.trackNumber;
  },
  discNumber: (out, tracks) => {
    for (let i = 0; i < out.length; i++) out[i] = tracks[i]!.discNumber;
  },
  explicit: (out, tracks) => {
    for (let i = 0; i < out.length; i++) out[i] = tracks[i]!.explicit ? 1 : 0;
  },
  year: (out, _tracks, albums) => {
    for (let i = 0; i < out.length; i++) {
      const album = albums[i];
      out[i] = album ? Number(album.releaseDate.slice(0, 4)) : Number.NaN;
    }
  },
  releaseDate: (out, _tracks, albums) => {
    const starts = new Map<Album, number>();
    for (let i = 0; i < out.length; i++) {
      const album = albums[i];
      if (album === undefined) {
        out[i] = Number.NaN;
        continue;
      }
      let start = starts.get(album);
      if (start === undefined) {
        start = releaseDateStart(album.releaseDate);
        starts.set(album, start);
      }
      out[i] = start;
    }
  },
  saved: (out, _tracks, _albums, likedAt) => {
    for (let i = 0; i < out.length; i++) out[i] = Number.isNaN(likedAt[i]!) ? 0 : 1;
  },
  addedAt: (out, _tracks, _albums, likedAt) => {
    out.set(likedAt);
  },
};

/** A column of a track, album or library field: one loop per field (no per-track dispatch). */
export function trackNumbers(
  field: FieldName,
  tracks: readonly Track[],
  albums: readonly (Album | undefined)[],
  likedAt: Float64Array,
): Float64Array {
  const out = new Float64Array(tracks.length);
  const fill = TRACK_COLUMNS[field];
  if (fill === undefined) out.fill(Number.NaN);
  else fill(out, tracks, albums, likedAt);
  return out;
}

/** A column of a play-log field over one window's aggregates (`now` for days since a play). */
export function playNumbers(field: FieldName, stats: PlayStats, now: number): Float64Array {
  const n = stats.playCount.length;
  const out = new Float64Array(n);
  switch (field) {
    case 'playCount':
      out.set(stats.playCount);
      break;
    case 'skipCount':
      out.set(stats.skipCount);
      break;
    case 'skipRate':
      for (let i = 0; i < n; i++) {
        const streams = stats.streams[i]!;
        out[i] = streams === 0 ? Number.NaN : stats.skipCount[i]! / streams;
      }
      break;
    case 'minutesPlayed':
      for (let i = 0; i < n; i++) out[i] = stats.msPlayed[i]! / 60_000;
      break;
    case 'firstPlayed':
      out.set(stats.first);
      break;
    case 'lastPlayed':
      out.set(stats.last);
      break;
    case 'daysSinceLastPlay':
      for (let i = 0; i < n; i++) out[i] = Math.floor((now - stats.last[i]!) / DAY);
      break;
    case 'artistPlayCount':
      out.set(stats.artistPlays);
      break;
    case 'albumPlayCount':
      out.set(stats.albumPlays);
      break;
    default:
      out.fill(Number.NaN);
  }
  return out;
}

/** The last instant of each track's release date (a year, month or day), from its first. */
export function releaseDateEnds(
  albums: readonly (Album | undefined)[],
  starts: Float64Array,
): Float64Array {
  const out = new Float64Array(albums.length);
  const perAlbum = new Map<Album, number>();
  for (let i = 0; i < out.length; i++) {
    const album = albums[i];
    if (album === undefined) {
      out[i] = Number.NaN;
      continue;
    }
    let end = perAlbum.get(album);
    if (end === undefined) {
      const start = starts[i]!;
      const d = new Date(start);
      const next =
        album.releaseDatePrecision === 'year'
          ? Date.UTC(d.getUTCFullYear() + 1, 0, 1)
          : album.releaseDatePrecision === 'month'
            ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
            : start + DAY;
      end = next - 1;
      perAlbum.set(album, end);
    }
    out[i] = end;
  }
  return out;
}
