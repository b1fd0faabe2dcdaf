import {
  type Album,
  type Artist,
  isTimeZone,
  normalizeText,
  releaseDateStart,
  type Track,
  ZoneOffsets,
} from '@spoti/catalog';
import { z } from 'zod';
import { PlaylistsError } from '../errors/playlists-error.js';
import type { DurationSpec, WindowSpec } from '../internal/ast.js';

import type { FieldName } from '../rule/fields.js';
import type { LibraryIndexOptions, LibraryInput } from './library.js';

const DAY = 86_400_000;

/** Per-track play-log aggregates over one window. */
export interface PlayStats {
  readonly playCount: Int32Array;
  readonly skipCount: Int32Array;
  readonly streams: Int32Array;
  readonly msPlayed: Float64Array;
  /** NaN when never played. */
  readonly first: Float64Array;
  readonly last: Float64Array;
  readonly artistPlays: Float64Array;
  readonly albumPlays: Float64Array;
  /** Computed on demand: local-hour and weekday bit masks of the plays. */
  hourMask: Int32Array | null;
  weekdayMask: Int32Array | null;
}

const optionsSchema = z.object({
  now: z.number().int(),
  timeZone: z
    .string()
    .refine(isTimeZone, { message: 'expected an IANA time zone such as Europe/Paris' })
    .default('UTC'),
  minPlayMs: z.number().int().nonnegative().default(30_000),
});

const libraryShape = z.object({
  tracks: z.array(z.unknown()),
  albums: z.array(z.unknown()).optional(),
  artists: z.array(z.unknown()).optional(),
  likes: z.array(z.unknown()).optional(),
  plays: z.array(z.unknown()).optional(),
  playlists: z.array(z.unknown()).optional(),
});

function badInput(path: string, message: string): PlaylistsError {
  return new PlaylistsError({
    code: 'INVALID_OPTIONS',
    message: `Invalid library: ${path}: ${message}`,
    issues: [{ path, message }],
  });
}

