import { normalizeText, type Play, playKey } from '@spoti/catalog';
import { AnalyticsError } from '../errors/analytics-error.js';
import { hashParts, type KeyParts, PlayKeySet } from '../internal/play-key-set.js';

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

  #artistOf(play: Play): number {
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

  #albumOf(play: Play, artist: number): number {
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

  #trackOf(play: Play): number {
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
      map.set(key, index);
      if (play.trackId?.includes('|') === true) this.#oddTracks.add(index);
    }
    return index;
  }

  /** Adds a play; returns false (and keeps nothing) when it duplicates one already held. */
  add(play: Play): boolean {
    if (!(Math.abs(play.endedAt) <= MAX_INSTANT)) {
      throw new AnalyticsError({
        code: 'INVALID_INPUT',
        message: `Invalid play endedAt: ${play.endedAt} (expected Unix ms within JavaScript's date range)`,
      });
    }
    if (!(play.msPlayed >= 0 && play.msPlayed <= MAX_MS_PLAYED)) {
      throw new AnalyticsError({
        code: 'INVALID_INPUT',
        message: `Invalid play msPlayed: ${play.msPlayed} (expected 0 to a year in ms)`,
      });
    }
    if (this.size === this.endedAt.length) this.#grow();
    // Write the columns first (the key set may rebuild keys from them), commit with size++.
    const i = this.size;
    this.endedAt[i] = play.endedAt;
    this.msPlayed[i] = play.msPlayed;
    this.track[i] = this.#trackOf(play);
    if (play.userId !== this.#lastUserId) {
      let user = this.#userKeys.get(play.userId);
      if (user === undefined) {
        user = this.users.length;
        this.users.push(play.userId);
        this.#userKeys.set(play.userId, user);
      }
      this.#lastUserId = play.userId;
      this.#lastUser = user;
      if (play.userId.includes('|')) this.#oddUsers.add(user);
    }
    this.user[i] = this.#lastUser;
    this.offline[i] = play.offline === null ? -1 : play.offline ? 1 : 0;
    this.offlineTimestamp[i] = play.offlineTimestamp ?? Number.NaN;
    if (this.#seen !== null && !this.#isNew(play, i)) {
      this.duplicates++;
      return false;
    }
    this.size++;
    const skipped =
      play.skipped ??
      (play.reasonEnd === 'fwdbtn' || play.reasonEnd === 'backbtn'
        ? true
        : play.reasonEnd === 'trackdone'
          ? false
          : null);
    this.skipped[i] = skipped === null ? -1 : skipped ? 1 : 0;
    if (i > 0 && play.endedAt < (this.endedAt[i - 1] as number)) this.#sorted = false;
    this.#order = null;
    return true;
  }

  /** True unless `play`, just written at position `i`, has the `playKey` of one already held. */
  #isNew(play: Play, i: number): boolean {
    const parts = this.#parts;
    this.#partsAt(i, parts);
    if (
      (this.#oddUsers.size > 0 || this.#oddTracks.size > 0) &&
      (this.#oddUsers.has(parts.user) || this.#oddTracks.has(parts.track))
    ) {
      // A `|` inside an id can make two different (user, identity, time) triples spell the same
      // key string: compare the strings, as `playKey` users would.
      const key = playKey(play);
      if (this.#oddKeys.has(key)) return false;
      this.#oddKeys.add(key);
      return true;
    }
    const hash =
      this.#hash === null
        ? hashParts(parts.user, parts.track, parts.kind, parts.time)
        : this.#hash(playKey(play));
    return (this.#seen as PlayKeySet).add(parts, hash, i);
  }

  /** Adds many plays; returns how many were new. */
  addAll(plays: Iterable<Play>): number {
    if (Array.isArray(plays)) {
      const needed = this.size + plays.length;
      if (needed > this.endedAt.length) this.#grow(needed);
      this.#seen?.reserve(needed);
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
