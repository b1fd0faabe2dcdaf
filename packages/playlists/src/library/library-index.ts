import {
  type Album,
  type Artist,
  isTimeZone,
  releaseDateStart,
  type Track,
  ZoneOffsets,
} from '@spoti/catalog';
import { z } from 'zod';
import { PlaylistsError } from '../errors/playlists-error.js';
import type { DurationSpec, WindowSpec } from '../internal/ast.js';

import type { FieldName } from '../rule/fields.js';
import { matchText } from './match-text.js';
import { TextColumn } from './text-column.js';
import type { LibraryIndexOptions, LibraryInput } from './library.js';

const DAY = 86_400_000;
/** The largest instant a Date can hold (and time zones resolve), in ms either side of 1970. */
const MAX_INSTANT = 8.64e15;
/** Marks a play whose local hour has not been computed yet. */
const UNKNOWN_HOUR = 255;
const EMPTY = new Float64Array(0);

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

/** The plays grouped by UTC day: `order[starts[d]..starts[d + 1])` are the plays of day `minDay + d`. */
interface DayBuckets {
  readonly minDay: number;
  readonly starts: Int32Array;
  readonly order: Int32Array;
}

/**
 * Offsets of each time zone, shared by every index of the process: they depend only on the zone
 * and the instant, and computing a day's offset (through Intl) costs far more than a lookup.
 */
const ZONES = new Map<string, ZoneOffsets>();

function zoneOffsets(timeZone: string): ZoneOffsets {
  let zone = ZONES.get(timeZone);
  if (zone === undefined) {
    zone = new ZoneOffsets(timeZone);
    ZONES.set(timeZone, zone);
  }
  return zone;
}

/** Fields computed from the play log, whose values depend on a window. */
const PLAY_FIELDS: ReadonlySet<FieldName> = new Set<FieldName>([
  'playCount',
  'skipCount',
  'skipRate',
  'minutesPlayed',
  'firstPlayed',
  'lastPlayed',
  'daysSinceLastPlay',
  'artistPlayCount',
  'albumPlayCount',
]);

/** One window being aggregated by a pass over the play log. */
interface StatsJob {
  readonly key: string;
  readonly from: number;
  readonly to: number;
  /** True when the window holds every play. */
  readonly all: boolean;
  readonly stats: PlayStats;
  /** True when the aggregates are new (else only masks are added to cached ones). */
  readonly fresh: boolean;
  masks: boolean;
  readonly artistTotals: Float64Array;
  readonly albumTotals: Float64Array;
}

