import { GENRE_FAMILIES, GENRES } from './genres.js';
import { clamp, mixSeed, Rng } from './prng.js';
import type {
  AlbumType,
  AudioFeatures,
  DatePrecision,
  Genre,
  GenreFamily,
  WorldAlbum,
  WorldArtist,
  WorldTrack,
} from './types.js';
import { artistName, labelName, title } from './words.js';

const DAY_MS = 86_400_000;

/**
 * Markets (ISO 3166-1 alpha-2) albums are sold in; most editions share this one array.
 *
 * @example
 * ```ts
 * mock.controls.catalog.restrictTrack(trackId, MARKETS.filter((m) => m !== 'DE'));
 * ```
 */
export const MARKETS: readonly string[] = Object.freeze([
  'AR',
  'AT',
  'AU',
  'BE',
  'BR',
  'CA',
  'CH',
  'CL',
  'CO',
  'DE',
  'DK',
  'ES',
  'FI',
  'FR',
  'GB',
  'IE',
  'IN',
  'IT',
  'JP',
  'KR',
  'MX',
  'NL',
  'NO',
  'NZ',
  'PL',
  'PT',
  'SE',
  'TR',
  'US',
  'ZA',
]);
const JAPAN = Object.freeze(['JP']);
const WITHOUT_JAPAN = Object.freeze(MARKETS.filter((m) => m !== 'JP'));
/** Country codes of the ISRCs the world's tracks carry. */
export const ISRC_COUNTRIES = [
  'US',
  'GB',
  'DE',
  'SE',
  'FR',
  'JP',
  'BR',
  'NL',
  'CA',
  'AU',
  'FI',
  'NO',
];

/** How common each family is among artists. */
const FAMILY_SHARE: Record<GenreFamily, number> = {
  rock: 12,
  metal: 7,
  punk: 3,
  pop: 14,
  electronic: 11,
  'hip hop': 11,
  'r&b': 6,
  jazz: 5,
  blues: 2,
  classical: 4,
  folk: 5,
  country: 4,
  latin: 6,
  reggae: 2,
  world: 4,
  soundtrack: 2,
  ambient: 2,
};
const FAMILY_WEIGHTS = GENRE_FAMILIES.map((f) => FAMILY_SHARE[f]);
/** The genres of each family. */
export const GENRES_OF_FAMILY = new Map<GenreFamily, Genre[]>(
  GENRE_FAMILIES.map((f) => [f, GENRES.filter((g) => g.family === f)]),
);
const EXPLICIT_RATE: Partial<Record<GenreFamily, number>> = {
  'hip hop': 0.6,
  metal: 0.3,
  punk: 0.35,
  pop: 0.15,
  'r&b': 0.25,
  latin: 0.3,
  electronic: 0.1,
  rock: 0.15,
};
/** Mean track length per family, in seconds (215 for the others). */
export const MEAN_DURATION_S: Partial<Record<GenreFamily, number>> = {
  classical: 380,
  jazz: 330,
  ambient: 420,
  punk: 150,
  metal: 290,
  electronic: 310,
  soundtrack: 200,
};

/** Tracks of an artist that listeners play (original editions), ascending by release time. */
export interface ArtistTracks {
  readonly trackIds: string[];
  readonly releasedAt: number[];
}

