import type { Album, Artist, CatalogStore, Track } from '@spoti/catalog';
import type { LibraryInput } from '@spoti/playlists';

/** How many catalog entities (tracks, albums, artists) a reader keeps before starting afresh. */
const MAX_ENTITIES = 200_000;
/** How long "not in the catalog" is believed (tracks of imported plays are resolved later). */
const MISSING_TTL_MS = 5 * 60_000;

/** Entities by id, with "not in the catalog" remembered for a while. */
class EntityCache<T> {
  readonly #found = new Map<string, T>();
  readonly #missing = new Map<string, number>();

  constructor(
    private readonly fetch: (id: string) => Promise<T | null>,
    private readonly clock: { now(): number },
  ) {}

  async get(id: string): Promise<T | null> {
    const hit = this.#found.get(id);
    if (hit !== undefined) return hit;
    const missingSince = this.#missing.get(id);
    if (missingSince !== undefined && this.clock.now() - missingSince < MISSING_TTL_MS) return null;
    const value = await this.fetch(id);
    if (this.#found.size + this.#missing.size >= MAX_ENTITIES) {
      this.#found.clear();
      this.#missing.clear();
    }
    if (value === null) this.#missing.set(id, this.clock.now());
    else {
      this.#missing.delete(id);
      this.#found.set(id, value);
    }
    return value;
  }
}

/**
 * Reads a listener's library for rules, as `loadLibrary` of `@spoti/playlists` does (saved
 * tracks, the play log, and the tracks, albums and artists they reference), but keeps the
 * catalog entities it read: the likes and plays are read afresh every time (two queries), while
 * a track, album or artist is fetched once. The catalog store reads entities one at a time, so
 * without this every page view would cost one query per track of the library.
 */
export class LibraryReader {
  readonly #tracks: EntityCache<Track>;
  readonly #albums: EntityCache<Album>;
  readonly #artists: EntityCache<Artist>;

  constructor(
    private readonly store: CatalogStore,
    clock: { now(): number },
  ) {
    this.#tracks = new EntityCache((id) => store.getTrack(id), clock);
    this.#albums = new EntityCache((id) => store.getAlbum(id), clock);
    this.#artists = new EntityCache((id) => store.getArtist(id), clock);
  }

  /** The listener's library now (likes and plays as stored at this moment). */
  async read(userId: string): Promise<LibraryInput> {
    const likes = await this.store.listLikes(userId);
    const plays = await this.store.listPlays({ userId });
    const ids = new Set<string>();
    for (const like of likes) ids.add(like.trackId);
    for (const play of plays) if (play.trackId !== null) ids.add(play.trackId);
    const tracks: Track[] = [];
    const albumIds = new Set<string>();
    const artistIds = new Set<string>();
    for (const id of ids) {
      const track = await this.#tracks.get(id);
      if (track === null) continue;
      tracks.push(track);
      if (track.albumId !== null) albumIds.add(track.albumId);
      for (const artist of track.artistIds) artistIds.add(artist);
    }
    const albums: Album[] = [];
    for (const id of albumIds) {
      const album = await this.#albums.get(id);
      if (album !== null) albums.push(album);
    }
    const artists: Artist[] = [];
    for (const id of artistIds) {
      const artist = await this.#artists.get(id);
      if (artist !== null) artists.push(artist);
    }
    return { tracks, albums, artists, likes, plays };
  }
}