/** Resolves a "last N" duration to its first instant, counting back from `now` (months: calendar, UTC). */
export function durationCutoff(now: number, d: DurationSpec): number {
  if (d.unit === 'days') return now - d.n * DAY;
  if (d.unit === 'weeks') return now - d.n * 7 * DAY;
  const date = new Date(now);
  const whole = Math.floor(d.n);
  const shifted = Date.UTC(
    date.getUTCFullYear(),
    date.getUTCMonth() - whole,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
  return shifted - (d.n - whole) * 30 * DAY;
}

/**
 * A library prepared for evaluation: tracks numbered once, the play log resolved to track numbers
 * in a single pass, and per-window aggregates, text values and masks built on first use and
 * shared by every rule evaluated against it. Build it with {@link createLibraryIndex}.
 *
 * @example
 * ```ts
 * import { createLibraryIndex } from '@spoti/playlists';
 * const index = createLibraryIndex({ tracks: [] }, { now: Date.UTC(2026, 10, 1) });
 * console.log(index.size, index.playCount, index.has('4uLU6hMCjMI75M1A2tKUQC'));
 * ```
 */
export class LibraryIndex {
  /** "Now" of every relative date. */
  readonly now: number;
  /** Time zone of hour and weekday fields. */
  readonly timeZone: string;
  /** Minimum ms of a stream that counts as a play. */
  readonly minPlayMs: number;
  /** Track ids, in the order of the input (deduplicated). */
  readonly trackIds: readonly string[];
  /** @internal */
  readonly tracks: readonly Track[];
  /** @internal */
  readonly albums: readonly (Album | undefined)[];
  /** @internal */
  readonly artistsById: ReadonlyMap<string, Artist>;
  /** @internal album id -> the id shared by an album and its explicit/clean variant. */
  readonly albumFamily: ReadonlyMap<string, string>;
  /** @internal */
  readonly likedAt: Float64Array;
  /** @internal */
  readonly playlists: ReadonlyMap<string, Uint8Array>;
  readonly #position = new Map<string, number>();
  readonly #pTrack: Int32Array;
  readonly #pAt: Float64Array;
  readonly #pMs: Float64Array;
  readonly #pSkip: Uint8Array;
  readonly #pArtist: Int32Array;
  readonly #pAlbum: Int32Array;
  readonly #artistKey: Int32Array;
  readonly #albumKey: Int32Array;
  readonly #artistKeys: number;
  readonly #albumKeys: number;
  #pHour: Uint8Array | null = null;
  #pWeekday: Uint8Array | null = null;
  readonly #stats = new Map<string, PlayStats>();
  readonly #texts = new Map<string, readonly (readonly string[])[]>();
  readonly #numbers = new Map<string, Float64Array>();

  /** @internal use {@link createLibraryIndex} */
  constructor(library: LibraryInput, options: Required<LibraryIndexOptions>) {
    this.now = options.now;
    this.timeZone = options.timeZone;
    this.minPlayMs = options.minPlayMs;
    const tracks: Track[] = [];
    for (const [t, track] of library.tracks.entries()) {
      if (typeof track?.id !== 'string' || track.id === '' || !Array.isArray(track.artistIds)) {
        throw badInput(`tracks[${t}]`, 'expected a catalog Track with an id and artistIds');
      }
      if (this.#position.has(track.id)) continue;
      this.#position.set(track.id, tracks.length);
      tracks.push(track);
    }
    this.tracks = tracks;
    this.trackIds = tracks.map((t) => t.id);
    const albums = new Map((library.albums ?? []).map((a) => [a.id, a]));
    this.albums = tracks.map((t) => (t.albumId === null ? undefined : albums.get(t.albumId)));
    this.artistsById = new Map((library.artists ?? []).map((a) => [a.id, a]));
    const family = new Map<string, string>();
    for (const a of albums.values()) {
      const v = a.variantOfAlbumId;
      if (v === null || v === undefined) continue;
      const root = [a.id, v, family.get(a.id) ?? a.id, family.get(v) ?? v].sort()[0]!;
      family.set(a.id, root);
      family.set(v, root);
    }
    this.albumFamily = family;
    const n = tracks.length;
    this.likedAt = new Float64Array(n).fill(Number.NaN);
    for (const like of library.likes ?? []) {
      const i = this.#position.get(like.trackId);
      if (i !== undefined && !(this.likedAt[i]! <= like.likedAt)) this.likedAt[i] = like.likedAt;
    }
    const playlists = new Map<string, Uint8Array>();
    for (const playlist of library.playlists ?? []) {
      const members = new Uint8Array(n);
      for (const item of playlist.items) {
        const i = this.#position.get(item.trackId);
        if (i !== undefined) members[i] = 1;
      }
      playlists.set(playlist.id, members);
    }
    this.playlists = playlists;

    // Artist and album keys: the first artist and the album of each track, numbered.
    const artistNumbers = new Map<string, number>();
    const albumNumbers = new Map<string, number>();
    const number = (map: Map<string, number>, key: string | null | undefined): number => {
      if (key === null || key === undefined) return -1;
      let k = map.get(key);
      if (k === undefined) {
        k = map.size;
        map.set(key, k);
      }
      return k;
    };
    this.#artistKey = Int32Array.from(tracks, (t) => number(artistNumbers, t.artistIds[0]));
    this.#albumKey = Int32Array.from(tracks, (t) => number(albumNumbers, t.albumId));

    // One pass over the play log.
    const plays = library.plays ?? [];
    const m = plays.length;
    this.#pTrack = new Int32Array(m);
    this.#pAt = new Float64Array(m);
    this.#pMs = new Float64Array(m);
    this.#pSkip = new Uint8Array(m);
    this.#pArtist = new Int32Array(m);
    this.#pAlbum = new Int32Array(m);
    for (let p = 0; p < m; p++) {
      const play = plays[p]!;
      if (typeof play?.endedAt !== 'number' || typeof play.msPlayed !== 'number') {
        throw badInput(`plays[${p}]`, 'expected a Play with numeric endedAt and msPlayed');
      }
      const i = play.trackId === null ? undefined : this.#position.get(play.trackId);
      this.#pTrack[p] = i ?? -1;
      this.#pAt[p] = play.endedAt;
      this.#pMs[p] = play.msPlayed;
      this.#pSkip[p] = play.skipped === true || play.msPlayed < this.minPlayMs ? 1 : 0;
      this.#pArtist[p] =
        i !== undefined
          ? this.#artistKey[i]!
          : (artistNumbers.get(play.artistIds?.[0] ?? '') ?? -1);
      this.#pAlbum[p] =
        i !== undefined ? this.#albumKey[i]! : (albumNumbers.get(play.albumId ?? '') ?? -1);
    }
    this.#artistKeys = artistNumbers.size;
    this.#albumKeys = albumNumbers.size;
  }

  /** Number of tracks. */
  get size(): number {
    return this.tracks.length;
  }

  /** Number of plays in the log (including plays of unknown tracks). */
  get playCount(): number {
    return this.#pTrack.length;
  }

  /** The internal number of a track id, or undefined. */
  positionOf(trackId: string): number | undefined {
    return this.#position.get(trackId);
  }

  /** True when the library holds the track. */
  has(trackId: string): boolean {
    return this.#position.has(trackId);
  }

  /** @internal [from, to] of a window (null = every play). */
  windowRange(window: WindowSpec | null): [number, number] {
    if (window === null) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    if (window.kind === 'between') return [window.from, window.to];
    return [durationCutoff(this.now, window.duration), Number.POSITIVE_INFINITY];
  }

  /** @internal Play aggregates over a window, computed once per distinct window. */
  stats(window: WindowSpec | null): PlayStats {
    const [from, to] = this.windowRange(window);
    const key = `${from}:${to}`;
    const cached = this.#stats.get(key);
    if (cached) return cached;
    const n = this.tracks.length;
    const playCount = new Int32Array(n);
    const skipCount = new Int32Array(n);
    const streams = new Int32Array(n);
    const msPlayed = new Float64Array(n);
    const first = new Float64Array(n).fill(Number.NaN);
    const last = new Float64Array(n).fill(Number.NaN);
    const artistTotals = new Float64Array(this.#artistKeys);
    const albumTotals = new Float64Array(this.#albumKeys);
    const min = this.minPlayMs;
    const all = from === Number.NEGATIVE_INFINITY && to === Number.POSITIVE_INFINITY;
    for (let p = 0; p < this.#pTrack.length; p++) {
      const at = this.#pAt[p]!;
      if (!all && (at < from || at > to)) continue;
      const ms = this.#pMs[p]!;
      const counted = ms >= min;
      if (counted) {
        const a = this.#pArtist[p]!;
        if (a >= 0) artistTotals[a]! += 1;
        const b = this.#pAlbum[p]!;
        if (b >= 0) albumTotals[b]! += 1;
      }
      const i = this.#pTrack[p]!;
      if (i < 0) continue;
      streams[i]! += 1;
      msPlayed[i]! += ms;
      if (this.#pSkip[p] === 1) skipCount[i]! += 1;
      if (counted) {
        playCount[i]! += 1;
        if (!(first[i]! <= at)) first[i] = at;
        if (!(last[i]! >= at)) last[i] = at;
      }
    }
    const artistPlays = new Float64Array(n);
    const albumPlays = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = this.#artistKey[i]!;
      artistPlays[i] = a >= 0 ? artistTotals[a]! : 0;
      const b = this.#albumKey[i]!;
      albumPlays[i] = b >= 0 ? albumTotals[b]! : 0;
    }
    const stats: PlayStats = {
      playCount,
      skipCount,
      streams,
      msPlayed,
      first,
      last,
      artistPlays,
      albumPlays,
      hourMask: null,
      weekdayMask: null,
    };
    this.#stats.set(key, stats);
    return stats;
  }

  #localTimes(): void {
    if (this.#pHour !== null) return;
    const zone = new ZoneOffsets(this.timeZone);
    const m = this.#pAt.length;
    const hours = new Uint8Array(m);
    const weekdays = new Uint8Array(m);
    // Offsets per UTC day of the log's span; a day whose two ends differ is resolved per play.
    let minDay = Number.POSITIVE_INFINITY;
    let maxDay = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < m; p++) {
      const day = Math.floor(this.#pAt[p]! / DAY);
      if (day < minDay) minDay = day;
      if (day > maxDay) maxDay = day;
    }
    const span = m === 0 ? 0 : maxDay - minDay + 2;
    const dayOffsets = new Float64Array(span);
    for (let d = 0; d < span; d++) dayOffsets[d] = zone.offset((minDay + d) * DAY);
    for (let p = 0; p < m; p++) {
      const at = this.#pAt[p]!;
      const d = Math.floor(at / DAY) - minDay;
      const offset = dayOffsets[d] === dayOffsets[d + 1] ? dayOffsets[d]! : zone.offset(at);
      const local = at + offset;
      const dayMs = ((local % DAY) + DAY) % DAY;
      hours[p] = Math.floor(dayMs / 3_600_000);
      weekdays[p] = (((Math.floor(local / DAY) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
    }
    this.#pHour = hours;
    this.#pWeekday = weekdays;
  }

  /** @internal Local-hour and weekday masks of counted plays in a window. */
  masks(window: WindowSpec | null): { hours: Int32Array; weekdays: Int32Array } {
    const stats = this.stats(window);
    if (stats.hourMask === null || stats.weekdayMask === null) {
      this.#localTimes();
      const [from, to] = this.windowRange(window);
      const n = this.tracks.length;
      const hours = new Int32Array(n);
      const weekdays = new Int32Array(n);
      for (let p = 0; p < this.#pTrack.length; p++) {
        const i = this.#pTrack[p]!;
        if (i < 0 || this.#pMs[p]! < this.minPlayMs) continue;
        const at = this.#pAt[p]!;
        if (at < from || at > to) continue;
        hours[i]! |= 1 << this.#pHour![p]!;
        weekdays[i]! |= 1 << this.#pWeekday![p]!;
      }
      stats.hourMask = hours;
      stats.weekdayMask = weekdays;
    }
    return { hours: stats.hourMask, weekdays: stats.weekdayMask };
  }

  /** @internal Text values of a field per track; `normalized` for comparisons, raw for regexes. */
  texts(field: FieldName, normalized: boolean): readonly (readonly string[])[] {
    const key = `${field}:${normalized}`;
    const cached = this.#texts.get(key);
    if (cached) return cached;
    const memo = new Map<string, string>();
    const normalize = (s: string): string => {
      let v = memo.get(s);
      if (v === undefined) {
        v = normalizeText(s);
        memo.set(s, v);
      }
      return v;
    };
    const norm = (s: string | null | undefined): string[] =>
      s === null || s === undefined ? [] : [normalized ? normalize(s) : s];
    const values = this.tracks.map((track, i): readonly string[] => {
      const album = this.albums[i];
      switch (field) {
        case 'title':
          return norm(track.name);
        case 'artist':
          return track.artistIds.flatMap((id) => norm(this.artistsById.get(id)?.name));
        case 'artistId':
          return track.artistIds;
        case 'album':
          return norm(album?.name);
        case 'albumId':
          return track.albumId === null ? [] : [track.albumId];
        case 'albumType':
          return norm(album?.type);
        case 'label':
          return norm(album?.label);
        case 'trackId':
          return [track.id];
        case 'isrc':
          return norm(track.isrc);
        case 'genre': {
          const set = new Set<string>();
          for (const g of album?.genres ?? []) for (const v of norm(g)) set.add(v);
          for (const id of track.artistIds) {
            for (const g of this.artistsById.get(id)?.genres ?? []) {
              for (const v of norm(g)) set.add(v);
            }
          }
          return [...set];
        }
        default:
          return [];
      }
    });
    this.#texts.set(key, values);
    return values;
  }

  /** @internal Rank of each track's first (normalised) text value of a field; NaN when none. */
  textRanks(field: FieldName): Float64Array {
    const key = `${field}:rank`;
    const cached = this.#numbers.get(key);
    if (cached) return cached;
    const values = this.texts(field, true);
    const distinct = [...new Set(values.map((v) => v[0]).filter((v) => v !== undefined))].sort();
    const rank = new Map(distinct.map((v, k) => [v, k]));
    const out = Float64Array.from(values, (v) =>
      v[0] === undefined ? Number.NaN : rank.get(v[0])!,
    );
    this.#numbers.set(key, out);
    return out;
  }

  /** @internal Rank of each track id in code-unit order (the final tie-break of every sort). */
  idRanks(): Float64Array {
    const cached = this.#numbers.get(':id-rank');
    if (cached) return cached;
    const sorted = [...this.trackIds].sort();
    const out = new Float64Array(sorted.length);
    sorted.forEach((id, r) => {
      out[this.#position.get(id)!] = r;
    });
    this.#numbers.set(':id-rank', out);
    return out;
  }

  /** @internal Numeric values (NaN = none) of a number, boolean (0/1) or date (start) field. */
  numbers(field: FieldName, window: WindowSpec | null): Float64Array {
    const windowed = [
      'playCount',
      'skipCount',
      'skipRate',
      'minutesPlayed',
      'firstPlayed',
      'lastPlayed',
      'daysSinceLastPlay',
      'artistPlayCount',
      'albumPlayCount',
    ].includes(field);
    const key = windowed ? `${field}:${this.windowRange(window).join(':')}` : field;
    const cached = this.#numbers.get(key);
    if (cached) return cached;
    const n = this.tracks.length;
    const out = new Float64Array(n);
    const stats = windowed ? this.stats(window) : null;
    const releaseStarts = new Map<Album, number>();
    for (let i = 0; i < n; i++) {
      const track = this.tracks[i]!;
      const album = this.albums[i];
      let v: number;
      switch (field) {
        case 'duration':
          v = track.durationMs / 1000;
          break;
        case 'trackNumber':
          v = track.trackNumber;
          break;
        case 'discNumber':
          v = track.discNumber;
          break;
        case 'explicit':
          v = track.explicit ? 1 : 0;
          break;
        case 'year':
          v = album ? Number(album.releaseDate.slice(0, 4)) : Number.NaN;
          break;
        case 'releaseDate': {
          if (album === undefined) {
            v = Number.NaN;
            break;
          }
          let start = releaseStarts.get(album);
          if (start === undefined) {
            start = releaseDateStart(album.releaseDate);
            releaseStarts.set(album, start);
          }
          v = start;
          break;
        }
        case 'saved':
          v = Number.isNaN(this.likedAt[i]!) ? 0 : 1;
          break;
        case 'addedAt':
          v = this.likedAt[i]!;
          break;
        case 'playCount':
          v = stats!.playCount[i]!;
          break;
        case 'skipCount':
          v = stats!.skipCount[i]!;
          break;
        case 'skipRate':
          v = stats!.streams[i]! === 0 ? Number.NaN : stats!.skipCount[i]! / stats!.streams[i]!;
          break;
        case 'minutesPlayed':
          v = stats!.msPlayed[i]! / 60_000;
          break;
        case 'firstPlayed':
          v = stats!.first[i]!;
          break;
        case 'lastPlayed':
          v = stats!.last[i]!;
          break;
        case 'daysSinceLastPlay':
          v = Math.floor((this.now - stats!.last[i]!) / DAY);
          break;
        case 'artistPlayCount':
          v = stats!.artistPlays[i]!;
          break;
        case 'albumPlayCount':
          v = stats!.albumPlays[i]!;
          break;
        default:
          v = Number.NaN;
      }
      out[i] = v;
    }
    this.#numbers.set(key, out);
    return out;
  }

  /** @internal End of a date field's interval (release dates cover their whole year/month/day). */
  dateEnds(field: FieldName, window: WindowSpec | null): Float64Array {
    const starts = this.numbers(field, window);
    if (field !== 'releaseDate') return starts;
    const key = 'releaseDate:end';
    const cached = this.#numbers.get(key);
    if (cached) return cached;
    const out = new Float64Array(this.tracks.length);
    const perAlbum = new Map<Album, number>();
    for (let i = 0; i < out.length; i++) {
      const album = this.albums[i];
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
    this.#numbers.set(key, out);
    return out;
  }
}

/**
 * Prepares a library for evaluation (one pass over the play log). Build it once and evaluate
 * every rule against it: per-window aggregates and text values are computed on first use and
 * shared.
 *
 * @example
 * ```ts
 * import { createLibraryIndex, evaluateRule, BUILTIN_RULES } from '@spoti/playlists';
 * const index = createLibraryIndex({ tracks: [], likes: [], plays: [] }, { now: Date.now(), timeZone: 'Europe/Paris' });
 * const neverPlayed = evaluateRule(BUILTIN_RULES['never-played'], index).trackIds;
 * ```
 */
export function createLibraryIndex(
  library: LibraryInput,
  options: LibraryIndexOptions,
): LibraryIndex {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.join('.'),
      message: i.message,
    }));
    throw new PlaylistsError({
      code: 'INVALID_OPTIONS',
      message: `Invalid index options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    });
  }
  const shape = libraryShape.safeParse(library);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    throw badInput(
      issue?.path.join('.') || '(root)',
      issue?.message ?? 'expected a library object',
    );
  }
  return new LibraryIndex(library, parsed.data);
}