/** The generated catalogue plus the indexes the rest of the world needs. */
export interface Catalog {
  readonly artists: Map<string, WorldArtist>;
  readonly albums: Map<string, WorldAlbum>;
  readonly tracks: Map<string, WorldTrack>;
  readonly albumsByArtist: Map<string, string[]>;
  readonly artistsByFamily: Map<GenreFamily, string[]>;
  readonly familyOfArtist: Map<string, GenreFamily>;
  readonly listenable: Map<string, ArtistTracks>;
  /** Every listenable track, ascending by release time (fallback picks). */
  readonly allListenable: ArtistTracks;
  /** Artists with at least one release after the world's start. */
  readonly futureArtists: string[];
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Audio features scattered around a genre's centre. */
export function drawFeatures(rng: Rng, centre: AudioFeatures): AudioFeatures {
  const f = (x: number, sd = 0.09) => r3(clamp(x + rng.normal() * sd, 0, 1));
  const valence = f(centre.valence, 0.12);
  return {
    energy: f(centre.energy),
    valence,
    danceability: f(centre.danceability),
    acousticness: f(centre.acousticness, 0.08),
    instrumentalness: f(centre.instrumentalness, 0.1),
    speechiness: r3(clamp(centre.speechiness + rng.normal() * 0.03, 0.02, 0.95)),
    liveness: r3(clamp(0.08 + rng.next() * rng.next() * 0.7, 0, 1)),
    tempo: Math.round(clamp(centre.tempo * (1 + rng.normal() * 0.06), 40, 220) * 1000) / 1000,
    loudness: Math.round(clamp(centre.loudness + rng.normal() * 1.8, -60, 0) * 1000) / 1000,
    key: rng.int(12),
    mode: rng.chance(valence > 0.45 ? 0.7 : 0.35) ? 1 : 0,
    timeSignature:
      centre.timeSignature === 3
        ? rng.chance(0.7)
          ? 3
          : 4
        : rng.chance(0.95)
          ? 4
          : rng.pick([3, 5, 7]),
  };
}

/** A 12-digit UPC barcode. */
export function upc(rng: Rng): string {
  let digits = '';
  for (let i = 0; i < 11; i++) digits += String(rng.int(10));
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 3 : 1);
  return digits + String((10 - (sum % 10)) % 10);
}

function dateOf(ms: number, precision: DatePrecision): string {
  const iso = new Date(ms).toISOString();
  return precision === 'day'
    ? iso.slice(0, 10)
    : precision === 'month'
      ? iso.slice(0, 7)
      : iso.slice(0, 4);
}

function precisionFor(rng: Rng, year: number): DatePrecision {
  const r = rng.next();
  if (year < 1975) return r < 0.65 ? 'year' : r < 0.8 ? 'month' : 'day';
  if (year < 1995) return r < 0.2 ? 'year' : r < 0.4 ? 'month' : 'day';
  return r < 0.01 ? 'year' : r < 0.03 ? 'month' : 'day';
}

function upperBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first value > x in an ascending array (the number of values <= x). */
export { upperBound };

interface Planned {
  readonly type: AlbumType;
  readonly at: number;
  readonly future: boolean;
}

/** The maps of a catalogue being generated. */
interface CatalogMaps {
  readonly artists: Map<string, WorldArtist>;
  readonly albums: Map<string, WorldAlbum>;
  readonly tracks: Map<string, WorldTrack>;
  readonly artistsByFamily: Map<GenreFamily, string[]>;
  /** Artist ids in the order they were made. */
  readonly artistOrder: string[];
}

/** One artist while its discography is generated: its taste, label, ISRC codes and output. */
interface ArtistWork {
  readonly rng: Rng;
  readonly maps: CatalogMaps;
  readonly artist: WorldArtist;
  readonly family: GenreFamily;
  readonly primary: Genre;
  readonly genreList: readonly Genre[];
  readonly labels: readonly string[];
  readonly label: string;
  readonly isrcCountry: string;
  readonly registrant: string;
  /** Next ISRC designation code (wraps at 100,000). */
  designation: number;
  readonly explicitRate: number;
  readonly meanDuration: number;
  /** Recordings made so far (compilations reuse them). */
  readonly recordings: WorldTrack[];
  readonly own: ArtistTracks;
  readonly albumIds: string[];
}

function nextIsrc(work: ArtistWork, yy: string): string {
  return `${work.isrcCountry}${work.registrant}${yy}${String(work.designation++ % 100_000).padStart(5, '0')}`;
}

