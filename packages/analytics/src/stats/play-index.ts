import { normalizeText, type Play } from '@spoti/catalog';
import { AnalyticsError } from '../errors/analytics-error.js';
import { hashParts, type KeyParts, PlayKeySet } from '../internal/play-key-set.js';
import type { PlayColumns } from '../importer/play-columns.js';
import { skippedOf } from '../internal/skipped-of.js';

/** What the index reads of a play to find its track (the fields of `Play` it uses). */
export type TrackFields = Pick<
  Play,
  'trackId' | 'trackName' | 'artistName' | 'artistIds' | 'albumId' | 'albumName'
>;

/** A track as the index knows it. */
export interface IndexedTrack {
  readonly id: string | null;
  readonly name: string;
  readonly artist: number;
  readonly album: number;
}
/** An artist as the index knows it (id when a source had one, else only the name). */
export interface IndexedArtist {
  readonly id: string | null;
  readonly name: string;
}
/** An album as the index knows it. */
export interface IndexedAlbum {
  readonly id: string | null;
  readonly name: string;
  readonly artist: number;
}

const INITIAL = 1024;
/**
 * Most held plays a time-ordered dedupe looks back over (plays ending in the same second as the
 * new one); past it the index keys every play in the hash set instead.
 */
const MAX_LOOK_BACK = 32;
const LOOK_BACK_FAILED = -1;
/** Latest (and, negated, earliest) `endedAt` accepted: JavaScript's date range less two days. */
const MAX_INSTANT = 8.64e15 - 2 * 86_400_000;
/** Longest `msPlayed` accepted: a year. */
const MAX_MS_PLAYED = 365 * 86_400_000;

/**
 * A compact, deduplicated, columnar store of plays that statistics run on: times and durations in
 * typed arrays, track/artist/album names interned once. Feeding plays one by one (for example
 * straight from {@link readSpotifyExport}) keeps memory at a few dozen bytes per play instead of
 * one object per play. Duplicates (same `@spoti/catalog` `playKey`) are dropped on `add`.
 *
 * @example
 * ```ts
 * const index = createPlayIndex();
 * for await (const item of readSpotifyExport('my_spotify_data.zip', { userId: 'me' })) {
 *   if (item.kind === 'music') index.add(item.play);
 * }
 * const stats = computeStats(index, { timeZone: 'Europe/Berlin' });
 * ```
 */
export class PlayIndex {
  /** Number of (distinct) plays held. */
  size = 0;
  /** Plays rejected as duplicates so far. */
  duplicates = 0;
  endedAt = new Float64Array(INITIAL);
  msPlayed = new Float64Array(INITIAL);
  track = new Int32Array(INITIAL);
  /** -1 unknown, 0 not skipped, 1 skipped. */
  skipped = new Int8Array(INITIAL);
  /** Index into `users`. */
  user = new Int32Array(INITIAL);
  /** -1 unknown, 0 online, 1 offline. */
  offline = new Int8Array(INITIAL);
  /** Offline timestamp (ms) or NaN. */
  offlineTimestamp = new Float64Array(INITIAL);
  readonly users: string[] = [];
  readonly #userKeys = new Map<string, number>();
  readonly tracks: IndexedTrack[] = [];
  readonly artists: IndexedArtist[] = [];
  readonly albums: IndexedAlbum[] = [];
  /** Tracks with an id, by id. */
  readonly #trackIds = new Map<string, number>();
  /** Tracks without an id, by normalised `artist/track`. */
  readonly #trackNames = new Map<string, number>();
  /** The key of each track in the map above (its id or normalised `artist/track`), by position. */
  readonly #trackKeys: string[] = [];
  #lastUserId: string | null = null;
  #lastUser = -1;
  readonly #artistKeys = new Map<string, number>();
  readonly #albumKeys = new Map<string, number>();
  /** Dedupe set over the numeric parts of `playKey`; null with dedupe off. */
  readonly #seen: PlayKeySet | null;
  /** Keys of plays whose user or track id holds `|` (their `playKey` strings are compared as such). */
  readonly #oddKeys = new Set<string>();
  /** Users and tracks whose id holds `|`. */
  readonly #oddUsers = new Set<number>();
  readonly #oddTracks = new Set<number>();
  readonly #parts: KeyParts = { user: 0, track: 0, kind: 0, time: 0 };
  readonly #other: KeyParts = { user: 0, track: 0, kind: 0, time: 0 };
  /**
   * False while every play came in time order: the set then holds only offline-time keys, and a
   * play keyed by its own end time is compared with the few held plays ending in its second.
   */
  #allKeyed = false;
  readonly #hash: ((key: string) => number) | null;
  #sorted = true;
  #order: Uint32Array | null = null;

