import type { Album, Artist, Track } from '@spoti/catalog';
import { isTimeZone } from '@spoti/catalog';
import { z } from 'zod';
import { PlaylistsError } from '../errors/playlists-error.js';
import type { WindowSpec } from '../internal/ast.js';
import type { FieldName } from '../rule/fields.js';
import { badInput, type LibraryIndexOptions, type LibraryInput } from './library.js';
import { matchText } from './match-text.js';
import { PlayLog } from './play-log.js';
import {
  type CountJob,
  durationCutoff,
  emptyStats,
  PLAY_FIELDS,
  type PlayStats,
  spreadTotals,
  type StatsJob,
} from './play-stats.js';
import { TextColumn } from './text-column.js';
import {
  playNumbers,
  releaseDateEnds,
  type TrackSource,
  textCodes,
  textReader,
  trackNumbers,
} from './track-columns.js';

export { durationCutoff, type PlayStats } from './play-stats.js';

const EMPTY = new Float64Array(0);

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
  readonly #position: Map<string, number>;
  readonly #artistKey: Int32Array;
  readonly #albumKey: Int32Array;
  readonly #artistKeys: number;
  readonly #albumKeys: number;
  readonly #log: PlayLog;
  readonly #stats = new Map<string, PlayStats>();
  /** Play counts of windows whose other aggregates were not needed (see {@link prepare}). */
  readonly #counts = new Map<string, Int32Array>();
  readonly #texts = new Map<string, TextColumn>();
  readonly #numbers = new Map<string, Float64Array>();
  #source: TrackSource | null = null;

  /** @internal use {@link createLibraryIndex} */
  constructor(library: LibraryInput, options: Required<LibraryIndexOptions>) {
    this.now = options.now;
    this.timeZone = options.timeZone;
    this.minPlayMs = options.minPlayMs;
    const { tracks, position } = numberTracks(library.tracks);
    this.#position = position;
    this.tracks = tracks;
    this.trackIds = tracks.map((t) => t.id);
    const albums = new Map((library.albums ?? []).map((a) => [a.id, a]));
    this.albums = tracks.map((t) => (t.albumId === null ? undefined : albums.get(t.albumId)));
    this.artistsById = new Map((library.artists ?? []).map((a) => [a.id, a]));
    this.albumFamily = albumFamilies(albums.values());
    this.likedAt = likedAtOf(library.likes ?? [], position, tracks.length);
    this.playlists = playlistMembers(library.playlists ?? [], position, tracks.length);
    // Artist and album keys: the first artist and the album of each track, numbered.
    const artistNumbers = new Map<string, number>();
    const albumNumbers = new Map<string, number>();
    this.#artistKey = Int32Array.from(tracks, (t) => numberOf(artistNumbers, t.artistIds[0]));
    this.#albumKey = Int32Array.from(tracks, (t) => numberOf(albumNumbers, t.albumId));
    const keys = {
      position,
      artistKey: this.#artistKey,
      albumKey: this.#albumKey,
      artistNumbers,
      albumNumbers,
    };
    this.#log = new PlayLog(library.plays ?? [], keys, this.minPlayMs, this.timeZone);
    this.#artistKeys = artistNumbers.size;
    this.#albumKeys = albumNumbers.size;
  }

  /** Number of tracks. */
  get size(): number {
    return this.tracks.length;
  }

  /** Number of plays in the log (including plays of unknown tracks). */
  get playCount(): number {
    return this.#log.track.length;
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

  /** The aggregation job of a window among `jobs`, added when new. */
  #jobOf(jobs: StatsJob[], window: WindowSpec | null): StatsJob {
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
  }

  /**
   * @internal Builds, in one pass over the play log per window, the aggregates of every window in
   * `windows`, the hour/weekday masks of every window in `maskWindows`, and the play counts alone
   * of every window in `countWindows` (windows a rule reads only the play count of), unless built
   * already. A rule's play-log columns are prepared together this way before it is evaluated; a
   * window counted alone gets its other aggregates when a later rule asks for them.
   */
  prepare(
    windows: readonly (WindowSpec | null)[],
    maskWindows: readonly (WindowSpec | null)[],
    countWindows: readonly (WindowSpec | null)[] = [],
  ): void {
    const jobs: StatsJob[] = [];
    for (const window of windows) this.#jobOf(jobs, window);
    for (const window of maskWindows) {
      const job = this.#jobOf(jobs, window);
      if (job.stats.hourMask === null || job.stats.weekdayMask === null) {
        job.masks = true;
        job.stats.hourMask = new Int32Array(this.tracks.length);
        job.stats.weekdayMask = new Int32Array(this.tracks.length);
      }
    }
    const counts: CountJob[] = [];
    for (const window of countWindows) {
      const [from, to] = this.windowRange(window);
      const key = `${from}:${to}`;
      if (this.#stats.has(key) || this.#counts.has(key)) continue;
      if (jobs.some((j) => j.key === key) || counts.some((j) => j.key === key)) continue;
      const all = from === Number.NEGATIVE_INFINITY && to === Number.POSITIVE_INFINITY;
      counts.push({ key, from, to, all, counts: new Int32Array(this.tracks.length) });
    }
    if (counts.length > 0) {
      this.#log.count(counts);
      for (const job of counts) this.#counts.set(job.key, job.counts);
    }
    const pending = jobs.filter((j) => j.fresh || j.masks);
    if (pending.length === 0) return;
    this.#log.aggregate(pending);
    for (const job of pending) {
      if (!job.fresh) continue;
      spreadTotals(job.artistTotals, this.#artistKey, job.stats.artistPlays);
      spreadTotals(job.albumTotals, this.#albumKey, job.stats.albumPlays);
      this.#stats.set(job.key, job.stats);
    }
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
      const value = normalized ? normalize(s) : s;
      let list = lists.get(value);
      if (list === undefined) {
        list = [value];
        lists.set(value, list);
      }
      return list;
    };
    const read = textReader(field, this.tracks, this.albums, this.artistsById, one);
    const { codes, count } = textCodes(field, this.#trackSource());
    const column = new TextColumn(codes, count, read);
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
    const out = windowed
      ? this.#playNumbers(field, window)
      : trackNumbers(field, this.#trackSource());
    this.#numbers.set(key, out);
    return out;
  }

  /**
   * A play-log field's column over a window: the play count from the counts alone when the
   * window's other aggregates were not built (the same numbers), else from its aggregates.
   */
  #playNumbers(field: FieldName, window: WindowSpec | null): Float64Array {
    const key = this.#windowKey(window);
    const counts = this.#counts.get(key);
    if (field === 'playCount' && counts !== undefined && !this.#stats.has(key)) {
      const out = new Float64Array(counts.length);
      out.set(counts);
      return out;
    }
    return playNumbers(field, this.stats(window), this.now);
  }

  /** What track, album, library and text columns are read from. */
  #trackSource(): TrackSource {
    this.#source ??= {
      tracks: this.tracks,
      albums: this.albums,
      likedAt: this.likedAt,
      artistKey: this.#artistKey,
      albumKey: this.#albumKey,
      artistCount: this.#artistKeys,
      albumCount: this.#albumKeys,
    };
    return this.#source;
  }

  /** @internal End of a date field's interval (release dates cover their whole year/month/day). */
  dateEnds(field: FieldName, window: WindowSpec | null): Float64Array {
    const starts = this.numbers(field, window);
    if (field !== 'releaseDate') return starts;
    const key = 'releaseDate:end';
    const cached = this.#numbers.get(key);
    if (cached) return cached;
    const out = releaseDateEnds(this.#trackSource());
    this.#numbers.set(key, out);
    return out;
  }
}

/** Normalised form of a text, memoised across fields and indexes (names repeat). */
function normalize(text: string): string {
  let v = NORMALIZED.get(text);
  if (v === undefined) {
    v = matchText(text);
    if (NORMALIZED.size >= MAX_NORMALIZED) NORMALIZED.clear();
    NORMALIZED.set(text, v);
  }
  return v;
}

/** The number of `key` in `map` (numbered in order of first use); -1 for none. */
function numberOf(map: Map<string, number>, key: string | null | undefined): number {
  if (key === null || key === undefined) return -1;
  let k = map.get(key);
  if (k === undefined) {
    k = map.size;
    map.set(key, k);
  }
  return k;
}

/** The tracks of a library, checked, the first of each id kept, and the position of each id. */
function numberTracks(input: LibraryInput['tracks']): {
  tracks: Track[];
  position: Map<string, number>;
} {
  const tracks: Track[] = [];
  const position = new Map<string, number>();
  for (const [t, track] of input.entries()) {
    if (typeof track?.id !== 'string' || track.id === '' || !Array.isArray(track.artistIds)) {
      throw badInput(`tracks[${t}]`, 'expected a catalog Track with an id and artistIds');
    }
    if (position.has(track.id)) continue;
    position.set(track.id, tracks.length);
    tracks.push(track);
  }
  return { tracks, position };
}

/** Album id -> the id shared by an album and its explicit/clean variant (the smallest of them). */
function albumFamilies(albums: Iterable<Album>): Map<string, string> {
  const family = new Map<string, string>();
  for (const a of albums) {
    const v = a.variantOfAlbumId;
    if (v === null || v === undefined) continue;
    const root = [a.id, v, family.get(a.id) ?? a.id, family.get(v) ?? v].sort()[0]!;
    family.set(a.id, root);
    family.set(v, root);
  }
  return family;
}

/** When each track was first liked (NaN: not liked). */
function likedAtOf(
  likes: NonNullable<LibraryInput['likes']>,
  position: ReadonlyMap<string, number>,
  n: number,
): Float64Array {
  const likedAt = new Float64Array(n).fill(Number.NaN);
  for (const like of likes) {
    const i = position.get(like.trackId);
    if (i !== undefined && !(likedAt[i]! <= like.likedAt)) likedAt[i] = like.likedAt;
  }
  return likedAt;
}

/** Each playlist's members as a flag per track. */
function playlistMembers(
  playlists: NonNullable<LibraryInput['playlists']>,
  position: ReadonlyMap<string, number>,
  n: number,
): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const playlist of playlists) {
    const members = new Uint8Array(n);
    for (const item of playlist.items) {
      const i = position.get(item.trackId);
      if (i !== undefined) members[i] = 1;
    }
    out.set(playlist.id, members);
  }
  return out;
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