/** An artist of `family` (the first artists cover every family once) with one to three genres. */
function drawArtist(
  rng: Rng,
  index: number,
): { artist: WorldArtist; family: GenreFamily; primary: Genre; genreList: Genre[] } {
  const family =
    index < GENRE_FAMILIES.length
      ? (GENRE_FAMILIES[index] as GenreFamily)
      : (GENRE_FAMILIES[rng.weighted(FAMILY_WEIGHTS)] as GenreFamily);
  const familyGenres = GENRES_OF_FAMILY.get(family) as Genre[];
  const primary = rng.pick(familyGenres);
  const genreList: Genre[] = [primary];
  const extra = rng.weighted([0.35, 0.45, 0.2]);
  for (let g = 0; g < extra; g++) {
    const other = rng.chance(0.75) ? rng.pick(familyGenres) : rng.pick(GENRES);
    if (!genreList.includes(other)) genreList.push(other);
  }
  const popularity = Math.round(clamp(45 + rng.normal() * 18, 0, 100));
  const artist: WorldArtist = {
    id: rng.id(),
    name: artistName(rng),
    genres: genreList.map((g) => g.name),
    popularity,
    followers: Math.round(10 ** (1 + (popularity / 100) * 6.3) * (0.5 + rng.next())),
  };
  return { artist, family, primary, genreList };
}

/** The discography plan: a debut year, then releases up to the world's start, maybe one ahead. */
function planReleases(
  rng: Rng,
  popularity: number,
  startTimeMs: number,
  withFuture: () => boolean,
): { plans: Planned[]; future: boolean } {
  const startYear = new Date(startTimeMs).getUTCFullYear();
  const debutYear = startYear - 1 - Math.floor(60 * rng.next() ** 2.2);
  const debutMs = Date.UTC(debutYear, rng.int(12), 1 + rng.int(28));
  const releaseCount = 1 + Math.floor(rng.next() * (2 + popularity / 22));
  const plans: Planned[] = [];
  for (let r = 0; r < releaseCount; r++) {
    const at = debutMs + Math.floor(rng.next() * Math.max(1, startTimeMs - DAY_MS - debutMs));
    const kind = rng.next();
    const type: AlbumType =
      r === 0 || kind < 0.38 ? 'album' : kind < 0.94 ? 'single' : 'compilation';
    plans.push({ type, at, future: false });
  }
  plans.sort((x, y) => x.at - y.at);
  if (!withFuture()) return { plans, future: false };
  const day = Math.floor(startTimeMs / DAY_MS) + 1 + rng.int(120);
  plans.push({ type: rng.chance(0.6) ? 'single' : 'album', at: day * DAY_MS, future: true });
  return { plans, future: true };
}

/** The tracks of one release; compilations reuse the artist's earlier recordings. */
function drawTracks(
  work: ArtistWork,
  type: AlbumType,
  albumId: string,
  albumArtists: readonly string[],
  yy: string,
): WorldTrack[] {
  const { rng, artist } = work;
  const trackCount =
    type === 'album' ? rng.range(7, 14) : type === 'single' ? rng.range(1, 3) : rng.range(10, 16);
  const trackList: WorldTrack[] = [];
  for (let t = 0; t < trackCount; t++) {
    const reuse =
      type === 'compilation' && work.recordings.length > 0 ? rng.pick(work.recordings) : undefined;
    let feat: string | undefined;
    if (reuse === undefined && rng.chance(0.08)) {
      const peers = work.maps.artistsByFamily.get(work.family) as string[];
      const peer = rng.pick(peers);
      if (peer !== artist.id) feat = peer;
    }
    const genre = rng.chance(0.75) ? work.primary : rng.pick(work.genreList);
    const track: WorldTrack = {
      id: rng.id(),
      name: reuse?.name ?? title(rng),
      albumId,
      artistIds:
        reuse?.artistIds ?? (feat === undefined ? albumArtists.slice(0, 1) : [artist.id, feat]),
      durationMs:
        reuse?.durationMs ??
        Math.round(clamp(work.meanDuration * (1 + rng.normal() * 0.22), 45, 1500) * 1000) +
          rng.int(1000),
      explicit: reuse?.explicit ?? rng.chance(work.explicitRate),
      isrc: reuse?.isrc ?? nextIsrc(work, yy),
      trackNumber: t + 1,
      discNumber: 1,
      popularity: Math.round(clamp(artist.popularity - 4 * t + rng.normal() * 10, 0, 100)),
      features: reuse?.features ?? drawFeatures(rng, genre.features),
    };
    trackList.push(track);
    work.maps.tracks.set(track.id, track);
    if (reuse === undefined) work.recordings.push(track);
  }
  return trackList;
}