  /**
   * @param options `dedupe: false` keeps every play.
   * @param hash For tests: hashes a play's `playKey` string instead of its numeric parts (a
   *   colliding hash shows that equal hashes are still told apart exactly).
   */
  constructor(options: { dedupe?: boolean } = {}, hash?: (key: string) => number) {
    this.#seen =
      options.dedupe === false ? null : new PlayKeySet((i, into) => this.#partsAt(i, into));
    this.#hash = hash ?? null;
  }

  /**
   * The parts of the `playKey` of the play at position `i`, from the columns: the user and track
   * positions stand for the user id and the identity (`t:<id>` or `n:<artist>/<track>`, one track
   * per identity), and the time part follows `playKey`'s rules.
   */
  #partsAt(i: number, into: KeyParts): void {
    into.user = this.user[i] as number;
    const track = this.track[i] as number;
    into.track = track;
    const offlineAt = this.offlineTimestamp[i] as number;
    const endedAt = this.endedAt[i] as number;
    if (this.offline[i] === 1 && offlineAt > 0) {
      into.kind = 0;
      into.time = Math.floor(offlineAt / 1000);
    } else if ((this.tracks[track] as IndexedTrack).id === null && endedAt % 60_000 === 0) {
      into.kind = 1;
      into.time = Math.floor(endedAt / 60_000);
    } else {
      into.kind = 2;
      into.time = Math.floor(endedAt / 1000);
    }
  }

