import {
  type Catalog,
  drawFeatures,
  GENRES_OF_FAMILY,
  ISRC_COUNTRIES,
  MEAN_DURATION_S,
  upc,
} from './catalog.js';
import { GENRES } from './genres.js';
import { clamp, type Rng } from './prng.js';
import type { AlbumType, DatePrecision, Genre, WorldAlbum, WorldTrack } from './types.js';
import { labelName, title } from './words.js';

/** A release added to a running world (see `controls.catalog.addRelease`), validated. */
export interface AddedReleaseSpec {
  readonly artistId: string;
  readonly name: string | undefined;
  readonly type: AlbumType;
  readonly releaseDate: string;
  readonly releaseDatePrecision: DatePrecision;
  /** When it appears on the service, Unix ms. */
  readonly availableAtMs: number;
  readonly markets: readonly string[];
  readonly explicitAndClean: boolean;
  readonly tracks: number;
}

/** The clean edition of an explicit release: the same tracks, new ids, explicit ones re-coded. */
function cleanEdition(
  rng: Rng,
  album: WorldAlbum,
  trackList: readonly WorldTrack[],
  isrc: () => string,
): { album: WorldAlbum; tracks: WorldTrack[] } {
  const cleanId = rng.id();
  const tracks = trackList.map(
    (t): WorldTrack => ({
      ...t,
      id: rng.id(),
      albumId: cleanId,
      explicit: false,
      isrc: t.explicit ? isrc() : t.isrc,
    }),
  );
  return {
    album: {
      ...album,
      id: cleanId,
      trackIds: tracks.map((t) => t.id),
      upc: upc(rng),
      explicit: false,
      cleanVersionOf: album.id,
    },
    tracks,
  };
}

/** Puts added albums and tracks into the catalogue, keeping the artist's albums in release order. */
function storeRelease(
  catalog: Catalog,
  artistId: string,
  albums: readonly WorldAlbum[],
  tracks: readonly WorldTrack[],
): void {
  for (const track of tracks) catalog.tracks.set(track.id, track);
  const own = catalog.albumsByArtist.get(artistId) ?? [];
  for (const a of albums) {
    catalog.albums.set(a.id, a);
    own.push(a.id);
  }
  own.sort(
    (x, y) =>
      (catalog.albums.get(x)?.releasedAtMs ?? 0) - (catalog.albums.get(y)?.releasedAtMs ?? 0),
  );
  catalog.albumsByArtist.set(artistId, own);
}

/**
 * Adds a release of an existing artist to the catalogue (its album, tracks and, with
 * `explicitAndClean`, a clean edition) and returns the main album. Listening histories do not
 * pick its tracks: they are drawn from the catalogue as generated.
 */
export function addRelease(catalog: Catalog, rng: Rng, spec: AddedReleaseSpec): WorldAlbum {
  const artist = catalog.artists.get(spec.artistId);
  if (artist === undefined) throw new Error(`No such artist: ${spec.artistId}`);
  const family = catalog.familyOfArtist.get(artist.id);
  const genre =
    GENRES.find((g) => g.name === artist.genres[0]) ??
    (family === undefined ? undefined : GENRES_OF_FAMILY.get(family)?.[0]) ??
    (GENRES[0] as Genre);
  const meanDuration = (family === undefined ? undefined : MEAN_DURATION_S[family]) ?? 215;
  const year = spec.releaseDate.slice(2, 4);
  const isrc = () =>
    `${rng.pick(ISRC_COUNTRIES)}${artist.id.slice(0, 3).toUpperCase()}${year}${String(rng.int(100_000)).padStart(5, '0')}`;
  const albumId = rng.id();
  const trackList: WorldTrack[] = [];
  for (let t = 0; t < spec.tracks; t++) {
    const track: WorldTrack = {
      id: rng.id(),
      name: title(rng),
      albumId,
      artistIds: [artist.id],
      durationMs:
        Math.round(clamp(meanDuration * (1 + rng.normal() * 0.22), 45, 1500) * 1000) +
        rng.int(1000),
      // An explicit/clean pair needs an explicit track to differ by; otherwise tracks are clean.
      explicit: spec.explicitAndClean && (t === 0 || rng.chance(0.5)),
      isrc: isrc(),
      trackNumber: t + 1,
      discNumber: 1,
      popularity: Math.round(clamp(artist.popularity - 4 * t + rng.normal() * 10, 0, 100)),
      features: drawFeatures(rng, genre.features),
    };
    trackList.push(track);
  }
  const album: WorldAlbum = {
    id: albumId,
    name: spec.name ?? title(rng),
    albumType: spec.type,
    artistIds: [artist.id],
    releaseDate: spec.releaseDate,
    releaseDatePrecision: spec.releaseDatePrecision,
    releasedAtMs: spec.availableAtMs,
    trackIds: trackList.map((t) => t.id),
    upc: upc(rng),
    label: labelName(rng),
    popularity: Math.round(clamp(artist.popularity - 10 + rng.normal() * 8, 0, 100)),
    markets: spec.markets,
    releaseGroupId: rng.id(),
    explicit: trackList.some((t) => t.explicit),
  };
  const added: WorldAlbum[] = [album];
  const addedTracks: WorldTrack[] = [...trackList];
  if (spec.explicitAndClean) {
    const clean = cleanEdition(rng, album, trackList, isrc);
    added.push(clean.album);
    addedTracks.push(...clean.tracks);
  }
  storeRelease(catalog, artist.id, added, addedTracks);
  return album;
}