/** Another edition of a release: a Japanese edition, or a clean version of an explicit one. */
function addEdition(
  work: ArtistWork,
  album: WorldAlbum,
  trackList: readonly WorldTrack[],
  yy: string,
  markets: readonly string[],
  clean: boolean,
): void {
  const { rng, maps } = work;
  const editionId = rng.id();
  const editionTracks = trackList.map((t) => {
    const copy: WorldTrack = {
      ...t,
      id: rng.id(),
      albumId: editionId,
      explicit: clean ? false : t.explicit,
      isrc: clean && t.explicit ? nextIsrc(work, yy) : t.isrc,
    };
    maps.tracks.set(copy.id, copy);
    return copy.id;
  });
  const copy: WorldAlbum = clean
    ? {
        ...album,
        id: editionId,
        trackIds: editionTracks,
        upc: upc(rng),
        markets,
        explicit: false,
        cleanVersionOf: album.id,
      }
    : { ...album, id: editionId, trackIds: editionTracks, upc: upc(rng), markets };
  maps.albums.set(copy.id, copy);
  work.albumIds.push(copy.id);
}

/** One planned release: its album, tracks and other editions. */
function addPlannedRelease(work: ArtistWork, plan: Planned): void {
  const { rng, artist, maps } = work;
  const year0 = new Date(plan.at).getUTCFullYear();
  const precision: DatePrecision = plan.future ? 'day' : precisionFor(rng, year0);
  const date = new Date(plan.at);
  const releasedAtMs =
    precision === 'year'
      ? Date.UTC(year0, 0, 1)
      : precision === 'month'
        ? Date.UTC(year0, date.getUTCMonth(), 1)
        : Math.floor(plan.at / DAY_MS) * DAY_MS;
  const yy = String(year0 % 100).padStart(2, '0');
  const albumId = rng.id();
  const albumName = title(rng);
  const collaborator = rng.chance(0.03) ? rng.pick(maps.artistOrder.slice(-20)) : undefined;
  const albumArtists =
    collaborator !== undefined && collaborator !== artist.id
      ? [artist.id, collaborator]
      : [artist.id];
  const trackList = drawTracks(work, plan.type, albumId, albumArtists, yy);
  const explicit = trackList.some((t) => t.explicit);
  const japanEdition = !plan.future && rng.chance(0.07);
  const album: WorldAlbum = {
    id: albumId,
    name: albumName,
    albumType: plan.type,
    artistIds: albumArtists,
    releaseDate: dateOf(releasedAtMs, precision),
    releaseDatePrecision: precision,
    releasedAtMs,
    trackIds: trackList.map((t) => t.id),
    upc: upc(rng),
    label: rng.chance(0.85) ? work.label : rng.pick(work.labels),
    popularity: Math.round(clamp(artist.popularity - 10 + rng.normal() * 8, 0, 100)),
    markets: japanEdition ? WITHOUT_JAPAN : MARKETS,
    releaseGroupId: rng.id(),
    explicit,
  };
  maps.albums.set(album.id, album);
  work.albumIds.push(album.id);
  if (plan.type !== 'compilation') {
    for (const t of trackList) {
      work.own.trackIds.push(t.id);
      work.own.releasedAt.push(releasedAtMs);
    }
  }
  if (japanEdition) addEdition(work, album, trackList, yy, JAPAN, false);
  if (explicit && rng.chance(0.35)) addEdition(work, album, trackList, yy, album.markets, true);
}

