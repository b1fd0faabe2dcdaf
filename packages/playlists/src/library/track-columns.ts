import { type Album, type Artist, releaseDateStart, type Track } from '@spoti/catalog';
import type { FieldName } from '../rule/fields.js';
import { DAY, type PlayStats } from './play-stats.js';

const NONE: readonly string[] = [];

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
  // The genres of each artist and of each album, normalised once per index: a track's genres are
  // then merged from lists already normalised (most tracks have one artist and an album without
  // genres, whose genres are that artist's list), so the per-track reader stays small.
  const artistGenres = new Map<string, readonly string[]>();
  const genresOfArtist = (id: string): readonly string[] => {
    let list = artistGenres.get(id);
    if (list === undefined) {
      list = addDistinct([], artistsById.get(id)?.genres ?? NONE, one);
      artistGenres.set(id, list);
    }
    return list;
  };
  const albumGenres = new Map<Album, readonly string[]>();
  const genresOfAlbum = (album: Album | undefined): readonly string[] => {
    const genres = album?.genres ?? NONE;
    if (genres.length === 0) return NONE;
    let list = albumGenres.get(album!);
    if (list === undefined) {
      list = addDistinct([], genres, one);
      albumGenres.set(album!, list);
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
        const ids = tracks[i]!.artistIds;
        const ofAlbum = genresOfAlbum(albums[i]);
        if (ofAlbum.length === 0 && ids.length === 1) return genresOfArtist(ids[0]!);
        const out = mergeDistinct([], ofAlbum);
        for (let k = 0; k < ids.length; k++) mergeDistinct(out, genresOfArtist(ids[k]!));
        return out;
      };
    default:
      return () => [];
  }
}

/**
 * The codes of a text field's column, and how many: tracks that share a code have the same values
 * by construction. Album fields: the album's number (the album is found by its id, so one id is
 * one album); artist fields and genres: the artist's number for a track with that one artist (and,
 * for genres, an album without genres of its own); any other track: a code of its own. Codes
 * `0..keys-1` are shared, `keys + i` is track `i`'s own.
 */
export function textCodes(
  field: FieldName,
  keys: TrackSource,
): { codes: Int32Array; count: number } {
  const { tracks, albums } = keys;
  const n = tracks.length;
  const codes = new Int32Array(n);
  switch (field) {
    case 'album':
    case 'albumId':
    case 'albumType':
    case 'label':
      return {
        codes: sharedCodes(codes, keys.albumKey, keys.albumCount, null),
        count: keys.albumCount + n,
      };
    case 'artist':
    case 'artistId':
      return {
        codes: sharedCodes(codes, keys.artistKey, keys.artistCount, oneArtist(tracks, null)),
        count: keys.artistCount + n,
      };
    case 'genre':
      return {
        codes: sharedCodes(codes, keys.artistKey, keys.artistCount, oneArtist(tracks, albums)),
        count: keys.artistCount + n,
      };
    default:
      for (let i = 0; i < n; i++) codes[i] = i;
      return { codes, count: n };
  }
}

/** Flags the tracks with one artist (and, given `albums`, whose album has no genres). */
function oneArtist(
  tracks: readonly Track[],
  albums: readonly (Album | undefined)[] | null,
): Uint8Array {
  const flags = new Uint8Array(tracks.length);
  for (let i = 0; i < flags.length; i++) {
    const single = tracks[i]!.artistIds.length === 1;
    flags[i] = single && (albums === null || (albums[i]?.genres ?? NONE).length === 0) ? 1 : 0;
  }
  return flags;
}

/**
 * Codes from keys: a track's key when it has one (and is flagged, given `flags`), else a code of
 * its own after the keys.
 */
function sharedCodes(
  codes: Int32Array,
  key: Int32Array,
  keyCount: number,
  flags: Uint8Array | null,
): Int32Array {
  for (let i = 0; i < codes.length; i++) {
    const k = key[i]!;
    codes[i] = k >= 0 && (flags === null || flags[i] === 1) ? k : keyCount + i;
  }
  return codes;
}

/**
 * Appends each normalised value of `values` not in `out` yet, in order (as a Set would, without
 * its iterator, whose protocol made the genre reader that used it far longer to compile).
 */
function addDistinct(
  out: string[],
  values: readonly string[],
  one: (s: string | null | undefined) => readonly string[],
): string[] {
  for (let k = 0; k < values.length; k++) mergeDistinct(out, one(values[k]));
  return out;
}

/** Appends each value of `values` not in `out` yet. */
function mergeDistinct(out: string[], values: readonly string[]): string[] {
  for (let k = 0; k < values.length; k++) if (!out.includes(values[k]!)) out.push(values[k]!);
  return out;
}

/**
 * What the columns of track, album and library fields are read from, with the numbering of each
 * track's first artist and album that text columns share codes by (see {@link textCodes}).
 */
export interface TrackSource {
  readonly tracks: readonly Track[];
  readonly albums: readonly (Album | undefined)[];
  readonly likedAt: Float64Array;
  /** Number of each track's first artist / album (-1: none; tracks of one share it). */
  readonly artistKey: Int32Array;
  readonly albumKey: Int32Array;
  /** How many artist / album numbers there are. */
  readonly artistCount: number;
  readonly albumCount: number;
}

/** The tracks' values of one field, into `out` (NaN: none). */
type ColumnFiller = (out: Float64Array, source: TrackSource) => void;

/**
 * First and last instant of each release date (by precision and date), shared by every index of
 * the process: a pure function of the two, whose date arithmetic costs far more than a look-up
 * (and, run for every album of every new index, was compiled again and again). Bounded.
 */