  #grow(capacity = this.endedAt.length * 2): void {
    const n = capacity;
    const grow = <T extends Float64Array | Int32Array | Int8Array>(
      a: T,
      make: (n: number) => T,
    ) => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.endedAt = grow(this.endedAt, (k) => new Float64Array(k));
    this.msPlayed = grow(this.msPlayed, (k) => new Float64Array(k));
    this.track = grow(this.track, (k) => new Int32Array(k));
    this.skipped = grow(this.skipped, (k) => new Int8Array(k));
    this.user = grow(this.user, (k) => new Int32Array(k));
    this.offline = grow(this.offline, (k) => new Int8Array(k));
    this.offlineTimestamp = grow(this.offlineTimestamp, (k) => new Float64Array(k));
  }

  #artistOf(play: TrackFields): number {
    const id = play.artistIds[0] ?? null;
    const key = id !== null ? `i:${id}` : `n:${play.artistName.toLowerCase()}`;
    let index = this.#artistKeys.get(key);
    if (index === undefined) {
      index = this.artists.length;
      this.artists.push({ id, name: play.artistName });
      this.#artistKeys.set(key, index);
    }
    return index;
  }

  #albumOf(play: TrackFields, artist: number): number {
    if (play.albumId === null && play.albumName === null) return -1;
    const key =
      play.albumId !== null ? `i:${play.albumId}` : `n:${artist}/${play.albumName?.toLowerCase()}`;
    let index = this.#albumKeys.get(key);
    if (index === undefined) {
      index = this.albums.length;
      this.albums.push({ id: play.albumId, name: play.albumName ?? '', artist });
      this.#albumKeys.set(key, index);
    }
    return index;
  }

  #trackOf(play: TrackFields): number {
    const map = play.trackId !== null ? this.#trackIds : this.#trackNames;
    const key =
      play.trackId !== null
        ? play.trackId
        : `${normalizeText(play.artistName)}/${normalizeText(play.trackName)}`;
    let index = map.get(key);
    if (index === undefined) {
      const artist = this.#artistOf(play);
      index = this.tracks.length;
      this.tracks.push({
        id: play.trackId,
        name: play.trackName,
        artist,
        album: this.#albumOf(play, artist),
      });
      this.#trackKeys.push(key);
      map.set(key, index);
      if (play.trackId?.includes('|') === true) this.#oddTracks.add(index);
    }
    return index;
  }

  /**
   * The position of the track a play with these fields belongs to, added when new (as `add`
   * would). For the importer, which sends each distinct track once.
   *
   * @internal
   */
  trackFor(fields: TrackFields): number {
    return this.#trackOf(fields);
  }

  /** The position of a user id, added when new. */
  #userOf(userId: string): number {
    if (userId !== this.#lastUserId) {
      let user = this.#userKeys.get(userId);
      if (user === undefined) {
        user = this.users.length;
        this.users.push(userId);
        this.#userKeys.set(userId, user);
      }
      this.#lastUserId = userId;
      this.#lastUser = user;
      if (userId.includes('|')) this.#oddUsers.add(user);
    }
    return this.#lastUser;
  }

  /** Throws unless the time and duration are ones the index can hold. */
  #check(endedAt: number, msPlayed: number): void {
    if (!(Math.abs(endedAt) <= MAX_INSTANT)) {
      throw new AnalyticsError({
        code: 'INVALID_INPUT',
        message: `Invalid play endedAt: ${endedAt} (expected Unix ms within JavaScript's date range)`,
      });
    }
    if (!(msPlayed >= 0 && msPlayed <= MAX_MS_PLAYED)) {
      throw new AnalyticsError({
        code: 'INVALID_INPUT',
        message: `Invalid play msPlayed: ${msPlayed} (expected 0 to a year in ms)`,
      });
    }
  }

  /**
   * Adds the plays `from` to `to` (exclusive) of a batch of columns, as `add` would add them one
   * by one: `tracks` maps the batch's track numbers to positions in this index
   * (see {@link PlayIndex.trackFor}), all plays are `userId`'s. Returns how many were new.
   *
   * @internal
   */
  addColumns(
    columns: PlayColumns,
    from: number,
    to: number,
    tracks: Int32Array,
    userId: string,
  ): number {
    const needed = this.size + (to - from);
    if (needed > this.endedAt.length) this.#grow(Math.max(needed, this.endedAt.length * 2));
    const user = this.#userOf(userId);
    let added = 0;
    for (let j = from; j < to; j++) {
      const endedAt = columns.endedAt[j] as number;
      const msPlayed = columns.msPlayed[j] as number;
      this.#check(endedAt, msPlayed);
      const i = this.size;
      this.endedAt[i] = endedAt;
      this.msPlayed[i] = msPlayed;
      this.track[i] = tracks[columns.track[j] as number] as number;
      this.user[i] = user;
      this.offline[i] = columns.offline[j] as number;
      this.offlineTimestamp[i] = columns.offlineTimestamp[j] as number;
      if (this.#seen !== null && !this.#isNew(i)) {
        this.duplicates++;
        continue;
      }
      this.size++;
      added++;
      this.skipped[i] = columns.skipped[j] as number;
      if (i > 0 && endedAt < (this.endedAt[i - 1] as number)) this.#sorted = false;
    }
    if (added > 0) this.#order = null;
    return added;
  }

  /** Adds a play; returns false (and keeps nothing) when it duplicates one already held. */
  add(play: Play): boolean {
    this.#check(play.endedAt, play.msPlayed);
    if (this.size === this.endedAt.length) this.#grow();
    // Write the columns first (the key set may rebuild keys from them), commit with size++.
    const i = this.size;
    this.endedAt[i] = play.endedAt;
    this.msPlayed[i] = play.msPlayed;
    this.track[i] = this.#trackOf(play);
    this.user[i] = this.#userOf(play.userId);
    this.offline[i] = play.offline === null ? -1 : play.offline ? 1 : 0;
    this.offlineTimestamp[i] = play.offlineTimestamp ?? Number.NaN;
    if (this.#seen !== null && !this.#isNew(i)) {
      this.duplicates++;
      return false;
    }
    this.size++;
    this.skipped[i] = skippedOf(play);
    if (i > 0 && play.endedAt < (this.endedAt[i - 1] as number)) this.#sorted = false;
    this.#order = null;
    return true;
  }

  /**
   * The `playKey` of the play written at position `i`, spelled from the columns: the user id, the
   * identity (`t:<id>`, or `n:` and the normalised `artist/track` the track is keyed by) and the
   * time part of the key parts.
   */
  #keyAt(i: number, parts: KeyParts): string {
    const track = this.track[i] as number;
    const key = this.#trackKeys[track] as string;
    const identity = (this.tracks[track] as IndexedTrack).id !== null ? `t:${key}` : `n:${key}`;
    const kind = parts.kind === 0 ? 'o' : parts.kind === 1 ? 'm' : 's';
    return `${this.users[this.user[i] as number]}|${identity}|${kind}:${parts.time}`;
  }

  /** True unless the play just written at position `i` has the `playKey` of one already held. */
  #isNew(i: number): boolean {
    if (!this.#allKeyed) {
      const end = this.endedAt[i] as number;
      const before = i > 0 ? (this.endedAt[i - 1] as number) : Number.NEGATIVE_INFINITY;
      // The common case: in time order, keyed by its end time (not offline) and no ids with `|`,
      // and no held play ends in its second: new, with nothing to compare.
      if (
        Math.floor(before / 1000) < Math.floor(end / 1000) &&
        !(this.offline[i] === 1 && (this.offlineTimestamp[i] as number) > 0) &&
        this.#oddUsers.size === 0 &&
        this.#oddTracks.size === 0
      ) {
        return true;
      }
      if (end < before) this.#keyAll(i);
    }
    const parts = this.#parts;
    this.#partsAt(i, parts);
    if (
      (this.#oddUsers.size > 0 || this.#oddTracks.size > 0) &&
      (this.#oddUsers.has(parts.user) || this.#oddTracks.has(parts.track))
    ) {
      // A `|` inside an id can make two different (user, identity, time) triples spell the same
      // key string: compare the strings, as `playKey` users would.
      const key = this.#keyAt(i, parts);
      if (this.#oddKeys.has(key)) return false;
      this.#oddKeys.add(key);
      return true;
    }
    if (parts.kind !== 0 && !this.#allKeyed) {
      const found = this.#lookBack(i, parts);
      if (found !== LOOK_BACK_FAILED) return found === 0;
      this.#keyAll(i);
    }
    return (this.#seen as PlayKeySet).add(parts, this.#hashOf(i, parts), i);
  }

  #hashOf(i: number, parts: KeyParts): number {
    return this.#hash === null
      ? hashParts(parts.user, parts.track, parts.kind, parts.time)
      : this.#hash(this.#keyAt(i, parts));
  }

  /**
   * For a play keyed by its end time (`m:` or `s:`) written at position `i` after plays held in
   * time order: 1 when one of them has the same key, else 0. Only plays ending in the same second
   * can, and they are the last ones held. `LOOK_BACK_FAILED` when too many plays end in it.
   */
  #lookBack(i: number, parts: KeyParts): number {
    const endedAt = this.endedAt;
    // The second as the key computes it (a division is monotonic, so in time order the plays of
    // a second are the last ones held).
    const second = Math.floor((endedAt[i] as number) / 1000);
    const other = this.#other;
    for (let j = i - 1; j >= 0 && Math.floor((endedAt[j] as number) / 1000) >= second; j--) {
      if (i - j > MAX_LOOK_BACK) return LOOK_BACK_FAILED;
      if (this.user[j] !== parts.user || this.track[j] !== parts.track) continue;
      this.#partsAt(j, other);
      if (other.kind === parts.kind && other.time === parts.time) return 1;
    }
    return 0;
  }

  /** Puts the keys of the held plays not yet in the set into it (the plays `0..i`). */
  #keyAll(i: number): void {
    this.#allKeyed = true;
    const seen = this.#seen as PlayKeySet;
    seen.reserve(this.endedAt.length);
    const parts = this.#other;
    for (let j = 0; j < i; j++) {
      this.#partsAt(j, parts);
      if (parts.kind === 0 || this.#oddUsers.has(parts.user) || this.#oddTracks.has(parts.track)) {
        continue;
      }
      seen.add(parts, this.#hashOf(j, parts), j);
    }
  }

  /** Adds many plays; returns how many were new. */
  addAll(plays: Iterable<Play>): number {
    if (Array.isArray(plays)) {
      const needed = this.size + plays.length;
      // At least doubled: an index fed page by page grows a logarithmic number of times, not
      // once per page (each growth copies every column).
      if (needed > this.endedAt.length) this.#grow(Math.max(needed, this.endedAt.length * 2));
      if (this.#allKeyed) this.#seen?.reserve(needed);
    }
    let added = 0;
    if (Array.isArray(plays)) {
      // Indexed: no iterator result per play while this loop is not yet optimised.
      const list: readonly Play[] = plays;
      for (let i = 0; i < list.length; i++) if (this.add(list[i] as Play)) added++;
    } else for (const play of plays) if (this.add(play)) added++;
    return added;
  }

  /** Play positions in ascending `endedAt` order (cached until the next `add`). */
  order(): Uint32Array {
    if (this.#order !== null) return this.#order;
    const order = new Uint32Array(this.size);
    for (let i = 0; i < this.size; i++) order[i] = i;
    if (!this.#sorted) {
      const ended = this.endedAt;
      order.sort((a, b) => (ended[a] as number) - (ended[b] as number) || a - b);
    }
    this.#order = order;
    return order;
  }
}

/**
 * Creates an empty {@link PlayIndex}. `dedupe: false` skips the `playKey` check (for plays known
 * to be distinct; saves memory on very large histories).
 *
 * @example
 * ```ts
 * const index = createPlayIndex();
 * index.addAll(plays);
 * console.log(index.size, index.duplicates);
 * ```
 */
export function createPlayIndex(options: { dedupe?: boolean } = {}): PlayIndex {
  return new PlayIndex(options);
}

/** Turns plays or an index into an index (plays go into a new one, deduplicated). */
export function toIndex(input: PlayIndex | Iterable<Play>): PlayIndex {
  if (input instanceof PlayIndex) return input;
  const index = new PlayIndex();
  index.addAll(input);
  return index;
}
