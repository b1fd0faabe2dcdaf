import { normalizeText, type Play, playKey } from '@spoti/catalog';
import { CompactKeySet, hashKey } from '../internal/key-set.js';

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
  readonly #seen: CompactKeySet | null;
  #sorted = true;
  #order: Uint32Array | null = null;

  constructor(options: { dedupe?: boolean } = {}, hash: (key: string) => number = hashKey) {
    this.#seen = options.dedupe === false ? null : new CompactKeySet((i) => this.#keyAt(i), hash);
  }

  /** The `playKey` of the play held at position `i` (rebuilt from the columns). */
  #keyAt(i: number): string {
    const track = this.tracks[this.track[i] as number] as IndexedTrack;
    const offline = this.offline[i] as number;
    const offlineTimestamp = this.offlineTimestamp[i] as number;
    return playKey({
      userId: this.users[this.user[i] as number] as string,
      trackId: track.id,
      artistName: this.artists[track.artist]?.name ?? '',
      trackName: track.name,
      endedAt: this.endedAt[i] as number,
      offline: offline < 0 ? null : offline === 1,
      offlineTimestamp: Number.isNaN(offlineTimestamp) ? null : offlineTimestamp,
    });
  }

  #grow(): void {
    const n = this.endedAt.length * 2;
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
    }
    return index;
  }

  /** Adds a play; returns false (and keeps nothing) when it duplicates one already held. */
  add(play: Play): boolean {
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
    }
    this.user[i] = this.#lastUser;
    this.offline[i] = play.offline === null ? -1 : play.offline ? 1 : 0;
    this.offlineTimestamp[i] = play.offlineTimestamp ?? Number.NaN;
    if (this.#seen !== null && !this.#seen.add(playKey(play), i)) {
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

  /** Adds many plays; returns how many were new. */
  addAll(plays: Iterable<Play>): number {
    let added = 0;
    for (const play of plays) if (this.add(play)) added++;
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