const RELEASE_SPANS = new Map<string, readonly [number, number]>();
const MAX_RELEASE_SPANS = 100_000;

/** First and last instant covered by an album's release date (a year, month or day). */
function releaseSpan(album: Album): readonly [number, number] {
  return (
    RELEASE_SPANS.get(`${album.releaseDatePrecision}:${album.releaseDate}`) ?? newReleaseSpan(album)
  );
}

/** {@link releaseSpan} computed, and kept (a function of its own, run once per distinct date). */
function newReleaseSpan(album: Album): readonly [number, number] {
  const start = releaseDateStart(album.releaseDate);
  const d = new Date(start);
  const next =
    album.releaseDatePrecision === 'year'
      ? Date.UTC(d.getUTCFullYear() + 1, 0, 1)
      : album.releaseDatePrecision === 'month'
        ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
        : start + DAY;
  const span = [start, next - 1] as const;
  if (RELEASE_SPANS.size >= MAX_RELEASE_SPANS) RELEASE_SPANS.clear();
  RELEASE_SPANS.set(`${album.releaseDatePrecision}:${album.releaseDate}`, span);
  return span;
}

/**
 * An album field's column: `value` is called once per album, and each track takes its album's
 * value (NaN: no album), a typed-array loop with no look-up by album per track.
 */
function perAlbum(out: Float64Array, source: TrackSource, value: (album: Album) => number): void {
  const { albums, albumKey } = source;
  const byAlbum = new Float64Array(source.albumCount);
  const known = new Uint8Array(source.albumCount);
  for (let i = 0; i < out.length; i++) {
    const album = albums[i];
    if (album === undefined) {
      out[i] = Number.NaN;
      continue;
    }
    const k = albumKey[i]!;
    if (known[k] === 0) {
      byAlbum[k] = value(album);
      known[k] = 1;
    }
    out[i] = byAlbum[k]!;
  }
}

const yearOf = (album: Album): number => Number(album.releaseDate.slice(0, 4));
const releaseStartOf = (album: Album): number => releaseSpan(album)[0];
const releaseEndOf = (album: Album): number => releaseSpan(album)[1];

/**
 * One loop per field, each a function of its own (one function holding every field's loop was
 * compiled whole, with all of them, as soon as one was hot).
 */
const TRACK_COLUMNS: Partial<Record<FieldName, ColumnFiller>> = {
  duration: (out, { tracks }) => {
    for (let i = 0; i < out.length; i++) out[i] = tracks[i]!.durationMs / 1000;
  },
  trackNumber: (out, { tracks }) => {
    for (let i = 0; i < out.length; i++) out[i] = tracks[i]!.trackNumber;
  },
  discNumber: (out, { tracks }) => {
    for (let i = 0; i < out.length; i++) out[i] = tracks[i]!.discNumber;
  },
  explicit: (out, { tracks }) => {
    for (let i = 0; i < out.length; i++) out[i] = tracks[i]!.explicit ? 1 : 0;
  },
  year: (out, source) => perAlbum(out, source, yearOf),
  releaseDate: (out, source) => perAlbum(out, source, releaseStartOf),
  saved: (out, { likedAt }) => {
    for (let i = 0; i < out.length; i++) out[i] = Number.isNaN(likedAt[i]!) ? 0 : 1;
  },
  addedAt: (out, { likedAt }) => {
    out.set(likedAt);
  },
};

/** A column of a track, album or library field: one loop per field (no per-track dispatch). */
export function trackNumbers(field: FieldName, source: TrackSource): Float64Array {
  const out = new Float64Array(source.tracks.length);
  const fill = TRACK_COLUMNS[field];
  if (fill === undefined) out.fill(Number.NaN);
  else fill(out, source);
  return out;
}

/** A play-log field's values over one window's aggregates, into `out` (`now`: days since a play). */
type PlayFiller = (out: Float64Array, stats: PlayStats, now: number) => void;

/**
 * One small function per play-log field, as for track fields: each runs once per index, and one
 * function switching on the field was compiled whole, every field's loop with it, on each new
 * index that made it hot.
 */
const PLAY_COLUMNS: Partial<Record<FieldName, PlayFiller>> = {
  playCount: (out, stats) => out.set(stats.playCount),
  skipCount: (out, stats) => out.set(stats.skipCount),
  skipRate: (out, { streams, skipCount }) => {
    for (let i = 0; i < out.length; i++) {
      out[i] = streams[i] === 0 ? Number.NaN : skipCount[i]! / streams[i]!;
    }
  },
  minutesPlayed: (out, { msPlayed }) => {
    for (let i = 0; i < out.length; i++) out[i] = msPlayed[i]! / 60_000;
  },
  firstPlayed: (out, stats) => out.set(stats.first),
  lastPlayed: (out, stats) => out.set(stats.last),
  daysSinceLastPlay: (out, { last }, now) => {
    for (let i = 0; i < out.length; i++) out[i] = Math.floor((now - last[i]!) / DAY);
  },
  artistPlayCount: (out, stats) => out.set(stats.artistPlays),
  albumPlayCount: (out, stats) => out.set(stats.albumPlays),
};

/** A column of a play-log field over one window's aggregates (`now` for days since a play). */
export function playNumbers(field: FieldName, stats: PlayStats, now: number): Float64Array {
  const out = new Float64Array(stats.playCount.length);
  const fill = PLAY_COLUMNS[field];
  if (fill === undefined) out.fill(Number.NaN);
  else fill(out, stats, now);
  return out;
}

/** The last instant of each track's release date (a year, month or day; NaN: no album). */
export function releaseDateEnds(source: TrackSource): Float64Array {
  const out = new Float64Array(source.tracks.length);
  perAlbum(out, source, releaseEndOf);
  return out;
}
