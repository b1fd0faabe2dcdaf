import {
  type Album,
  type Artist,
  type CatalogStore,
  type Track,
  albumFromSpotify,
  artistFromSpotify,
  trackFromSpotify,
} from '@spoti/catalog';
import type { SpotifySimplifiedAlbum, SpotifySimplifiedTrack, SpotifyTrack } from '@spoti/client';

/** A bounded set of ids known to be in the catalog, so hot paths skip store reads. */
export class KnownIds {
  readonly #ids = new Set<string>();
  constructor(private readonly max: number) {}
  has(id: string): boolean {
    return this.#ids.has(id);
  }
  add(id: string): void {
    if (this.#ids.size >= this.max) {
      const first = this.#ids.values().next();
      if (!first.done) this.#ids.delete(first.value);
    }
    this.#ids.add(id);
  }
  /** Forgets an id (after the catalog deleted it). */
  delete(id: string): void {
    this.#ids.delete(id);
  }
}

/** Caches of what the catalog already holds, per entity kind. */
export interface KnownEntities {
  readonly tracks: KnownIds;
  readonly albums: KnownIds;
  readonly artists: KnownIds;
}

/** Creates empty caches. */
export function knownEntities(max = 100_000): KnownEntities {
  return { tracks: new KnownIds(max), albums: new KnownIds(max), artists: new KnownIds(max) };
}

/** What a batch of Spotify objects contributes to the catalog. */
export interface EntityBatch {
  /** Tracks to upsert whatever the store holds (fresh full objects). */
  readonly tracks: Track[];
  /** Tracks to add only when the store lacks them (partial objects). */
  readonly tracksIfMissing: Track[];
  /** Albums to upsert whatever the store holds. */
  readonly albums: Album[];
  /** Albums to add only when missing (simplified objects would drop label and genres). */
  readonly albumsIfMissing: Album[];
  /** Artists to upsert whatever the store holds. */
  readonly artists: Artist[];
  /** Artists to add only when missing (simplified objects carry no genres). */
  readonly artistsIfMissing: Artist[];
}

/** An empty {@link EntityBatch}. */
export function entityBatch(): EntityBatch {
  return {
    tracks: [],
    tracksIfMissing: [],
    albums: [],
    albumsIfMissing: [],
    artists: [],
    artistsIfMissing: [],
  };
}

/** Adds a full track (and, when missing, its simplified album and artists). */
export function addFullTrack(
  batch: EntityBatch,
  track: SpotifyTrack,
  now: number,
  upsert: boolean,
): void {
  const mapped = trackFromSpotify(track, now);
  (upsert ? batch.tracks : batch.tracksIfMissing).push(mapped);
  batch.albumsIfMissing.push(albumFromSpotify(track.album, now));
  for (const a of [...track.artists, ...track.album.artists])
    batch.artistsIfMissing.push(artistFromSpotify(a, now));
}

/** Adds a track listed in an album (no album object, no ISRC): only when missing. */
export function addAlbumTrack(
  batch: EntityBatch,
  track: SpotifySimplifiedTrack,
  album: SpotifySimplifiedAlbum | { readonly id: string },
  now: number,
): void {
  batch.tracksIfMissing.push({
    id: track.id,
    name: track.name,
    albumId: album.id,
    artistIds: track.artists.map((a) => a.id),
    ownerArtistId: track.artists[0]?.id ?? null,
    durationMs: Math.max(0, Math.round(track.duration_ms)),
    isrc: null,
    explicit: track.explicit,
    visibility: 'public',
    discNumber: Math.max(1, track.disc_number ?? 1),
    trackNumber: Math.max(0, track.track_number ?? 0),
    addedAt: now,
  });
  for (const a of track.artists) batch.artistsIfMissing.push(artistFromSpotify(a, now));
}

async function missing<T extends { id: string }>(
  items: readonly T[],
  known: KnownIds,
  get: (id: string) => Promise<unknown>,
  skip: ReadonlySet<string>,
): Promise<T[]> {
  const out = new Map<string, T>();
  for (const item of items) {
    if (known.has(item.id) || skip.has(item.id) || out.has(item.id)) continue;
    if ((await get(item.id)) !== null) {
      known.add(item.id);
      continue;
    }
    out.set(item.id, item);
  }
  return [...out.values()];
}

/**
 * Writes a batch of entities: artists, then albums, then tracks (the order the catalog wants),
 * skipping "if missing" ones the store already holds. Returns the function that records them
 * as known, to call after the surrounding transaction committed.
 */
export async function writeEntities(
  store: CatalogStore,
  batch: EntityBatch,
  known: KnownEntities,
): Promise<() => void> {
  const artistIds = new Set(batch.artists.map((a) => a.id));
  const artists = [
    ...batch.artists,
    ...(await missing(
      batch.artistsIfMissing,
      known.artists,
      (id) => store.getArtist(id),
      artistIds,
    )),
  ];
  const albumIds = new Set(batch.albums.map((a) => a.id));
  const albums = [
    ...batch.albums,
    ...(await missing(batch.albumsIfMissing, known.albums, (id) => store.getAlbum(id), albumIds)),
  ];
  const trackIds = new Set(batch.tracks.map((t) => t.id));
  const tracks = [
    ...batch.tracks,
    ...(await missing(batch.tracksIfMissing, known.tracks, (id) => store.getTrack(id), trackIds)),
  ];
  if (artists.length > 0) await store.upsertArtists(artists);
  if (albums.length > 0) await store.upsertAlbums(albums);
  if (tracks.length > 0) await store.upsertTracks(tracks);
  // The caller marks them known once its transaction committed.
  return () => {
    for (const a of artists) known.artists.add(a.id);
    for (const a of albums) known.albums.add(a.id);
    for (const t of tracks) known.tracks.add(t.id);
  };
}

/**
 * Runs `fn` in one store transaction on SQL backends. The memory store snapshots its whole state
 * per transaction (O(size)), so there the idempotent writes run directly: a failure half-way is
 * repaired by the next run like a crash would be.
 */
export function batchWrite<T>(
  store: CatalogStore,
  fn: (tx: CatalogStore) => Promise<T>,
): Promise<T> {
  return store.backend === 'memory' ? fn(store) : store.transaction(fn);
}