/** Generates the catalogue of a world: artists, their releases and editions, tracks. */
export function generateCatalog(seed: number, artistCount: number, startTimeMs: number): Catalog {
  const rng = new Rng(mixSeed(seed, 0xca7a));
  const maps: CatalogMaps = {
    artists: new Map(),
    albums: new Map(),
    tracks: new Map(),
    artistsByFamily: new Map(GENRE_FAMILIES.map((f) => [f, []])),
    artistOrder: [],
  };
  const albumsByArtist = new Map<string, string[]>();
  const familyOfArtist = new Map<string, GenreFamily>();
  const listenable = new Map<string, ArtistTracks>();
  const futureArtists: string[] = [];
  const labels = Array.from({ length: Math.max(8, Math.ceil(artistCount / 25)) }, () =>
    labelName(rng),
  );
  const futureRate = Math.max(0.05, 4 / artistCount);

  for (let a = 0; a < artistCount; a++) {
    const { artist, family, primary, genreList } = drawArtist(rng, a);
    maps.artists.set(artist.id, artist);
    maps.artistOrder.push(artist.id);
    (maps.artistsByFamily.get(family) as string[]).push(artist.id);
    familyOfArtist.set(artist.id, family);
    const { plans, future } = planReleases(
      rng,
      artist.popularity,
      startTimeMs,
      () => rng.chance(futureRate) || (a < 3 && artistCount >= 3),
    );
    if (future) futureArtists.push(artist.id);
    const work: ArtistWork = {
      rng,
      maps,
      artist,
      family,
      primary,
      genreList,
      labels,
      label: rng.pick(labels),
      isrcCountry: rng.pick(ISRC_COUNTRIES),
      registrant: artist.id.slice(0, 3).toUpperCase(),
      designation: rng.int(50_000),
      explicitRate: EXPLICIT_RATE[family] ?? 0.03,
      meanDuration: MEAN_DURATION_S[family] ?? 215,
      recordings: [],
      own: { trackIds: [], releasedAt: [] },
      albumIds: [],
    };
    for (const plan of plans) addPlannedRelease(work, plan);
    work.albumIds.sort(
      (x, y) =>
        (maps.albums.get(x) as WorldAlbum).releasedAtMs -
        (maps.albums.get(y) as WorldAlbum).releasedAtMs,
    );
    albumsByArtist.set(artist.id, work.albumIds);
    listenable.set(artist.id, sortTracks(work.own));
  }

  const merged: ArtistTracks = { trackIds: [], releasedAt: [] };
  for (const own of listenable.values()) {
    for (let i = 0; i < own.trackIds.length; i++) {
      merged.trackIds.push(own.trackIds[i] as string);
      merged.releasedAt.push(own.releasedAt[i] as number);
    }
  }
  return {
    artists: maps.artists,
    albums: maps.albums,
    tracks: maps.tracks,
    albumsByArtist,
    artistsByFamily: maps.artistsByFamily,
    familyOfArtist,
    listenable,
    allListenable: sortTracks(merged),
    futureArtists,
  };
}

function sortTracks(list: ArtistTracks): ArtistTracks {
  const order = list.trackIds
    .map((_, i) => i)
    .sort((x, y) => (list.releasedAt[x] as number) - (list.releasedAt[y] as number) || x - y);
  return {
    trackIds: order.map((i) => list.trackIds[i] as string),
    releasedAt: order.map((i) => list.releasedAt[i] as number),
  };
}