function emptyStats(n: number): PlayStats {
  return {
    playCount: new Int32Array(n),
    skipCount: new Int32Array(n),
    streams: new Int32Array(n),
    msPlayed: new Float64Array(n),
    first: new Float64Array(n).fill(Number.NaN),
    last: new Float64Array(n).fill(Number.NaN),
    artistPlays: new Float64Array(n),
    albumPlays: new Float64Array(n),
    hourMask: null,
    weekdayMask: null,
  };
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
 * Normalised forms of texts, shared by every index of the process (a refresh builds a new index
 * over mostly the same names; normalising is a pure function of the text). Bounded: cleared when
 * it holds {@link MAX_NORMALIZED} texts.
 */
const NORMALIZED = new Map<string, string>();
const MAX_NORMALIZED = 200_000;

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
  /** Local hour of each play (UNKNOWN_HOUR until a mask needs it) and its weekday. */
  #pHour: Uint8Array | null = null;
  #pWeekday: Uint8Array | null = null;
  /** First and last UTC day of the log (infinite when it is empty). */
  readonly #minDay: number;
  readonly #maxDay: number;
  /** Offset of each day of the log (+Infinity: not looked up yet; NaN: a clock change that day). */
  #dayOffsets: Float64Array | null = null;
  /** Plays grouped by day, built on first use by a windowed aggregate (null: not worth it). */
  #days: DayBuckets | null | undefined = undefined;
  readonly #stats = new Map<string, PlayStats>();
  readonly #texts = new Map<string, TextColumn>();
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
    let minDay = Number.POSITIVE_INFINITY;
    let maxDay = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < m; p++) {
      const play = plays[p]!;
      if (
        typeof play?.endedAt !== 'number' ||
        !(Math.abs(play.endedAt) <= MAX_INSTANT) ||
        typeof play.msPlayed !== 'number' ||
        !Number.isFinite(play.msPlayed)
      ) {
        throw badInput(
          `plays[${p}]`,
          'expected a Play whose endedAt is an instant in Unix ms (within the Date range) and whose msPlayed is a finite number',
        );
      }
      const i = play.trackId === null ? undefined : this.#position.get(play.trackId);
      this.#pTrack[p] = i ?? -1;
      this.#pAt[p] = play.endedAt;
      const day = Math.floor(play.endedAt / DAY);
      if (day < minDay) minDay = day;
      if (day > maxDay) maxDay = day;
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
    this.#minDay = minDay;
    this.#maxDay = maxDay;
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

  /**
   * @internal A number for the first artist of track `i` (tracks sharing it share the number); a
   * track without artists gets a number of its own.
   */
  firstArtistKey(i: number): number {
    const key = this.#artistKey[i]!;
    return key >= 0 ? key : -1 - i;
  }

  /** @internal [from, to] of a window (null = every play). */
  windowRange(window: WindowSpec | null): [number, number] {
    if (window === null) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    if (window.kind === 'between') return [window.from, window.to];
    return [durationCutoff(this.now, window.duration), Number.POSITIVE_INFINITY];
  }

  /** @internal Play aggregates over a window, computed once per distinct window. */
  stats(window: WindowSpec | null): PlayStats {
    const key = this.#windowKey(window);
    let stats = this.#stats.get(key);
    if (stats === undefined) {
      this.prepare([window], []);
      stats = this.#stats.get(key)!;
    }
    return stats;
  }

  /** @internal Local-hour and weekday masks of counted plays in a window. */
  masks(window: WindowSpec | null): { hours: Int32Array; weekdays: Int32Array } {
    let stats = this.#stats.get(this.#windowKey(window));
    if (stats === undefined || stats.hourMask === null || stats.weekdayMask === null) {
      this.prepare([], [window]);
      stats = this.#stats.get(this.#windowKey(window))!;
    }
    return { hours: stats.hourMask!, weekdays: stats.weekdayMask! };
  }

  #windowKey(window: WindowSpec | null): string {
    const [from, to] = this.windowRange(window);
    return `${from}:${to}`;
  }

  /**
   * @internal Builds, in one pass over the play log, the aggregates of every window in `windows`
   * and the hour/weekday masks of every window in `maskWindows` that are not built yet. A rule's
   * play-log columns are prepared together this way before it is evaluated.
   */
  prepare(
    windows: readonly (WindowSpec | null)[],
    maskWindows: readonly (WindowSpec | null)[],
  ): void {
    const jobs: StatsJob[] = [];
    const jobOf = (window: WindowSpec | null): StatsJob => {
      const [from, to] = this.windowRange(window);
      const key = `${from}:${to}`;
      let job = jobs.find((j) => j.key === key);
      if (job === undefined) {
        const existing = this.#stats.get(key);
        job = {
          key,
          from,
          to,
          all: from === Number.NEGATIVE_INFINITY && to === Number.POSITIVE_INFINITY,
          stats: existing ?? emptyStats(this.tracks.length),
          fresh: existing === undefined,
          masks: false,
          artistTotals: existing ? EMPTY : new Float64Array(this.#artistKeys),
          albumTotals: existing ? EMPTY : new Float64Array(this.#albumKeys),
        };
        jobs.push(job);
      }
      return job;
    };
    for (const window of windows) jobOf(window);
    for (const window of maskWindows) {
      const job = jobOf(window);
      if (job.stats.hourMask === null || job.stats.weekdayMask === null) {
        job.masks = true;
        job.stats.hourMask = new Int32Array(this.tracks.length);
        job.stats.weekdayMask = new Int32Array(this.tracks.length);
      }
    }
    const pending = jobs.filter((j) => j.fresh || j.masks);
    if (pending.length === 0) return;
    this.#aggregate(pending);
    for (const job of pending) {
      if (!job.fresh) continue;
      const { artistPlays, albumPlays } = job.stats;
      for (let i = 0; i < this.tracks.length; i++) {
        const a = this.#artistKey[i]!;
        artistPlays[i] = a >= 0 ? job.artistTotals[a]! : 0;
        const b = this.#albumKey[i]!;
        albumPlays[i] = b >= 0 ? job.albumTotals[b]! : 0;
      }
      this.#stats.set(job.key, job.stats);
    }
  }

  /**
   * The plays grouped by UTC day (a counting sort, built on first use): a window then visits the
   * days it covers instead of the whole log. Null when the log spans too many days for it to pay
   * (absurd timestamps), in which case windows scan every play.
   */
  #dayBuckets(): DayBuckets | null {
    if (this.#days !== undefined) return this.#days;
    const at = this.#pAt;
    const m = at.length;
    const minDay = this.#minDay;
    const span = m === 0 ? 0 : this.#maxDay - minDay + 1;
    if (span > 4 * m + 40_000) {
      this.#days = null;
      return null;
    }
    const starts = new Int32Array(span + 1);
    for (let p = 0; p < m; p++) starts[Math.floor(at[p]! / DAY) - minDay + 1]! += 1;
    for (let d = 0; d < span; d++) starts[d + 1]! += starts[d]!;
    const next = starts.slice(0, span);
    const order = new Int32Array(m);
    for (let p = 0; p < m; p++) order[next[Math.floor(at[p]! / DAY) - minDay]!++] = p;
    this.#days = { minDay, starts, order };
    return this.#days;
  }

  /** The aggregation behind {@link prepare}: each window visits only the plays it may hold. */
  #aggregate(jobs: readonly StatsJob[]): void {
    const needsLocal = jobs.some((j) => j.masks);
    if (needsLocal && this.#pHour === null) {
      this.#pHour = new Uint8Array(this.#pAt.length).fill(UNKNOWN_HOUR);
      this.#pWeekday = new Uint8Array(this.#pAt.length);
    }
    for (const job of jobs) {
      // A window whose bound is NaN (an absurd duration) compares false with every play, so it
      // holds them all: only a scan answers that as the comparisons do.
      const unbounded = Number.isNaN(job.from) || Number.isNaN(job.to);
      if (job.masks) this.#masks(job);
      if (!job.fresh) continue;
      const days = unbounded || job.all ? null : this.#dayBuckets();
      if (days === null) {
        this.#aggregateRange(job, null, 0, this.#pAt.length);
        continue;
      }
      // Whole days of the window, clamped to the log; plays on its edge days are checked one by one.
      const first = Math.max(0, Math.floor(job.from / DAY) - days.minDay);
      const last = Math.min(days.starts.length - 2, Math.floor(job.to / DAY) - days.minDay);
      if (first <= last) {
        this.#aggregateRange(job, days.order, days.starts[first]!, days.starts[last + 1]!);
      }
    }
  }

  /**
   * The hour and weekday masks of a window, in one pass over the plays in log order. A play's
   * local time is computed once per index, from its day's offset (one time-zone look-up per day
   * of the log, two on a day with a clock change, which then resolves each play).
   */
  #masks(job: StatsJob): void {
    const zone = zoneOffsets(this.timeZone);
    const min = this.minPlayMs;
    const pTrack = this.#pTrack;
    const pMs = this.#pMs;
    const pAt = this.#pAt;
    const pHour = this.#pHour!;
    const pWeekday = this.#pWeekday!;
    const { from, to, all } = job;
    const hourMask = job.stats.hourMask!;
    const weekdayMask = job.stats.weekdayMask!;
    const m = pAt.length;
    const minDay = this.#minDay;
    const span = m === 0 ? 0 : this.#maxDay - minDay + 1;
    if (this.#dayOffsets === null && span <= 4 * m + 40_000) {
      this.#dayOffsets = new Float64Array(span).fill(Number.POSITIVE_INFINITY);
    }
    const offsets = this.#dayOffsets;
    for (let p = 0; p < m; p++) {
      const i = pTrack[p]!;
      if (i < 0 || pMs[p]! < min) continue;
      const at = pAt[p]!;
      if (!all && (at < from || at > to)) continue;
      let hour = pHour[p]!;
      if (hour === UNKNOWN_HOUR) {
        let offset: number;
        if (offsets === null) offset = zone.offset(at);
        else {
          const d = Math.floor(at / DAY) - minDay;
          offset = offsets[d]!;
          if (offset === Number.POSITIVE_INFINITY) {
            const dayStart = (minDay + d) * DAY;
            const atStart = zone.offset(dayStart);
            offset = atStart === zone.offset(dayStart + DAY - 1) ? atStart : Number.NaN;
            offsets[d] = offset;
          }
          if (Number.isNaN(offset)) offset = zone.offset(at);
        }
        // Floored divisions instead of `%` on doubles (a libm call per use, the bulk of this loop
        // on a fresh index). The same values: the product and the difference are exact, except
        // just below 0, where `local + DAY` rounds up to DAY as the remainder formula's does
        // (which then takes DAY % DAY: hour 0).
        const local = at + offset;
        const localDay = Math.floor(local / DAY);
        hour = Math.floor((local - localDay * DAY) / 3_600_000);
        if (hour === 24) hour = 0;
        pHour[p] = hour;
        const shifted = localDay + 4; // 1970-01-01 was a Thursday
        pWeekday[p] = shifted - Math.floor(shifted / 7) * 7;
      }
      hourMask[i]! |= 1 << hour;
      weekdayMask[i]! |= 1 << pWeekday[p]!;
    }
  }

  /** Aggregates plays `list[lo..hi)` (or plays lo..hi when `list` is null) that fall in the job's window. */
  #aggregateRange(job: StatsJob, list: Int32Array | null, lo: number, hi: number): void {
    const min = this.minPlayMs;
    const pTrack = this.#pTrack;
    const pAt = this.#pAt;
    const pMs = this.#pMs;
    const pSkip = this.#pSkip;
    const pArtist = this.#pArtist;
    const pAlbum = this.#pAlbum;
    const { from, to, all, artistTotals, albumTotals } = job;
    const { streams, msPlayed, skipCount, playCount, first, last } = job.stats;
    for (let k = lo; k < hi; k++) {
      const p = list === null ? k : list[k]!;
      const at = pAt[p]!;
      if (!all && (at < from || at > to)) continue;
      const ms = pMs[p]!;
      const counted = ms >= min;
      const i = pTrack[p]!;
      if (counted) {
        const a = pArtist[p]!;
        if (a >= 0) artistTotals[a]! += 1;
        const b = pAlbum[p]!;
        if (b >= 0) albumTotals[b]! += 1;
      }
      if (i >= 0) {
        streams[i]! += 1;
        msPlayed[i]! += ms;
        if (pSkip[p] === 1) skipCount[i]! += 1;
        if (counted) {
          playCount[i]! += 1;
          if (!(first[i]! <= at)) first[i] = at;
          if (!(last[i]! >= at)) last[i] = at;
        }
      }
    }
  }

  /** Normalised form of a text, memoised across fields (names repeat: artists, genres, types). */
  #normalize(text: string): string {
    let v = NORMALIZED.get(text);
    if (v === undefined) {
      v = matchText(text);
      if (NORMALIZED.size >= MAX_NORMALIZED) NORMALIZED.clear();
      NORMALIZED.set(text, v);
    }
    return v;
  }

  /**
   * @internal Text values of a field per track, read lazily; `normalized` for comparisons, raw
   * for regexes.
   */
  texts(field: FieldName, normalized: boolean): TextColumn {
    const key = `${field}:${normalized}`;
    const cached = this.#texts.get(key);
    if (cached) return cached;
    // One shared list per distinct value: album types, labels and names repeat across tracks.
    const lists = new Map<string, readonly string[]>();
    const one = (s: string | null | undefined): readonly string[] => {
      if (s === null || s === undefined) return [];
      const value = normalized ? this.#normalize(s) : s;
      let list = lists.get(value);
      if (list === undefined) {
        list = [value];
        lists.set(value, list);
      }
      return list;
    };
    const read = (i: number): readonly string[] => {
      const track = this.tracks[i]!;
      const album = this.albums[i];
      switch (field) {
        case 'title':
          return one(track.name);
        case 'artist':
          return track.artistIds.flatMap((id) => one(this.artistsById.get(id)?.name));
        case 'artistId':
          return track.artistIds;
        case 'album':
          return one(album?.name);
        case 'albumId':
          return track.albumId === null ? [] : [track.albumId];
        case 'albumType':
          return one(album?.type);
        case 'label':
          return one(album?.label);
        case 'trackId':
          return [track.id];
        case 'isrc':
          return one(track.isrc);
        case 'genre': {
          const set = new Set<string>();
          for (const g of album?.genres ?? []) for (const v of one(g)) set.add(v);
          for (const id of track.artistIds) {
            for (const g of this.artistsById.get(id)?.genres ?? []) {
              for (const v of one(g)) set.add(v);
            }
          }
          return [...set];
        }
        default:
          return [];
      }
    };
    const column = new TextColumn(this.tracks.length, read);
    this.#texts.set(key, column);
    return column;
  }

  /** @internal Rank of each track's first (normalised) text value of a field; NaN when none. */
  textRanks(field: FieldName): Float64Array {
    const key = `${field}:rank`;
    const cached = this.#numbers.get(key);
    if (cached) return cached;
    const column = this.texts(field, true);
    const firsts = Array.from({ length: column.size }, (_, i) => column.get(i)[0]);
    const distinct = [...new Set(firsts.filter((v) => v !== undefined))].sort();
    const rank = new Map(distinct.map((v, k) => [v, k]));
    const out = Float64Array.from(firsts, (v) => (v === undefined ? Number.NaN : rank.get(v)!));
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
    const windowed = PLAY_FIELDS.has(field);
    const key = windowed ? `${field}:${this.windowRange(window).join(':')}` : field;
    const cached = this.#numbers.get(key);
    if (cached) return cached;
    const out = windowed ? this.#playNumbers(field, this.stats(window)) : this.#trackNumbers(field);
    this.#numbers.set(key, out);
    return out;
  }

  /** A column of a track, album or library field: one loop per field (no per-track dispatch). */
  #trackNumbers(field: FieldName): Float64Array {
    const n = this.tracks.length;
    const tracks = this.tracks;
    const albums = this.albums;
    const out = new Float64Array(n);
    switch (field) {
      case 'duration':
        for (let i = 0; i < n; i++) out[i] = tracks[i]!.durationMs / 1000;
        break;
      case 'trackNumber':
        for (let i = 0; i < n; i++) out[i] = tracks[i]!.trackNumber;
        break;
      case 'discNumber':
        for (let i = 0; i < n; i++) out[i] = tracks[i]!.discNumber;
        break;
      case 'explicit':
        for (let i = 0; i < n; i++) out[i] = tracks[i]!.explicit ? 1 : 0;
        break;
      case 'year':
        for (let i = 0; i < n; i++) {
          const album = albums[i];
          out[i] = album ? Number(album.releaseDate.slice(0, 4)) : Number.NaN;
        }
        break;
      case 'releaseDate': {
        const starts = new Map<Album, number>();
        for (let i = 0; i < n; i++) {
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
        break;
      }
      case 'saved':
        for (let i = 0; i < n; i++) out[i] = Number.isNaN(this.likedAt[i]!) ? 0 : 1;
        break;
      case 'addedAt':
        out.set(this.likedAt);
        break;
      default:
        out.fill(Number.NaN);
    }
    return out;
  }

  /** A column of a play-log field over one window's aggregates. */
  #playNumbers(field: FieldName, stats: PlayStats): Float64Array {
    const n = this.tracks.length;
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
        for (let i = 0; i < n; i++) out[i] = Math.floor((this.now - stats.last[i]!) / DAY);
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
